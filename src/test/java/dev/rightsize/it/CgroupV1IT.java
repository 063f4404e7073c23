package dev.rightsize.it;

import static dev.rightsize.it.Jvms.doubleOrNull;
import static dev.rightsize.it.Jvms.longOrNull;
import static dev.rightsize.it.Jvms.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rightsize.it.CgroupV1Sandbox.Layout;
import dev.rightsize.it.CgroupV1Sandbox.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real-kernel tests on a cgroup v1 host: limits written into real cgroups, the CLI run inside them
 * as a bare host, a container runtime and a private cgroup namespace would show them, its JSON held
 * against what was written and against Temurin 25's own view of the same cgroup.
 */
class CgroupV1IT {
  private static final long MIB = 1L << 20;
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

  private static Path cli;
  private static int hostCpus;

  @BeforeAll
  static void requirements() throws IOException {
    CgroupV1Sandbox.requireAvailable();
    cli = Jvms.requireCliJar();
    RealKernel.require(Files.isExecutable(Jvms.TEMURIN_25), "Temurin 25 at " + Jvms.TEMURIN_25);
    hostCpus = cpuCount(CgroupV1Sandbox.readFile(CgroupV1Sandbox.ownDir("cpuset").resolve("cpuset.cpus")));
    RealKernel.require(hostCpus >= 2, "at least 2 CPUs in this process's cpuset (has " + hostCpus + ")");
  }

  // ---------------------------------------------------------------- the harness itself

