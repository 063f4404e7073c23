package dev.rightsize.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVMs, the CLI jar and the test programs the real-kernel tests run, and parsers for their output. */
final class Jvms {
  private Jvms() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /** The JVM running the tests (JDK 17 here). */
  static String currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

  /** The runnable CLI jar ({@code rightsize.cliJar}, set by failsafe); requires it to exist. */
  static Path requireCliJar() {
    String p = System.getProperty("rightsize.cliJar");
    RealKernel.require(p != null && Files.isRegularFile(Path.of(p)),
        "the CLI jar (system property rightsize.cliJar=" + p + "; build it with mvn package)");
    return Path.of(p);
  }

  /** {@code java -jar <cli> --json}, with a modest heap so it runs in small cgroups. */
  static List<String> cliJson(Path cliJar) {
    return List.of(currentJava(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", cliJar.toString(), "--json");
  }

  /** Parses the CLI's stdout, which must be exactly one JSON object. */
  static JsonNode parseJson(CgroupV1Sandbox.Result r) throws IOException {
    if (r.exit() != 0) {
      throw new AssertionError("CLI failed: " + r);
    }
    try {
      JsonNode n = JSON.readTree(r.stdout());
      if (n == null || !n.isObject()) {
        throw new AssertionError("CLI stdout is not one JSON object: " + r);
      }
      return n;
    } catch (IOException e) {
      throw new AssertionError("CLI stdout is not JSON (" + e.getMessage() + "): " + r, e);
    }
  }

  /**
   * A member by its dotted contract name ({@code cpu.effective}); accepts both a nested object
   * ({@code {"cpu":{"effective":1}}}) and a flat member named with the dot.
   */
  static JsonNode member(JsonNode root, String dotted) {
    if (root.has(dotted)) {
      return root.get(dotted);
    }
    JsonNode n = root;
    for (String part : dotted.split("\\.")) {
      n = n == null ? null : n.get(part);
    }
    if (n == null) {
      throw new AssertionError("JSON has no member '" + dotted + "': " + root.toPrettyString());
    }
    return n;
  }

  /** A member as a long, or empty when it is JSON null. */
  static OptionalLong longOrNull(JsonNode root, String dotted) {
    JsonNode n = member(root, dotted);
    if (n.isNull()) {
      return OptionalLong.empty();
    }
    if (!n.isIntegralNumber()) {
      throw new AssertionError("'" + dotted + "' is not an integer: " + n);
    }
    return OptionalLong.of(n.asLong());
  }

  /** A member as a Double, or null when it is JSON null. */
  static Double doubleOrNull(JsonNode root, String dotted) {
    JsonNode n = member(root, dotted);
    if (n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw new AssertionError("'" + dotted + "' is not a number: " + n);
    }
    return n.asDouble();
  }

  /** The JDK's own view, from {@code java -XshowSettings:system -version}. */
  record JdkView(String provider, OptionalInt effectiveCpus, OptionalLong memoryLimit, boolean memoryUnlimited, String raw) {
    boolean isCgroupV1() {
      return "cgroupv1".equals(provider);
    }
  }

  private static final Pattern PROVIDER = Pattern.compile("^\\s*Provider:\\s*(\\S+)", Pattern.MULTILINE);
  private static final Pattern CPUS = Pattern.compile("^\\s*Effective CPU Count:\\s*(\\d+)", Pattern.MULTILINE);
  private static final Pattern MEM = Pattern.compile("^\\s*Memory Limit:\\s*(\\S+)", Pattern.MULTILINE);

  static List<String> showSettings(Path java) {
    return List.of(java.toString(), "-Xshare:auto", "-XshowSettings:system", "-version");
  }

  static JdkView parseShowSettings(String out) {
    Matcher p = PROVIDER.matcher(out);
    Matcher c = CPUS.matcher(out);
    Matcher m = MEM.matcher(out);
    OptionalInt cpus = c.find() ? OptionalInt.of(Integer.parseInt(c.group(1))) : OptionalInt.empty();
    OptionalLong mem = OptionalLong.empty();
    boolean unlimited = false;
    if (m.find()) {
      String v = m.group(1);
      if (v.equalsIgnoreCase("Unlimited")) {
        unlimited = true;
      } else {
        mem = OptionalLong.of(parseJdkSize(v));
      }
    }
    return new JdkView(p.find() ? p.group(1) : "none", cpus, mem, unlimited, out);
  }

  /** Parses the JDK's "300.00M" style (binary units, two decimals). */
  static long parseJdkSize(String v) {
    char u = Character.toUpperCase(v.charAt(v.length() - 1));
    long mult = switch (u) {
      case 'K' -> 1L << 10;
      case 'M' -> 1L << 20;
      case 'G' -> 1L << 30;
      case 'T' -> 1L << 40;
      default -> 1;
    };
    String num = Character.isDigit(u) ? v : v.substring(0, v.length() - 1);
    return Math.round(Double.parseDouble(num) * mult);
  }

  /** Copies a test program from src/test/resources/it/ into a directory; returns its path. */
  static Path copyResource(String name, Path dir) throws IOException {
    try (InputStream in = Jvms.class.getResourceAsStream("/it/" + name)) {
      if (in == null) {
        throw new IOException("test resource /it/" + name + " not found");
      }
      Path p = dir.resolve(name);
      Files.copy(in, p);
      p.toFile().setReadable(true, false);
      return p;
    }
  }

  /** Splits a one-line flag string ({@code --jvm-flags} output) into arguments. */
  static List<String> splitFlags(String line) {
    List<String> out = new ArrayList<>();
    for (String s : line.trim().split("\\s+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The warnings array, as (code, message, file) text for messages. */
  static List<JsonNode> warnings(JsonNode root) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode w = member(root, "warnings");
    if (!w.isArray()) {
      throw new AssertionError("warnings is not an array: " + w);
    }
    w.forEach(out::add);
    return out;
  }

  static Optional<String> text(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }
}
