package dev.rightsize.cli;

import dev.rightsize.ContainerResources;
import dev.rightsize.Warning;
import dev.rightsize.report.StartupReport;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import dev.rightsize.sizing.UnknownMemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
      "Usage: java -jar rightsize-cli.jar [--json | --jvm-flags] [--root DIR] | --version | --help",
      "",
      "Prints the CPU and memory this container really has, where each value came from,",
      "and the pool sizes and JVM flags that follow.",
      "",
      "  --json        one JSON object on stdout (see the README for its members)",
      "  --jvm-flags   only the recommended JVM memory flags, on one line",
      "  --root DIR    read DIR as if it were / (DIR/proc/self/mountinfo, DIR/sys/fs/cgroup/...)",
      "  --version     the version of rightsize",
      "  --help        this text",
      "",
      "Each option may be given once.",
      "",
      "Exit status: 0 report printed (warnings or not), 1 --jvm-flags cannot size the JVM,",
      "2 usage error, 3 --jvm-flags: the memory limit is unknown (a limit file could not be read),",
      "so no flags are given, 4 nothing could be read under the root (the report says what is",
      "missing), 5 standard output could not be written.");

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
    int code = parseAndRun(args, out, err);
    // PrintStream swallows IOExceptions: without this check `--jvm-flags > /dev/full` would exit 0
    // with nothing written, and an entrypoint would start the JVM without its flags.
    if (out.checkError()) {
      err.println("rightsize: could not write to standard output");
      return WRITE_FAILED;
    }
    return code;
  }

  private static int parseAndRun(String[] args, PrintStream out, PrintStream err) {
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
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String option = arg.startsWith("--root=") ? "--root" : arg;
      if (!seen.add(option)) {
        return usage(err, option + " given more than once");
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
      return jvmFlags(r, out, err);
    }
    // The running JVM is only compared with its own container, not with another root.
    boolean own = root.toAbsolutePath().normalize().equals(Path.of("/"));
    StartupReport report = own ? StartupReport.of(r, JvmSettings.current()) : StartupReport.of(r);
    if (json) {
      out.println(report.toJson());
    } else {
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

  private static int jvmFlags(ContainerResources r, PrintStream out, PrintStream err) {
    for (Warning w : r.warnings()) {
      err.println("rightsize: warning: " + w);
    }
    JvmMemory m;
    try {
      m = JvmMemory.forContainer(r);
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
