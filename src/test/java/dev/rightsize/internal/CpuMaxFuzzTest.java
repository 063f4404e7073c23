package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of v2 {@code cpu.max} ({@link Parse#cpuMax}), against a regular
 * expression of its format. Nothing but the documented {@code IllegalArgumentException} escapes,
 * results are in range, time is linear in the input ({@link Fuzzing#linear}), and where the input
 * has a shape the kernel prints, the value equals an oracle written here independently.
 *
 * <p>Seeds: the matching files of the fixture trees, in {@code CpuMaxFuzzTestInputs/cpuMax/}.
 */
class CpuMaxFuzzTest {
  private static final String WS = Oracles.WS;
  private static final Pattern CPU_MAX = Pattern.compile(WS + "*(max|[0-9]{1,18})(?:" + WS + "+([0-9]{1,18}))?" + WS + "*");

  /** v2 cpu.max: "max|QUOTA [PERIOD]". */
  @FuzzTest(maxDuration = "2m")
  void cpuMax(byte[] input) {
    String text = Fuzzing.text(input);
    long[] qp;
    try {
      qp = Parse.cpuMax(text);
    } catch (IllegalArgumentException rejected) {
      qp = null;
    }
    if (qp != null) {
      assertThat(qp).hasSize(2);
      assertThat(qp[1]).isPositive();
      assertThat(qp[0] == -1 || qp[0] > 0).as("quota %s", qp[0]).isTrue();
    }
    Matcher m = CPU_MAX.matcher(text);
    if (m.matches()) {
      long period = m.group(2) == null ? 100_000 : Long.parseLong(m.group(2));
      long quota = m.group(1).equals("max") ? -1 : Long.parseLong(m.group(1));
      if (period > 0 && quota != 0) {
        assertThat(qp).as("\"%s\"", text).containsExactly(quota, period);
      } else {
        assertThat(qp).as("zero quota or period is rejected").isNull();
      }
    }
    Fuzzing.linear(input, text, Parse::cpuMax);
  }
}
