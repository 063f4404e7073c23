package dev.rightsize.monitor;

import java.util.ArrayList;
import java.util.List;

/** Threshold crossings of working set / limit, with hysteresis. Thread-safe. */
final class PressureTracker {
  private final double[] thresholds;
  private final double hysteresis;
  private final boolean[] above;

  PressureTracker(double[] thresholds, double hysteresis) {
    this.thresholds = thresholds.clone();
    this.hysteresis = hysteresis;
    this.above = new boolean[thresholds.length];
  }

  /**
   * The crossings caused by one reading.
   *
   * @param ws the working set in bytes
   * @param limit the memory limit in bytes, positive
   * @return the events, in threshold order; empty when nothing crossed
   */
  synchronized List<MemoryPressureEvent> check(long ws, long limit) {
    double ratio = (double) ws / limit;
    List<MemoryPressureEvent> events = List.of();
    for (int i = 0; i < thresholds.length; i++) {
      boolean fire = false;
      if (!above[i] && ratio >= thresholds[i]) {
        above[i] = true;
        fire = true;
      } else if (above[i] && ratio < thresholds[i] - hysteresis) {
        above[i] = false;
        fire = true;
      }
      if (fire) {
        if (events.isEmpty()) {
          events = new ArrayList<>();
        }
        events.add(new MemoryPressureEvent(thresholds[i], above[i], ws, limit));
      }
    }
    return events;
  }
}
