package dev.rightsize.monitor;

import dev.rightsize.internal.Sizes;

import dev.rightsize.Limit;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One poll of every live value, with the limits known at that moment. An empty value could not be
 * read (or has no source on this system).
 *
 * @param tickerNanos the monitor's ticker when the poll was taken (only differences mean anything)
 * @param memoryUsageBytes bytes charged to the cgroup, page cache included
 * @param memoryWorkingSetBytes usage minus inactive file cache
 * @param memoryLimitBytes the hard memory limit: set, absent or unknown
 * @param memoryFailCount times the memory limit was hit
 * @param oomKills OOM kills in the cgroup
 * @param cpuUsageNanos CPU time consumed by the cgroup, cumulative
 * @param cpuPeriods CFS periods elapsed, cumulative
 * @param cpuThrottledPeriods CFS periods with throttling, cumulative
 * @param cpuThrottledNanos time spent throttled, cumulative
 * @param cpuLimit quota/period in CPUs; empty when there is no quota or it could not be read
 * @param effectiveCpus CPUs a pool should assume (see {@link dev.rightsize.Cpu#effective()})
 * @param pidsCurrent tasks counted against the task limit ({@code pids.current})
 * @param pidsLimit the task limit ({@code pids.max}, tightest along the path): set, absent or unknown
 */
public record ResourceSnapshot(
    long tickerNanos,
    OptionalLong memoryUsageBytes,
    OptionalLong memoryWorkingSetBytes,
    Limit memoryLimitBytes,
    OptionalLong memoryFailCount,
    OptionalLong oomKills,
    OptionalLong cpuUsageNanos,
    OptionalLong cpuPeriods,
    OptionalLong cpuThrottledPeriods,
    OptionalLong cpuThrottledNanos,
    OptionalDouble cpuLimit,
    int effectiveCpus,
    OptionalLong pidsCurrent,
    Limit pidsLimit) {

  /**
   * The working set as a fraction of the memory limit.
   *
   * @return e.g. 0.85; empty when there is no limit, it is unknown, or the working set was not read
   */
  public OptionalDouble memoryPressure() {
    if (memoryWorkingSetBytes.isEmpty() || !memoryLimitBytes.isLimited() || memoryLimitBytes.value().getAsLong() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((double) memoryWorkingSetBytes.getAsLong() / memoryLimitBytes.value().getAsLong());
  }

  /**
   * A person's reading, values that could not be read left out: {@code ResourceSnapshot[memory
   * usage 43.6 MiB, working set 41.0 MiB, limit 512 MiB, limit hits 0, OOM kills 0, CPU usage
   * 2.584 s, throttled 50 of 51 periods (3.911 s), limit 0.5 CPUs, effective 1]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ResourceSnapshot[memory");
    String sep = " ";
    if (memoryUsageBytes.isPresent()) {
      b.append(sep).append("usage ").append(Sizes.human(memoryUsageBytes.getAsLong()));
      sep = ", ";
    }
    if (memoryWorkingSetBytes.isPresent()) {
      b.append(sep).append("working set ").append(Sizes.human(memoryWorkingSetBytes.getAsLong()));
      sep = ", ";
    }
    b.append(sep).append("limit ").append(memoryLimitBytes.isLimited()
        ? Sizes.human(memoryLimitBytes.value().getAsLong()) : memoryLimitBytes.isUnlimited() ? "unlimited" : "unknown");
    if (memoryFailCount.isPresent()) {
      b.append(", limit hits ").append(memoryFailCount.getAsLong());
    }
    if (oomKills.isPresent()) {
      b.append(", OOM kills ").append(oomKills.getAsLong());
    }
    if (cpuUsageNanos.isPresent()) {
      b.append(", CPU usage ").append(seconds(cpuUsageNanos.getAsLong()));
    }
    if (cpuPeriods.isPresent() && cpuThrottledPeriods.isPresent()) {
      b.append(", throttled ").append(cpuThrottledPeriods.getAsLong()).append(" of ").append(cpuPeriods.getAsLong())
          .append(" periods");
      if (cpuThrottledNanos.isPresent()) {
        b.append(" (").append(seconds(cpuThrottledNanos.getAsLong())).append(')');
      }
    }
    if (cpuLimit.isPresent()) {
      double l = cpuLimit.getAsDouble();
      b.append(", limit ").append(Sizes.decimal(l)).append(l == 1.0 ? " CPU" : " CPUs");
    } else {
      // empty is "no quota" or "could not be read": this record cannot tell which, so it says neither
      b.append(", no CPU quota read");
    }
    return b.append(", effective ").append(effectiveCpus).append(']').toString();
  }

  private static String seconds(long nanos) {
    return (nanos / 1_000_000_000L) + "." + String.format(java.util.Locale.ROOT, "%03d", nanos / 1_000_000 % 1000) + " s";
  }
}
