package dev.rightsize.internal;

import dev.rightsize.internal.CgroupLayout.Controller;
import java.util.BitSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** cgroup v1: {@code cpu.cfs_*}, {@code cpu.shares}, {@code cpuset.cpus}, {@code memory.*}. */
final class CgroupV1Reader implements CgroupReader {
  private final Files2 f;

  CgroupV1Reader(Files2 files) {
    this.f = files;
  }

  @Override
  public CpuLimit cpuLimit(Controller cpu) {
    CpuLimit best = CpuLimit.NONE;
    for (int i = 0; i < cpu.chain().size(); i++) {
      String dir = cpu.chain().get(i);
      String qFile = CgroupLayout.join(dir, "cpu.cfs_quota_us");
      Long quota = f.value(qFile, i == 0, Parse::singleLong);
      if (quota == null || quota == -1) {
        continue;
      }
      if (quota <= 0) {
        f.diag().warn("unparsable", "CFS quota must be -1 or positive, is " + quota, qFile);
        continue;
      }
      String pFile = CgroupLayout.join(dir, "cpu.cfs_period_us");
      Long period = f.value(pFile, true, Parse::singleLong);
      if (period == null) {
        continue;
      }
      if (period <= 0) {
        f.diag().warn("unparsable", "CFS period must be positive, is " + period, pFile);
        continue;
      }
      double cpus = (double) quota / period;
      if (best.cpus().isEmpty() || cpus < best.cpus().getAsDouble()) {
        best = new CpuLimit(OptionalDouble.of(cpus), OptionalLong.of(quota), OptionalLong.of(period),
            qFile, quota + " / " + period + " (" + pFile + ")");
      }
    }
    return best;
  }

  @Override
  public OptionalInt cpuset(Controller cpuset) {
    return tightestCpuset(f, cpuset, "cpuset.cpus");
  }

  static OptionalInt tightestCpuset(Files2 f, Controller cpuset, String name) {
    int best = Integer.MAX_VALUE;
    String bestFile = null;
    String bestRaw = null;
    for (int i = 0; i < cpuset.chain().size(); i++) {
      String file = CgroupLayout.join(cpuset.chain().get(i), name);
      String text = f.text(file, false);
      BitSet set = f.parse(file, text, Parse::cpuList);
      if (set == null || set.isEmpty()) {
        continue;
      }
      if (set.cardinality() < best) {
        best = set.cardinality();
        bestFile = file;
        bestRaw = text;
      }
    }
    if (bestFile == null) {
      return OptionalInt.empty();
    }
    f.diag().provenance("cpu.cpuset", bestFile, bestRaw);
    return OptionalInt.of(best);
  }

  @Override
  public OptionalInt shares(Controller cpu) {
    String file = cpu.file("cpu.shares");
    String text = f.text(file, false);
    Long v = f.parse(file, text, Parse::singleLong);
    if (v == null) {
      return OptionalInt.empty();
    }
    if (v < 2 || v > 262_144) {
      f.diag().warn("unparsable", "cpu.shares out of range 2..262144: " + v, file);
      return OptionalInt.empty();
    }
    f.diag().provenance("cpu.shares", file, text);
    return OptionalInt.of(v.intValue());
  }

  @Override
  public MemoryReading memory(Controller mem) {
    Files2.Limit limit = f.tightest(mem.chain(), "memory.limit_in_bytes", Parse::v1Limit, true);
    Files2.Limit memsw = f.tightest(mem.chain(), "memory.memsw.limit_in_bytes", Parse::v1Limit, false);
    String statFile = mem.file("memory.stat");
    Map<String, Long> stat = f.keyed(statFile, false);
    if (stat != null) {
      // Ancestors above the mount root (a pod's limit seen from a container) show only here.
      limit = tighter(limit, stat.get("hierarchical_memory_limit"), statFile, "hierarchical_memory_limit");
      memsw = tighter(memsw, stat.get("hierarchical_memsw_limit"), statFile, "hierarchical_memsw_limit");
    }
    Files2.Limit soft = f.tightest(mem.chain(), "memory.soft_limit_in_bytes", Parse::v1Limit, false);
    Files2.Limit swap = Files2.Limit.NONE;
    if (memsw.value().isPresent() && limit.value().isPresent()) {
      long s = Math.max(0, memsw.value().getAsLong() - limit.value().getAsLong());
      swap = new Files2.Limit(OptionalLong.of(s), memsw.file(), memsw.raw() + " - " + limit.raw(), true);
    }
    OptionalLong usage = opt(f.value(mem.file("memory.usage_in_bytes"), true, Parse::nonNegative));
    usage.ifPresent(u -> f.diag().provenance("memory.usage", mem.file("memory.usage_in_bytes"), String.valueOf(u)));
    OptionalLong ws = OptionalLong.empty();
    if (usage.isPresent() && stat != null) {
      Long inactive = stat.containsKey("total_inactive_file") ? stat.get("total_inactive_file") : stat.get("inactive_file");
      if (inactive != null) {
        ws = OptionalLong.of(Math.max(0, usage.getAsLong() - inactive));
      }
    }
    OptionalLong max = opt(f.value(mem.file("memory.max_usage_in_bytes"), false, Parse::nonNegative));
    OptionalLong failcnt = opt(f.value(mem.file("memory.failcnt"), false, Parse::nonNegative));
    // memory.oom_control: "oom_kill_disable 0 / under_oom 0 / oom_kill N" (oom_kill since Linux 4.13).
    Map<String, Long> oomControl = f.keyed(mem.file("memory.oom_control"), false);
    OptionalLong oomKills = oomControl == null ? OptionalLong.empty() : opt(oomControl.get("oom_kill"));
    return new MemoryReading(limit, limit.read() || limit.value().isPresent(), soft, swap, usage, ws, max,
        failcnt, oomKills);
  }

  private static Files2.Limit tighter(Files2.Limit current, Long candidate, String file, String key) {
    if (candidate == null || candidate < 0 || candidate >= Parse.V1_UNLIMITED_MIN) {
      return current;
    }
    if (current.value().isPresent() && current.value().getAsLong() <= candidate) {
      return current;
    }
    return new Files2.Limit(OptionalLong.of(candidate), file, key + " " + candidate, true);
  }

  static OptionalLong opt(Long v) {
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
