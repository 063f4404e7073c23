package dev.rightsize.monitor;

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
 * @param cpuLimit quota/period in CPUs; empty when there is no quota
 * @param effectiveCpus CPUs a pool should assume (see {@link dev.rightsize.Cpu#effective()})
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
    int effectiveCpus) {

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
}
