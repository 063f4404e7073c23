package dev.rightsize.internal;

import dev.rightsize.internal.CgroupLayout.Controller;
import java.util.BitSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** cgroup v2: {@code cpu.max}, {@code cpu.weight}, {@code cpuset.cpus.effective}, {@code memory.*}. */
final class CgroupV2Reader implements CgroupReader {
  private final Files2 f;

  CgroupV2Reader(Files2 files) {
    this.f = files;
  }

  @Override
  public CpuLimit cpuLimit(Controller cpu) {
    CpuLimit best = CpuLimit.NONE;
    for (String dir : cpu.chain()) {
      String file = CgroupLayout.join(dir, "cpu.max");
      String text = f.text(file, false);
      long[] qp = f.parse(file, text, Parse::cpuMax);
      if (qp == null || qp[0] < 0) {
        continue;
      }
      double cpus = (double) qp[0] / qp[1];
      if (best.cpus().isEmpty() || cpus < best.cpus().getAsDouble()) {
        best = new CpuLimit(OptionalDouble.of(cpus), OptionalLong.of(qp[0]), OptionalLong.of(qp[1]), file, text.strip());
      }
    }
    return best;
  }

  @Override
  public OptionalInt cpuset(Controller cpuset) {
    String file = cpuset.file("cpuset.cpus.effective");
    String text = f.text(file, false);
    BitSet set = f.parse(file, text, Parse::cpuList);
    if (set != null && !set.isEmpty()) {
      f.diag().provenance("cpu.cpuset", file, text);
      return OptionalInt.of(set.cardinality());
    }
    return CgroupV1Reader.tightestCpuset(f, cpuset, "cpuset.cpus");
  }

  @Override
  public OptionalInt shares(Controller cpu) {
    String file = cpu.file("cpu.weight");
    String text = f.text(file, false);
    Integer shares = f.parse(file, text, t -> Parse.weightToShares(Parse.singleLong(t)));
    if (shares == null) {
      return OptionalInt.empty();
    }
    f.diag().provenance("cpu.shares", file, text);
    return OptionalInt.of(shares);
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

  @Override
  public MemoryReading memory(Controller mem) {
    Files2.Limit limit = f.tightest(mem.chain(), "memory.max", Parse::v2Limit, false);
    Files2.Limit high = f.tightest(mem.chain(), "memory.high", Parse::v2Limit, false);
    Files2.Limit swap = f.tightest(mem.chain(), "memory.swap.max", Parse::v2Limit, false);
    final String at = chargedDir(f.fs(), mem);
    OptionalLong usage = CgroupV1Reader.opt(f.value(CgroupLayout.join(at, "memory.current"), false, Parse::nonNegative));
    usage.ifPresent(u -> f.diag().provenance("memory.usage", CgroupLayout.join(at, "memory.current"), String.valueOf(u)));
    Map<String, Long> stat = f.keyed(CgroupLayout.join(at, "memory.stat"), false);
    OptionalLong ws = OptionalLong.empty();
    if (usage.isPresent() && stat != null && stat.get("inactive_file") != null) {
      ws = OptionalLong.of(Math.max(0, usage.getAsLong() - stat.get("inactive_file")));
    }
    OptionalLong peak = CgroupV1Reader.opt(f.value(CgroupLayout.join(at, "memory.peak"), false, Parse::nonNegative));
    Map<String, Long> events = f.keyed(CgroupLayout.join(at, "memory.events"), false);
    OptionalLong max = OptionalLong.empty();
    OptionalLong oom = OptionalLong.empty();
    if (events != null) {
      max = CgroupV1Reader.opt(events.get("max"));
      oom = CgroupV1Reader.opt(events.get("oom_kill"));
    }
    boolean readable = limit.read() || usage.isPresent();
    return new MemoryReading(limit, readable, high, swap, usage, ws, peak, max, oom);
  }
}
