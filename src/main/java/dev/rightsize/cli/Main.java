package dev.rightsize.cli;

import dev.rightsize.ContainerResources;
import dev.rightsize.Warning;
import dev.rightsize.report.Finding;
import dev.rightsize.report.JvmCheck;
import dev.rightsize.report.StartupReport;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmFootprint;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import dev.rightsize.sizing.ThreadHeadroom;
import dev.rightsize.sizing.UnknownMemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code java -jar rightsize-cli.jar [--json | --jvm-flags] [--root DIR]}: prints the report of the
 * container it runs in. Exit status: 0 report printed, 1 {@code --jvm-flags} cannot size the JVM,
 * 2 usage error, 3 {@code --jvm-flags} will not size from an unknown memory limit, 4 nothing could
 * be read, 5 standard output could not be written.
 */
public final class Main {
  /** A report (or the flags, the usage, the version) was printed. */
  static final int OK = 0;
  /** {@code --jvm-flags}: the memory cannot hold the JVM's fixed regions. */
  static final int CANNOT_SIZE = 1;
  /** A usage error: unknown, repeated or conflicting options, a missing or bad argument. */
  static final int USAGE_ERROR = 2;
  /** {@code --jvm-flags}: the memory limit is unknown; no flags, nothing sized from a guess. */
  static final int UNKNOWN_LIMIT = 3;
  /** Not one value could be read from a file: the root is not a Linux system (or is empty). */
  static final int NOTHING_READ = 4;
  /** Writing to standard output failed (a closed pipe, a full disk): what was printed is incomplete. */
  static final int WRITE_FAILED = 5;

  static final String USAGE = String.join("\n",
      "Usage: java -jar rightsize-cli.jar [--json | --jvm-flags [SIZING...]] [--root DIR] | --version | --help",
      "",
      "Prints the CPU and memory this container really has, where each value came from,",
      "and the pool sizes and JVM flags that follow.",
      "",
      "  --json        one JSON object on stdout (see the README for its members)",
      "  --jvm-flags   only the recommended JVM memory flags, on one line (notes on stderr)",
      "  --root DIR    read DIR as if it were / (DIR/proc/self/mountinfo, DIR/sys/fs/cgroup/...)",
      "  --version     the version of rightsize",
      "  --help        this text",
      "",
      "Sizing, with --jvm-flags (each also from the environment variable shown; the option wins):",
      "  --threads N             threads the application runs at its peak      RIGHTSIZE_THREADS",
      "  --loaded-classes N      classes it loads                              RIGHTSIZE_LOADED_CLASSES",
      "  --direct-memory SIZE    direct buffers it needs, e.g. 64M             RIGHTSIZE_DIRECT_MEMORY",
      "  --code-cache SIZE       code cache it needs, e.g. 48M                 RIGHTSIZE_CODE_CACHE",
      "  --collector GC          serial, parallel, g1 (adds its flag) or auto  RIGHTSIZE_COLLECTOR",
      "  --mode MODE             workload (default) or paketo                  RIGHTSIZE_MODE",
      "  --profile FILE          a JvmFootprint file of an earlier run         RIGHTSIZE_PROFILE",
      "  --jdk N                 the JDK feature version to size (default: this JVM's)  RIGHTSIZE_JDK",
      "",
      "Each option may be given once.",
      "",
      "Exit status: 0 report printed (warnings or not), 1 --jvm-flags cannot size the JVM,",
      "2 usage error, 3 --jvm-flags: the memory limit is unknown (a limit file could not be read),",
      "so no flags are given, 4 nothing could be read under the root (the report says what is",
      "missing), 5 standard output could not be written.");

  /** Sizing options and the environment variables that stand in for them. */
  private static final Map<String, String> SIZING_ENV = Map.of(
      "--threads", "RIGHTSIZE_THREADS",
      "--loaded-classes", "RIGHTSIZE_LOADED_CLASSES",
      "--direct-memory", "RIGHTSIZE_DIRECT_MEMORY",
      "--code-cache", "RIGHTSIZE_CODE_CACHE",
      "--collector", "RIGHTSIZE_COLLECTOR",
      "--mode", "RIGHTSIZE_MODE",
      "--profile", "RIGHTSIZE_PROFILE",
      "--jdk", "RIGHTSIZE_JDK");

  private Main() {}

