package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The CPU a container may use.
 *
 * <p>"Unlimited" and "unknown" are both empty optionals here; {@link ContainerResources#warnings()}
 * says which values could not be read.
 *
 * @param effective CPUs a pool should assume, at least 1: the tightest of the isolated view's count,
 *     ceil(quota/period), the cpuset size, the affinity mask and the host's online CPUs (the JDK's
 *     rule). Shares never lower it.
 * @param limit quota/period in CPUs (e.g. 1.5), the tightest along the cgroup path; empty when there
 *     is no quota. Callers that prefer to round down (as automaxprocs does) use this.
 * @param quotaMicros the CFS quota per period, in microseconds, of the cgroup that set {@code limit}
 * @param periodMicros the CFS period, in microseconds, of the cgroup that set {@code limit}
 * @param cpuset number of CPUs in the cgroup's cpuset (v1 {@code cpuset.cpus}, v2
 *     {@code cpuset.cpus.effective}); empty when unknown
 * @param shares v1 {@code cpu.shares}, or v2 {@code cpu.weight} mapped to shares; empty when unknown
 * @param isolatedView CPUs shown by an active isolated /proc view (TencentOS or LXCFS); empty when no
 *     view is active
 * @param affinity CPUs in this process's affinity mask ({@code Cpus_allowed_list}); empty when unknown
 * @param host CPUs online on the host ({@code /sys/devices/system/cpu/online}, or the processors of
 *     {@code /proc/cpuinfo}); under LXCFS, which virtualises both, the affinity mask; at least 1
 */
public record Cpu(
    int effective,
    OptionalDouble limit,
    OptionalLong quotaMicros,
    OptionalLong periodMicros,
    OptionalInt cpuset,
    OptionalInt shares,
    OptionalInt isolatedView,
    OptionalInt affinity,
    int host) {

  /**
   * Validates the components.
   *
   * @param effective see {@link #effective()}
   * @param limit see {@link #limit()}
   * @param quotaMicros see {@link #quotaMicros()}
   * @param periodMicros see {@link #periodMicros()}
   * @param cpuset see {@link #cpuset()}
   * @param shares see {@link #shares()}
   * @param isolatedView see {@link #isolatedView()}
   * @param affinity see {@link #affinity()}
   * @param host see {@link #host()}
   */
  public Cpu {
    if (effective < 1) {
      throw new IllegalArgumentException("effective < 1: " + effective);
    }
    if (host < 1) {
      throw new IllegalArgumentException("host < 1: " + host);
    }
    requireNonNull(limit, "limit");
    requireNonNull(quotaMicros, "quotaMicros");
    requireNonNull(periodMicros, "periodMicros");
    requireNonNull(cpuset, "cpuset");
    requireNonNull(shares, "shares");
    requireNonNull(isolatedView, "isolatedView");
    requireNonNull(affinity, "affinity");
  }
}
