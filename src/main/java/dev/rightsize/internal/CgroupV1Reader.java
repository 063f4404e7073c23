package dev.rightsize.internal;

import dev.rightsize.Limit;
import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.Files2.Found;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** cgroup v1: {@code cpu.cfs_*}, {@code cpu.shares}, {@code cpuset.cpus}, {@code memory.*}. */
final class CgroupV1Reader implements CgroupReader {
  static final String QUOTA = "cpu.cfs_quota_us";
  static final String USAGE = "memory.usage_in_bytes";
  static final String STAT = "memory.stat";
  static final String FAILCNT = "memory.failcnt";
  static final String OOM_CONTROL = "memory.oom_control";
  static final String MAX_USAGE = "memory.max_usage_in_bytes";
  static final String PERIOD = "cpu.cfs_period_us";
  private final Files2 f;

  CgroupV1Reader(Files2 files) {
    this.f = files;
  }

  @Override
  public CpuQuota cpuQuota(Controller cpu) {
    CpuQuota best = CpuQuota.NONE;
    boolean failed = false;
    boolean leafMissing = false;
    int missing = 0;
    for (int i = 0; i < cpu.chain().size(); i++) {
      String dir = cpu.chain().get(i);
      String qFile = CgroupLayout.join(dir, QUOTA);
      FileRead r = f.fs().read(qFile);
      if (r.missing()) {
        missing++;
        leafMissing |= i == 0;
        continue;
      }
      Long quota = r.isOk() ? parse(qFile, r.text()) : failed(qFile, r);
      if (quota == null) {
        failed = true;
        continue;
      }
      if (quota == -1) {
        continue;
      }
      if (quota <= 0) {
        f.diag().warn(WarningCode.UNPARSABLE, "CFS quota must be -1 or positive, is " + quota, qFile);
        failed = true;
        continue;
      }
      String pFile = CgroupLayout.join(dir, PERIOD);
      Long period = f.longValue(pFile, true);
      if (period == null) {
        failed = true;
        continue;
      }
      if (period <= 0) {
        f.diag().warn(WarningCode.UNPARSABLE, "CFS period must be positive, is " + period, pFile);
        failed = true;
        continue;
      }
      double cpus = (double) quota / period;
      if (best.quota().value().isEmpty() || cpus < best.cpus()) {
        best = new CpuQuota(Limit.of(quota), OptionalLong.of(period), qFile, quota + " / " + period + " (" + pFile + ")");
      }
    }
    // Missing everywhere: a kernel without CFS bandwidth control, so no quota. Missing at the leaf
    // while an ancestor has it: the leaf could hold one that was not read.
    if (leafMissing && missing < cpu.chain().size()) {
      f.diag().warn(WarningCode.FILE_MISSING, "expected file is missing", CgroupLayout.join(cpu.dir(), QUOTA));
      failed = true;
    }
    return failed ? best.asUnknown() : best;
  }

  private Long parse(String file, String text) {
    try {
      return Parse.singleLong(text);
    } catch (IllegalArgumentException e) {
      f.garbage(file, text, e);
      return null;
    }
  }

  private Long failed(String file, FileRead r) {
    f.diag().warn(WarningCode.READ_FAILED, "could not read: " + r.error(), file);
    return null;
  }

  @Override
  public OptionalInt cpuset(Controller cpuset) {
    return tightestCpuset(f, cpuset, "cpuset.cpus");
  }

