package dev.rightsize.cli;

import dev.rightsize.ContainerResources;
import dev.rightsize.Warning;
import dev.rightsize.report.StartupReport;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmFootprint;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar rightsize-cli.jar [--json | --jvm-flags] [--root DIR]}: prints the report of the
 * container it runs in. Exit status 0 when a report was produced, 1 when {@code --jvm-flags} cannot
 * fit the JVM in the memory, 2 for a usage error.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "Usage: java -jar rightsize-cli.jar [--json | --jvm-flags [SIZING...]] [--root DIR]",
      "",
      "Prints the CPU and memory this container really has, where each value came from,",
      "and the pool sizes and JVM flags that follow.",
      "",
      "  --json        one JSON object on stdout (see the README for its members)",
      "  --jvm-flags   only the recommended JVM memory flags, on one line (notes on stderr)",
      "  --root DIR    read DIR as if it were / (DIR/proc/self/mountinfo, DIR/sys/fs/cgroup/...)",
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
      "Exit status: 0 report printed (warnings or not), 1 --jvm-flags cannot fit the JVM, 2 usage error.");

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
    System.out.flush();
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
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    boolean json = false;
    boolean flags = false;
    Path root = Path.of("/");
    Map<String, String> sizing = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String opt = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
      if (SIZING_ENV.containsKey(opt)) {
        if (args[i].contains("=")) {
          sizing.put(opt, args[i].substring(opt.length() + 1));
        } else if (i + 1 < args.length) {
          sizing.put(opt, args[++i]);
        } else {
          return usage(err, opt + " needs a value");
        }
        continue;
      }
      switch (args[i]) {
        case "--json" -> json = true;
        case "--jvm-flags" -> flags = true;
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        case "--root" -> {
          if (i + 1 >= args.length) {
            return usage(err, "--root needs a directory");
          }
          root = directory(args[++i]);
          if (root == null) {
            return usage(err, "--root " + args[i] + ": not a directory");
          }
        }
        default -> {
          if (args[i].startsWith("--root=")) {
            root = directory(args[i].substring(7));
            if (root == null) {
              return usage(err, "--root " + args[i].substring(7) + ": not a directory");
            }
          } else {
            return usage(err, "unknown argument: " + args[i]);
          }
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
        applySizing(sized, env, sizing);
      } catch (IllegalArgumentException e) {
        return usage(err, e.getMessage());
      } catch (IOException e) {
        return usage(err, "--profile: " + e.getMessage());
      }
    }
    ContainerResources r = ContainerResources.detect(root);
    if (flags) {
      return jvmFlags(r, sized, out, err);
    }
    // The running JVM is only compared with its own container, not with another root.
    boolean own = root.toAbsolutePath().normalize().equals(Path.of("/"));
    StartupReport report = own ? StartupReport.of(r, JvmSettings.current()) : StartupReport.of(r);
    if (json) {
      out.println(report.toJson());
    } else {
      out.println(report.toText());
    }
    return 0;
  }

  /**
   * Applies the sizing inputs to a builder: environment variables first, options over them, a
   * profile before both (explicit inputs win over measured ones).
   */
  private static void applySizing(JvmMemory.Builder b, Map<String, String> env, Map<String, String> options)
      throws IOException {
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
      b.footprint(JvmFootprint.read(Path.of(profile)));
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
    try {
      m = sized.total(r).cpuCount(r.cpu().effective()).calculate();
    } catch (InsufficientMemoryException | IllegalArgumentException e) {
      err.println("rightsize: cannot size the JVM: " + e.getMessage());
      return 1;
    }
    if (r.memory().limitBytes().isEmpty()) {
      err.println("rightsize: no memory limit found; sizing for " + m.totalBytes() + " bytes ("
          + (r.memory().isolatedViewTotalBytes().isPresent() ? "the isolated view's MemTotal" : "the host's memory")
          + ")");
    }
    for (String note : m.notes()) {
      err.println("rightsize: note: " + note);
    }
    out.println(m.flagsLine());
    return 0;
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
    return 2;
  }
}
