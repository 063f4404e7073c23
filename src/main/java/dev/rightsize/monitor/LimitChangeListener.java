package dev.rightsize.monitor;

import dev.rightsize.ContainerResources;

/**
 * Told when a limit changed (an in-place resize): memory limit, soft or swap limit, CPU quota,
 * period, cpuset, shares or effective CPUs. Usage changes never fire it.
 */
@FunctionalInterface
public interface LimitChangeListener {
  /**
   * Called on the thread that noticed the change (a reader, or the refresh thread), outside the
   * monitor's locks. An exception is logged and otherwise ignored.
   *
   * @param previous the snapshot before
   * @param current the snapshot now
   */
  void limitsChanged(ContainerResources previous, ContainerResources current);
}