  /** The smallest cpuset along the chain; a level that could not be read makes it unknown. */
  static OptionalInt tightestCpuset(Files2 f, Controller cpuset, String name) {
    int best = Integer.MAX_VALUE;
    String bestFile = null;
    String bestRaw = null;
    for (int i = 0; i < cpuset.chain().size(); i++) {
      String file = CgroupLayout.join(cpuset.chain().get(i), name);
      String text = f.text(file, i == 0);
      if (text == null && i > 0 && !f.fs().exists(file) && !f.fs().isDirectory(file)) {
        continue; // not captured above the leaf: no constraint read there
      }
      Integer count = f.cpuCount(file, text);
      if (count == null) {
        f.diag().unknown(Value.CPU_CPUSET);
        continue;
      }
      if (count == 0) {
        // v1 attaches no task to a cpuset without CPUs, nor gives a child CPUs its parent lacks:
        // an empty list on the process's path is garbled.
        f.diag().warn(WarningCode.UNPARSABLE, "empty CPU list", file);
        f.diag().unknown(Value.CPU_CPUSET);
        continue;
      }
      if (count < best) {
        best = count;
        bestFile = file;
        bestRaw = text;
      }
    }
    if (bestFile == null) {
      f.diag().unknown(Value.CPU_CPUSET);
      return OptionalInt.empty();
    }
    f.diag().provenance(Value.CPU_CPUSET, bestFile, bestRaw);
    return OptionalInt.of(best);
  }

  @Override
  public OptionalInt shares(Controller cpu) {
    String file = cpu.file("cpu.shares");
    FileRead r = f.fs().read(file);
    if (r.missing()) {
      return OptionalInt.empty();
    }
    Long v = r.isOk() ? parse(file, r.text()) : failed(file, r);
    if (v != null && (v < 2 || v > 262_144)) {
      f.diag().warn(WarningCode.UNPARSABLE, "cpu.shares out of range 2..262144: " + v, file);
      v = null;
    }
    if (v == null) {
      f.diag().unknown(Value.CPU_SHARES);
      return OptionalInt.empty();
    }
    f.diag().provenance(Value.CPU_SHARES, file, r.text());
    return OptionalInt.of(v.intValue());
  }

  /**
   * Every v1 pids cgroup but the hierarchy's root has {@code pids.max}: a leaf without it is a
   * failed read, unless the leaf is that root (a process in the root cgroup of a bare host).
   */
  @Override
  public PidsReading pids(Controller pids) {
    boolean hierarchyRoot = pids.chain().size() == 1 && pids.mount().root().equals("/");
    return CgroupReader.readPids(f, pids, !hierarchyRoot);
  }

  @Override
  public LiveSources.Memory liveMemory(Controller mem) {
    return new LiveSources.Memory(mem.file(USAGE), mem.file(STAT),
        new byte[][] {LiveSources.TOTAL_INACTIVE_FILE, LiveSources.INACTIVE_FILE}, mem.file(FAILCNT), null,
        mem.file(OOM_CONTROL), LiveParse.key("oom_kill"));
  }

  /** v1 CPU accounting: {@code cpuacct.usage} (ns) and the cpu controller's {@code cpu.stat}. */
  static LiveSources.Cpu liveCpu(Controller cpu, Controller cpuacct) {
    return new LiveSources.Cpu(cpuacct == null ? null : cpuacct.file("cpuacct.usage"), null, 1,
        cpu == null ? null : cpu.file("cpu.stat"), LiveParse.key("throttled_time"), 1);
  }

