package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.math.BigInteger;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of single numbers and limits ({@code memory.max}, {@code
 * cpu.cfs_quota_us}, usage, counters): {@link Parse#singleLong}, {@link Parse#nonNegative}, {@link
 * Parse#v1Limit}, {@link Parse#v2Limit}, {@link Parse#decimal}, against {@link BigInteger}.
 * Nothing but the documented {@code IllegalArgumentException} escapes, results are in range, time
 * is linear in the input ({@link Fuzzing#linear}), and where the input has a shape the kernel
 * prints, the value equals an oracle written here independently.
 *
 * <p>Seeds: the matching files of the fixture trees, in {@code NumbersFuzzTestInputs/numbersAndLimits/}.
 */
class NumbersFuzzTest {
  private static final Pattern SIGNED = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** What {@link Parse#singleLong} must return for a text, by the javadoc: null for a rejection. */
  static Long expectedLong(String text) {
    String t = text.strip();
    if (!SIGNED.matcher(t).matches()) {
      return null;
    }
    BigInteger b = new BigInteger(t);
    if (b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0) {
      return b.longValue();
    }
    // An unsigned value of up to 20 digits too large for a long: "unlimited" territory.
    return DIGITS.matcher(t).matches() && t.length() <= 20 ? Long.MAX_VALUE : null;
  }

  /** singleLong, nonNegative, v1Limit and v2Limit on one text: memory.max, cfs_quota_us, usage... */
  @FuzzTest(maxDuration = "3m")
  void numbersAndLimits(byte[] input) {
    String text = Fuzzing.text(input);
    Long expected = expectedLong(text);
    if (expected == null) {
      assertThatThrownBy(() -> Parse.singleLong(text)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Parse.nonNegative(text)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Parse.v1Limit(text)).isInstanceOf(IllegalArgumentException.class);
      if (!text.strip().equals("max")) {
        assertThatThrownBy(() -> Parse.v2Limit(text)).isInstanceOf(IllegalArgumentException.class);
      } else {
        assertThat(Parse.v2Limit(text)).isEmpty();
      }
    } else {
      long v = expected;
      assertThat(Parse.singleLong(text)).isEqualTo(v);
      if (v >= 0) {
        assertThat(Parse.nonNegative(text)).isEqualTo(v);
        assertThat(Parse.v2Limit(text)).hasValue(v);
        // v1: LONG_MAX rounded down to any page size, and -1, are "unlimited".
        assertThat(Parse.v1Limit(text)).isEqualTo(
            v >= 0x7FFFFFFFFF000000L ? OptionalLong.empty() : OptionalLong.of(v));
      } else {
        assertThatThrownBy(() -> Parse.nonNegative(text)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parse.v2Limit(text)).isInstanceOf(IllegalArgumentException.class);
        if (v == -1) {
          assertThat(Parse.v1Limit(text)).isEmpty();
        } else {
          assertThatThrownBy(() -> Parse.v1Limit(text)).isInstanceOf(IllegalArgumentException.class);
        }
      }
    }
    // decimal(): a signed decimal that fits a long, as Long.parseLong reads ASCII digits; else null.
    Long strict = null;
    if (SIGNED.matcher(text).matches()) {
      BigInteger b = new BigInteger(text);
      if (b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0) {
        strict = b.longValue();
      }
    }
    assertThat(Parse.decimal(text)).isEqualTo(strict);
    Fuzzing.linear(input, text, Parse::singleLong);
  }
}