  /** Each layout shows the mountinfo roots and /proc/self/cgroup paths it claims to. */
  @ParameterizedTest
  @EnumSource(Layout.class)
  void layoutLooksAsAContainerWouldSeeIt(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      Result r = s.run(layout, Duration.ofSeconds(20), List.of("sh", "-c",
          "grep ' - cgroup ' /proc/self/mountinfo; echo ---; cat /proc/self/cgroup"));
      publish(rep, "layout " + layout, r.toString());
      assertThat(r.exit()).as(r.toString()).isZero();
      String[] parts = r.stdout().split("---\n", 2);
      for (String c : CgroupV1Sandbox.CONTROLLERS) {
        String mount = parts[0].lines().filter(l -> l.contains(" /sys/fs/cgroup/" + c + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no mount of " + c + "\n" + r));
        String root = mount.split(" ")[3];
        String cg = parts[1].lines().filter(l -> List.of(l.split(":", 3)[1].split(",")).contains(c)).findFirst()
            .orElseThrow().split(":", 3)[2];
        String full = s.leafCgroupPath(c);
        switch (layout) {
          case HOST -> {
            assertThat(root).isEqualTo("/");
            assertThat(cg).isEqualTo(full);
          }
          case RUNTIME -> {
            assertThat(root).isEqualTo(full);
            assertThat(cg).isEqualTo(full);
            assertThat(mount).contains(" ro,");
          }
          case CGROUPNS, CGROUPNS_REMOUNT -> {
            assertThat(root).isEqualTo("/");
            assertThat(cg).isEqualTo("/");
          }
          case CGROUPNS_HOST_MOUNTS -> {
            assertThat(root).startsWith("/..");
            assertThat(cg).isEqualTo("/");
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- CPU

  /** Leaf quota with a non-default period, plus shares: limit = quota/period, effective = ceil. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void quotaPeriodAndSharesAtTheLeaf(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      s.set(s.leaf(), "cpu", "cpu.cfs_period_us", 40000);
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 30000); // 0.75 CPUs
      s.set(s.leaf(), "cpu", "cpu.shares", 512);
      Obs o = observe(s, layout, rep, false);
      assertCommon(o);
      assertThat(doubleOrNull(o.json, "cpu.limit")).as("cpu.limit").isCloseTo(0.75, within(1e-9));
      assertThat(member(o.json, "cpu.effective").asInt()).as("cpu.effective").isEqualTo(1);
      assertThat(longOrNull(o.json, "cpu.cpuset")).as("cpu.cpuset").hasValue(hostCpus);
      assertThat(longOrNull(o.json, "cpu.shares")).as("cpu.shares").hasValue(512);
      assertAgreesWithJdk25(o);
    }
  }

  /** A cpuset narrower than the host, no quota: effective = cpuset size, limit null. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void cpusetAtTheLeaf(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      String one = firstCpu(s.read(s.leaf(), "cpuset", "cpuset.cpus"));
      s.set(s.leaf(), "cpuset", "cpuset.cpus", one);
      Obs o = observe(s, layout, rep, false);
      assertCommon(o);
      assertThat(member(o.json, "cpu.limit").isNull()).as("cpu.limit is null: " + member(o.json, "cpu.limit")).isTrue();
      assertThat(longOrNull(o.json, "cpu.cpuset")).as("cpu.cpuset").hasValue(1);
      assertThat(member(o.json, "cpu.effective").asInt()).as("cpu.effective").isEqualTo(1);
      assertThat(longOrNull(o.json, "cpu.shares")).as("cpu.shares (default)").hasValue(1024);
      assertAgreesWithJdk25(o);
    }
  }

  /**
   * A pod-level quota over an unlimited container. On the host the pod's directory is visible and
   * its quota binds; in a container's view only the leaf is mounted, so nothing shows a quota.
   * Records what JDK 17 says (it misses the parent's quota).
   */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void podQuotaOverAnUnlimitedContainer(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      s.set(s.pod(), "cpu", "cpu.cfs_quota_us", 50000); // 0.5 CPUs at the pod, leaf -1
      assertThat(s.read(s.leaf(), "cpu", "cpu.cfs_quota_us")).isEqualTo("-1");
      Obs o = observe(s, layout, rep, true);
      assertCommon(o);
      if (layout.seesAncestors()) {
        assertThat(doubleOrNull(o.json, "cpu.limit")).as("cpu.limit from the pod").isCloseTo(0.5, within(1e-9));
        assertThat(member(o.json, "cpu.effective").asInt()).as("cpu.effective").isEqualTo(1);
      } else {
        assertThat(member(o.json, "cpu.limit").isNull()).as("cpu.limit: the pod is not visible here").isTrue();
        assertThat(member(o.json, "cpu.effective").asInt()).as("cpu.effective").isEqualTo(hostCpus);
      }
      assertAgreesWithJdk25(o);
    }
  }

  /**
   * Tightest along the path: the kernel refuses a child quota above its parent's (EINVAL), so the
   * leaf's is the tighter one here; a pod soft limit over an unlimited leaf, and a pod memory
   * limit below the leaf's.
   */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void tightestLimitAlongThePathWins(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      s.set(s.pod(), "cpu", "cpu.cfs_quota_us", 80000);
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 30000);
      s.set(s.pod(), "memory", "memory.limit_in_bytes", 200 * MIB);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 400 * MIB);
      s.set(s.pod(), "memory", "memory.soft_limit_in_bytes", 100 * MIB);
      Obs o = observe(s, layout, rep, false);
      assertCommon(o);
      assertThat(doubleOrNull(o.json, "cpu.limit")).as("cpu.limit").isCloseTo(0.3, within(1e-9));
      assertThat(longOrNull(o.json, "memory.limit")).as("memory.limit (pod's, via hierarchical_memory_limit)").hasValue(200 * MIB);
      if (layout.seesAncestors()) {
        assertThat(longOrNull(o.json, "memory.softLimit")).as("memory.softLimit from the pod").hasValue(100 * MIB);
      } else {
        assertThat(member(o.json, "memory.softLimit").isNull()).as("memory.softLimit: the pod is not visible").isTrue();
      }
      // Temurin 25 reads the leaf's memory.limit_in_bytes (400M) and only falls back to
      // hierarchical_memory_limit when the leaf is unlimited: it misses the tighter pod limit.
      assertAgreesWithJdk25(o, false);
      publish(rep, "Temurin 25 memory limit with a tighter pod limit " + layout,
          "jdk=" + o.jdk25.memoryLimit() + " cli=" + longOrNull(o.json, "memory.limit") + " kernel=" + 200 * MIB);
    }
  }

  /** The kernel's own rule that makes "a pod quota tighter than the container's" impossible on v1. */
  @Test
  void kernelRefusesAChildQuotaAboveItsParents() throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      s.set(s.pod(), "cpu", "cpu.cfs_quota_us", 50000);
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
          () -> s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 150000));
      assertThat(e.getMessage()).contains("Invalid argument");
    }
  }

  // ---------------------------------------------------------------- memory

  /** Hard, soft and memsw limits at the leaf; swapLimit = memsw - limit; usage &gt; 0. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void memoryLimitSoftLimitAndSwapAtTheLeaf(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      requireMemsw(s);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      s.set(s.leaf(), "memory", "memory.memsw.limit_in_bytes", 384 * MIB);
      s.set(s.leaf(), "memory", "memory.soft_limit_in_bytes", 128 * MIB);
      Obs o = observe(s, layout, rep, false);
      assertCommon(o);
      assertThat(longOrNull(o.json, "memory.limit")).as("memory.limit").hasValue(256 * MIB);
      assertThat(longOrNull(o.json, "memory.softLimit")).as("memory.softLimit").hasValue(128 * MIB);
      assertThat(longOrNull(o.json, "memory.swapLimit")).as("memory.swapLimit = memsw - limit").hasValue(128 * MIB);
      assertAgreesWithJdk25(o);
    }
  }

  /** memsw equal to the limit: no swap allowed, reported as 0 (not null). */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS_REMOUNT"})
  void swapLimitEqualToMemoryLimitMeansZeroSwap(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      requireMemsw(s);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 300 * MIB);
      s.set(s.leaf(), "memory", "memory.memsw.limit_in_bytes", 300 * MIB);
      Obs o = observe(s, layout, rep, false);
      assertCommon(o);
      assertThat(longOrNull(o.json, "memory.limit")).as("memory.limit").hasValue(300 * MIB);
      assertThat(longOrNull(o.json, "memory.swapLimit")).as("memory.swapLimit").hasValue(0);
      assertThat(member(o.json, "memory.softLimit").isNull()).as("memory.softLimit null").isTrue();
    }
  }

  /** A memory limit on the pod only: the leaf's hierarchical_memory_limit carries it into every view. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void podMemoryLimitOverAnUnlimitedContainer(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      s.set(s.pod(), "memory", "memory.limit_in_bytes", 300 * MIB);
      if (s.has(s.pod(), "memory", "memory.memsw.limit_in_bytes")) {
        s.set(s.pod(), "memory", "memory.memsw.limit_in_bytes", 400 * MIB);
      }
      Obs o = observe(s, layout, rep, true);
      assertCommon(o);
      assertThat(longOrNull(o.json, "memory.limit")).as("memory.limit from the pod").hasValue(300 * MIB);
      if (s.has(s.pod(), "memory", "memory.memsw.limit_in_bytes")) {
        assertThat(longOrNull(o.json, "memory.swapLimit")).as("memory.swapLimit from the pod's memsw").hasValue(100 * MIB);
      }
      assertAgreesWithJdk25(o);
    }
  }

  /** Nothing set anywhere: every limit null, effective = the inherited cpuset, default shares. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void nothingSetMeansUnlimited(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      Obs o = observe(s, layout, rep, false);
      assertCommon(o);
      for (String m : List.of("cpu.limit", "memory.limit", "memory.softLimit", "memory.swapLimit")) {
        assertThat(member(o.json, m).isNull()).as(m + " is null, was " + member(o.json, m)).isTrue();
      }
      assertThat(member(o.json, "cpu.effective").asInt()).isEqualTo(hostCpus);
      assertThat(longOrNull(o.json, "cpu.cpuset")).hasValue(hostCpus);
      assertThat(longOrNull(o.json, "cpu.shares")).hasValue(1024);
      assertAgreesWithJdk25(o);
    }
  }

  /**
   * A private cgroup namespace that kept the host's cgroupfs mounts (mount roots read /../..): the
   * process's cgroup cannot be located. The CLI must still answer, and must not report another
   * cgroup's limits as its own: each value is either the true one or null with a warning.
   */
  @Test
  void cgroupNamespaceWithStaleHostMountsDoesNotMislead(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      s.set(s.leaf(), "cpu", "cpu.cfs_quota_us", 50000);
      s.set(s.leaf(), "memory", "memory.limit_in_bytes", 256 * MIB);
      Result r = s.run(Layout.CGROUPNS_HOST_MOUNTS, CLI_TIMEOUT, Jvms.cliJson(cli));
      publish(rep, "cli CGROUPNS_HOST_MOUNTS", r.toString());
      JsonNode j = Jvms.parseJson(r);
      Double limit = doubleOrNull(j, "cpu.limit");
      OptionalLong mem = longOrNull(j, "memory.limit");
      if (limit != null) {
        assertThat(limit).as("cpu.limit, if reported").isCloseTo(0.5, within(1e-9));
      }
      if (mem.isPresent()) {
        assertThat(mem).as("memory.limit, if reported").hasValue(256 * MIB);
      }
      if (limit == null || mem.isEmpty()) {
        assertThat(Jvms.warnings(j)).as("a value was not found, so a warning must say why").isNotEmpty();
      }
      Result jdk17 = s.run(Layout.CGROUPNS_HOST_MOUNTS, CLI_TIMEOUT, Jvms.showSettings(Path.of(Jvms.currentJava())));
      publish(rep, "jdk17 CGROUPNS_HOST_MOUNTS", jdk17.toString());
    }
  }

  // ---------------------------------------------------------------- sizing on a real kernel

  /**
   * In a 512 MiB cgroup (swap disallowed where memsw exists), a JVM started with the CLI's
   * {@code --jvm-flags}, computed inside that cgroup, fills its whole heap, its direct
   * memory and starts 200 threads without being OOM-killed.
   */
  @Test
  void jvmSizedForTheCgroupSurvivesAFullHeapAnd200Threads(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      setMemory(s, 512 * MIB, true);
      List<String> flags = flagsFromCli(s, rep);
      Path classes = compileAllocator(s);
      long oomBefore = oomKills(s);
      List<String> cmd = new ArrayList<>(List.of(Jvms.currentJava()));
      cmd.addAll(flags);
      cmd.addAll(List.of("-cp", classes.toString(), "AllocateAndThreads", "200"));
      Result r = s.run(Layout.HOST, Duration.ofSeconds(180), cmd);
      String stats = memoryStats(s);
      publish(rep, "allocator with " + flags, r + "\n" + stats);
      assertThat(oomKills(s) - oomBefore).as("kernel OOM kills in the cgroup\n" + r + "\n" + stats).isZero();
      assertThat(r.exit()).as("exit status\n" + r + "\n" + stats).isZero();
      assertThat(r.stdout()).contains("OK ").contains("threads=200");
    }
  }

  /** The control: the same program with a heap larger than the cgroup is OOM-killed, and that is seen. */
  @Test
  void oversizedHeapIsOomKilledAndTheHarnessSeesIt(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = sandbox()) {
      setMemory(s, 512 * MIB, true);
      Path classes = compileAllocator(s);
      long oomBefore = oomKills(s);
      Result r = s.run(Layout.HOST, Duration.ofSeconds(180),
          List.of(Jvms.currentJava(), "-Xmx700m", "-cp", classes.toString(), "AllocateAndThreads", "10"));
      String stats = memoryStats(s);
      publish(rep, "allocator -Xmx700m", r + "\n" + stats);
      assertThat(r.exit()).as("killed by SIGKILL (128+9)\n" + r).isEqualTo(137);
      assertThat(oomKills(s) - oomBefore).as("oom_kill count\n" + stats).isPositive();
    }
  }

  // ---------------------------------------------------------------- helpers

  record Obs(Layout layout, JsonNode json, Jvms.JdkView jdk25, Result cli) {}

  private static CgroupV1Sandbox sandbox() throws IOException {
    CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods();
    try {
      requireNoAmbientLimits(s);
    } catch (RuntimeException | Error e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The expected values assume nothing above the sandbox limits CPU or memory. */
  private static void requireNoAmbientLimits(CgroupV1Sandbox s) throws IOException {
    String stat = s.read(0, "memory", "memory.stat");
    long h = statValue(stat, "hierarchical_memory_limit");
    RealKernel.require(h >= (1L << 60), "no memory limit above the test's own cgroup (hierarchical_memory_limit=" + h + ")");
    Path mount = Path.of("/sys/fs/cgroup/cpu");
    for (Path p = s.dir("cpu", 0).getParent(); p != null && p.startsWith(mount); p = p.getParent()) {
      String q = CgroupV1Sandbox.readFile(p.resolve("cpu.cfs_quota_us")).trim();
      RealKernel.require(q.equals("-1"), "no CPU quota above the test's own cgroup (" + p + " has " + q + ")");
    }
  }

  private static void requireMemsw(CgroupV1Sandbox s) {
    RealKernel.require(s.has(s.leaf(), "memory", "memory.memsw.limit_in_bytes"),
        "swap accounting (memory.memsw.* files; boot with swapaccount=1)");
  }

  /** Runs the CLI and Temurin 25 (and JDK 17 if asked) in the leaf, in the layout. */
  private static Obs observe(CgroupV1Sandbox s, Layout layout, TestReporter rep, boolean alsoJdk17) throws Exception {
    Result r = s.run(layout, CLI_TIMEOUT, Jvms.cliJson(cli));
    publish(rep, "cli " + layout, r.toString());
    JsonNode json = Jvms.parseJson(r);
    Result j25 = s.run(layout, CLI_TIMEOUT, Jvms.showSettings(Jvms.TEMURIN_25));
    publish(rep, "temurin25 " + layout, j25.stderr() + j25.stdout());
    if (alsoJdk17) {
      Result j17 = s.run(layout, CLI_TIMEOUT, Jvms.showSettings(Path.of(Jvms.currentJava())));
      Jvms.JdkView v17 = Jvms.parseShowSettings(j17.stderr() + j17.stdout());
      publish(rep, "jdk17 " + layout, "effective CPUs " + v17.effectiveCpus() + ", memory limit "
          + (v17.memoryUnlimited() ? "unlimited" : v17.memoryLimit()) + ", cli cpu.effective "
          + member(json, "cpu.effective") + ", memory.limit " + member(json, "memory.limit"));
    }
    return new Obs(layout, json, Jvms.parseShowSettings(j25.stderr() + j25.stdout()), r);
  }

  private static void assertCommon(Obs o) {
    assertThat(member(o.json, "source").asText()).as("source\n" + o.json.toPrettyString()).isEqualTo("cgroup-v1");
    assertThat(member(o.json, "cgroupVersion").asInt()).as("cgroupVersion").isEqualTo(1);
    assertThat(longOrNull(o.json, "memory.usage")).as("memory.usage").isPresent();
    assertThat(longOrNull(o.json, "memory.usage").getAsLong()).as("memory.usage").isPositive();
    int eff = member(o.json, "cpu.effective").asInt();
    assertThat(eff).as("cpu.effective").isBetween(1, hostCpus);
  }

  /** Temurin 25, run in the same cgroup and layout, must agree on effective CPUs and the memory limit. */
  private static void assertAgreesWithJdk25(Obs o) {
    assertAgreesWithJdk25(o, true);
  }

  private static void assertAgreesWithJdk25(Obs o, boolean compareMemory) {
    Jvms.JdkView v = o.jdk25;
    assertThat(v.isCgroupV1()).as("Temurin 25 sees cgroup v1 in layout " + o.layout + ":\n" + v.raw()).isTrue();
    if (v.effectiveCpus().isEmpty()) {
      // "System not containerized.": Temurin 25 prints no container values (it decides so on a
      // host layout with no CPU or memory limit of its own), so there is nothing to compare.
      assertThat(v.raw()).as("Temurin 25 printed no CPU count").contains("not containerized");
      return;
    }
    assertThat(member(o.json, "cpu.effective").asInt()).as("cpu.effective vs Temurin 25 'Effective CPU Count'\n" + v.raw())
        .isEqualTo(v.effectiveCpus().orElseThrow());
    OptionalLong mine = longOrNull(o.json, "memory.limit");
    if (!compareMemory) {
      return;
    }
    if (v.memoryUnlimited()) {
      assertThat(mine).as("memory.limit vs Temurin 25 'Memory Limit: Unlimited'").isEmpty();
    } else {
      long jdk = v.memoryLimit().orElseThrow();
      assertThat(mine).as("memory.limit vs Temurin 25").isPresent();
      assertThat((double) mine.getAsLong()).as("memory.limit vs Temurin 25 " + jdk).isCloseTo(jdk, within(jdk * 0.005));
    }
  }

  private static void setMemory(CgroupV1Sandbox s, long bytes, boolean noSwap) throws IOException {
    s.set(s.leaf(), "memory", "memory.limit_in_bytes", bytes);
    if (noSwap && s.has(s.leaf(), "memory", "memory.memsw.limit_in_bytes")) {
      s.set(s.leaf(), "memory", "memory.memsw.limit_in_bytes", bytes);
    }
  }

  /** The CLI's --jvm-flags, computed inside this cgroup: one line of flags sized for 512 MiB. */
  private static List<String> flagsFromCli(CgroupV1Sandbox s, TestReporter rep) throws Exception {
    Result r = s.run(Layout.HOST, CLI_TIMEOUT,
        List.of(Jvms.currentJava(), "-Xmx64m", "-jar", cli.toString(), "--jvm-flags"));
    publish(rep, "--jvm-flags", r.toString());
    assertThat(r.exit()).as("--jvm-flags exit status\n%s", r).isZero();
    assertThat(r.stdout().strip().lines()).as("--jvm-flags prints one line").hasSize(1);
    List<String> flags = Jvms.splitFlags(r.stdout());
    assertThat(flags).allMatch(f -> f.startsWith("-"));
    // The limit was read: a heap sized for 512 MiB, not for the host's memory.
    assertThat(flags).anySatisfy(f -> assertThat(f).startsWith("-Xmx"));
    long heapKib = flags.stream().filter(f -> f.startsWith("-Xmx")).mapToLong(f -> Long.parseLong(
        f.substring(4, f.length() - 1)) * (f.endsWith("M") ? 1024 : 1)).findFirst().orElseThrow();
    assertThat(heapKib * 1024).isBetween(64L * MIB, 400L * MIB);
    return flags;
  }

  private static Path compileAllocator(CgroupV1Sandbox s) throws IOException {
    Path dir = Files.createDirectory(s.work().resolve("allocator"));
    Path src = Jvms.copyResource("AllocateAndThreads.java", dir);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-d", dir.toString(), src.toString());
    assertThat(rc).as("compiling AllocateAndThreads.java").isZero();
    return dir;
  }

  private static long oomKills(CgroupV1Sandbox s) throws IOException {
    return statValue(s.read(s.leaf(), "memory", "memory.oom_control"), "oom_kill");
  }

  private static String memoryStats(CgroupV1Sandbox s) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("memory.limit_in_bytes", "memory.max_usage_in_bytes", "memory.failcnt", "memory.oom_control")) {
      sb.append(f).append(": ").append(s.read(s.leaf(), "memory", f).replace('\n', ' ')).append('\n');
    }
    return sb.toString();
  }

  static long statValue(String text, String key) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s+(\\d+)").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no '" + key + "' in:\n" + text);
    }
    return Long.parseLong(m.group(1));
  }

  static int cpuCount(String list) {
    int n = 0;
    for (String part : list.trim().split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      String[] ab = part.split("-");
      n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
    }
    return n;
  }

  private static String firstCpu(String list) {
    return list.trim().split("[,-]")[0];
  }

  static void publish(TestReporter rep, String key, String value) {
    rep.publishEntry(key, value);
    System.out.println("==== " + key + "\n" + value);
  }
}
