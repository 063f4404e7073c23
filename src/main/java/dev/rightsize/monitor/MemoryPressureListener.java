package dev.rightsize.monitor;

/** Told when the working set crosses a threshold fraction of the memory limit, once per crossing. */
@FunctionalInterface
public interface MemoryPressureListener {
  /**
   * Called on the thread that read the working set, outside the monitor's locks. An exception is
   * logged and otherwise ignored.
   *
   * @param event the crossing
   */
  void pressureChanged(MemoryPressureEvent event);
}
