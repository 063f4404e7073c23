package dev.rightsize.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private LXCFS instance (its own pid file and mount directory) for one test, and the shell
 * commands that bind its files over /proc and /sys in a mount namespace.
 *
 * <p>Closing unmounts the directory first (an idle LXCFS only acts on SIGTERM when a request
 * arrives), then terminates the daemon, continuing it if it was stopped, and kills it if needed.
 */
final class LxcfsDaemon implements AutoCloseable {
  /** The /proc files bound over their twins (those this LXCFS provides). */
  static final List<String> PROC_FILES = List.of("cpuinfo", "meminfo", "stat", "uptime", "swaps", "loadavg");
  static final String CPU_ONLINE = "sys/devices/system/cpu/online";

  private final Path dir;
  private final Path mnt;
  private final Process process;
  private boolean stopped;
  private boolean closed;

  private LxcfsDaemon(Path dir, Path mnt, Process process) {
    this.dir = dir;
    this.mnt = mnt;
    this.process = process;
  }

  /** Requires root, lxcfs on the PATH and /dev/fuse. */
  static void requireAvailable() {
    RealKernel.require(RealKernel.isRoot(), "root (uid 0) to run LXCFS and mount namespaces");
    RealKernel.require(RealKernel.onPath("lxcfs"), "the lxcfs command (apt-get install -y lxcfs)");
    RealKernel.require(Files.exists(Path.of("/dev/fuse")), "/dev/fuse for LXCFS");
  }

  /**
   * Starts {@code lxcfs -f [--enable-cfs] -p <pidfile> <dir>} and waits until its files answer.
   *
   * @param work a scratch directory
   * @param enableCfs whether the CPU view follows the CFS quota ({@code --enable-cfs})
   */
  static LxcfsDaemon start(Path work, boolean enableCfs) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(work, "lxcfs-");
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    List<String> cmd = new ArrayList<>(List.of("lxcfs", "-f"));
    if (enableCfs) {
      cmd.add("--enable-cfs");
    }
    cmd.addAll(List.of("-p", dir.resolve("lxcfs.pid").toString(), mnt.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("lxcfs.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    LxcfsDaemon d = new LxcfsDaemon(dir, mnt, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!(d.mounted() && Files.exists(mnt.resolve("proc/meminfo")))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String log = d.log();
        d.close();
        throw new IOException("lxcfs did not come up (alive=" + p.isAlive() + "):\n" + log);
      }
      Thread.sleep(50);
    }
    return d;
  }

  private boolean mounted() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].equals(mnt.toString()) && line.contains(" - fuse.lxcfs ")) {
        return true;
      }
    }
    return false;
  }

  /** The directory LXCFS serves. */
  Path mountDir() {
    return mnt;
  }

  long pid() {
    return process.pid();
  }

  String log() throws IOException {
    Path l = dir.resolve("lxcfs.log");
    return Files.exists(l) ? Files.readString(l) : "";
  }

  /** Shell commands (run in a private mount namespace) binding this LXCFS over /proc and /sys. */
  String bindScript() {
    StringBuilder sb = new StringBuilder();
    for (String f : PROC_FILES) {
      Path src = mnt.resolve("proc").resolve(f);
      sb.append("mount --bind ").append(CgroupV1Sandbox.shQuote(src.toString())).append(" /proc/").append(f).append('\n');
    }
    sb.append("mount --bind ").append(CgroupV1Sandbox.shQuote(mnt.resolve(CPU_ONLINE).toString()))
        .append(" /").append(CPU_ONLINE).append('\n');
    return sb.toString();
  }

  /** SIGSTOP: every read of its files now blocks. */
  void stop() throws IOException, InterruptedException {
    signal("STOP");
    stopped = true;
  }

  /** SIGKILL without unmounting: reads of its files now fail with ENOTCONN. */
  void killLeavingMount() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).inheritIO().start();
    if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Unmount first (lazily: a stopped daemon would block a plain umount's sync).
      new ProcessBuilder("umount", "-l", mnt.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
      if (process.isAlive()) {
        process.destroy();
        if (stopped) {
          signal("CONT");
        }
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
