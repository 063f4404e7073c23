package dev.rightsize.monitor;

import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import static dev.rightsize.monitor.CgroupTree.GIB;
import static dev.rightsize.monitor.CgroupTree.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rightsize.ContainerResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceMonitorTest {
  @TempDir Path dir;
  final FakeTicker ticker = new FakeTicker();

  CgroupTree tree(String version) {
    return version.equals("v1") ? CgroupTree.v1(dir) : CgroupTree.v2(dir);
  }

  ResourceMonitor monitor(CgroupTree t) {
    return ResourceMonitor.builder().root(t.root()).ticker(ticker).limitRecheckPeriod(Duration.ofSeconds(10)).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void readsEveryLiveValueAndTheLimits(String version) {
    try (ResourceMonitor m = monitor(tree(version))) {
      assertThat(m.memoryUsageBytes()).hasValue(300 * MIB);
      assertThat(m.memoryWorkingSetBytes()).hasValue(200 * MIB);
      assertThat(m.memoryFailCount()).hasValue(3);
      assertThat(m.oomKills()).hasValue(2);
      assertThat(m.cpuUsageNanos()).hasValue(5_000_000_000L);
      assertThat(m.cpuPeriods()).hasValue(100);
      assertThat(m.cpuThrottledPeriods()).hasValue(7);
      assertThat(m.cpuThrottledNanos()).hasValue(version.equals("v1") ? 123456789L : 123456000L);
      assertThat(m.memoryLimitBytes().value()).hasValue(GIB);
      assertThat(m.cpuLimit()).hasValue(1.5);
      assertThat(m.effectiveCpus()).isEqualTo(2);
      assertThat(m.pidsLimit().value()).hasValue(100);
      assertThat(m.pidsCurrent()).hasValue(17);
      assertThat(m.availableValues()).containsExactlyInAnyOrder(LiveValue.values());
      assertThat(m.warnings()).isEmpty();

      ResourceSnapshot s = m.snapshot();
      assertThat(s.memoryUsageBytes()).hasValue(300 * MIB);
      assertThat(s.memoryWorkingSetBytes()).hasValue(200 * MIB);
      assertThat(s.memoryLimitBytes().value()).hasValue(GIB);
      assertThat(s.memoryFailCount()).hasValue(3);
      assertThat(s.oomKills()).hasValue(2);
      assertThat(s.cpuUsageNanos()).hasValue(5_000_000_000L);
      assertThat(s.cpuPeriods()).hasValue(100);
      assertThat(s.cpuThrottledPeriods()).hasValue(7);
      assertThat(s.cpuThrottledNanos()).isEqualTo(m.cpuThrottledNanos());
      assertThat(s.cpuLimit()).hasValue(1.5);
      assertThat(s.effectiveCpus()).isEqualTo(2);
      assertThat(s.pidsCurrent()).hasValue(17);
      assertThat(s.pidsLimit().value()).hasValue(100);
      assertThat(s.memoryPressure().getAsDouble()).isCloseTo(200.0 / 1024, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(s.tickerNanos()).isEqualTo(ticker.read());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void seesUsageGrowAndShrinkWhenTheFileIsOverwrittenInPlace(String version) {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      assertThat(m.memoryUsageBytes()).hasValue(300 * MIB);
      t.set(t.usageFile(), String.valueOf(5 * GIB));
      assertThat(m.memoryUsageBytes()).hasValue(5 * GIB);
      // Shorter content than before: stale bytes from the longer read must not leak in.
      t.set(t.usageFile(), "7\n");
      assertThat(m.memoryUsageBytes()).hasValue(7);
      t.set(t.usageFile(), String.valueOf(300 * MIB));
      t.set(t.memory("memory.stat"), t.stat(250 * MIB));
      assertThat(m.memoryWorkingSetBytes()).hasValue(50 * MIB);
      assertThat(m.warnings()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void noticesARaisedLimitOnlyAfterTheRecheckPeriodAndTellsListenersOnce(String version) {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      List<long[]> changes = new CopyOnWriteArrayList<>();
      m.addLimitChangeListener((before, after) -> changes.add(new long[] {
          before.memory().limitBytes().value().getAsLong(), after.memory().limitBytes().value().getAsLong()}));
      t.set(t.limitFile(), String.valueOf(2 * GIB));

      ticker.advance(Duration.ofSeconds(9));
      assertThat(m.memoryLimitBytes().value()).as("within the recheck period").hasValue(GIB);
      assertThat(changes).isEmpty();

      ticker.advance(Duration.ofSeconds(1));
      assertThat(m.memoryLimitBytes().value()).hasValue(2 * GIB);
      assertThat(m.snapshot().memoryLimitBytes().value()).hasValue(2 * GIB);
      assertThat(changes).hasSize(1);
      assertThat(changes.get(0)).containsExactly(GIB, 2 * GIB);

      ticker.advance(Duration.ofSeconds(30));
      assertThat(m.limits().memory().limitBytes().value()).hasValue(2 * GIB);
      assertThat(changes).as("unchanged limits do not fire again").hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void followsTheTaskCountLiveAndNoticesAPidsLimitChangeAtTheRecheck(String version) {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      List<ContainerResources> after = new ArrayList<>();
      m.addLimitChangeListener((b, a) -> after.add(a));
      t.set(t.pids("pids.current"), "42");
      assertThat(m.pidsCurrent()).hasValue(42);
      assertThat(m.read(LiveValue.PIDS_CURRENT, -1)).isEqualTo(42);
      t.set(t.pids("pids.max"), "max");
      assertThat(m.pidsLimit().value()).as("within the recheck period").hasValue(100);
      ticker.advance(Duration.ofSeconds(10));
      assertThat(m.pidsLimit().isUnlimited()).isTrue();
      assertThat(after).hasSize(1);
      assertThat(m.snapshot().pidsLimit().isUnlimited()).isTrue();
      assertThat(m.warnings()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void noticesACpuQuotaChange(String version) {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      List<ContainerResources> after = new ArrayList<>();
      m.addLimitChangeListener((b, a) -> after.add(a));
      if (t.isV2()) {
        t.set(t.cpu("cpu.max"), "50000 100000");
      } else {
        t.set(t.cpu("cpu.cfs_quota_us"), "50000");
      }
      ticker.advance(Duration.ofSeconds(10));
      assertThat(m.cpuLimit()).hasValue(0.5);
      assertThat(m.effectiveCpus()).isEqualTo(1);
      assertThat(after).singleElement().satisfies(r -> assertThat(r.cpu().limit()).hasValue(0.5));
    }
  }

  @Test
  void usageChangesDoNotFireLimitListeners() {
    CgroupTree t = tree("v1");
    try (ResourceMonitor m = monitor(t)) {
      List<ContainerResources> fired = new ArrayList<>();
      m.addLimitChangeListener((b, a) -> fired.add(a));
      t.set(t.usageFile(), String.valueOf(900 * MIB));
      ticker.advance(Duration.ofSeconds(60));
      m.snapshot();
      assertThat(fired).isEmpty();
    }
  }

  @Test
  void recheckLimitsIgnoresThePeriod() {
    CgroupTree t = tree("v2");
    try (ResourceMonitor m = monitor(t)) {
      t.set(t.limitFile(), "max");
      assertThat(m.memoryLimitBytes().value()).hasValue(GIB);
      assertThat(m.recheckLimits().memory().limitBytes().value()).isEmpty();
      assertThat(m.memoryLimitBytes().value()).as("unlimited").isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void aReplacedFileIsReopenedOnTheSlowPeriod(String version) {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      assertThat(m.memoryUsageBytes()).hasValue(300 * MIB);
      t.replace(t.usageFile(), String.valueOf(600 * MIB));
      // The kept-open channel still holds the old inode (cgroupfs never does this) ...
      assertThat(m.memoryUsageBytes()).hasValue(300 * MIB);
      // ... until the limit recheck compares file keys and reopens.
      ticker.advance(Duration.ofSeconds(10));
      assertThat(m.snapshot().memoryUsageBytes()).hasValue(600 * MIB);
      t.set(t.usageFile(), String.valueOf(700 * MIB));
      assertThat(m.memoryUsageBytes()).hasValue(700 * MIB);
      assertThat(m.warnings()).isEmpty();
    }
  }

  @Test
  void aFileEmptiedInPlaceIsReadAsUnavailableWithoutThrowing() {
    CgroupTree t = tree("v1");
    try (ResourceMonitor m = monitor(t)) {
      t.set(t.usageFile(), "");
      assertThat(m.memoryUsageBytes()).isEmpty();
      assertThat(m.warnings()).anySatisfy(w -> assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED));
      t.set(t.usageFile(), "42\n");
      assertThat(m.memoryUsageBytes()).as("an empty read does not give the file up").hasValue(42);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void aDeletedFileIsUnavailableUntilItComesBackAndTheSlowPeriodPasses(String version) throws Exception {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      // Deleting alone keeps the old inode readable through the open channel on a regular fs.
      t.delete(t.usageFile());
      ticker.advance(Duration.ofSeconds(10));
      m.limits(); // the slow period notices the file is gone
      assertThat(m.memoryUsageBytes()).isEmpty();
      assertThat(m.memoryWorkingSetBytes()).isEmpty();
      assertThat(m.warnings()).anySatisfy(w -> {
        assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
        assertThat(w.file()).hasValue("/" + t.usageFile());
      });
      t.set(t.usageFile(), String.valueOf(100 * MIB));
      assertThat(m.memoryUsageBytes()).as("given up until the next slow period").isEmpty();
      ticker.advance(Duration.ofSeconds(10));
      assertThat(m.snapshot().memoryUsageBytes()).hasValue(100 * MIB);
    }
  }

  @Test
  void aReadThatFailsIsReopenedOnceThenReportedUnavailable() throws Exception {
    CgroupTree t = tree("v1");
    try (ResourceMonitor m = monitor(t)) {
      Path usage = t.root().resolve(t.usageFile());
      Files.delete(usage);
      Files.createDirectory(usage); // reads of a directory channel fail with EISDIR
      ticker.advance(Duration.ofSeconds(10));
      m.limits();
      assertThat(m.memoryUsageBytes()).isEmpty();
      assertThat(m.cpuUsageNanos()).as("other files unaffected").hasValue(5_000_000_000L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void garbageIsEmptyAndAWarningNeverAnException(String version) {
    CgroupTree t = tree(version);
    try (ResourceMonitor m = monitor(t)) {
      t.set(t.usageFile(), "not a number\n");
      t.set(t.cpu("cpu.stat"), "nr_periods x\n");
      assertThat(m.memoryUsageBytes()).isEmpty();
      assertThat(m.memoryWorkingSetBytes()).isEmpty();
      assertThat(m.cpuPeriods()).isEmpty();
      assertThat(m.cpuThrottledPeriods()).isEmpty();
      ResourceSnapshot s = m.snapshot();
      assertThat(s.memoryUsageBytes()).isEmpty();
      assertThat(s.memoryPressure()).isEmpty();
      assertThat(m.warnings()).anySatisfy(w -> assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE));
      t.set(t.usageFile(), "99999999999999999999999\n");
      assertThat(m.memoryUsageBytes()).as("overflow").isEmpty();
    }
  }

  @Test
  void anOversizedFileIsReadWhole() {
    CgroupTree t = tree("v2");
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      big.append("padding_").append(i).append(" 1\n");
    }
    big.append("inactive_file ").append(100 * MIB).append('\n');
    t.set(t.memory("memory.stat"), big.toString());
    try (ResourceMonitor m = monitor(t)) {
      assertThat(m.memoryWorkingSetBytes()).hasValue(200 * MIB);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void memoryPressureFiresOncePerCrossingWithHysteresis(String version) {
    CgroupTree t = tree(version);
    t.set(t.limitFile(), "1000000000");
    t.set(t.memory("memory.stat"), t.stat(0));
    try (ResourceMonitor m = ResourceMonitor.builder().root(t.root()).ticker(ticker)
        .memoryPressureThresholds(0.9, 0.8).memoryPressureHysteresis(0.05).build()) {
      List<String> events = new ArrayList<>();
      m.addMemoryPressureListener(e -> events.add(e.threshold() + (e.rising() ? " up " : " down ")
          + e.workingSetBytes() + "/" + e.limitBytes()));
      Function<Long, OptionalLong> at = ws -> {
        t.set(t.usageFile(), String.valueOf(ws));
        return m.memoryWorkingSetBytes();
      };
      at.apply(700_000_000L);
      assertThat(events).isEmpty();
      at.apply(850_000_000L);
      at.apply(860_000_000L);
      assertThat(events).containsExactly("0.8 up 850000000/1000000000");
      at.apply(920_000_000L);
      at.apply(880_000_000L); // 0.88: within the 0.9 threshold's hysteresis band
      at.apply(905_000_000L);
      assertThat(events).hasSize(2).last().isEqualTo("0.9 up 920000000/1000000000");
      at.apply(840_000_000L);
      assertThat(events).hasSize(3).last().isEqualTo("0.9 down 840000000/1000000000");
      at.apply(760_000_000L); // 0.76: not below 0.8 - 0.05
      assertThat(events).hasSize(3);
      m.snapshot();
      at.apply(740_000_000L);
      assertThat(events).hasSize(4).last().isEqualTo("0.8 down 740000000/1000000000");
      // snapshot() checks thresholds too; a jump over both fires both, lowest first.
      t.set(t.usageFile(), "950000000");
      m.snapshot();
      assertThat(events.subList(4, events.size())).containsExactly(
          "0.8 up 950000000/1000000000", "0.9 up 950000000/1000000000");
    }
  }

  @Test
  void noPressureEventsWithoutALimit() {
    CgroupTree t = tree("v2");
    t.set(t.limitFile(), "max");
    try (ResourceMonitor m = monitor(t)) {
      List<MemoryPressureEvent> events = new ArrayList<>();
      m.addMemoryPressureListener(events::add);
      t.set(t.usageFile(), String.valueOf(100 * GIB)); // far above any threshold of any limit
      assertThat(m.memoryWorkingSetBytes()).isPresent();
      assertThat(m.snapshot().memoryWorkingSetBytes()).isPresent();
      assertThat(events).as("no limit: no denominator, no event").isEmpty();
      // The same reading with a limit does fire: the listener was live all along.
      t.set(t.limitFile(), String.valueOf(GIB));
      assertThat(m.recheckLimits().memory().limitBytes().value()).hasValue(GIB);
      assertThat(m.memoryWorkingSetBytes()).isPresent();
      assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.rising()).isTrue());
    }
  }

  @Test
  void aFailingPressureListenerDoesNotBreakReadsNorTheOtherListeners() {
    CgroupTree t = tree("v2");
    t.set(t.limitFile(), String.valueOf(GIB));
    try (ResourceMonitor m = monitor(t)) {
      List<MemoryPressureEvent> events = new ArrayList<>();
      m.addMemoryPressureListener(e -> {
        throw new IllegalStateException("boom");
      });
      m.addMemoryPressureListener(events::add);
      t.set(t.usageFile(), String.valueOf(100 * GIB));
      assertThat(m.memoryWorkingSetBytes()).isPresent(); // the first listener throws inside: swallowed
      assertThat(events).as("the listener after the failing one still hears").isNotEmpty();
      assertThat(m.snapshot().memoryWorkingSetBytes()).isPresent();
    }
  }

  @Test
  void withoutCgroupsEverythingIsEmptyAndNothingThrows(@TempDir Path empty) {
    try (ResourceMonitor m = ResourceMonitor.builder().root(empty).ticker(ticker).build()) {
      assertThat(m.availableValues()).isEmpty();
      assertThat(m.memoryUsageBytes()).isEmpty();
      assertThat(m.memoryWorkingSetBytes()).isEmpty();
      assertThat(m.cpuUsageNanos()).isEmpty();
      assertThat(m.cpuThrottledNanos()).isEmpty();
      assertThat(m.oomKills()).isEmpty();
      // Nothing could be read: the limit is unknown, not unlimited, and the detection says why.
      assertThat(m.memoryLimitBytes()).isEqualTo(dev.rightsize.Limit.unknown());
      assertThat(m.effectiveCpus()).isGreaterThanOrEqualTo(1);
      ResourceSnapshot s = m.snapshot();
      assertThat(s.cpuLimit()).isEqualTo(OptionalDouble.empty());
      assertThat(m.limits().warnings()).extracting(w -> w.file().orElse(""))
          .contains("/proc/self/mountinfo", "/proc/self/cgroup");
    }
  }

  @Test
  void v1WithoutOomKillLineHasNoOomSource() {
    CgroupTree t = tree("v1");
    t.set(t.memory("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n"); // kernel < 4.13
    try (ResourceMonitor m = monitor(t)) {
      assertThat(m.isAvailable(LiveValue.OOM_KILLS)).isFalse();
      assertThat(m.isAvailable(LiveValue.MEMORY_FAIL_COUNT)).isTrue();
      assertThat(m.oomKills()).isEmpty();
    }
  }

  @Test
  void v2WithoutTheCpuControllerStillHasUsageFromCpuStat() {
    CgroupTree t = tree("v2");
    t.set("sys/fs/cgroup/cgroup.controllers", "memory pids\n");
    t.set(t.cpu("cpu.stat"), "usage_usec 42\nuser_usec 40\nsystem_usec 2\n");
    try (ResourceMonitor m = monitor(t)) {
      assertThat(m.cpuUsageNanos()).hasValue(42_000);
      assertThat(m.isAvailable(LiveValue.CPU_PERIODS)).isFalse();
      assertThat(m.cpuLimit()).isEmpty();
    }
  }

  @Test
  void closedMonitorReadsNothing() {
    CgroupTree t = tree("v1");
    ResourceMonitor m = monitor(t);
    m.close();
    m.close();
    assertThat(m.memoryUsageBytes()).isEmpty();
    assertThat(m.snapshot().cpuUsageNanos()).isEmpty();
    ticker.advance(Duration.ofMinutes(1));
    assertThat(m.limits()).isNotNull();
  }

  @Test
  void refreshEveryRunsOnADaemonThreadAndTellsListeners() throws Exception {
    CgroupTree t = tree("v1");
    CountDownLatch changed = new CountDownLatch(1);
    try (ResourceMonitor m = ResourceMonitor.builder().root(t.root()).limitRecheckPeriod(Duration.ZERO)
        .refreshEvery(Duration.ofMillis(5)).build()) {
      m.addLimitChangeListener((b, a) -> {
        assertThat(Thread.currentThread().getName()).isEqualTo("rightsize-monitor");
        assertThat(Thread.currentThread().isDaemon()).isTrue();
        changed.countDown();
      });
      t.set(t.limitFile(), String.valueOf(3 * GIB));
      assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void startRefreshingUsesTheCallersExecutorAndCloseCancels() throws Exception {
    CgroupTree t = tree("v2");
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try {
      ResourceMonitor m = ResourceMonitor.builder().root(t.root()).ticker(ticker).build();
      CountDownLatch up = new CountDownLatch(1);
      m.addMemoryPressureListener(e -> up.countDown());
      var task = m.startRefreshing(Duration.ofMillis(5), exec);
      t.set(t.usageFile(), String.valueOf(GIB));
      assertThat(up.await(10, TimeUnit.SECONDS)).isTrue();
      m.close();
      assertThat(task.isCancelled()).isTrue();
      assertThat(exec.isShutdown()).as("the caller's executor is left alone").isFalse();
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void concurrentReadersAndAWriterNeverSeeAnException() throws Exception {
    CgroupTree t = tree("v1");
    try (ResourceMonitor m = monitor(t)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          fs.add(pool.submit(() -> {
            for (int k = 0; k < 2000; k++) {
              m.memoryUsageBytes().ifPresent(v -> assertThat(v).isPositive());
              m.snapshot();
              if (k % 100 == 0) {
                ticker.advance(Duration.ofSeconds(11));
              }
            }
            return null;
          }));
        }
        fs.add(pool.submit(() -> {
          for (int k = 1; k < 500; k++) {
            t.set(t.usageFile(), String.valueOf(k * MIB));
          }
          return null;
        }));
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> ResourceMonitor.builder().memoryPressureThresholds(0)).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceMonitor.builder().memoryPressureHysteresis(1)).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceMonitor.builder().limitRecheckPeriod(Duration.ofSeconds(-1))).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceMonitor.builder().refreshEvery(Duration.ZERO)).isInstanceOf(
        IllegalArgumentException.class);
  }
}
