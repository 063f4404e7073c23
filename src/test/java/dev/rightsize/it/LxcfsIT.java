package dev.rightsize.it;

import static dev.rightsize.it.CgroupV1IT.publish;
import static dev.rightsize.it.Jvms.doubleOrNull;
import static dev.rightsize.it.Jvms.longOrNull;
import static dev.rightsize.it.Jvms.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rightsize.it.CgroupV1Sandbox.Layout;
import dev.rightsize.it.CgroupV1Sandbox.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real-kernel tests with a private LXCFS bound over /proc and /sys in a mount namespace, the CLI
 * run in cgroups with known limits; then the daemon stopped or killed under a running JVM.
 */
class LxcfsIT {
  private static final long MIB = 1L << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String VIEW_FILES =
      "^/(proc/(cpuinfo|meminfo|stat|uptime|swaps|loadavg)|sys/devices/system/cpu/online)$";

  private static Path cli;
  private static int hostCpus;

  @BeforeAll
  static void requirements() throws IOException {
    CgroupV1Sandbox.requireAvailable();
    LxcfsDaemon.requireAvailable();
    cli = Jvms.requireCliJar();
    hostCpus = CgroupV1IT.cpuCount(CgroupV1Sandbox.readFile(CgroupV1Sandbox.ownDir("cpuset").resolve("cpuset.cpus")));
    RealKernel.require(hostCpus >= 2, "at least 2 CPUs in this process's cpuset (has " + hostCpus + ")");
  }

