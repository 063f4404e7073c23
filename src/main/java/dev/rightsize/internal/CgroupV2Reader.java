package dev.rightsize.internal;

import dev.rightsize.Limit;
import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.Files2.Found;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** cgroup v2: {@code cpu.max}, {@code cpu.weight}, {@code cpuset.cpus.effective}, {@code memory.*}. */
final class CgroupV2Reader implements CgroupReader {
  private final Files2 f;

  CgroupV2Reader(Files2 files) {
    this.f = files;
  }

  @Override
  public CpuQuota cpuQuota(Controller cpu) {
    CpuQuota best = CpuQuota.NONE;
    boolean failed = false;
    for (String dir : cpu.chain()) {
      String file = CgroupLayout.join(dir, "cpu.max");
      FileRead r = f.fs().read(file);
      if (r.missing()) {
        continue; // the cpu controller is not enabled at this level: no quota here
      }
      if (!r.isOk()) {
        f.diag().warn(WarningCode.READ_FAILED, "could not read: " + r.error(), file);
        failed = true;
        continue;
      }
      long[] qp;
      try {
        qp = Parse.cpuMax(r.text());
      } catch (IllegalArgumentException e) {
        f.garbage(file, r.text(), e);
        failed = true;
        continue;
      }
      if (qp[0] < 0) {
        continue;
      }
      double cpus = (double) qp[0] / qp[1];
      if (best.quota().value().isEmpty() || cpus < best.cpus()) {
        best = new CpuQuota(Limit.of(qp[0]), OptionalLong.of(qp[1]), file, r.text().strip());
      }
    }
    return failed ? best.asUnknown() : best;
  }

  /**
   * {@code cpuset.cpus.effective} of the nearest cgroup on the path that has it: where the cpuset
   * controller is not enabled, a cgroup's CPUs are its parent's, and the file is absent (not a
   * failure). Only a file that exists and cannot be read or parsed makes the cpuset unknown.
   */
  @Override
  public OptionalInt cpuset(Controller cpuset) {
    for (String dir : cpuset.chain()) {
      String file = CgroupLayout.join(dir, "cpuset.cpus.effective");
      FileRead r = f.fs().read(file);
      if (r.missing()) {
        continue;
      }
      Integer count = r.isOk() ? f.cpuCount(file, r.text()) : null;
      if (!r.isOk()) {
        f.diag().warn(WarningCode.READ_FAILED, "could not read: " + r.error(), file);
      }
      if (count != null && count == 0) {
        // The effective list is the parent's where the cgroup's own is empty: never empty itself.
        f.diag().warn(WarningCode.UNPARSABLE, "empty CPU list", file);
      }
      if (count == null || count == 0) {
        f.diag().unknown(Value.CPU_CPUSET);
        return OptionalInt.empty();
      }
      f.diag().provenance(Value.CPU_CPUSET, file, r.text());
      return OptionalInt.of(count);
    }
    return OptionalInt.empty(); // no cpuset file anywhere on the path: no cpuset constraint seen
  }

  @Override
  public OptionalInt shares(Controller cpu) {
    String file = cpu.file("cpu.weight");
    FileRead r = f.fs().read(file);
    if (r.missing()) {
      return OptionalInt.empty();
    }
    if (!r.isOk()) {
      f.diag().warn(WarningCode.READ_FAILED, "could not read: " + r.error(), file);
      f.diag().unknown(Value.CPU_SHARES);
      return OptionalInt.empty();
    }
    try {
      int shares = Parse.weightToShares(Parse.singleLong(r.text()));
      f.diag().provenance(Value.CPU_SHARES, file, r.text());
      return OptionalInt.of(shares);
    } catch (IllegalArgumentException e) {
      f.garbage(file, r.text(), e);
      f.diag().unknown(Value.CPU_SHARES);
      return OptionalInt.empty();
    }
  }

  /**
   * A cgroup without {@code pids.max} does not have the controller enabled (its parent's
   * {@code cgroup.subtree_control} lacks {@code pids}): no limit at that level, and its tasks are
   * counted by the nearest ancestor that has it.
   */
  @Override
  public PidsReading pids(Controller pids) {
    return CgroupReader.readPids(f, pids, false);
  }

  /**
   * Where the process's memory is charged: without memory in the parent's
   * {@code cgroup.subtree_control} the leaf has no {@code memory.*} files, and the kernel charges
   * the nearest ancestor that has the controller.
   */
  static String chargedDir(ViewFs fs, Controller mem) {
    for (String d : mem.chain()) {
      if (fs.exists(CgroupLayout.join(d, "memory.current"))) {
        return d;
      }
    }
    return mem.dir();
  }

  static final String CURRENT = "memory.current";
  static final String STAT = "memory.stat";
  static final String EVENTS = "memory.events";
  static final String PEAK = "memory.peak";

  @Override
  public LiveSources.Memory liveMemory(Controller mem) {
    String at = chargedDir(f.fs(), mem);
    String events = CgroupLayout.join(at, EVENTS);
    return new LiveSources.Memory(CgroupLayout.join(at, CURRENT), CgroupLayout.join(at, STAT),
        new byte[][] {LiveSources.INACTIVE_FILE}, events, LiveParse.key("max"), events, LiveParse.key("oom_kill"));
  }

  /** v2 CPU accounting: {@code cpu.stat}, present in every cgroup, controller enabled or not. */
  static LiveSources.Cpu liveCpu(String dir) {
    String stat = CgroupLayout.join(dir, "cpu.stat");
    return new LiveSources.Cpu(stat, LiveParse.key("usage_usec"), 1000, stat, LiveParse.key("throttled_usec"), 1000);
  }

  @Override
  public MemoryReading memory(Controller mem) {
    Found limit = f.tightest(mem.chain(), "memory.max", Files2.V2, false);
    Found high = f.tightest(mem.chain(), "memory.high", Files2.V2, false);
    Found swap = f.tightest(mem.chain(), "memory.swap.max", Files2.V2, false);
    String at = chargedDir(f.fs(), mem);
    String usageFile = CgroupLayout.join(at, CURRENT);
    OptionalLong usage = CgroupV1Reader.opt(f.nonNegative(usageFile, false));
    String statFile = CgroupLayout.join(at, STAT);
    Map<String, Long> stat = f.keyed(statFile, false);
    OptionalLong ws = OptionalLong.empty();
    if (usage.isPresent() && stat != null && stat.get("inactive_file") != null) {
      ws = OptionalLong.of(Math.max(0, usage.getAsLong() - stat.get("inactive_file")));
    } else if (usage.isPresent() && stat != null) {
      // Read, but garbled: the working set is unknown, and the file is to blame.
      f.diag().warn(WarningCode.UNPARSABLE, "no inactive_file line; the working set is unknown", statFile);
    }
    OptionalLong peak = CgroupV1Reader.opt(f.nonNegative(CgroupLayout.join(at, PEAK), false));
    Map<String, Long> events = f.keyed(CgroupLayout.join(at, EVENTS), false);
    OptionalLong max = OptionalLong.empty();
    OptionalLong oom = OptionalLong.empty();
    if (events != null) {
      max = CgroupV1Reader.opt(events.get("max"));
      oom = CgroupV1Reader.opt(events.get("oom_kill"));
    }
    return new MemoryReading(limit, high, swap, usage, usageFile, ws, peak, max, oom, CgroupLayout.join(at, STAT),
        "inactive_file", CgroupLayout.join(at, PEAK), CgroupLayout.join(at, EVENTS), "max", CgroupLayout.join(at, EVENTS));
  }
}
