package dev.rightsize.it.vm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Operating System Metrics" section of {@code java -XshowSettings:system -version}, as
 * key/value pairs ("Provider" → "cgroupv2", "Effective CPU Count" → "2", "CPU Quota" → "150000us",
 * "Memory Limit" → "512.00M", ...). Multi-line lists (processors, memory nodes) are ignored.
 */
public record JdkSystemSettings(Map<String, String> values, String raw) {
  private static final Pattern LINE = Pattern.compile("^\\s{4}([A-Za-z][A-Za-z &]*?):\\s*(\\S.*?)\\s*$");

  public static JdkSystemSettings parse(String output) {
    Map<String, String> v = new LinkedHashMap<>();
    boolean in = false;
    for (String line : output.split("\n")) {
      if (line.startsWith("Operating System Metrics")) {
        in = true;
        continue;
      }
      if (line.contains("No metrics available")) {
        v.put("Provider", "none (no metrics available)");
      }
      if (in && line.contains("System not containerized")) {
        // JDK 25: printed instead of the values when it finds no limit it counts
        v.put("Note", "not containerized");
      }
      if (!in) {
        continue;
      }
      if (line.isBlank()) {
        in = false;
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        v.putIfAbsent(m.group(1), m.group(2));
      }
    }
    return new JdkSystemSettings(Map.copyOf(v), output);
  }

  public String get(String key) {
    return values.getOrDefault(key, "?");
  }

  /** A one-cell summary for the comparison table. */
  public String summary() {
    if (values.isEmpty()) {
      return "(no metrics)";
    }
    if (values.containsKey("Note")) {
      return "\"System not containerized.\" (no values shown)";
    }
    String quota = get("CPU Quota");
    String cpu =
        "CPUs " + get("Effective CPU Count")
            + (quota.startsWith("-1") || quota.equals("?")
                ? ", no quota"
                : ", quota " + quota.replace("us", "") + "/" + get("CPU Period").replace("us", ""));
    return cpu
        + "; mem " + get("Memory Limit")
        + ", soft " + get("Memory Soft Limit")
        + ", mem+swap " + get("Memory & Swap Limit");
  }
}
