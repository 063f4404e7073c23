package dev.rightsize.internal;

import dev.rightsize.internal.CgroupLayout.Controller;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads one cgroup version's files. The resolver picks the reader per controller, so a hybrid host
 * (v1 cpu, v2 memory) is read correctly; it does not care which version it talks to.
 */
interface CgroupReader {

  /** The reader for a controller's hierarchy. */
  static CgroupReader of(Controller c, Files2 files) {
    return c.version() == CgroupLayout.Version.V2 ? new CgroupV2Reader(files) : new CgroupV1Reader(files);
  }

  /** CPU bandwidth limit, the tightest along the chain. */
  CpuLimit cpuLimit(Controller cpu);

  /** CPUs in the cpuset. */
  OptionalInt cpuset(Controller cpuset);

  /** Shares (v2 weight mapped to shares). */
  OptionalInt shares(Controller cpu);

  /** Memory limits and usage. */
  MemoryReading memory(Controller memory);

  /**
   * A CPU limit.
   *
   * @param cpus quota/period, empty when unlimited
   * @param quotaMicros the quota of the level that set it
   * @param periodMicros the period of that level
   * @param file the file that set it
   * @param raw its raw text
   */
  record CpuLimit(OptionalDouble cpus, OptionalLong quotaMicros, OptionalLong periodMicros, String file, String raw) {
    static final CpuLimit NONE = new CpuLimit(OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), null, null);
  }

  /**
   * What the memory controller says.
   *
   * @param limit hard limit (tightest)
   * @param limitReadable whether any limit file could be read
   * @param soft soft limit / memory.high (tightest)
   * @param swap swap beyond the limit
   * @param usage bytes charged now
   * @param workingSet usage minus inactive file
   * @param maxUsage peak
   * @param failCount limit hits
   * @param oomKills OOM kills
   */
  record MemoryReading(
      Files2.Limit limit, boolean limitReadable, Files2.Limit soft, Files2.Limit swap,
      OptionalLong usage, OptionalLong workingSet, OptionalLong maxUsage, OptionalLong failCount,
      OptionalLong oomKills) {}
}