  /**
   * Runs the CLI.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } catch (RuntimeException e) {
      // Detection never throws; this is a bug, reported in one line rather than a stack trace.
      System.err.println("rightsize: unexpected error: " + e);
      code = 1;
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the CLI against the given streams.
   *
   * @return the exit status
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  /**
   * Runs the CLI against the given environment and streams.
   *
   * @return the exit status
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    int code = parseAndRun(args, env, out, err);
    // PrintStream swallows IOExceptions: without this check `--jvm-flags > /dev/full` would exit 0
    // with nothing written, and an entrypoint would start the JVM without its flags.
    if (out.checkError()) {
      err.println("rightsize: could not write to standard output");
      return WRITE_FAILED;
    }
    return code;
  }

  private static int parseAndRun(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> all = List.of(args);
    if (all.contains("--help") || all.contains("-h")) {
      out.println(USAGE);
      return OK;
    }
    if (all.contains("--version")) {
      out.println("rightsize " + version());
      return OK;
    }
    boolean json = false;
    boolean flags = false;
    Path root = Path.of("/");
    Set<String> seen = new HashSet<>();
    Map<String, String> sizing = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String option = arg;
      int eq = arg.indexOf('=');
      if (eq > 0 && (arg.startsWith("--root=") || SIZING_ENV.containsKey(arg.substring(0, eq)))) {
        option = arg.substring(0, eq);
      }
      if (!seen.add(option)) {
        return usage(err, option + " given more than once");
      }
      if (SIZING_ENV.containsKey(option)) {
        if (eq > 0 && option.length() == eq) {
          sizing.put(option, arg.substring(eq + 1));
        } else if (i + 1 < args.length) {
          sizing.put(option, args[++i]);
        } else {
          return usage(err, option + " needs a value");
        }
        continue;
      }
      switch (option) {
        case "--json" -> json = true;
        case "--jvm-flags" -> flags = true;
        case "--root" -> {
          String dir;
          if (arg.startsWith("--root=")) {
            dir = arg.substring("--root=".length());
          } else if (i + 1 < args.length) {
            dir = args[++i];
          } else {
            return usage(err, "--root needs a directory");
          }
          root = directory(dir);
          if (root == null) {
            return usage(err, "--root " + dir + ": not a directory");
          }
        }
        default -> {
          return usage(err, "unknown argument: " + arg);
        }
      }
    }
    if (json && flags) {
      return usage(err, "--json and --jvm-flags exclude each other");
    }
    if (!flags && !sizing.isEmpty()) {
      return usage(err, sizing.keySet().iterator().next() + " only applies to --jvm-flags");
    }
    JvmMemory.Builder sized = JvmMemory.builder().jdkFeatureVersion(Runtime.version().feature());
    if (flags) {
      try {
        String missing = applySizing(sized, env, sizing);
        if (missing != null) {
          err.println("rightsize: note: no profile at " + missing + " yet (a first start); sizing from the other"
              + " inputs");
        }
      } catch (IllegalArgumentException e) {
        return usage(err, e.getMessage());
      } catch (IOException e) {
        return usage(err, "--profile: " + e.getMessage());
      }
    }
    ContainerResources r = ContainerResources.detect(root);
    boolean nothingRead = r.provenance().isEmpty();
    if (flags) {
      if (nothingRead) {
        for (Warning w : r.warnings()) {
          err.println("rightsize: warning: " + w);
        }
        err.println(nothingReadMessage(root));
        return NOTHING_READ;
      }
      return jvmFlags(r, sized, out, err);
    }
    // The running JVM is only compared with its own container, not with another root.
    boolean own = root.toAbsolutePath().normalize().equals(Path.of("/"));
    StartupReport report = own ? StartupReport.of(r, JvmSettings.current()) : StartupReport.of(r);
    if (json) {
      out.println(report.toJson());
    } else {
      if (!own) {
        out.println("rightsize: reading " + root + " as / (files are named as a process inside it sees them:"
            + " /proc/meminfo is " + root.resolve("proc/meminfo") + ")");
      }
      out.println(report.toText());
    }
    if (nothingRead) {
      err.println(nothingReadMessage(root));
      return NOTHING_READ;
    }
    return OK;
  }

  private static String nothingReadMessage(Path root) {
    return "rightsize: nothing could be read under " + root
        + " (no cgroup, /proc or /sys file gave a value): is it the root of a Linux system?";
  }

  /** The version this jar was built as, from the filtered {@code version.properties}. */
  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through: a jar without the resource still answers
    }
    return "unknown";
  }

  /**
   * Applies the sizing inputs to a builder: environment variables first, options over them, a
   * profile before both (explicit inputs win over measured ones).
   *
   * @return the profile's path when it names no file (a first start: not an error), else null
   */
  private static String applySizing(JvmMemory.Builder b, Map<String, String> env, Map<String, String> options)
      throws IOException {
    String missing = null;
    Map<String, String> v = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : SIZING_ENV.entrySet()) {
      String fromEnv = env.get(e.getValue());
      if (fromEnv != null && !fromEnv.isBlank()) {
        v.put(e.getKey(), fromEnv.trim());
      }
    }
    v.putAll(options);
    String profile = v.get("--profile");
    if (profile != null) {
      Path p = Path.of(profile);
      if (Files.exists(p)) {
        b.footprint(JvmFootprint.read(p));
      } else {
        missing = profile;
      }
    }
    for (Map.Entry<String, String> e : v.entrySet()) {
      String val = e.getValue();
      switch (e.getKey()) {
        case "--threads" -> b.threadCount(count(e.getKey(), val));
        case "--jdk" -> b.jdkFeatureVersion(Math.max(8, count(e.getKey(), val)));
        case "--loaded-classes" -> b.loadedClassCount(count(e.getKey(), val));
        case "--direct-memory" -> b.directMemoryBytes(size(e.getKey(), val));
        case "--code-cache" -> b.reservedCodeCacheBytes(size(e.getKey(), val));
        case "--mode" -> b.mode(JvmMemory.Mode.parse(val));
        case "--collector" -> {
          if (!val.equalsIgnoreCase("auto")) {
            b.collector(JvmMemory.Collector.parse(val).filter(c -> val.matches("(?i)serial|parallel|g1"))
                .orElseThrow(() -> new IllegalArgumentException(
                    "--collector " + val + ": serial, parallel, g1 or auto")));
          }
        }
        default -> {
          // --profile, applied above
        }
      }
    }
    return missing;
  }

  private static int count(String option, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + value + ": not a count (0 or more)");
    }
  }

  /** A size: bytes, or a number with K, M, G or T (binary units, any case, an optional B or iB). */
  static long size(String option, String value) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d{1,15})\\s*([kmgt]?)(i?b)?\\s*")
        .matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " " + value + ": not a size (e.g. 64M, 512K, 1G)");
    }
    long n = Long.parseLong(m.group(1));
    int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift) || (n << shift) < 1024) {
      throw new IllegalArgumentException(option + " " + value + ": out of range (1K or more)");
    }
    return n << shift;
  }

  private static int jvmFlags(ContainerResources r, JvmMemory.Builder sized, PrintStream out, PrintStream err) {
    for (Warning w : r.warnings()) {
      err.println("rightsize: warning: " + w);
    }
    JvmMemory m;
    java.util.OptionalInt asked;
    try {
      sized.total(r).cpuCount(r.cpu().effective());
      asked = sized.build().threadCount();
      m = sized.calculate();
    } catch (UnknownMemoryException e) {
      err.println("rightsize: memory limit unknown, no JVM flags: " + e.getMessage());
      return UNKNOWN_LIMIT;
    } catch (InsufficientMemoryException | IllegalArgumentException e) {
      err.println("rightsize: cannot size the JVM: " + e.getMessage());
      return CANNOT_SIZE;
    }
    if (r.memory().limitBytes().isUnlimited()) {
      err.println("rightsize: no memory limit found; sizing for " + m.totalBytes() + " bytes ("
          + (r.memory().isolatedViewTotalBytes().isPresent() ? "the isolated view's MemTotal" : "the host's memory")
          + ")");
    }
    for (String note : m.notes()) {
      err.println("rightsize: note: " + note);
    }
    ThreadHeadroom h = ThreadHeadroom.of(r).orElse(null);
    boolean capped = false;
    for (String note : m.notes()) {
      capped |= note.startsWith("threads: ");
    }
    if (h != null && capped) {
      err.println("rightsize: note: thread headroom " + h.threads() + ": " + h.describe());
    }
    List<Finding> limits = asked.isPresent() ? JvmCheck.checkLimits(r, asked.getAsInt()) : JvmCheck.checkLimits(r);
    for (Finding f : limits) {
      if (f.severity() == Finding.Severity.WARN) {
        err.println("rightsize: warning: " + f);
      }
    }
    out.println(m.flagsLine());
    return OK;
  }

  private static Path directory(String name) {
    try {
      Path p = Path.of(name);
      return Files.isDirectory(p) ? p : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  private static int usage(PrintStream err, String message) {
    err.println("rightsize: " + message);
    err.println(USAGE);
    return USAGE_ERROR;
  }
}
