package dev.rightsize.bench;

import dev.rightsize.ContainerResources;
import dev.rightsize.Provenance;
import dev.rightsize.Warning;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The first {@code detect()} in a fresh JVM, against the same files read with plain
 * {@code FileInputStream} in a fresh JVM: starts {@code N} JVMs of each kind and prints the median
 * and range of the first call's wall time and of the classes it loads.
 *
 * <pre>java -cp target/benchmarks.jar dev.rightsize.bench.ColdStart 9</pre>
 */
public final class ColdStart {
  private ColdStart() {}

  /**
   * Runs the comparison, or (with {@code child detect|floor FILES...}) one measurement.
   *
   * @param args {@code [N]} or {@code child MODE FILES...}
   * @throws Exception when a child fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args);
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    List<String> files = filesOf(ContainerResources.detect());
    long[][] detect = run(n, "detect", files);
    long[][] floor = run(n, "floor", files);
    System.out.println("files read: " + files.size());
    print("first detect()", detect);
    print("plain FileInputStream, same files", floor);
    System.out.printf("ratio of medians: %.1fx%n", (double) median(detect[0]) / median(floor[0]));
  }

  private static void child(String[] args) throws IOException {
    var classes = ManagementFactory.getClassLoadingMXBean();
    long c0 = classes.getTotalLoadedClassCount();
    long t0 = System.nanoTime();
    if (args[1].equals("detect")) {
      ContainerResources.detect();
    } else {
      byte[] buf = new byte[65536];
      for (int i = 2; i < args.length; i++) {
        try (FileInputStream in = new FileInputStream(args[i])) {
          while (in.read(buf) > 0) {
            // read it all
          }
        } catch (IOException e) {
          // a missing file costs its failed open, as in detection
        }
      }
    }
    long t1 = System.nanoTime();
    long c1 = classes.getTotalLoadedClassCount();
    System.out.println((t1 - t0) + " " + (c1 - c0));
  }

  /** The files a detection here reads: the /proc and /sys basics and every file it names. */
  static List<String> filesOf(ContainerResources r) {
    Set<String> f = new LinkedHashSet<>(Arrays.asList("/proc/self/mountinfo", "/proc/self/cgroup", "/proc/meminfo",
        "/sys/devices/system/cpu/online", "/proc/self/status", "/proc/sys/kernel/stats_isolated"));
    for (Provenance p : r.provenance()) {
      f.add(p.file());
      Path dir = Path.of(p.file()).getParent();
      if (p.file().startsWith("/sys/fs/cgroup/") && dir != null) {
        for (String name : List.of("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes",
            "memory.usage_in_bytes", "memory.stat", "memory.max_usage_in_bytes", "memory.failcnt", "memory.oom_control",
            "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.shares", "cpuset.cpus", "memory.max", "memory.high",
            "memory.swap.max", "memory.current", "memory.events", "memory.peak", "cpu.max", "cpu.weight",
            "cpuset.cpus.effective")) {
          if (dir.resolve(name).toFile().exists()) {
            f.add(dir.resolve(name).toString());
          }
        }
      }
    }
    for (Warning w : r.warnings()) {
      w.file().ifPresent(f::add);
    }
    return new ArrayList<>(f);
  }

  private static long[][] run(int n, String mode, List<String> files) throws Exception {
    long[] nanos = new long[n];
    long[] classes = new long[n];
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < n; i++) {
      List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
          ColdStart.class.getName(), "child", mode));
      cmd.addAll(files);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("child failed: " + out);
      }
      String[] last = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
      nanos[i] = Long.parseLong(last[0]);
      classes[i] = Long.parseLong(last[1]);
    }
    return new long[][] {nanos, classes};
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void print(String what, long[][] r) {
    long[] t = r[0].clone();
    Arrays.sort(t);
    System.out.printf("%-36s median %.2f ms (min %.2f, max %.2f), classes loaded median %d (min %d, max %d)%n", what,
        median(r[0]) / 1e6, t[0] / 1e6, t[t.length - 1] / 1e6, median(r[1]),
        Arrays.stream(r[1]).min().orElse(0), Arrays.stream(r[1]).max().orElse(0));
  }
}
