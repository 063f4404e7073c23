package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The monitor's allocation-free keyed-line parser ({@link LiveParse#keyed}) under coverage-guided fuzzing, against an oracle by
 * regular expression on the same bytes (read as ISO-8859-1, one char per byte).
 *
 * <p>Seeds: the fixtures' memory.stat, memory.events, memory.oom_control and cpu.stat files.
 */
class LiveKeyedFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void keyed(byte[] input) {
    String s = new String(input, StandardCharsets.ISO_8859_1);
    for (String key : new String[] {"inactive_file", "total_inactive_file", "oom_kill", "max", "usage_usec"}) {
      long expected = LiveParse.NONE;
      for (String line : s.split("\n", -1)) {
        if (line.length() > key.length() && line.startsWith(key) && " \t\r".indexOf(line.charAt(key.length())) >= 0) {
          expected = LiveNumberFuzzTest.expectedNumber(line.substring(key.length()));
          break;
        }
      }
      assertThat(LiveParse.keyed(input, input.length, LiveParse.key(key))).as("%s in \"%s\"", key, s)
          .isEqualTo(expected);
    }
  }
}
