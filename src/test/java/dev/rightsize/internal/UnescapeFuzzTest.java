package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Coverage-guided fuzzing of mountinfo's octal unescaping ({@link MountInfo#unescape}), against a regex. */
class UnescapeFuzzTest {
  /** The octal escapes: only a backslash and three octal digits is one character. */
  @FuzzTest(maxDuration = "1m")
  void unescape(byte[] input) {
    String s = Fuzzing.text(input);
    String u = MountInfo.unescape(s);
    assertThat(u.length()).isLessThanOrEqualTo(s.length());
    if (s.indexOf('\\') < 0) {
      assertThat(u).isSameAs(s);
    }
    StringBuilder expected = new StringBuilder();
    Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
    int last = 0;
    while (m.find()) {
      expected.append(s, last, m.start()).append((char) Integer.parseInt(m.group(1), 8));
      last = m.end();
    }
    expected.append(s.substring(last));
    assertThat(u).isEqualTo(expected.toString());
  }
}
