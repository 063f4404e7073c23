package dev.rightsize.sizing;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.Memory;
import dev.rightsize.Source;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Hand-made {@link ContainerResources} for sizing tests (one place to adjust if the records grow). */
final class TestResources {
  static final long MIB = 1024L * 1024;
  static final long GIB = 1024 * MIB;

  private TestResources() {}

  static ContainerResources of(int effectiveCpus, OptionalDouble cpuLimit, OptionalLong memoryLimit, long hostMemory) {
    Cpu cpu = new Cpu(effectiveCpus, cpuLimit, OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty(),
        OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Math.max(effectiveCpus, 64));
    Memory memory = new Memory(memoryLimit, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.of(hostMemory), OptionalLong.empty());
    return new ContainerResources(Source.CGROUP_V2, OptionalInt.of(2), cpu, memory, List.of(), List.of());
  }

  static ContainerResources cpus(int effective, double limit) {
    return of(effective, OptionalDouble.of(limit), OptionalLong.empty(), 64 * GIB);
  }

  static ContainerResources memory(long limitBytes) {
    return of(4, OptionalDouble.empty(), OptionalLong.of(limitBytes), 64 * GIB);
  }
}
