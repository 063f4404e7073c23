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

  /**
   * The reader for a controller's hierarchy.
   *
   * @param c the controller
   * @param files where the reader reads
   * @return a v2 reader for {@link CgroupLayout.Version#V2}, otherwise a v1 reader
   */
  static CgroupReader of(Controller c, Files2 files) {
    return c.version() == CgroupLayout.Version.V2 ? new CgroupV2Reader(files) : new CgroupV1Reader(files);
  }

  /**
   * CPU bandwidth limit, the tightest along the chain.
   *
   * @param cpu the cpu controller
   * @return the limit; {@link CpuLimit#NONE} when no level has a quota
   */
  CpuLimit cpuLimit(Controller cpu);

  /**
   * CPUs in the cpuset.
   *
   * @param cpuset the cpuset controller
   * @return the number of CPUs; empty when unknown
   */
  OptionalInt cpuset(Controller cpuset);

  /**
   * Shares (v2 weight mapped to shares).
   *
   * @param cpu the cpu controller
   * @return the shares; empty when unknown
   */
  OptionalInt shares(Controller cpu);

  /**
   * Memory limits and usage.
   *
   * @param memory the memory controller
   * @return what could be read
   */
  MemoryReading memory(Controller memory);

  /**
   * A CPU limit.
   *
   * @param cpus quota/period in CPUs, empty when unlimited
   * @param quotaMicros the quota of the level that set it, in microseconds
   * @param periodMicros the period of that level, in microseconds
   * @param file the file that set it, or null
   * @param raw its raw text, or null
   */
  record CpuLimit(OptionalDouble cpus, OptionalLong quotaMicros, OptionalLong periodMicros, String file, String raw) {
    static final CpuLimit NONE = new CpuLimit(OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), null, null);
  }

  /**
   * What the memory controller says.
   *
   * @param limit hard limit in bytes (tightest)
   * @param limitReadable whether any limit file could be read
   * @param soft soft limit / memory.high in bytes (tightest)
   * @param swap swap beyond the limit, in bytes
   * @param usage bytes charged now; empty when unknown
   * @param workingSet usage minus inactive file, in bytes; empty when unknown
   * @param maxUsage peak usage in bytes; empty when unknown
   * @param failCount limit hits (v2: {@code memory.events} {@code max}); empty when unknown
   * @param oomKills OOM kills; empty when unknown
   */
  record MemoryReading(
      Files2.Limit limit, boolean limitReadable, Files2.Limit soft, Files2.Limit swap,
      OptionalLong usage, OptionalLong workingSet, OptionalLong maxUsage, OptionalLong failCount,
      OptionalLong oomKills) {}
}
