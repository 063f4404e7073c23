package dev.rightsize.monitor;

/** A value a {@link ResourceMonitor} reads live from a cgroup file. (The order is the internal poll order.) */
public enum LiveValue {
  /** Bytes charged to the cgroup, page cache included (v1 {@code memory.usage_in_bytes}, v2 {@code memory.current}). */
  MEMORY_USAGE,
  /** Usage minus inactive file cache (v1 {@code total_inactive_file}, v2 {@code inactive_file} of {@code memory.stat}). */
  MEMORY_WORKING_SET,
  /** Times the memory limit was hit (v1 {@code memory.failcnt}, v2 {@code memory.events max}). */
  MEMORY_FAIL_COUNT,
  /** OOM kills in the cgroup (v1 {@code memory.oom_control oom_kill}, Linux 4.13+; v2 {@code memory.events oom_kill}). */
  OOM_KILLS,
  /** CPU time consumed (v1 {@code cpuacct.usage}, v2 {@code cpu.stat usage_usec}). */
  CPU_USAGE,
  /** CFS enforcement periods elapsed ({@code cpu.stat nr_periods}). */
  CPU_PERIODS,
  /** CFS periods in which the cgroup was throttled ({@code cpu.stat nr_throttled}). */
  CPU_THROTTLED_PERIODS,
  /** Time the cgroup spent throttled (v1 {@code cpu.stat throttled_time}, v2 {@code throttled_usec}). */
  CPU_THROTTLED_TIME,
  /** Tasks counted against the task limit ({@code pids.current} of the cgroup that sets {@code pids.max}). */
  PIDS_CURRENT
}
