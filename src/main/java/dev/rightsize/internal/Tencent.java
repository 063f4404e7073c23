package dev.rightsize.internal;

import java.util.Map;

/**
 * TencentOS Server 2.4's isolation switch ({@code kernel.stats_isolated}) as it applies to this
 * process. The global sysctl is readable; the per-container switch is write-only, and its state
 * shows in the reader's cgroup files {@code memory.stats_isolated} (meminfo),
 * {@code cpuset.stats_isolated} (cpuinfo, stat) and {@code cpu.quota_aware} (cpuinfo count capped by
 * the quota). Each /proc file is isolated per controller of the reader (kernel 4.14.105-19,
 * mm/memcontrol.c l.4217, kernel/cgroup/cpuset.c l.2018, kernel/sched/core.c l.6627).
 *
 * @param global {@code /proc/sys/kernel/stats_isolated} is non-zero
 * @param memoryIsolated /proc/meminfo shows the memory cgroup
 * @param cpuIsolated /proc/cpuinfo shows the cpuset (and maybe the quota)
 * @param evidence what decided, for provenance
 */
record Tencent(boolean global, boolean memoryIsolated, boolean cpuIsolated, String evidence) {

  static Tencent read(Files2 files, CgroupLayout layout) {
    Long g = files.longValue(Detector.STATS_ISOLATED, false);
    if (g == null || g == 0) {
      return new Tencent(false, false, false, g == null ? "" : "0");
    }
    StringBuilder ev = new StringBuilder("stats_isolated=").append(g);
    // A flag file is absent on the root cgroup (CFTYPE_NOT_ON_ROOT): no isolation there.
    Boolean mem = flag(files, layout, "memory", "memory.stats_isolated", ev);
    Boolean cpu = flag(files, layout, "cpuset", "cpuset.stats_isolated", ev);
    // Only evidence: with cpu.quota_aware = 0 the isolated cpuinfo ignores the quota, which the
    // cross-check then reports as a disagreement (kernel/sched/core.c l.6627-6647).
    flag(files, layout, "cpu", "cpu.quota_aware", ev);
    // Without cgroupfs the flags cannot be read: cpuinfo then counts as the view (it is either
    // isolated or equal to the host's, so as a bound it is safe); meminfo is fingerprinted later.
    boolean cpuIso = cpu != null ? cpu : layout.get("cpuset").isEmpty();
    return new Tencent(true, mem != null && mem, cpuIso, ev.toString());
  }

  private static Boolean flag(Files2 files, CgroupLayout layout, String controller, String name, StringBuilder ev) {
    var c = layout.get(controller);
    if (c.isEmpty()) {
      return null;
    }
    String file = c.get().file(name);
    Long v = files.longValue(file, false);
    if (v == null) {
      return files.fs().exists(file) ? null : Boolean.FALSE;
    }
    ev.append(", ").append(name).append('=').append(v);
    return v != 0;
  }

  /** Isolated meminfo has no MemAvailable line and VmallocTotal 0 (mm/memcontrol.c l.3988-4133). */
  static boolean meminfoLooksIsolated(Map<String, Long> meminfo) {
    Long vmalloc = meminfo.get("VmallocTotal");
    return !meminfo.containsKey("MemAvailable") && vmalloc != null && vmalloc == 0;
  }

  Tencent withMemoryIsolated() {
    return new Tencent(global, true, cpuIsolated, evidence + ", meminfo fingerprint (no MemAvailable, VmallocTotal 0)");
  }
}
