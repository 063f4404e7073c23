package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rightsize.Fuzzing;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of CPU lists ({@link Parse#cpuCount}: cpuset.cpus, cpu/online,
 * Cpus_allowed_list), against the set of CPU numbers named. Nothing but the documented {@code
 * IllegalArgumentException} escapes, results are in range, time is linear in the input ({@link
 * Fuzzing#linear}), and where the input has a shape the kernel prints, the value equals an oracle
 * written here independently.
 *
 * <p>Seeds: the matching files of the fixture trees, in {@code CpuListFuzzTestInputs/cpuList/}.
 */
class CpuListFuzzTest {
  private static final Pattern CPU_LIST = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?");

  /** A CPU list: cpuset.cpus, cpu/online, Cpus_allowed_list. */
  @FuzzTest(maxDuration = "3m")
  void cpuList(byte[] input) {
    String text = Fuzzing.text(input);
    Integer n;
    try {
      n = Parse.cpuCount(text);
    } catch (IllegalArgumentException rejected) {
      n = null;
    }
    if (n != null) {
      assertThat(n).isBetween(0, Parse.MAX_CPU_ID + 1);
    }
    // Oracle for lists as the kernel prints them: the set of CPU numbers named.
    String t = text.strip();
    if (Oracles.ascii(text)) {
      TreeSet<Integer> cpus = new TreeSet<>();
      boolean canonical = !t.isEmpty();
      boolean valid = true;
      for (String part : t.isEmpty() ? new String[0] : t.split(",", -1)) {
        Matcher m = CPU_LIST.matcher(part);
        if (!m.matches()) {
          canonical = false;
          break;
        }
        int lo = Integer.parseInt(m.group(1));
        int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
        if (hi < lo || hi > Parse.MAX_CPU_ID) {
          valid = false;
        }
        for (int c = lo; c <= Math.min(hi, Parse.MAX_CPU_ID); c++) {
          cpus.add(c);
        }
      }
      if (canonical) {
        assertThat(n).as("\"%s\"", text).isEqualTo(valid ? Integer.valueOf(cpus.size()) : null);
      }
      if (t.isEmpty()) {
        assertThat(n).isZero();
      }
    }
    // The same list as the status line's value.
    String status = "Name:\tjava\nCpus_allowed_list:\t" + text.replace('\n', ' ') + "\nMems_allowed_list:\t0\n";
    assertThat(Parse.lineValue(status, "Cpus_allowed_list:")).isEqualTo(text.replace('\n', ' ').strip());
    Fuzzing.linear(input, text, Parse::cpuCount);
  }
}