  /**
   * Without --enable-cfs LXCFS shows the cpuset (all CPUs here), not the 0.5-CPU quota: the source
   * is LXCFS, cpu.effective is still the tightest (1), and an INFO finding (not a disagreement
   * warning) names --enable-cfs.
   */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME"})
  void withoutCfsTheViewShowsTheCpusetNotTheQuota(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods(); LxcfsDaemon lx = LxcfsDaemon.start(s.work(), false)) {
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 50000);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      String view = showView(s, lx, layout, rep);
      assertThat(view).as("the LXCFS view itself").contains("online=0-" + (hostCpus - 1)).contains("MemTotal: 262144 kB");
      JsonNode j = cli(s, lx, layout, rep);
      assertThat(member(j, "source").asText()).as("source\n" + j.toPrettyString()).isEqualTo("lxcfs");
      assertThat(member(j, "cgroupVersion").asInt()).isEqualTo(1);
      assertThat(member(j, "cpu.effective").asInt()).as("cpu.effective: the quota is tighter than the view").isEqualTo(1);
      assertThat(doubleOrNull(j, "cpu.limit")).as("cpu.limit").isCloseTo(0.5, within(1e-9));
      assertThat(longOrNull(j, "cpu.cpuset")).as("cpu.cpuset").hasValue(hostCpus);
      assertThat(longOrNull(j, "memory.limit")).as("memory.limit").hasValue(256 * MIB);
      assertThat(Jvms.warnings(j)).as("no disagreement warning: a view without the quota is what LXCFS without"
          + " --enable-cfs does\n" + j.toPrettyString())
          .noneSatisfy(x -> assertThat(Jvms.text(x, "code").orElse("")).isEqualTo("isolated-view-disagrees"));
      assertThat(j.path("findings")).as("an INFO finding naming --enable-cfs\n" + j.toPrettyString())
          .anySatisfy(f -> {
            assertThat(f.path("code").asText()).isEqualTo("lxcfs-cpu-view-without-quota");
            assertThat(f.path("severity").asText()).isEqualTo("INFO");
            assertThat(f.path("message").asText()).contains(hostCpus + " CPUs").contains("0.5");
            assertThat(f.path("fix").asText()).contains("--enable-cfs");
          });
    }
  }

  /** With --enable-cfs the view follows the quota: 1 CPU, source LXCFS. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME"})
  void withCfsTheViewFollowsTheQuota(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods(); LxcfsDaemon lx = LxcfsDaemon.start(s.work(), true)) {
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 50000);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      String view = showView(s, lx, layout, rep);
      assertThat(view).as("the LXCFS view itself").contains("online=0\n");
      JsonNode j = cli(s, lx, layout, rep);
      assertThat(member(j, "source").asText()).as("source\n" + j.toPrettyString()).isEqualTo("lxcfs");
      assertThat(member(j, "cpu.effective").asInt()).isEqualTo(1);
      assertThat(doubleOrNull(j, "cpu.limit")).isCloseTo(0.5, within(1e-9));
      assertThat(longOrNull(j, "memory.limit")).hasValue(256 * MIB);
    }
  }

  /** A one-CPU cpuset and a pod-level memory limit: LXCFS shows both (MemTotal = the pod's limit). */
  @Test
  void cpusetAndPodMemoryLimitThroughTheView(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods(); LxcfsDaemon lx = LxcfsDaemon.start(s.work(), false)) {
      String one = s.read(s.leaf(), "cpuset", "cpuset.cpus").split("[,-]")[0];
      s.set(s.leaf(), "cpuset", "cpuset.cpus", one);
      s.set(s.pod(), "memory", "memory.limit_in_bytes", 300 * MIB);
      String view = showView(s, lx, Layout.RUNTIME, rep);
      assertThat(view).contains("online=" + one + "\n").contains("MemTotal: 307200 kB");
      JsonNode j = cli(s, lx, Layout.RUNTIME, rep);
      assertThat(member(j, "source").asText()).as("source\n" + j.toPrettyString()).isEqualTo("lxcfs");
      assertThat(member(j, "cpu.effective").asInt()).isEqualTo(1);
      assertThat(longOrNull(j, "cpu.cpuset")).hasValue(1);
      assertThat(member(j, "cpu.limit").isNull()).isTrue();
      assertThat(longOrNull(j, "memory.limit")).as("memory.limit (pod's)").hasValue(300 * MIB);
    }
  }

  /**
   * LXCFS stopped (SIGSTOP) under a running JVM: detect() must still answer within a second, from
   * the cgroup files, with a warning naming the view file that did not answer.
   */
  @Test
  void stoppedDaemonDetectStillAnswersFromCgroupFiles(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods(); LxcfsDaemon lx = LxcfsDaemon.start(s.work(), true)) {
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 50000);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      Path probe = Jvms.copyResource("DetectProbe.java", s.work());
      Path err = s.work().resolve("probe.err");
      Process p = s.start(Layout.RUNTIME, lx.bindScript(),
          List.of(Jvms.currentJava(), "-Xmx64m", "-cp", cli.toString(), probe.toString()),
          ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.to(err.toFile()), ProcessBuilder.Redirect.PIPE);
      BlockingQueue<String> lines = pump(p);
      String warm = await(lines, "WARMUP ", Duration.ofSeconds(60), p, err);
      await(lines, "READY", Duration.ofSeconds(5), p, err);
      JsonNode w = Jvms.JSON.readTree(warm.substring("WARMUP ".length()));
      publish(rep, "probe warm-up (LXCFS running)", w.toPrettyString());
      assertThat(member(w, "source").asText()).as("warm-up source while LXCFS answers").isEqualTo("lxcfs");

      lx.stop();
      long t0 = System.nanoTime();
      OutputStream in = p.getOutputStream();
      in.write("GO\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      String res = await(lines, "RESULT ", Duration.ofSeconds(20), p, err);
      long wallMs = (System.nanoTime() - t0) / 1_000_000;
      JsonNode j = Jvms.JSON.readTree(res.substring("RESULT ".length()));
      publish(rep, "probe with LXCFS stopped (wall " + wallMs + " ms)", j.toPrettyString());
      in.write("EXIT\n".getBytes(StandardCharsets.UTF_8));
      in.flush();

      assertThat(member(j, "detectMillis").asDouble()).as("detect() time with LXCFS stopped").isLessThan(1000);
      assertThat(wallMs).as("request to answer, wall time").isLessThan(2000);
      assertThat(member(j, "source").asText()).as("source\n" + j.toPrettyString()).isEqualTo("cgroup-v1");
      assertThat(member(j, "cpu.effective").asInt()).isEqualTo(1);
      assertThat(longOrNull(j, "memory.limit")).hasValue(256 * MIB);
      assertThat(Jvms.warnings(j)).as("a warning naming the LXCFS file that did not answer\n" + j.toPrettyString())
          .anySatisfy(x -> assertThat(Jvms.text(x, "file").orElse("")).matches(VIEW_FILES));
    }
  }

  /**
   * LXCFS killed (SIGKILL) with its mount left in place: reads fail with ENOTCONN. A fresh CLI run
   * still starts, answers from the cgroup files and names the failing file.
   */
  @Test
  void killedDaemonCliAnswersFromCgroupFiles(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods(); LxcfsDaemon lx = LxcfsDaemon.start(s.work(), true)) {
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 50000);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      // Bind while the daemon answers (binding a dead FUSE file fails), keep the namespace alive
      // with a holder process, kill the daemon, then run in that namespace.
      Process holder = s.start(Layout.RUNTIME, lx.bindScript(), List.of("sleep", "300"),
          ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.PIPE);
      Result ready = null;
      for (int i = 0; i < 100 && (ready == null || ready.exit() != 0); i++) {
        Thread.sleep(50);
        // The last bind of the script: an earlier one only says the script is still binding, and a
        // bind made after the kill fails, which ends the holder (set -e).
        ready = s.runInNamespaceOf(holder, false, TIMEOUT,
            List.of("grep", "-q", " /" + LxcfsDaemon.CPU_ONLINE + " ", "/proc/self/mountinfo"));
      }
      assertThat(ready.exit()).as("binds in place in the holder's namespace\n" + ready).isZero();
      lx.killLeavingMount();
      Result view = s.runInNamespaceOf(holder, false, TIMEOUT, List.of("sh", "-c", "cat /proc/meminfo 2>&1 | head -2"));
      publish(rep, "reading the view of a killed LXCFS", view.toString());
      assertThat(view.stdout()).contains("Transport endpoint is not connected");
      Result r = s.runInNamespaceOf(holder, false, TIMEOUT, Jvms.cliJson(cli));
      publish(rep, "cli with LXCFS killed", r.toString());
      JsonNode j = Jvms.parseJson(r);
      assertThat(member(j, "source").asText()).as("source\n" + j.toPrettyString()).isEqualTo("cgroup-v1");
      assertThat(member(j, "cpu.effective").asInt()).isEqualTo(1);
      assertThat(longOrNull(j, "memory.limit")).hasValue(256 * MIB);
      assertThat(Jvms.warnings(j)).as("a warning naming the failing LXCFS file\n" + j.toPrettyString())
          .anySatisfy(x -> assertThat(Jvms.text(x, "file").orElse("")).matches(VIEW_FILES));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode cli(CgroupV1Sandbox s, LxcfsDaemon lx, Layout layout, TestReporter rep) throws Exception {
    Result r = s.run(layout, lx.bindScript(), TIMEOUT, Jvms.cliJson(cli));
    publish(rep, "cli via LXCFS " + layout, r.toString());
    return Jvms.parseJson(r);
  }

  /** What the process sees through the binds: cpu online, MemTotal, processors, the fuse mounts. */
  private static String showView(CgroupV1Sandbox s, LxcfsDaemon lx, Layout layout, TestReporter rep) throws Exception {
    Result r = s.run(layout, lx.bindScript(), TIMEOUT, List.of("sh", "-c",
        "echo online=$(cat /sys/devices/system/cpu/online); grep MemTotal /proc/meminfo | tr -s ' '; "
            + "echo processors=$(grep -c ^processor /proc/cpuinfo); grep -c fuse.lxcfs /proc/self/mountinfo; "
            + "grep cgroup /proc/self/mountinfo"));
    publish(rep, "LXCFS view " + layout, r.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    return r.stdout();
  }

  private static BlockingQueue<String> pump(Process p) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          q.add(line);
        }
      } catch (IOException e) {
        // process gone
      }
    }, "probe-stdout");
    t.setDaemon(true);
    t.start();
    return q;
  }

  private static String await(BlockingQueue<String> q, String prefix, Duration timeout, Process p, Path err)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? q.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no '" + prefix + "' line from the probe within " + timeout.toMillis()
            + " ms (alive=" + p.isAlive() + ")\nstderr:\n" + (Files.exists(err) ? Files.readString(err) : ""));
      }
      if (line.startsWith(prefix)) {
        return line;
      }
      System.out.println("probe: " + line);
    }
  }
}
