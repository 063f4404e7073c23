package dev.rightsize.sizing;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.KernelLimits;
import dev.rightsize.Limit;
import dev.rightsize.Memory;
import dev.rightsize.Pids;
import dev.rightsize.Rlimits;
import dev.rightsize.Source;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Hand-made {@link ContainerResources} for sizing tests (one place to adjust if the records grow). */
public final class TestResources {
  public static final long MIB = 1024L * 1024;
  public static final long GIB = 1024 * MIB;

  private TestResources() {}

  public static ContainerResources of(int effectiveCpus, OptionalDouble cpuLimit, OptionalLong memoryLimit, long hostMemory) {
    // A quota of limit x 100 ms per 100 ms period.
    Limit quota = cpuLimit.isPresent() ? Limit.of(Math.round(cpuLimit.getAsDouble() * 100_000)) : Limit.unlimited();
    Cpu cpu = new Cpu(effectiveCpus, quota, cpuLimit.isPresent() ? OptionalLong.of(100_000) : OptionalLong.empty(),
        OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Math.max(effectiveCpus, 64));
    Limit limit = memoryLimit.isPresent() ? Limit.of(memoryLimit.getAsLong()) : Limit.unlimited();
    Memory memory = new Memory(limit, Limit.unlimited(), Limit.unlimited(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.of(hostMemory), OptionalLong.empty());
    return new ContainerResources(Source.CGROUP_V2, OptionalInt.of(2), cpu, memory, NO_PIDS_LIMIT, NO_RLIMITS,
        KERNEL, List.of(), List.of(), Set.of());
  }

  /** No task limit, 20 tasks (all this process's threads). */
  public static final Pids NO_PIDS_LIMIT = new Pids(Limit.unlimited(), OptionalLong.of(20), OptionalLong.of(20));
  /** No open-file or task rlimit. */
  public static final Rlimits NO_RLIMITS = new Rlimits(Limit.unlimited(), Limit.unlimited(), Limit.unlimited(),
      Limit.unlimited());
  /** Linux 5.4+ defaults: somaxconn 4096, max_map_count 65530. */
  public static final KernelLimits KERNEL = new KernelLimits(OptionalLong.of(4096), OptionalLong.of(65530),
      OptionalLong.of(192_729), OptionalLong.of(4_194_304));

  /** The same resources with other task, file and kernel limits. */
  public static ContainerResources withLimits(ContainerResources r, Pids pids, Rlimits rlimits, KernelLimits kernel) {
    return new ContainerResources(r.source(), r.cgroupVersion(), r.cpu(), r.memory(), pids, rlimits, kernel,
        r.warnings(), r.provenance(), r.unknown());
  }

  /**
   * Resources with a given memory limit state.
   *
   * @param limit the limit
   * @param hostMemory the host's MemTotal, or negative for unreadable
   */
  public static ContainerResources withMemoryLimit(Limit limit, long hostMemory) {
    ContainerResources r = of(2, OptionalDouble.empty(), OptionalLong.empty(), 1);
    Memory memory = new Memory(limit, Limit.unlimited(), Limit.unlimited(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        hostMemory < 0 ? OptionalLong.empty() : OptionalLong.of(hostMemory), OptionalLong.empty());
    return new ContainerResources(r.source(), r.cgroupVersion(), r.cpu(), memory, r.pids(), r.rlimits(), r.kernel(),
        List.of(), List.of(), limit.isKnown() ? Set.of() : Set.of(dev.rightsize.Value.MEMORY_LIMIT));
  }

  public static ContainerResources cpus(int effective, double limit) {
    return of(effective, OptionalDouble.of(limit), OptionalLong.empty(), 64 * GIB);
  }

  public static ContainerResources memory(long limitBytes) {
    return of(4, OptionalDouble.empty(), OptionalLong.of(limitBytes), 64 * GIB);
  }
}
