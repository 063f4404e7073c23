package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of keyed files ({@link Parse#keyed}: /proc/meminfo, status, memory.stat,
 * memory.events), against regular expressions of their lines. Nothing but the documented {@code
 * IllegalArgumentException} escapes, results are in range, time is linear in the input ({@link
 * Fuzzing#linear}), and where the input has a shape the kernel prints, the value equals an oracle
 * written here independently.
 *
 * <p>Seeds: the matching files of the fixture trees, in {@code KeyedFuzzTestInputs/keyed/}.
 */
class KeyedFuzzTest {
  private static final String WS = Oracles.WS;
  private static final Pattern KB_LINE = Pattern.compile("([A-Za-z0-9_()]+):" + WS + "*([0-9]{1,15}) kB");
  private static final Pattern COLON_LINE = Pattern.compile("([A-Za-z0-9_()]+):" + WS + "*([0-9]{1,15})");
  private static final Pattern SPACE_LINE = Pattern.compile("([a-z0-9_]+) ([0-9]{1,15})");

  /** Keyed files: /proc/meminfo, /proc/self/status, memory.stat, memory.events, cpu.stat. */
  @FuzzTest(maxDuration = "3m")
  void keyed(byte[] input) {
    String text = Fuzzing.text(input);
    Map<String, Long> m = Parse.keyed(text);
    for (String key : m.keySet()) {
      assertThat(text).contains(key);
    }
    // Each line in a form the kernel prints gives its value, unless an earlier line has the key.
    int at = 0;
    for (String line : text.split("\n", -1)) {
      int lineStart = at;
      at += line.length() + 1;
      if (!Oracles.ascii(line)) {
        continue;
      }
      String l = line.strip();
      Matcher kb = KB_LINE.matcher(l);
      Matcher colon = COLON_LINE.matcher(l);
      Matcher space = SPACE_LINE.matcher(l);
      String key;
      long value;
      if (kb.matches()) {
        key = kb.group(1);
        value = Long.parseLong(kb.group(2)) * 1024;
      } else if (colon.matches()) {
        key = colon.group(1);
        value = Long.parseLong(colon.group(2));
      } else if (space.matches()) {
        key = space.group(1);
        value = Long.parseLong(space.group(2));
      } else {
        continue;
      }
      if (text.indexOf(key) >= lineStart) {
        assertThat(m).as("line \"%s\"", line).containsEntry(key, value);
      }
    }
    Fuzzing.linear(input, text, Parse::keyed);
  }
}
