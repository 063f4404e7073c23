import dev.rightsize.ContainerResources;
import dev.rightsize.Warning;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Runs {@code ContainerResources.detect()} once at start (printing "WARMUP {json}"), prints "READY",
 * then on each line read from stdin detects again and prints "RESULT {json}" with its own elapsed
 * time in "detectMillis"; exits at end of input or on the line "EXIT".
 *
 * <p>Lets LxcfsIT start a JVM while LXCFS still answers and stop the daemon afterwards: a JVM
 * started with a stopped LXCFS bound over /proc/stat hangs in glibc before main.
 *
 * <p>Usage: {@code java -cp rightsize-cli.jar DetectProbe.java}
 */
public class DetectProbe {
  public static void main(String[] args) throws Exception {
    System.out.println("WARMUP " + json(timed()));
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.trim().equals("EXIT")) {
      System.out.println("RESULT " + json(timed()));
      System.out.flush();
    }
  }

  record Timed(ContainerResources r, double millis) {}

  static Timed timed() {
    long t0 = System.nanoTime();
    ContainerResources r = ContainerResources.detect();
    return new Timed(r, (System.nanoTime() - t0) / 1e6);
  }

  static String json(Timed t) {
    ContainerResources r = t.r();
    StringBuilder sb = new StringBuilder("{");
    field(sb, "source", str(r.source().id()));
    field(sb, "cgroupVersion", num(r.cgroupVersion()));
    field(sb, "detectMillis", String.valueOf(t.millis()));
    sb.append("\"cpu\":{");
    field(sb, "effective", String.valueOf(r.cpu().effective()));
    field(sb, "limit", num(r.cpu().limit()));
    field(sb, "cpuset", num(r.cpu().cpuset()));
    field(sb, "shares", num(r.cpu().shares()));
    field(sb, "isolatedView", num(r.cpu().isolatedView()));
    last(sb, "host", String.valueOf(r.cpu().host()));
    sb.append("},\"memory\":{");
    field(sb, "limit", num(r.memory().limitBytes().value()));
    field(sb, "softLimit", num(r.memory().softLimitBytes().value()));
    field(sb, "swapLimit", num(r.memory().swapLimitBytes().value()));
    field(sb, "usage", num(r.memory().usageBytes()));
    field(sb, "workingSet", num(r.memory().workingSetBytes()));
    last(sb, "isolatedViewTotal", num(r.memory().isolatedViewTotalBytes()));
    sb.append("},\"warnings\":[");
    boolean first = true;
    for (Warning w : r.warnings()) {
      sb.append(first ? "" : ",").append("{\"code\":").append(str(w.code().id())).append(",\"message\":")
          .append(str(w.message())).append(",\"file\":").append(w.file().map(DetectProbe::str).orElse("null")).append('}');
      first = false;
    }
    return sb.append("]}").toString();
  }

  static void field(StringBuilder sb, String name, String value) {
    last(sb, name, value);
    sb.append(',');
  }

  static void last(StringBuilder sb, String name, String value) {
    sb.append(str(name)).append(':').append(value);
  }

  static String num(OptionalLong v) {
    return v.isPresent() ? String.valueOf(v.getAsLong()) : "null";
  }

  static String num(OptionalInt v) {
    return v.isPresent() ? String.valueOf(v.getAsInt()) : "null";
  }

  static String num(OptionalDouble v) {
    return v.isPresent() ? String.valueOf(v.getAsDouble()) : "null";
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
