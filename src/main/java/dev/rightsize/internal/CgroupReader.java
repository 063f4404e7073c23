package dev.rightsize.internal;

import dev.rightsize.Limit;
import dev.rightsize.internal.CgroupLayout.Controller;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads one cgroup version's files: the only place that knows which file holds which value, for
 * snapshots ({@link Detector}) and live reads ({@link LiveReader}) alike. The resolver picks the
 * reader per controller, so a hybrid host (v1 cpu, v2 memory) is read correctly.
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
   * CPU bandwidth limit, the tightest along the chain; unknown when a level could not be read.
   *
   * @param cpu the cpu controller
   * @return the quota
   */
  CpuQuota cpuQuota(Controller cpu);

  /**
   * CPUs in the cpuset; marks {@code cpu.cpuset} unknown when a level could not be read.
   *
   * @param cpuset the cpuset controller
   * @return the number of CPUs (the tightest bound read when unknown); empty when none was read
   */
  OptionalInt cpuset(Controller cpuset);

  /**
   * Shares (v2 weight mapped to shares); marks {@code cpu.shares} unknown when the file failed.
   *
   * @param cpu the cpu controller
   * @return the shares; empty when not read
   */
  OptionalInt shares(Controller cpu);

  /**
   * Memory limits and usage; marks usage and working set unknown when their files failed.
   *
   * @param memory the memory controller
   * @return what could be read
   */
  MemoryReading memory(Controller memory);

  /**
   * The task limit and count: the tightest {@code pids.max} along the chain ({@code max} is
   * unlimited in both versions) and {@code pids.current} of the cgroup that sets it (the nearest
   * cgroup that has the file when none does).
   *
   * @param pids the pids controller
   * @return what could be read
   */
  PidsReading pids(Controller pids);

  /** The task limit's file. */
  String PIDS_MAX = "pids.max";
  /** The task count's file. */
  String PIDS_CURRENT = "pids.current";

  /**
   * Reads {@code pids.max} along the chain and the matching {@code pids.current}.
   *
   * @param f where to read
   * @param pids the controller
   * @param missingIsUnknown whether a leaf without {@code pids.max} is a failed read (v1, below the
   *     hierarchy's root) rather than a level without the controller (v2)
   * @return the reading
   */
  static PidsReading readPids(Files2 f, Controller pids, boolean missingIsUnknown) {
    Files2.Found limit = f.tightest(pids.chain(), PIDS_MAX, Files2.V2, missingIsUnknown);
    String dir = null;
    if (limit.file() != null) {
      dir = limit.file().substring(0, limit.file().length() - PIDS_MAX.length() - 1);
    } else {
      for (String d : pids.chain()) {
        if (f.fs().exists(CgroupLayout.join(d, PIDS_CURRENT))) {
          dir = d;
          break;
        }
      }
    }
    String currentFile = dir == null ? null : CgroupLayout.join(dir, PIDS_CURRENT);
    Long current = currentFile == null ? null : f.nonNegative(currentFile, false);
    return new PidsReading(limit, current == null ? OptionalLong.empty() : OptionalLong.of(current), currentFile);
  }

  /**
   * What the pids controller says.
   *
   * @param limit the tightest {@code pids.max} (unknown carries the tightest read)
   * @param current tasks counted against it; empty when not read
   * @param currentFile the {@code pids.current} read, or null when none was found
   */
  record PidsReading(Files2.Found limit, OptionalLong current, String currentFile) {}

  /**
   * Where the live values of a memory controller are read.
   *
   * @param memory the memory controller
   * @return the sources; a source whose file is null has none in this version
   */
  LiveSources.Memory liveMemory(Controller memory);

  /**
   * A CPU quota and where it was read.
   *
   * @param quota the quota in microseconds (unknown carries the tightest quota read)
   * @param period the period of the level that set it, in microseconds
   * @param file the file that set it, or null
   * @param raw its raw text, or null
   */
  record CpuQuota(Limit quota, OptionalLong period, String file, String raw) {
    static final CpuQuota NONE = new CpuQuota(Limit.unlimited(), OptionalLong.empty(), null, null);
    static final CpuQuota UNKNOWN = new CpuQuota(Limit.unknown(), OptionalLong.empty(), null, null);

    /** quota/period in CPUs, or NaN without a value. */
    double cpus() {
      return quota.value().isPresent() ? (double) quota.value().getAsLong() / period.getAsLong() : Double.NaN;
    }

    CpuQuota asUnknown() {
      if (!quota.isKnown()) {
        return this;
      }
      return quota.value().isPresent()
          ? new CpuQuota(Limit.unknownAtMost(quota.value().getAsLong()), period, file, raw) : UNKNOWN;
    }
  }

  /**
   * What the memory controller says.
   *
   * @param limit hard limit in bytes (tightest)
   * @param soft soft limit / memory.high in bytes (tightest)
   * @param swap swap beyond the limit, in bytes
   * @param usage bytes charged now; empty when unknown
   * @param usageFile the file usage was read from
   * @param workingSet usage minus inactive file, in bytes; empty when unknown
   * @param maxUsage peak usage in bytes; empty when unknown
   * @param failCount limit hits (v2: {@code memory.events} {@code max}); empty when unknown
   * @param oomKills OOM kills; empty when unknown
   * @param statFile the file the inactive file cache was read from
   * @param inactiveKey the key subtracted from usage for the working set
   * @param maxUsageFile the peak usage file
   * @param failFile the limit-hit counter's file
   * @param failKey its key, or null when the file holds the number alone
   * @param oomFile the OOM-kill counter's file
   */
  record MemoryReading(
      Files2.Found limit, Files2.Found soft, Files2.Found swap,
      OptionalLong usage, String usageFile, OptionalLong workingSet, OptionalLong maxUsage, OptionalLong failCount,
      OptionalLong oomKills, String statFile, String inactiveKey, String maxUsageFile, String failFile,
      String failKey, String oomFile) {}
}
