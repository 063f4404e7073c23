package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import dev.rightsize.internal.MountInfo.Mount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /proc/self/mountinfo} under coverage-guided fuzzing: every non-blank line is a mount or a
 * skipped line, never lost and never an exception; a line as the kernel prints it is read field by
 * field as proc(5) describes (an oracle by regular expression); and the cheap relevant-only pass
 * keeps every cgroup, cgroup2, FUSE and root mount the full parse finds on such lines.
 *
 * <p>Seeds: the fixtures' mountinfo files, in {@code MountInfoFuzzTestInputs/mountinfo/}.
 */
class MountInfoFuzzTest {
  /**
   * proc(5): ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS, as
   * the kernel prints it: single spaces, options starting with rw or ro (show_mountinfo() prints
   * MNT_READONLY first), printable ASCII in every field, no separator among the optional fields. (The
   * fuzzer's first two findings were this oracle's: it had let the options field be "-", and a field
   * hold a control character that Java counts as whitespace.)
   */
  private static final Pattern KERNEL_LINE = Pattern.compile(
      "[0-9]+ [0-9]+ ([0-9]+:[0-9]+) (/[!-~]*) (/[!-~]*) r[ow](?:,[!-~]*)?((?: [!-,.-~][!-~]*)*) - ([!-~]+) ([!-~]+)"
          + " ([!-~]+)");

  @FuzzTest(maxDuration = "5m")
  void mountinfo(byte[] input) {
    String text = Fuzzing.text(input);
    List<String> bad = new ArrayList<>();
    List<Mount> all = MountInfo.parse(text, bad, false);
    long lines = Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).count();
    assertThat(all.size() + bad.size()).as("every non-blank line is a mount or skipped").isEqualTo(lines);
    for (Mount m : all) {
      assertThat(m.root()).startsWith("/");
      assertThat(m.mountPoint()).startsWith("/");
      assertThat(m.device()).contains(":");
      assertThat(m.superOptions()).allSatisfy(o -> assertThat(o).isNotBlank().doesNotContain(","));
      assertThat(text).contains(m.line());
    }

    List<String> badRelevant = new ArrayList<>();
    List<Mount> relevant = MountInfo.parse(text, badRelevant, true);
    assertThat(all).containsAll(relevant);
    for (String line : text.split("\n")) {
      Matcher k = KERNEL_LINE.matcher(line);
      if (!k.matches() || line.indexOf('\\') >= 0) {
        continue;
      }
      Mount m = MountInfo.parseLine(line);
      assertThat(m).as("\"%s\"", line).isNotNull();
      assertThat(m.device()).isEqualTo(k.group(1));
      assertThat(m.root()).isEqualTo(k.group(2));
      assertThat(m.mountPoint()).isEqualTo(k.group(3));
      assertThat(m.fsType()).isEqualTo(k.group(5));
      assertThat(m.source()).isEqualTo(k.group(6));
      List<String> opts = new ArrayList<>(Arrays.asList(k.group(7).split(",")));
      opts.removeIf(String::isEmpty);
      assertThat(m.superOptions()).containsExactlyInAnyOrderElementsOf(new java.util.LinkedHashSet<>(opts));
      boolean wanted = m.fsType().startsWith("cgroup") || m.fsType().startsWith("fuse") || m.mountPoint().equals("/");
      if (wanted) {
        assertThat(relevant).as("relevant-only keeps \"%s\"", line).contains(m);
      }
    }
    Fuzzing.linear(input, text, s -> MountInfo.parse(s, new ArrayList<>(), true));
    Fuzzing.linear(input, text, s -> MountInfo.parse(s, new ArrayList<>(), false));
  }
}
