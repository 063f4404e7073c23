package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;

/**
 * Coverage-guided fuzzing of v2 {@code cpu.weight} mapped back to shares ({@link
 * Parse#weightToShares}), against crun's forward formula. Nothing but the documented {@code
 * IllegalArgumentException} escapes, results are in range, time is linear in the input ({@link
 * Fuzzing#linear}), and where the input has a shape the kernel prints, the value equals an oracle
 * written here independently.
 */
class WeightFuzzTest {
  /** crun's and runc 1.3's shares-to-weight conversion, the forward direction of the mapping. */
  private static double weightOf(double shares) {
    double l = Math.log(shares) / Math.log(2);
    return Math.pow(10, (l * l + 125 * l) / 612.0 - 7.0 / 34.0);
  }

  /** v2 cpu.weight mapped back to shares: in range, monotone, and the inverse of crun's formula. */
  @FuzzTest(maxDuration = "1m")
  void weightToShares(long weight) {
    if (weight < 1 || weight > 10_000) {
      assertThat(catchThrowable(() -> Parse.weightToShares(weight))).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    int shares = Parse.weightToShares(weight);
    assertThat(shares).isBetween(2, 262_144);
    if (weight < 10_000) {
      assertThat(Parse.weightToShares(weight + 1)).isGreaterThanOrEqualTo(shares);
    }
    if (shares > 2 && shares < 262_144) {
      // Rounded to the nearest share: the weight lies within the forward image of that rounding.
      assertThat((double) weight).isBetween(weightOf(shares - 0.5) - 1e-6, weightOf(shares + 0.5) + 1e-6);
    }
  }
}