  @Override
  public MemoryReading memory(Controller mem) {
    Found limit = f.tightest(mem.chain(), "memory.limit_in_bytes", Files2.V1, true);
    Found memsw = f.tightest(mem.chain(), "memory.memsw.limit_in_bytes", Files2.V1, false);
    String statFile = mem.file(STAT);
    FileRead statRead = f.fs().read(statFile);
    Map<String, Long> stat = statRead.isOk() ? Parse.keyed(statRead.text()) : null;
    // Ancestors above the mount root (a pod's limit seen from a container) show only in
    // hierarchical_memory_limit: the kernel's minimum over the whole hierarchy, which also settles
    // an unreadable level. Where the mount root hides ancestors, a memory.stat that cannot say is a
    // limit that cannot be known.
    boolean ancestorsHidden = !mem.mount().root().equals("/");
    Long hierarchical = stat == null ? null : stat.get("hierarchical_memory_limit");
    if (hierarchical != null) {
      limit = hierarchical(limit, hierarchical, statFile, "hierarchical_memory_limit");
      memsw = hierarchical(memsw, stat.get("hierarchical_memsw_limit"), statFile, "hierarchical_memsw_limit");
    } else {
      if (!statRead.isOk() && !statRead.missing()) {
        f.diag().warn(WarningCode.READ_FAILED, "could not read: " + statRead.error(), statFile);
      } else if (statRead.isOk()) {
        f.diag().warn(WarningCode.UNPARSABLE, "no hierarchical_memory_limit line in \""
            + Diagnostics.cut(statRead.text()) + "\"", statFile);
      } else if (ancestorsHidden) {
        f.diag().warn(WarningCode.FILE_MISSING, "expected file is missing", statFile);
      }
      if (ancestorsHidden) {
        limit = limit.asUnknown();
        memsw = memsw.asUnknown();
      }
    }
    Found soft = f.tightest(mem.chain(), "memory.soft_limit_in_bytes", Files2.V1, false);
    Found swap = swap(memsw, limit);
    String usageFile = mem.file(USAGE);
    OptionalLong usage = opt(f.nonNegative(usageFile, true));
    OptionalLong ws = OptionalLong.empty();
    String inactiveKey = stat != null && stat.containsKey("total_inactive_file") ? "total_inactive_file" : "inactive_file";
    if (usage.isPresent() && stat != null) {
      Long inactive = stat.get(inactiveKey);
      if (inactive != null) {
        ws = OptionalLong.of(Math.max(0, usage.getAsLong() - inactive));
      } else {
        f.diag().warn(WarningCode.UNPARSABLE, "no total_inactive_file or inactive_file line; the working set is"
            + " unknown", statFile);
      }
    }
    OptionalLong max = opt(f.nonNegative(mem.file(MAX_USAGE), false));
    OptionalLong failcnt = opt(f.nonNegative(mem.file(FAILCNT), false));
    // memory.oom_control: "oom_kill_disable 0 / under_oom 0 / oom_kill N" (oom_kill since Linux 4.13).
    Map<String, Long> oomControl = f.keyed(mem.file(OOM_CONTROL), false);
    OptionalLong oomKills = oomControl == null ? OptionalLong.empty() : opt(oomControl.get("oom_kill"));
    return new MemoryReading(limit, soft, swap, usage, usageFile, ws, max, failcnt, oomKills, statFile, inactiveKey,
        mem.file(MAX_USAGE), mem.file(FAILCNT), null, mem.file(OOM_CONTROL));
  }

  /** memsw holds memory plus swap: the swap allowed beyond the memory limit is the difference. */
  private static Found swap(Found memsw, Found limit) {
    Limit m = memsw.limit();
    Limit l = limit.limit();
    if (m.isUnlimited()) {
      return Found.UNLIMITED;
    }
    if (m.value().isPresent() && l.value().isPresent()) {
      long s = Math.max(0, m.value().getAsLong() - l.value().getAsLong());
      Limit sw = m.isKnown() && l.isKnown() ? Limit.of(s) : Limit.unknown();
      return new Found(sw, memsw.file(), memsw.raw() + " - " + limit.raw());
    }
    if (!m.isKnown() || !l.isKnown()) {
      return Found.UNKNOWN;
    }
    return Found.UNLIMITED; // memsw set, memory unlimited: no limit beyond an unlimited one
  }

  private static Found hierarchical(Found chain, Long candidate, String file, String key) {
    if (candidate == null || candidate < 0) {
      return chain;
    }
    if (candidate >= Parse.V1_UNLIMITED_MIN) {
      // The whole hierarchy is unlimited: an unreadable level cannot hold a limit either.
      return chain.limit().isKnown() ? chain : Found.UNLIMITED;
    }
    if (chain.limit().value().isPresent() && chain.limit().value().getAsLong() <= candidate) {
      // The level that set it (the kernel's minimum equals it; a lower level value would be a
      // fixture's inconsistency, and the lower value is the safe one).
      return new Found(Limit.of(chain.limit().value().getAsLong()), chain.file(), chain.raw());
    }
    return new Found(Limit.of(candidate), file, key + " " + candidate);
  }

  static OptionalLong opt(Long v) {
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
