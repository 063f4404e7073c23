package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Value;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cpu.effective policy alone, with plain values (as OpenJDK tests CgroupUtil.processorCount). */
class EffectiveCpusTest {
  private static final int NONE = -1;

  private static OptionalInt opt(int v) {
    return v == NONE ? OptionalInt.empty() : OptionalInt.of(v);
  }

  @ParameterizedTest(name = "host {0}, affinity {1}, cpuset {2}, quota {3}, view {4} -> {5} by {6}")
  @CsvSource({
      // host, affinity, cpuset, ceil(quota), view, effective, why
      "8, -1, -1, -1, -1, 8, CPU_HOST",
      "8, 4, -1, -1, -1, 4, CPU_AFFINITY", // affinity alone lowers it
      "8, -1, 3, -1, -1, 3, CPU_CPUSET", // cpuset alone lowers it
      "8, 4, 2, -1, -1, 2, CPU_CPUSET",
      "8, 2, 4, -1, -1, 2, CPU_AFFINITY", // a wider cpuset does not raise the affinity
      "8, 8, 8, 2, -1, 2, CPU_LIMIT",
      "2, 2, 2, 2, -1, 2, CPU_LIMIT", // a tie names the quota, not the host
      "8, 8, 8, 8, 8, 8, CPU_ISOLATED_VIEW", // a tie names the view
      "8, 8, 2, 4, -1, 2, CPU_CPUSET", // the quota does not raise a smaller cpuset
      "8, 8, 8, 4, 6, 4, CPU_LIMIT", // a looser view does not raise the quota
      "8, 8, 8, 4, 3, 3, CPU_ISOLATED_VIEW",
      "4, 4, 4, 4, 4, 4, CPU_ISOLATED_VIEW",
      "8, 8, 8, 0, -1, 1, CPU_LIMIT", // never below 1
      "4, 4, -1, -1, -1, 4, CPU_HOST", // an affinity mask equal to the host's CPUs is not named
      "8, 4, 4, -1, -1, 4, CPU_AFFINITY", // a cpuset equal to the affinity mask is not named
  })
  void theTightestConstraintDecides(int host, int affinity, int cpuset, int quota, int view, int effective,
      Value why) {
    EffectiveCpus.Decision d = EffectiveCpus.decide(host, opt(affinity), opt(cpuset),
        quota == NONE ? Integer.MAX_VALUE : quota, opt(view));
    assertThat(d.effective()).isEqualTo(effective);
    assertThat(d.why()).isEqualTo(why);
  }
}
