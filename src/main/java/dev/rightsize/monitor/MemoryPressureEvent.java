package dev.rightsize.monitor;

import dev.rightsize.internal.Sizes;

/**
 * A crossing of a memory pressure threshold.
 *
 * @param threshold the fraction of the limit crossed, e.g. {@code 0.9}
 * @param rising true when the working set rose to or above {@code threshold}; false when it fell
 *     below {@code threshold - hysteresis} after having risen
 * @param workingSetBytes the working set that caused the crossing
 * @param limitBytes the memory limit at that moment
 */
public record MemoryPressureEvent(double threshold, boolean rising, long workingSetBytes, long limitBytes) {
  /**
   * The working set as a fraction of the limit.
   *
   * @return e.g. 0.92
   */
  public double ratio() {
    return (double) workingSetBytes / limitBytes;
  }

  /**
   * A person's reading: {@code working set 920 MiB rose to 90% of the 1 GiB limit (now 92%)}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return "working set " + Sizes.human(workingSetBytes) + (rising ? " rose to " : " fell below ")
        + Math.round(threshold * 100) + "% of the " + Sizes.human(limitBytes) + " limit (now "
        + Math.round(ratio() * 100) + "%)";
  }
}
