package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitor's allocation-free number parser ({@link LiveParse#number}) under coverage-guided fuzzing, against an oracle by
 * regular expression on the same bytes (read as ISO-8859-1, one char per byte).
 *
 * <p>Seeds: the fixtures' memory.current, memory.usage_in_bytes and cpuacct.usage files.
 */
class LiveNumberFuzzTest {
  private static final Pattern NUMBER = Pattern.compile("[ \\t\\n\\r]*([0-9]{1,19})[ \\t\\n\\r]*");

  static long expectedNumber(String s) {
    Matcher m = NUMBER.matcher(s);
    if (!m.matches()) {
      return LiveParse.NONE;
    }
    BigInteger b = new BigInteger(m.group(1));
    return b.bitLength() < 64 ? b.longValue() : LiveParse.NONE;
  }

  @FuzzTest(maxDuration = "1m")
  void number(byte[] input) {
    String s = new String(input, StandardCharsets.ISO_8859_1);
    assertThat(LiveParse.number(input, input.length)).as("\"%s\"", s).isEqualTo(expectedNumber(s));
    // Only the first len bytes count.
    if (input.length > 0) {
      assertThat(LiveParse.number(input, input.length - 1))
          .isEqualTo(expectedNumber(s.substring(0, s.length() - 1)));
    }
  }
}
