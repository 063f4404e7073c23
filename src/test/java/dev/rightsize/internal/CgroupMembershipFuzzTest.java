package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import dev.rightsize.internal.CgroupMembership.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /proc/self/cgroup} under coverage-guided fuzzing: every non-blank line is an entry or a
 * skipped line; a line as cgroups(7) describes it ({@code ID:CONTROLLERS:PATH}) is read as such.
 *
 * <p>Seeds: the fixtures' cgroup files, in {@code CgroupMembershipFuzzTestInputs/cgroup/}.
 */
class CgroupMembershipFuzzTest {
  private static final Pattern LINE = Pattern.compile("([0-9]{1,9}):([^:]*):(/.*)");

  @FuzzTest(maxDuration = "3m")
  void cgroup(byte[] input) {
    String text = Fuzzing.text(input);
    List<String> bad = new ArrayList<>();
    List<Entry> entries = CgroupMembership.parse(text, bad);
    List<String> lines = Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
    assertThat(entries.size() + bad.size()).isEqualTo(lines.size());
    for (Entry e : entries) {
      assertThat(e.hierarchyId()).isNotNegative();
      assertThat(e.path()).startsWith("/");
      assertThat(e.controllers()).allSatisfy(c -> assertThat(c).isNotBlank().doesNotContain(","));
    }
    // The entries of well-formed lines, in order.
    List<Entry> expected = new ArrayList<>();
    boolean allWellFormed = true;
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        allWellFormed = false;
        continue;
      }
      Set<String> ctl = new LinkedHashSet<>();
      for (String c : m.group(2).split(",")) {
        if (!c.strip().isEmpty()) {
          ctl.add(c.strip());
        }
      }
      String path = m.group(3);
      if (path.endsWith(" (deleted)")) {
        path = path.substring(0, path.length() - " (deleted)".length());
      }
      expected.add(new Entry(Integer.parseInt(m.group(1)), Set.copyOf(ctl), path));
    }
    if (allWellFormed) {
      assertThat(entries).containsExactlyElementsOf(expected);
      assertThat(bad).isEmpty();
    }
    Fuzzing.linear(input, text, s -> CgroupMembership.parse(s, new ArrayList<>()));
  }
}
