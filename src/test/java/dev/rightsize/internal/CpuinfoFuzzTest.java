package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Coverage-guided fuzzing of /proc/cpuinfo and /proc/stat processor counts, against regular
 * expressions. Nothing but the documented {@code IllegalArgumentException} escapes, results are in
 * range, time is linear in the input ({@link Fuzzing#linear}), and where the input has a shape the
 * kernel prints, the value equals an oracle written here independently.
 *
 * <p>Seeds: the matching files of the fixture trees, in {@code CpuinfoFuzzTestInputs/cpuinfoAndStat/}.
 */
class CpuinfoFuzzTest {
  private static final String WS = Oracles.WS;
  /** /proc/cpuinfo and /proc/stat: processors counted. */
  @FuzzTest(maxDuration = "2m")
  void cpuinfoAndStat(byte[] input) {
    String text = Fuzzing.text(input);
    OptionalInt cpuinfo = Parse.cpuinfoProcessors(text);
    OptionalInt stat = Parse.statCpuLines(text);
    String[] lines = text.split("\n", -1);
    cpuinfo.ifPresent(n -> assertThat(n).as("a processor count").isPositive());
    stat.ifPresent(n -> assertThat(n).isBetween(1, lines.length));
    if (Oracles.ascii(text)) {
      long processors = Arrays.stream(lines).filter(l -> l.matches("(?s)" + WS + "*processor" + WS + "*:.*")).count();
      boolean s390 = Arrays.stream(lines).anyMatch(l -> l.matches("(?s)" + WS + "*# processors" + WS + "*:.*"));
      if (!s390) {
        assertThat(cpuinfo).isEqualTo(processors == 0 ? OptionalInt.empty() : OptionalInt.of((int) processors));
      }
      long cpuN = Arrays.stream(lines).filter(l -> l.matches("(?s)cpu[0-9].*")).count();
      assertThat(stat).isEqualTo(cpuN == 0 ? OptionalInt.empty() : OptionalInt.of((int) cpuN));
    }
    Fuzzing.linear(input, text, Parse::cpuinfoProcessors);
    Fuzzing.linear(input, text, Parse::statCpuLines);
  }
}
