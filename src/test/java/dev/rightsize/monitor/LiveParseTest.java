package dev.rightsize.monitor;

import static dev.rightsize.internal.LiveParse.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.internal.LiveParse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The monitor's allocation-free parsers, over the shapes cgroup files really have. */
class LiveParseTest {
  static long number(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return LiveParse.number(b, b.length);
  }

  static long keyed(String s, String key) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return LiveParse.keyed(b, b.length, LiveParse.key(key));
  }

  @Test
  void numbers() {
    assertThat(number("314572800\n")).isEqualTo(314572800L);
    assertThat(number("0")).isZero();
    assertThat(number(" 42 \r\n")).isEqualTo(42);
    assertThat(number("9223372036854775807\n")).isEqualTo(Long.MAX_VALUE);
    assertThat(number("9223372036854775808\n")).isEqualTo(NONE);
    assertThat(number("")).isEqualTo(NONE);
    assertThat(number("\n")).isEqualTo(NONE);
    assertThat(number("-1\n")).isEqualTo(NONE);
    assertThat(number("max\n")).isEqualTo(NONE);
    assertThat(number("12 34\n")).isEqualTo(NONE);
  }

  @Test
  void keyedLinesMatchWholeKeysAtLineStart() {
    String v1 = "inactive_file 1\nactive_file 2\ntotal_inactive_file 300\n";
    assertThat(keyed(v1, "inactive_file")).isEqualTo(1);
    assertThat(keyed(v1, "total_inactive_file")).isEqualTo(300);
    assertThat(keyed(v1, "active_file")).isEqualTo(2);
    assertThat(keyed(v1, "file")).isEqualTo(NONE);
    String events = "low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n";
    assertThat(keyed(events, "max")).isEqualTo(3);
    assertThat(keyed(events, "oom")).isEqualTo(2);
    assertThat(keyed(events, "oom_kill")).isEqualTo(1);
    assertThat(keyed("nr_periods 5", "nr_periods")).as("no trailing newline").isEqualTo(5);
    assertThat(keyed("nr_periods\n", "nr_periods")).isEqualTo(NONE);
    // A line that is only the key has no value: it is passed over, not the answer, wherever it is.
    assertThat(keyed("nr_periods\nnr_periods 5\n", "nr_periods")).isEqualTo(5);
    assertThat(keyed("low 0\nmax\nmax 3\n", "max")).isEqualTo(3);
    assertThat(keyed("nr_periods x\n", "nr_periods")).isEqualTo(NONE);
    assertThat(keyed("", "nr_periods")).isEqualTo(NONE);
  }
}
