package dev.rightsize.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.internal.ViewFs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ContainerResources.detect()} keeps descriptors open between calls on the live root: on the
 * real cgroup v1 kernel of this host, one JVM sees a limit changed in place at its next call,
 * follows its process to a sibling cgroup, and keeps a bounded number of descriptors over 10,000
 * calls.
 */
class DetectLiveIT {
  private static final long MIB = 1024 * 1024;

  @BeforeAll
  static void requirements() {
    CgroupV1Sandbox.requireAvailable();
  }

  @Test
  void oneJvmSeesInPlaceChangesFollowsAMoveAndKeepsFewDescriptors() throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.create("pod", "ctr")) {
      int leaf = s.leaf();
      s.set(leaf, "memory", "memory.limit_in_bytes", 512 * MIB);
      s.set(leaf, "cpu", "cpu.cfs_period_us", 100000);
      s.set(leaf, "cpu", "cpu.cfs_quota_us", 150000);
      // A sibling of the leaf, with its own limits, to move the process into.
      List<Path> sibling = new ArrayList<>();
      for (String c : CgroupV1Sandbox.CONTROLLERS) {
        Path d = s.dir(c, s.pod()).resolve("sib");
        Files.createDirectory(d);
        sibling.add(d);
        if (c.equals("cpuset")) {
          CgroupV1Sandbox.writeFile(d.resolve("cpuset.cpus"), s.read(s.pod(), "cpuset", "cpuset.cpus"));
          CgroupV1Sandbox.writeFile(d.resolve("cpuset.mems"), s.read(s.pod(), "cpuset", "cpuset.mems"));
        }
      }
      Path sibMem = s.dir("memory", s.pod()).resolve("sib");
      CgroupV1Sandbox.writeFile(sibMem.resolve("memory.limit_in_bytes"), String.valueOf(256 * MIB));
      CgroupV1Sandbox.writeFile(s.dir("cpu", s.pod()).resolve("sib").resolve("cpu.cfs_quota_us"), "50000");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = s.start(CgroupV1Sandbox.Layout.HOST, "", List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
          classPath(), DetectLiveProbe.class.getName()), ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE,
          ProcessBuilder.Redirect.PIPE);
      ExecutorService io = Executors.newSingleThreadExecutor();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(line(io, out, p)).isEqualTo("READY");

        Map<String, String> d1 = ask(in, io, out, p, "detect");
        assertThat(d1.get("limit")).isEqualTo(String.valueOf(512 * MIB));
        assertThat(d1.get("quota")).isEqualTo("150000");
        assertThat(d1.get("limitFile")).endsWith("/pod/ctr/memory.limit_in_bytes");

        // Changed in place, between two calls: the second call sees it (no caching of values).
        s.set(leaf, "memory", "memory.limit_in_bytes", 384 * MIB);
        s.set(leaf, "cpu", "cpu.cfs_quota_us", 120000);
        Map<String, String> d2 = ask(in, io, out, p, "detect");
        assertThat(d2.get("limit")).isEqualTo(String.valueOf(384 * MIB));
        assertThat(d2.get("quota")).isEqualTo("120000");

        // Moved to the sibling cgroup by someone else: followed at the next call.
        for (Path d : sibling) {
          CgroupV1Sandbox.writeFile(d.resolve("cgroup.procs"), String.valueOf(p.pid()));
        }
        Map<String, String> d3 = ask(in, io, out, p, "detect");
        assertThat(d3.get("limit")).isEqualTo(String.valueOf(256 * MIB));
        assertThat(d3.get("limitFile")).endsWith("/pod/sib/memory.limit_in_bytes");
        assertThat(d3.get("usageFile")).endsWith("/pod/sib/memory.usage_in_bytes");
        assertThat(d3.get("quota")).isEqualTo("50000");
        assertThat(d3.get("warnings")).isEqualTo("0");

        // 10,000 calls: the descriptors kept open are bounded, and the process's count does not grow.
        Map<String, String> d4 = ask(in, io, out, p, "loop 10000");
        assertThat(Integer.parseInt(d4.get("kept"))).isPositive().isLessThanOrEqualTo(ViewFs.MAX_KEPT);
        assertThat(Integer.parseInt(d4.get("fds"))).as("descriptors after 10,000 calls")
            .isLessThanOrEqualTo(Integer.parseInt(d3.get("fds")) + 2);
        assertThat(d4.get("limit")).isEqualTo(String.valueOf(256 * MIB));
        System.out.println("detect-live: " + d1 + " / " + d3 + " / " + d4);
        in.println("exit");
        assertThat(line(io, out, p)).isEqualTo("BYE");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        io.shutdownNow();
        CgroupV1Sandbox.kill(p);
        p.waitFor(10, TimeUnit.SECONDS);
        for (Path d : sibling) {
          Files.deleteIfExists(d); // rmdir of an empty cgroup
        }
      }
    }
  }

  /**
   * LXCFS killed and started again between calls of one JVM: the call after the kill answers from
   * the cgroup files with a warning (never a value of the dead view), the call after the restart and
   * re-bind reads the new daemon's view.
   */
  @Test
  void oneJvmFollowsAnLxcfsRestart() throws Exception {
    LxcfsDaemon.requireAvailable();
    // The replacement daemon is started first, so that its mount is copied into the probe's private
    // mount namespace (as a node's LXCFS mount is visible in every container that starts later).
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods(); LxcfsDaemon lx = LxcfsDaemon.start(s.work(), true);
        LxcfsDaemon second = LxcfsDaemon.start(s.work(), true)) {
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = s.start(CgroupV1Sandbox.Layout.RUNTIME, lx.bindScript(), List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
          "-cp", classPath(), DetectLiveProbe.class.getName()), ProcessBuilder.Redirect.PIPE,
          ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
      ExecutorService io = Executors.newSingleThreadExecutor();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(line(io, out, p)).isEqualTo("READY");
        Map<String, String> d1 = ask(in, io, out, p, "detect");
        assertThat(d1.get("source")).isEqualTo("lxcfs");
        assertThat(d1.get("view")).isEqualTo(String.valueOf(256 * MIB));

        lx.killLeavingMount();
        Map<String, String> d2 = ask(in, io, out, p, "detect");
        assertThat(d2.get("source")).as("the dead view is not served").isEqualTo("cgroup-v1");
        assertThat(d2.get("view")).isEqualTo("-1");
        assertThat(d2.get("limit")).isEqualTo(String.valueOf(256 * MIB));
        assertThat(Integer.parseInt(d2.get("warnings"))).isPositive();

        // What a node agent does after an LXCFS restart: the dead binds are lazily unmounted and the
        // new daemon's files bound in their place, in the probe's own mount namespace.
        StringBuilder unbind = new StringBuilder();
        for (String f : LxcfsDaemon.PROC_FILES) {
          unbind.append("umount -l /proc/").append(f).append(" 2>/dev/null || true\n");
        }
        unbind.append("umount -l /").append(LxcfsDaemon.CPU_ONLINE).append(" 2>/dev/null || true\n");
        Process bind = new ProcessBuilder("nsenter", "-t", String.valueOf(p.pid()), "-m", "sh", "-c",
            unbind + "set -e\n" + second.bindScript()).redirectErrorStream(true).start();
        String bindOut = new String(bind.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bind.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bind.exitValue()).as("re-bind: " + bindOut).isZero();
        Map<String, String> d3 = ask(in, io, out, p, "detect");
        assertThat(d3.get("source")).as("the restarted view is read").isEqualTo("lxcfs");
        assertThat(d3.get("view")).isEqualTo(String.valueOf(256 * MIB));
        System.out.println("lxcfs-restart: " + d1 + " / " + d2 + " / " + d3);
        in.println("exit");
        assertThat(line(io, out, p)).isEqualTo("BYE");
      } finally {
        io.shutdownNow();
        CgroupV1Sandbox.kill(p);
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Map<String, String> ask(PrintWriter in, ExecutorService io, BufferedReader out, Process p,
      String command) throws Exception {
    in.println(command);
    String l = line(io, out, p);
    assertThat(l).startsWith("D ");
    Map<String, String> m = new HashMap<>();
    for (String kv : l.substring(2).split(" ")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }

  private static String line(ExecutorService io, BufferedReader out, Process p) throws Exception {
    Future<String> f = io.submit(out::readLine);
    try {
      String l = f.get(Duration.ofSeconds(120).toMillis(), TimeUnit.MILLISECONDS);
      if (l == null) {
        throw new AssertionError("the probe ended: " + new String(p.getErrorStream().readAllBytes(),
            StandardCharsets.UTF_8));
      }
      return l;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the probe did not answer", e);
    }
  }

  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
