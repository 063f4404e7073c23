package dev.rightsize.cli;

import dev.rightsize.ContainerResources;
import dev.rightsize.Warning;
import dev.rightsize.report.StartupReport;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import dev.rightsize.sizing.UnknownMemoryException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar rightsize-cli.jar [--json | --jvm-flags] [--root DIR]}: prints the report of the
 * container it runs in. Exit status 0 when a report was produced, 1 when {@code --jvm-flags} cannot
 * fit the JVM in the memory, 2 for a usage error, 3 when {@code --jvm-flags} will not size from an
 * unknown memory limit.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "Usage: java -jar rightsize-cli.jar [--json | --jvm-flags] [--root DIR]",
      "",
      "Prints the CPU and memory this container really has, where each value came from,",
      "and the pool sizes and JVM flags that follow.",
      "",
      "  --json        one JSON object on stdout (see the README for its members)",
      "  --jvm-flags   only the recommended JVM memory flags, on one line",
      "  --root DIR    read DIR as if it were / (DIR/proc/self/mountinfo, DIR/sys/fs/cgroup/...)",
      "  --help        this text",
      "",
      "Exit status: 0 report printed (warnings or not), 1 --jvm-flags cannot fit the JVM, 2 usage error,",
      "3 --jvm-flags: the memory limit is unknown (a limit file could not be read), so no flags are given.");

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
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    boolean json = false;
    boolean flags = false;
    Path root = Path.of("/");
    for (int i = 0; i < args.length; i++) {
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
    ContainerResources r = ContainerResources.detect(root);
    if (flags) {
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
    return 0;
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
      return 3;
    } catch (InsufficientMemoryException | IllegalArgumentException e) {
      err.println("rightsize: cannot size the JVM: " + e.getMessage());
      return 1;
    }
    if (r.memory().limitBytes().isUnlimited()) {
      err.println("rightsize: no memory limit found; sizing for " + m.totalBytes() + " bytes ("
          + (r.memory().isolatedViewTotalBytes().isPresent() ? "the isolated view's MemTotal" : "the host's memory")
          + ")");
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
