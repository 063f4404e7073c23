package dev.rightsize.micrometer;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import dev.rightsize.monitor.LiveValue;
import dev.rightsize.monitor.ResourceMonitor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Container limits and live usage as Micrometer meters, read through a {@link ResourceMonitor}.
 *
 * <pre>{@code
 * ResourceMonitor monitor = ResourceMonitor.create();
 * new ContainerMetrics(monitor).bindTo(registry);
 * }</pre>
 *
 * <p>Registered meters (a meter is registered only where its source exists on this system; a value
 * that cannot be read at poll time, or an absent limit, is {@code NaN}, never an exception). Names
 * follow Micrometer's dot convention and map, in Prometheus, to cAdvisor's names for the same
 * quantities ({@code container_memory_working_set_bytes}, {@code container_cpu_usage_seconds_total},
 * {@code container_cpu_cfs_throttled_periods_total}...); counts carry no base unit, so that Prometheus
 * names them {@code container_memory_oom_kills_total} rather than {@code ..._events_total}:
 *
 * <table>
 * <caption>meters</caption>
 * <tr><th>name</th><th>type</th><th>base unit</th><th>source</th></tr>
 * <tr><td>{@code container.memory.limit}</td><td>gauge</td><td>bytes</td><td>detected limit
 *     (tightest along the cgroup path); NaN when unlimited</td></tr>
 * <tr><td>{@code container.memory.usage}</td><td>gauge</td><td>bytes</td><td>v1
 *     {@code memory.usage_in_bytes}, v2 {@code memory.current}</td></tr>
 * <tr><td>{@code container.memory.working.set}</td><td>gauge</td><td>bytes</td><td>usage minus
 *     inactive file ({@code memory.stat})</td></tr>
 * <tr><td>{@code container.memory.limit.hits}</td><td>function counter</td><td>(count)</td><td>v1
 *     {@code memory.failcnt}, v2 {@code memory.events max}</td></tr>
 * <tr><td>{@code container.memory.oom.kills}</td><td>function counter</td><td>(count)</td><td>v1
 *     {@code memory.oom_control oom_kill}, v2 {@code memory.events oom_kill}</td></tr>
 * <tr><td>{@code container.cpu.limit}</td><td>gauge</td><td>CPUs</td><td>quota/period; NaN when
 *     there is no quota</td></tr>
 * <tr><td>{@code container.cpu.effective}</td><td>gauge</td><td>CPUs</td><td>
 *     {@link dev.rightsize.Cpu#effective()}; always registered</td></tr>
 * <tr><td>{@code container.cpu.usage}</td><td>function counter</td><td>seconds</td><td>v1
 *     {@code cpuacct.usage}, v2 {@code cpu.stat usage_usec}</td></tr>
 * <tr><td>{@code container.cpu.cfs.periods}</td><td>function counter</td><td>periods</td><td>
 *     {@code cpu.stat nr_periods}</td></tr>
 * <tr><td>{@code container.cpu.cfs.throttled.periods}</td><td>function counter</td><td>periods</td>
 *     <td>{@code cpu.stat nr_throttled}</td></tr>
 * <tr><td>{@code container.cpu.cfs.throttled}</td><td>function counter</td><td>seconds</td><td>v1
 *     {@code cpu.stat throttled_time}, v2 {@code throttled_usec}</td></tr>
 * <tr><td>{@code container.pids.current}</td><td>gauge</td><td>(count)</td><td>{@code pids.current}
 *     of the cgroup that sets the task limit</td></tr>
 * <tr><td>{@code container.pids.limit}</td><td>gauge</td><td>(count)</td><td>the tightest
 *     {@code pids.max} along the cgroup path; NaN when unlimited or unknown</td></tr>
 * </table>
 *
 * <p>Deliberately left out: soft and swap limits, cpuset size and shares (configuration, in the
 * startup report; {@code container.cpu.effective} already folds in the cpuset); the kernel's peak
 * usage ({@code max_usage_in_bytes}: resettable and misleading as a gauge); a pressure ratio and a
 * CPU utilisation gauge (derive them in the backend, {@code working.set / limit} and
 * {@code rate(cpu.usage) / cpu.limit}, so no sampling window is baked in); host-wide values
 * (Micrometer's {@code system.*} meters have them); open file descriptors (Micrometer's own
 * {@code process.files.open} and {@code process.files.max}, from {@code FileDescriptorMetrics},
 * already report them and the soft limit).
 */
public final class ContainerMetrics implements MeterBinder, AutoCloseable {
  private final ResourceMonitor monitor;
  private final Iterable<Tag> tags;
  private final boolean owned;

  /**
   * Meters over a monitor the caller owns (and closes).
   *
   * @param monitor the monitor to read
   */
  public ContainerMetrics(ResourceMonitor monitor) {
    this(monitor, Tags.empty());
  }

  /**
   * Meters over a monitor the caller owns (and closes), with extra tags on every meter.
   *
   * @param monitor the monitor to read
   * @param tags added to every meter
   */
  public ContainerMetrics(ResourceMonitor monitor, Iterable<Tag> tags) {
    this(monitor, tags, false);
  }

  /** For tests: a monitor of its own over a fake root and ticker, closed by {@link #close()}. */
  ContainerMetrics(Path root, Ticker ticker, Iterable<Tag> tags) {
    this(ResourceMonitor.builder().root(root).ticker(ticker).build(), tags, true);
  }

  private ContainerMetrics(ResourceMonitor monitor, Iterable<Tag> tags, boolean owned) {
    this.monitor = requireNonNull(monitor, "monitor");
    this.tags = Tags.of(requireNonNull(tags, "tags"));
    this.owned = owned;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    boolean memory = monitor.isAvailable(LiveValue.MEMORY_USAGE) || monitor.memoryLimitBytes().value().isPresent();
    if (memory) {
      gauge(registry, "container.memory.limit", "The memory limit; NaN when unlimited or unknown", BaseUnits.BYTES,
          m -> nan(m.memoryLimitBytes()));
    }
    if (monitor.isAvailable(LiveValue.MEMORY_USAGE)) {
      gauge(registry, "container.memory.usage", "Memory charged to the container, page cache included",
          BaseUnits.BYTES, m -> live(m, LiveValue.MEMORY_USAGE));
    }
    if (monitor.isAvailable(LiveValue.MEMORY_WORKING_SET)) {
      gauge(registry, "container.memory.working.set", "Memory usage minus inactive file cache",
          BaseUnits.BYTES, m -> nan(m.memoryWorkingSetBytes()));
    }
    if (monitor.isAvailable(LiveValue.MEMORY_FAIL_COUNT)) {
      counter(registry, "container.memory.limit.hits", "Times memory usage hit the limit", null,
          m -> live(m, LiveValue.MEMORY_FAIL_COUNT));
    }
    if (monitor.isAvailable(LiveValue.OOM_KILLS)) {
      counter(registry, "container.memory.oom.kills", "Processes killed by the OOM killer in the container",
          null, m -> live(m, LiveValue.OOM_KILLS));
    }
    if (monitor.isAvailable(LiveValue.CPU_PERIODS) || monitor.cpuLimit().isPresent()) {
      gauge(registry, "container.cpu.limit", "The CPU quota in CPUs (quota/period); NaN when there is no quota",
          null, m -> nan(m.cpuLimit()));
    }
    gauge(registry, "container.cpu.effective", "CPUs a pool should assume", null, m -> m.effectiveCpus());
    if (monitor.isAvailable(LiveValue.CPU_USAGE)) {
      counter(registry, "container.cpu.usage", "CPU time consumed by the container", "seconds",
          m -> seconds(m.cpuUsageNanos()));
    }
    if (monitor.isAvailable(LiveValue.CPU_PERIODS)) {
      counter(registry, "container.cpu.cfs.periods", "CFS enforcement periods elapsed", "periods",
          m -> live(m, LiveValue.CPU_PERIODS));
    }
    if (monitor.isAvailable(LiveValue.CPU_THROTTLED_PERIODS)) {
      counter(registry, "container.cpu.cfs.throttled.periods", "CFS periods in which the container was throttled",
          "periods", m -> live(m, LiveValue.CPU_THROTTLED_PERIODS));
    }
    if (monitor.isAvailable(LiveValue.CPU_THROTTLED_TIME)) {
      counter(registry, "container.cpu.cfs.throttled", "Time the container spent throttled", "seconds",
          m -> seconds(m.cpuThrottledNanos()));
    }
    if (monitor.isAvailable(LiveValue.PIDS_CURRENT)) {
      gauge(registry, "container.pids.current", "Tasks (processes and threads) counted against the task limit",
          null, m -> live(m, LiveValue.PIDS_CURRENT));
    }
    if (monitor.isAvailable(LiveValue.PIDS_CURRENT) || monitor.pidsLimit().value().isPresent()) {
      gauge(registry, "container.pids.limit", "The task limit (pids.max); NaN when unlimited or unknown", null,
          m -> nan(m.pidsLimit()));
    }
  }

  private void gauge(MeterRegistry r, String name, String description, String unit,
      ToDoubleFunction<ResourceMonitor> f) {
    Gauge.builder(name, monitor, f).description(description).baseUnit(unit).tags(tags).strongReference(true)
        .register(r);
  }

  private void counter(MeterRegistry r, String name, String description, String unit,
      ToDoubleFunction<ResourceMonitor> f) {
    FunctionCounter.builder(name, monitor, f).description(description).baseUnit(unit).tags(tags).register(r);
  }

  /** A live value without allocating; NaN when it cannot be read. */
  private static double live(ResourceMonitor m, LiveValue v) {
    long x = m.read(v, Long.MIN_VALUE);
    return x == Long.MIN_VALUE ? Double.NaN : x;
  }

  private static double nan(dev.rightsize.Limit v) {
    return v.isLimited() ? v.value().getAsLong() : Double.NaN;
  }

  private static double nan(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : Double.NaN;
  }

  private static double nan(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : Double.NaN;
  }

  private static double seconds(OptionalLong nanos) {
    return nanos.isPresent() ? nanos.getAsLong() / 1e9 : Double.NaN;
  }

  /** Closes the monitor when this binder created it; otherwise does nothing (the caller owns it). */
  @Override
  public void close() {
    if (owned) {
      monitor.close();
    }
  }
}
