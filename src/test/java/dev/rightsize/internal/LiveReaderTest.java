package dev.rightsize.internal;

import static dev.rightsize.internal.LiveReader.NONE;
import static dev.rightsize.monitor.CgroupTree.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import dev.rightsize.monitor.CgroupTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live files of a detection's layout: which files are held open (one descriptor per file, two
 * values of one file sharing it, none left behind by a recheck, a move or close), each file read
 * once per {@link LiveReader#poll}, and the values scaled to nanoseconds. The trees are
 * {@link CgroupTree}'s; {@link OpenDescriptors} shows what is really held open.
 */
class LiveReaderTest {
  @TempDir Path dir;
  final List<Warning> warnings = new ArrayList<>();

  LiveReader open(CgroupTree t) {
    return LiveReader.open(detect(t), warnings::add);
  }

  static Detector.Detection detect(CgroupTree t) {
    return Detector.detect(t.root(), Detector.FUSE_TIMEOUT_MILLIS);
  }

  static long[] poll(LiveReader r) {
    long[] out = new long[LiveReader.COUNT];
    r.poll(out);
    return out;
  }

  /** The files under sys/fs/cgroup held open, relative to it. */
  List<String> held() {
    return OpenDescriptors.under(dir.resolve("sys/fs/cgroup"));
  }

  static final List<String> V1_FILES = List.of("cpu,cpuacct/app/cpu.stat", "cpu,cpuacct/app/cpuacct.usage",
      "memory/app/memory.failcnt", "memory/app/memory.oom_control", "memory/app/memory.stat",
      "memory/app/memory.usage_in_bytes", "pids/app/pids.current");
  // memory.events serves both the limit hits ("max") and the OOM kills; cpu.stat both the usage and
  // the throttling: one descriptor each.
  static final List<String> V2_FILES = List.of("app/cpu.stat", "app/memory.current", "app/memory.events",
      "app/memory.stat", "app/pids.current");

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void holdsEachFileOnceAcrossRechecksAndLetsAllGoOnClose(String version) {
    boolean v2 = version.equals("v2");
    CgroupTree t = v2 ? CgroupTree.v2(dir) : CgroupTree.v1(dir);
    List<String> files = v2 ? V2_FILES : V1_FILES;
    LiveReader r = open(t);
    // CgroupTree's values: usage 300 MiB, 100 MiB inactive file, 3 limit hits, 2 OOM kills, 5 s of
    // CPU, 100 periods of which 7 throttled for 123456789 ns (v1) or 123456 us (v2), 17 tasks.
    assertThat(poll(r)).containsExactly(300 * MIB, 200 * MIB, 3, 2, 5_000_000_000L, 100, 7,
        v2 ? 123_456_000L : 123_456_789L, 17);
    assertThat(held()).containsExactlyElementsOf(files);

    r.retarget(detect(t));
    r.retarget(detect(t));
    assertThat(held()).as("a recheck revalidates, it does not open again").containsExactlyElementsOf(files);

    // Replaced files (new inodes) are reopened at the recheck, the old ones let go.
    t.replace(t.memory("memory.stat"), t.stat(50 * MIB));
    t.replace(t.memory(v2 ? "memory.events" : "memory.oom_control"),
        v2 ? "low 0\nhigh 0\nmax 4\noom 3\noom_kill 3\noom_group_kill 0\n" : "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    r.retarget(detect(t));
    assertThat(held()).containsExactlyElementsOf(files);
    assertThat(r.workingSet(r.memoryUsage())).isEqualTo(250 * MIB);
    assertThat(r.oomKills()).isEqualTo(3);

    r.close();
    assertThat(held()).isEmpty();
    assertThat(poll(r)).containsOnly(NONE);
    r.retarget(detect(t));
    assertThat(held()).as("closed for good").isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void aProcessMovedToAnotherCgroupReadsItsFilesAndLetsTheOldOnesGo() {
    CgroupTree t = CgroupTree.v2(dir);
    try (LiveReader r = open(t)) {
      assertThat(r.memoryUsage()).isEqualTo(300 * MIB);
      String d = "sys/fs/cgroup/app2/";
      t.set(d + "memory.max", "max");
      t.set(d + "memory.current", String.valueOf(40 * MIB));
      t.set(d + "memory.stat", CgroupTree.v2Stat(10 * MIB));
      t.set(d + "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
      t.set(d + "cpu.max", "max 100000");
      t.set(d + "cpu.stat", "usage_usec 9\nuser_usec 9\nsystem_usec 0\nnr_periods 1\nnr_throttled 0\nthrottled_usec 0\n");
      t.set(d + "pids.max", "max");
      t.set(d + "pids.current", "3");
      t.set("proc/self/cgroup", "0::/app2\n");
      r.retarget(detect(t));
      assertThat(held()).containsExactly("app2/cpu.stat", "app2/memory.current", "app2/memory.events",
          "app2/memory.stat", "app2/pids.current");
      // Without a task limit, the tasks are those of the process's own cgroup (README, pids.current).
      assertThat(poll(r)).containsExactly(40 * MIB, 30 * MIB, 0, 0, 9_000, 1, 0, 0, 3);
    }
    assertThat(held()).isEmpty();
  }

  @Test
  void pollReadsAFileThatServesTwoValuesOnce() {
    CgroupTree t = CgroupTree.v2(dir);
    try (LiveReader r = open(t)) {
      t.set(t.memory("memory.events"), "");
      t.set(t.cpu("cpu.stat"), "");
      long[] out = poll(r);
      assertThat(out[LiveReader.MEMORY_FAIL_COUNT]).isEqualTo(NONE);
      assertThat(out[LiveReader.OOM_KILLS]).isEqualTo(NONE);
      assertThat(out[LiveReader.CPU_USAGE]).isEqualTo(NONE);
      assertThat(out[LiveReader.CPU_THROTTLED_TIME]).isEqualTo(NONE);
      assertThat(out[LiveReader.PIDS_CURRENT]).isEqualTo(17);
      // An empty read warns each time it happens: one warning per file shows one read per file.
      assertThat(warnings).containsExactly(
          Warning.of(WarningCode.READ_FAILED, "the file read empty", "/sys/fs/cgroup/app/memory.events"),
          Warning.of(WarningCode.READ_FAILED, "the file read empty", "/sys/fs/cgroup/app/cpu.stat"));
    }
  }

  @Test
  void v1CpuacctMountedWithoutCpuGivesUsageButNoThrottling() {
    CgroupTree t = CgroupTree.v1(dir);
    t.set("proc/self/mountinfo", """
        22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
        31 22 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        """);
    t.set("proc/self/cgroup", "4:memory:/app\n2:cpuacct:/app\n0::/\n");
    t.set("sys/fs/cgroup/cpuacct/app/cpuacct.usage", "7000000000\n");
    try (LiveReader r = open(t)) {
      long[] out = poll(r);
      assertThat(out[LiveReader.CPU_USAGE]).isEqualTo(7_000_000_000L);
      assertThat(Arrays.copyOfRange(out, LiveReader.CPU_PERIODS, LiveReader.CPU_THROTTLED_TIME + 1))
          .containsOnly(NONE);
      assertThat(r.cpuStat(LiveReader.CPU_PERIODS)).isEqualTo(NONE);
      assertThat(held()).contains("cpuacct/app/cpuacct.usage");
    }
  }

  @Test
  void microsecondsAreKeptUpToTheLargestWhoseNanosecondsFitALong() {
    CgroupTree t = CgroupTree.v2(dir);
    // Long.MAX_VALUE = 9223372036854775807 ns; the largest whole microsecond count below it is
    // 9223372036854775 us = 9223372036854775000 ns. One more microsecond overflows.
    t.set(t.cpu("cpu.stat"), "usage_usec 9223372036854775\nnr_periods 1\nnr_throttled 1\n"
        + "throttled_usec 9223372036854776\n");
    try (LiveReader r = open(t)) {
      assertThat(r.cpuUsageNanos()).isEqualTo(9_223_372_036_854_775_000L);
      assertThat(r.cpuStat(LiveReader.CPU_THROTTLED_TIME)).isEqualTo(NONE);
      t.set(t.cpu("cpu.stat"), "usage_usec 9223372036854776\nnr_periods 1\nnr_throttled 1\n"
          + "throttled_usec 9223372036854775\n");
      assertThat(r.cpuUsageNanos()).isEqualTo(NONE);
      assertThat(r.cpuStat(LiveReader.CPU_THROTTLED_TIME)).isEqualTo(9_223_372_036_854_775_000L);
    }
  }
}
