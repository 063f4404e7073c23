package dev.rightsize.internal;

import dev.rightsize.Value;
import java.util.OptionalInt;

/**
 * The policy for {@code cpu.effective}, as a pure function of plain values (the JDK's
 * {@code CgroupUtil.processorCount} rule, with the isolated view added): the tightest of the host's
 * CPUs, the affinity mask, the cpuset, ceil(quota/period) and the isolated view, at least 1. Shares
 * never lower it.
 */
public final class EffectiveCpus {
  private EffectiveCpus() {}

  /**
   * The decision and the constraint that made it.
   *
   * @param effective CPUs, at least 1
   * @param why the value that decided; on a tie the view or the quota is named over the others (a
   *     quota of 1.5 on a 2-CPU host is what decided, not the host), and a cpuset or affinity mask
   *     equal to the host's CPUs is not named
   */
  public record Decision(int effective, Value why) {}

  /**
   * Decides.
   *
   * @param host the host's CPUs
   * @param affinity CPUs in the affinity mask, if known
   * @param cpuset CPUs in the cpuset, if known
   * @param quotaCpus ceil(quota/period), or {@link Integer#MAX_VALUE} without a quota
   * @param view CPUs of an active isolated view, if any
   * @return the decision
   */
  public static Decision decide(int host, OptionalInt affinity, OptionalInt cpuset, int quotaCpus, OptionalInt view) {
    int effective = host;
    Value why = Value.CPU_HOST;
    if (affinity.isPresent() && affinity.getAsInt() < effective) {
      effective = affinity.getAsInt();
      why = Value.CPU_AFFINITY;
    }
    if (cpuset.isPresent() && cpuset.getAsInt() < effective) {
      effective = cpuset.getAsInt();
      why = Value.CPU_CPUSET;
    }
    if (quotaCpus <= effective) {
      effective = quotaCpus;
      why = Value.CPU_LIMIT;
    }
    if (view.isPresent() && view.getAsInt() <= effective) {
      effective = view.getAsInt();
      why = Value.CPU_ISOLATED_VIEW;
    }
    return new Decision(Math.max(1, effective), why);
  }
}
