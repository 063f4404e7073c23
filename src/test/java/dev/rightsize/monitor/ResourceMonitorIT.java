package dev.rightsize.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.internal.CgroupMembership;
import dev.rightsize.internal.MountInfo;
import dev.rightsize.it.RealKernel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ResourceMonitor} against the real cgroup v1 kernel of this host: a child cgroup of this
 * process's own, in the memory, cpu and cpuacct hierarchies, holds a child JVM ({@link MonitorProbe},
 * started through a shell that moves itself into the cgroups and then execs java). The test checks
 * that the child sees its usage rise as it allocates, sees a memory limit and a CPU quota the test
 * changes from outside once the recheck period has passed, and sees a busy loop throttled under
 * {@code cpu.cfs_quota_us=20000}. Every cgroup created is removed, on failure too.
 */
class ResourceMonitorIT {
  private static final long MIB = 1L << 20;
  private static final long RECHECK_MILLIS = 1000;

  private final List<Path> created = new ArrayList<>();
  private Process child;

  @Test
  void aChildJvmSeesItsUsageLimitChangesAndThrottling() throws Exception {
    RealKernel.require(RealKernel.isRoot(), "root is needed to create cgroups");
    Map<String, Path> own = ownV1Cgroups();
    RealKernel.require(own.keySet().containsAll(List.of("memory", "cpu", "cpuacct")),
        "cgroup v1 memory, cpu and cpuacct hierarchies with this process in them (found " + own.keySet() + ")");
    String name = "rightsize-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Map<String, Path> dirs = new HashMap<>();
    for (String c : List.of("memory", "cpu", "cpuacct")) {
      Path dir = own.get(c).resolve(name);
      if (!dirs.containsValue(dir)) {
        try {
          Files.createDirectory(dir);
        } catch (IOException e) {
          cleanUp();
          RealKernel.require(false, "a writable cgroup v1 " + c + " hierarchy (" + dir + ": " + e + ")");
        }
        created.add(dir);
      }
      dirs.put(c, dir);
    }
    Path mem = dirs.get("memory");
    Path cpu = dirs.get("cpu");
    write(mem.resolve("memory.limit_in_bytes"), String.valueOf(512 * MIB));

    Set<Path> procs = new LinkedHashSet<>();
    dirs.values().forEach(d -> procs.add(d.resolve("cgroup.procs")));
    StringBuilder script = new StringBuilder();
    for (Path p : procs) {
      script.append("echo $$ > '").append(p).append("' && ");
    }
    script.append("exec \"$0\" \"$@\"");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", script.toString(), java, "-Xms16m", "-Xmx400m",
        "-XX:+UseSerialGC", "-cp", testClassPath(), MonitorProbe.class.getName(), String.valueOf(RECHECK_MILLIS)));
    Path stderr = Files.createTempFile("rightsize-probe", ".stderr");
    child = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
    ExecutorService io = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "probe-reader");
      t.setDaemon(true);
      return t;
    });
    try {
      String ready = line(io, out, stderr);
      System.out.println("probe: " + ready);
      assertThat(ready).startsWith("READY").contains("MEMORY_USAGE", "CPU_USAGE", "CPU_THROTTLED_TIME");
      String childCgroup = Files.readString(Path.of("/proc", String.valueOf(child.pid()), "cgroup"));
      assertThat(childCgroup).as("the child runs in the test's cgroup").contains(name);

      Map<String, String> r0 = read(in, io, out, stderr);
      assertThat(r0.get("limit")).isEqualTo(String.valueOf(512 * MIB));
      assertThat(r0.get("cpuLimit")).isEqualTo("none");

      // Usage rises as the child allocates.
      in.println("alloc 128");
      assertThat(line(io, out, stderr)).startsWith("OK");
      Map<String, String> r1 = read(in, io, out, stderr);
      assertThat(num(r1, "usage") - num(r0, "usage")).as("usage growth").isGreaterThan(100 * MIB);
      assertThat(num(r1, "ws") - num(r0, "ws")).as("working set growth").isGreaterThan(100 * MIB);
      assertThat(num(r1, "usage")).isLessThan(512 * MIB);

      // A limit changed from outside shows after the recheck period.
      write(mem.resolve("memory.limit_in_bytes"), String.valueOf(768 * MIB));
      Thread.sleep(RECHECK_MILLIS + 500);
      Map<String, String> r2 = read(in, io, out, stderr);
      assertThat(r2.get("limit")).isEqualTo(String.valueOf(768 * MIB));
      assertThat(r2.get("changes")).isEqualTo("1");
      assertThat(r2.get("last")).isEqualTo((512 * MIB) + "->" + (768 * MIB) + ",none->none");

      // A busy loop on four threads under 0.2 CPU is throttled. On a loaded host the loop may not
      // get enough CPU to exhaust the quota at once: burn in rounds until throttling shows.
      write(cpu.resolve("cpu.cfs_period_us"), "100000");
      write(cpu.resolve("cpu.cfs_quota_us"), "20000");
      long start = System.nanoTime();
      Map<String, String> r3 = r2;
      for (int round = 0; round < 5 && num(r3, "throttled") - num(r2, "throttled") < 5; round++) {
        in.println("burn 1000 4");
        assertThat(line(io, out, stderr)).startsWith("OK");
        r3 = read(in, io, out, stderr);
      }
      double wallSeconds = (System.nanoTime() - start) / 1e9;
      assertThat(num(r3, "throttled") - num(r2, "throttled")).as("throttled periods").isGreaterThanOrEqualTo(5);
      assertThat(num(r3, "throttledNanos") - num(r2, "throttledNanos")).as("throttled time").isPositive();
      assertThat(num(r3, "periods") - num(r2, "periods")).as("periods").isGreaterThanOrEqualTo(5);
      long cpuNanos = num(r3, "cpuNanos") - num(r2, "cpuNanos");
      assertThat(cpuNanos / 1e9).as("CPU seconds under a 0.2 CPU quota in %.1f s", wallSeconds)
          .isPositive().isLessThan(0.2 * wallSeconds + 0.3);
      assertThat(r3.get("cpuLimit")).isEqualTo("0.2");
      assertThat(r3.get("effective")).isEqualTo("1");
      assertThat(r3.get("changes")).isEqualTo("2");
      assertThat(r3.get("warnings")).isEqualTo("0");

      in.println("exit");
      assertThat(line(io, out, stderr)).isEqualTo("BYE");
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      io.shutdownNow();
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      child = null;
    }
    List<String> failed = new ArrayList<>();
    for (Path dir : created) {
      IOException last = null;
      for (int i = 0; i < 50 && Files.exists(dir); i++) {
        try {
          Files.delete(dir); // rmdir: cgroupfs refuses while tasks remain
        } catch (IOException e) {
          last = e;
          Thread.sleep(100);
        }
      }
      if (Files.exists(dir)) {
        failed.add(dir + ": " + last);
      }
    }
    created.clear();
    assertThat(failed).as("cgroups left behind").isEmpty();
  }

  /** This process's cgroup directory per v1 controller (memory, cpu, cpuacct), on this host's mounts. */
  static Map<String, Path> ownV1Cgroups() throws IOException {
    List<MountInfo.Mount> mounts = MountInfo.parse(Files.readString(Path.of("/proc/self/mountinfo")), new ArrayList<>());
    List<CgroupMembership.Entry> entries =
        CgroupMembership.parse(Files.readString(Path.of("/proc/self/cgroup")), new ArrayList<>());
    Map<String, Path> out = new HashMap<>();
    for (String c : List.of("memory", "cpu", "cpuacct")) {
      Optional<MountInfo.Mount> m = mounts.stream().filter(x -> x.isV1For(c) && x.root().equals("/")).findFirst();
      Optional<CgroupMembership.Entry> e = entries.stream().filter(x -> x.controllers().contains(c)).findFirst();
      if (m.isPresent() && e.isPresent()) {
        Path dir = Path.of(m.get().mountPoint() + e.get().path());
        if (Files.isDirectory(dir) && Files.isWritable(dir)) {
          out.put(c, dir);
        }
      }
    }
    return out;
  }

  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static void write(Path file, String value) throws IOException {
    Files.writeString(file, value);
  }

  private static long num(Map<String, String> r, String key) {
    return Long.parseLong(r.get(key));
  }

  private Map<String, String> read(PrintWriter in, ExecutorService io, BufferedReader out, Path stderr)
      throws Exception {
    in.println("read");
    String l = line(io, out, stderr);
    System.out.println("probe: " + l);
    assertThat(l).startsWith("R ");
    Map<String, String> m = new HashMap<>();
    for (String kv : l.substring(2).split(" ")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }

  private static String line(ExecutorService io, BufferedReader out, Path stderr) throws Exception {
    Future<String> f = io.submit(out::readLine);
    String l;
    try {
      l = f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the probe did not answer; its stderr:\n" + Files.readString(stderr), e);
    }
    if (l == null) {
      throw new AssertionError("the probe ended; its stderr:\n" + Files.readString(stderr));
    }
    return l;
  }
}
