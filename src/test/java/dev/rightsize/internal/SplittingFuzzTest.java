package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the splitting helpers ({@link Parse#words}, {@link Parse#splitChar},
 * {@link Parse#lineValue}, {@link Parse#lineOf}), against the JDK's own splitting. Nothing but the
 * documented {@code IllegalArgumentException} escapes, results are in range, time is linear in the
 * input ({@link Fuzzing#linear}), and where the input has a shape the kernel prints, the value
 * equals an oracle written here independently.
 *
 * <p>Seeds: the matching files of the fixture trees, in {@code SplittingFuzzTestInputs/splitting/}.
 */
class SplittingFuzzTest {
  /** The splitting helpers against the JDK's own: words, splitChar, lineValue, lineOf. */
  @FuzzTest(maxDuration = "2m")
  void splitting(byte[] input) {
    String text = Fuzzing.text(input);
    List<String> jdkWords = new ArrayList<>(Arrays.asList(text.split("\\p{javaWhitespace}+")));
    jdkWords.removeIf(String::isEmpty);
    assertThat(Parse.words(text)).containsExactlyElementsOf(jdkWords);
    for (char c : new char[] {'/', ',', ':'}) {
      String[] jdk = text.isEmpty() ? new String[0] : text.split(Pattern.quote(String.valueOf(c)));
      assertThat(Parse.splitChar(text, c)).containsExactly(jdk);
    }
    String first = null;
    String firstStripped = "";
    for (String line : text.split("\n", -1)) {
      if (first == null && line.startsWith("MemTotal:")) {
        first = line.substring("MemTotal:".length()).strip();
      }
    }
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("MemTotal")) {
        firstStripped = line.strip();
        break;
      }
    }
    assertThat(Parse.lineValue(text, "MemTotal:")).isEqualTo(first);
    assertThat(Parse.lineOf(text, "MemTotal")).isEqualTo(firstStripped);
    Fuzzing.linear(input, text, Parse::words);
    Fuzzing.linear(input, text, s -> Parse.splitChar(s, '/'));
    Fuzzing.linear(input, text, s -> Parse.lineValue(s, "MemTotal:"));
  }
}
