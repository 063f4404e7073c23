package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The CPU a container may use. A count that could not be read is empty and listed in
 * {@link ContainerResources#unknown()}; the quota says itself whether it is set, absent or unknown.
 *
 * @param effective CPUs a pool should assume, at least 1: the tightest of the isolated view's count,
 *     ceil(quota/period), the cpuset size, the affinity mask and the host's online CPUs (the JDK's
 *     rule). Shares never lower it. When the quota is unknown, the tightest known constraint (a
 *     warning says so).
 * @param quotaMicros the CFS quota per period, in microseconds, of the cgroup that sets the tightest
 *     quota/period along the path; {@link Limit.State#UNLIMITED} when no level has a quota,
 *     {@link Limit.State#UNKNOWN} when a level's quota could not be read (its value then is the
 *     tightest quota read)
 * @param periodMicros the CFS period, in microseconds, of that cgroup; empty when no quota was read
 * @param cpuset number of CPUs in the cgroup's cpuset (v1 {@code cpuset.cpus}, v2
 *     {@code cpuset.cpus.effective}), the tightest along the path; empty when unknown
 * @param shares v1 {@code cpu.shares}, or v2 {@code cpu.weight} mapped to shares; empty when unknown
 * @param isolatedView CPUs shown by an active isolated /proc view (TencentOS or LXCFS); empty when no
 *     view is active
 * @param affinity CPUs in this process's affinity mask ({@code Cpus_allowed_list}); empty when unknown
 * @param host CPUs online on the host ({@code /sys/devices/system/cpu/online}, or the processors of
 *     {@code /proc/cpuinfo}); under LXCFS, which virtualises both, the affinity mask; at least 1
 */
public record Cpu(
    int effective,
    Limit quotaMicros,
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
    requireNonNull(quotaMicros, "quotaMicros");
    requireNonNull(periodMicros, "periodMicros");
    requireNonNull(cpuset, "cpuset");
    requireNonNull(shares, "shares");
    requireNonNull(isolatedView, "isolatedView");
    requireNonNull(affinity, "affinity");
    if (quotaMicros.value().isPresent() && (periodMicros.isEmpty() || periodMicros.getAsLong() <= 0)) {
      throw new IllegalArgumentException("a quota needs a positive period");
    }
  }

  /**
   * The quota in CPUs: quota/period (e.g. 1.5). Callers that prefer to round down (as automaxprocs
   * does) use this. When {@link #quotaMicros()} is unknown, this is the tightest quota read.
   *
   * @return CPUs; empty when there is no quota, or none could be read
   */
  public OptionalDouble limit() {
    if (quotaMicros.value().isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((double) quotaMicros.value().getAsLong() / periodMicros.getAsLong());
  }

  /**
   * A person's reading, values that do not apply left out: {@code Cpu[effective 1, limit 0.5
   * (50000/100000 us), cpuset 2, shares 1024, affinity 2, host 2]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Cpu[effective ").append(effective).append(", limit ");
    if (quotaMicros.isLimited()) {
      b.append(Text.decimal(limit().getAsDouble())).append(" (").append(quotaMicros.value().getAsLong()).append('/')
          .append(periodMicros.getAsLong()).append(" us)");
    } else {
      b.append(quotaMicros);
    }
    Text.opt(b, "cpuset", cpuset);
    Text.opt(b, "shares", shares);
    Text.opt(b, "isolated view", isolatedView);
    Text.opt(b, "affinity", affinity);
    return b.append(", host ").append(host).append(']').toString();
  }
}
