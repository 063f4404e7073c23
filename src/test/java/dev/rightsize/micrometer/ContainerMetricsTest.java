package dev.rightsize.micrometer;

import static dev.rightsize.monitor.CgroupTree.GIB;
import static dev.rightsize.monitor.CgroupTree.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.monitor.CgroupTree;
import dev.rightsize.monitor.FakeTicker;
import dev.rightsize.monitor.ResourceMonitor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerMetricsTest {
  @TempDir Path dir;
  final FakeTicker ticker = new FakeTicker();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static final List<String> ALL = List.of("container.memory.limit", "container.memory.usage",
      "container.memory.working.set", "container.memory.limit.hits", "container.memory.oom.kills",
      "container.cpu.limit", "container.cpu.effective", "container.cpu.usage", "container.cpu.cfs.periods",
      "container.cpu.cfs.throttled.periods", "container.cpu.cfs.throttled", "container.pids.current",
      "container.pids.limit");

  CgroupTree tree(String version) {
    return version.equals("v1") ? CgroupTree.v1(dir) : CgroupTree.v2(dir);
  }

  double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  double counter(String name) {
    return registry.get(name).functionCounter().count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void registersEveryMeterWithItsValueTypeAndUnit(String version) {
    CgroupTree t = tree(version);
    try (ContainerMetrics metrics = new ContainerMetrics(t.root(), ticker, Tags.of("app", "demo"))) {
      metrics.bindTo(registry);
      assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsExactlyInAnyOrderElementsOf(ALL);
      assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("demo"));
      assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getDescription()).isNotBlank());

      assertThat(gauge("container.memory.limit")).isEqualTo(GIB);
      assertThat(gauge("container.memory.usage")).isEqualTo(300 * MIB);
      assertThat(gauge("container.memory.working.set")).isEqualTo(200 * MIB);
      assertThat(counter("container.memory.limit.hits")).isEqualTo(3);
      assertThat(counter("container.memory.oom.kills")).isEqualTo(2);
      assertThat(gauge("container.cpu.limit")).isEqualTo(1.5);
      assertThat(gauge("container.cpu.effective")).isEqualTo(2);
      assertThat(counter("container.cpu.usage")).isEqualTo(5.0);
      assertThat(counter("container.cpu.cfs.periods")).isEqualTo(100);
      assertThat(counter("container.cpu.cfs.throttled.periods")).isEqualTo(7);
      assertThat(counter("container.cpu.cfs.throttled")).isEqualTo(t.isV2() ? 0.123456 : 0.123456789);
      assertThat(gauge("container.pids.current")).isEqualTo(17);
      assertThat(gauge("container.pids.limit")).isEqualTo(100);

      assertThat(unit("container.memory.limit")).isEqualTo("bytes");
      assertThat(unit("container.memory.usage")).isEqualTo("bytes");
      assertThat(unit("container.memory.working.set")).isEqualTo("bytes");
      assertThat(unit("container.memory.limit.hits")).isNull();
      assertThat(unit("container.memory.oom.kills")).isNull();
      assertThat(unit("container.cpu.usage")).isEqualTo("seconds");
      assertThat(unit("container.cpu.cfs.throttled")).isEqualTo("seconds");
      assertThat(unit("container.cpu.cfs.periods")).isEqualTo("periods");
      assertThat(unit("container.pids.current")).isNull();
      assertThat(unit("container.pids.limit")).isNull();
      assertThat(registry.get("container.cpu.usage").meter()).isInstanceOf(FunctionCounter.class);
      assertThat(registry.get("container.memory.usage").meter()).isInstanceOf(Gauge.class);
    }
  }

  String unit(String name) {
    return registry.get(name).meter().getId().getBaseUnit();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void gaugesFollowTheFilesAndLimitsFollowTheRecheckPeriod(String version) {
    CgroupTree t = tree(version);
    try (ContainerMetrics metrics = new ContainerMetrics(t.root(), ticker, Tags.empty())) {
      metrics.bindTo(registry);
      t.set(t.usageFile(), String.valueOf(700 * MIB));
      t.set(t.memory("memory.stat"), t.stat(200 * MIB));
      t.set(t.limitFile(), String.valueOf(2 * GIB));
      assertThat(gauge("container.memory.usage")).isEqualTo(700 * MIB);
      assertThat(gauge("container.memory.working.set")).isEqualTo(500 * MIB);
      assertThat(gauge("container.memory.limit")).isEqualTo(GIB);
      ticker.advance(Duration.ofSeconds(10));
      assertThat(gauge("container.memory.limit")).isEqualTo(2 * GIB);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2"})
  void unlimitedIsNaN(String version) {
    CgroupTree t = tree(version);
    t.set(t.limitFile(), t.isV2() ? "max" : "9223372036854771712");
    if (t.isV2()) {
      t.set(t.cpu("cpu.max"), "max 100000");
    } else {
      t.set(t.cpu("cpu.cfs_quota_us"), "-1");
    }
    t.set(t.pids("pids.max"), "max");
    try (ContainerMetrics metrics = new ContainerMetrics(t.root(), ticker, Tags.empty())) {
      metrics.bindTo(registry);
      assertThat(gauge("container.memory.limit")).isNaN();
      assertThat(gauge("container.cpu.limit")).isNaN();
      assertThat(gauge("container.pids.limit")).isNaN();
      assertThat(gauge("container.pids.current")).isEqualTo(17);
      assertThat(gauge("container.cpu.effective")).isEqualTo(4);
    }
  }

  @Test
  void anUnreadableValueIsNaNNeverAnException() {
    CgroupTree t = tree("v1");
    try (ContainerMetrics metrics = new ContainerMetrics(t.root(), ticker, Tags.empty())) {
      metrics.bindTo(registry);
      t.set(t.usageFile(), "garbage");
      t.set(t.cpu("cpuacct.usage"), "");
      t.set(t.cpu("cpu.stat"), "");
      t.set(t.memory("memory.oom_control"), "oom_kill_disable 0\n");
      assertThat(gauge("container.memory.usage")).isNaN();
      assertThat(gauge("container.memory.working.set")).isNaN();
      assertThat(counter("container.cpu.usage")).isNaN();
      assertThat(counter("container.cpu.cfs.periods")).isNaN();
      assertThat(counter("container.cpu.cfs.throttled.periods")).isNaN();
      assertThat(counter("container.cpu.cfs.throttled")).isNaN();
      assertThat(counter("container.memory.oom.kills")).isNaN();
      assertThat(counter("container.memory.limit.hits")).isEqualTo(3);
    }
  }

  @Test
  void onlyMetersWithASourceAreRegistered() {
    CgroupTree t = tree("v2");
    t.set("sys/fs/cgroup/cgroup.controllers", "memory pids\n"); // no cpu controller delegated
    t.set(t.cpu("cpu.stat"), "usage_usec 2000000\nuser_usec 1\nsystem_usec 1\n");
    t.delete(t.memory("memory.events"));
    try (ContainerMetrics metrics = new ContainerMetrics(t.root(), ticker, Tags.empty())) {
      metrics.bindTo(registry);
      assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsExactlyInAnyOrder(
          "container.memory.limit", "container.memory.usage", "container.memory.working.set",
          "container.cpu.effective", "container.cpu.usage", "container.pids.current", "container.pids.limit");
      assertThat(counter("container.cpu.usage")).isEqualTo(2.0);
    }
  }

  @Test
  void withoutCgroupsOnlyEffectiveCpusIsRegistered(@TempDir Path empty) {
    try (ContainerMetrics metrics = new ContainerMetrics(empty, ticker, Tags.empty())) {
      metrics.bindTo(registry);
      assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
          .containsExactly("container.cpu.effective");
      assertThat(gauge("container.cpu.effective")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void theCallersMonitorIsLeftOpen() {
    CgroupTree t = tree("v1");
    try (ResourceMonitor monitor = ResourceMonitor.builder().root(t.root()).ticker(ticker).build()) {
      ContainerMetrics metrics = new ContainerMetrics(monitor);
      metrics.bindTo(registry);
      metrics.close();
      assertThat(monitor.memoryUsageBytes()).hasValue(300 * MIB);
      assertThat(gauge("container.memory.usage")).isEqualTo(300 * MIB);
    }
    assertThat(gauge("container.memory.usage")).as("closed monitor").isNaN();
  }
}
