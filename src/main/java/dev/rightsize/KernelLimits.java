package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * Kernel parameters a server depends on, as this process sees them in {@code /proc/sys}. Some are
 * per namespace ({@code somaxconn} per network namespace), and some kernels isolate more of them
 * per container (TencentOS on TKE: {@code vm.max_map_count} among others), so they may differ from
 * the host's. Each is empty, and listed in {@link ContainerResources#unknown()}, when it could not be
 * read.
 *
 * @param somaxconn {@code /proc/sys/net/core/somaxconn}: the kernel cuts every listen backlog to
 *     it, in this network namespace
 * @param maxMapCount {@code /proc/sys/vm/max_map_count}: memory mappings one process may have (each
 *     thread's stack costs two)
 * @param threadsMax {@code /proc/sys/kernel/threads-max}: tasks the whole kernel allows
 * @param pidMax {@code /proc/sys/kernel/pid_max}: one more than the largest process id
 */
public record KernelLimits(OptionalLong somaxconn, OptionalLong maxMapCount, OptionalLong threadsMax,
    OptionalLong pidMax) {

  /**
   * Validates that no component is null.
   *
   * @param somaxconn see {@link #somaxconn()}
   * @param maxMapCount see {@link #maxMapCount()}
   * @param threadsMax see {@link #threadsMax()}
   * @param pidMax see {@link #pidMax()}
   */
  public KernelLimits {
    requireNonNull(somaxconn, "somaxconn");
    requireNonNull(maxMapCount, "maxMapCount");
    requireNonNull(threadsMax, "threadsMax");
    requireNonNull(pidMax, "pidMax");
  }

  /**
   * A person's reading, values that could not be read left out: {@code KernelLimits[somaxconn 4096,
   * max_map_count 65530, threads-max 192729, pid_max 32768]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("KernelLimits[");
    Text.opt(b, "somaxconn", somaxconn);
    Text.opt(b, "max_map_count", maxMapCount);
    Text.opt(b, "threads-max", threadsMax);
    Text.opt(b, "pid_max", pidMax);
    String s = b.append(']').toString();
    return s.startsWith("KernelLimits[, ") ? "KernelLimits[" + s.substring("KernelLimits[, ".length()) : s;
  }
}
