package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParseTest {

  @ParameterizedTest(name = "\"{0}\" has {1} CPUs")
  @CsvSource(delimiter = ';', value = {
      "0;1", "0-3;4", "0-3,8,10-11;7", "1;1", "0,2,4,6;4", "0-0;1", "63;1", "0-8191;8192"})
  void cpuListCountsRangesAndSingles(String list, int count) {
    assertThat(Parse.cpuCount(list)).isEqualTo(count);
  }

  @Test
  void overlappingRangesCountOnce() {
    assertThat(Parse.cpuCount("0-3,2-5")).isEqualTo(6);
    assertThat(Parse.cpuCount("1,1,1")).isEqualTo(1);
    assertThat(Parse.cpuCount("65535")).isEqualTo(1);
  }

  @ParameterizedTest(name = "\"{0}\" has {1} CPUs")
  @CsvSource(delimiter = ';', value = {
      // ranges are filled a 64-bit word at a time: the word edges, counted by hand
      "0-63;64", "64-127;64", "63-64;2", "62-65;4", "60-130;71", "1-62;62", "0-65535;65536",
      "65472-65535;64", "65535;1", "0-127,64-191;192", "5-5,5;1"})
  void rangesAcrossWordEdges(String list, int count) {
    assertThat(Parse.cpuCount(list)).isEqualTo(count);
  }

  @Test
  void aHostileListOfWideRangesCostsItsLengthNotItsCpus() {
    // 16384 ranges of every CPU (128 KiB, under the 1 MiB read bound): a billion bits one at a
    // time (8 s here), 17 million words at a time.
    String list = String.join(",", java.util.Collections.nCopies(16_384, "0-65535"));
    long t0 = dev.rightsize.Fuzzing.cpuNanos();
    assertThat(Parse.cpuCount(list)).isEqualTo(65_536);
    assertThat(java.time.Duration.ofNanos(dev.rightsize.Fuzzing.cpuNanos() - t0)).isLessThan(java.time.Duration.ofSeconds(2));
  }

  @Test
  void cpuListIgnoresSurroundingWhitespaceAndTheTrailingNewline() {
    assertThat(Parse.cpuCount(" 2-5 \n")).isEqualTo(4);
    assertThat(Parse.cpuCount("0-1\n")).isEqualTo(2);
  }

  @Test
  void emptyCpuListIsEmpty() {
    assertThat(Parse.cpuCount("\n")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "3-1", "-1", "0-99999999", "1,,x", "0-", "0--3", "65536"})
  void cpuListRejectsGarbage(String list) {
    assertThatThrownBy(() -> Parse.cpuCount(list)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void v1LimitTreatsPageRoundedLongMaxAsUnlimitedWhateverThePageSize() {
    assertThat(Parse.v1Limit("9223372036854771712\n")).isEmpty(); // 4 KiB pages
    assertThat(Parse.v1Limit("9223372036854710272")).isEmpty(); // 64 KiB pages
    assertThat(Parse.v1Limit("-1")).isEmpty();
    assertThat(Parse.v1Limit("1073741824\n")).hasValue(1073741824L);
    assertThat(Parse.v1Limit("0")).hasValue(0L);
  }

  @Test
  void v1LimitRejectsGarbage() {
    assertThatThrownBy(() -> Parse.v1Limit("banana")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Parse.v1Limit("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Parse.v1Limit("-5")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void u64AboveLongMaxIsUnlimited() {
    assertThat(Parse.v1Limit("18446744073709551615")).isEmpty();
  }

  @Test
  void v2LimitMaxIsUnlimited() {
    assertThat(Parse.v2Limit("max\n")).isEqualTo(OptionalLong.empty());
    assertThat(Parse.v2Limit("536870912\n")).hasValue(536870912L);
  }

  @Test
  void cpuMaxForms() {
    assertThat(Parse.cpuMax("max 100000\n")).containsExactly(-1, 100000);
    assertThat(Parse.cpuMax("150000 100000")).containsExactly(150000, 100000);
    assertThat(Parse.cpuMax("max")).containsExactly(-1, 100000);
    assertThat(Parse.cpuMax("50000")).containsExactly(50000, 100000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "banana", "150000 0", "-5 100000", "1 2 3", "max -1", "0 100000"})
  void cpuMaxRejectsGarbage(String text) {
    assertThatThrownBy(() -> Parse.cpuMax(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyedReadsMeminfoInBytesAndStatAsIs() {
    Map<String, Long> m = Parse.keyed("MemTotal:        1048576 kB\nMemFree:          741376 kB\nHugePages_Total:       0\n");
    assertThat(m).containsEntry("MemTotal", 1073741824L).containsEntry("MemFree", 759169024L)
        .containsEntry("HugePages_Total", 0L);
    Map<String, Long> s = Parse.keyed("cache 4096\ntotal_inactive_file 8192\nbogus line here\n");
    assertThat(s).containsEntry("cache", 4096L).containsEntry("total_inactive_file", 8192L).hasSize(2);
  }

  @Test
  void cpuinfoCountsProcessorsOnX86AndArm64() {
    String x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n";
    String arm = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\n\n"
        + "processor\t: 1\nBogoMIPS\t: 50.00\n\nprocessor\t: 2\nBogoMIPS\t: 50.00\n";
    assertThat(Parse.cpuinfoProcessors(x86)).isEqualTo(OptionalInt.of(2));
    assertThat(Parse.cpuinfoProcessors(arm)).isEqualTo(OptionalInt.of(3));
    assertThat(Parse.cpuinfoProcessors("garbage")).isEmpty();
  }

  @Test
  void statCountsPerCpuLinesOnly() {
    String stat = "cpu  1 2 3\ncpu1 1 2 3\ncpu3 1 2 3\nintr 5\nctxt 9\n";
    assertThat(Parse.statCpuLines(stat)).isEqualTo(OptionalInt.of(2));
  }

  @ParameterizedTest(name = "weight {0} -> shares {1}")
  @CsvSource({"100,1024", "1,2", "10000,262144", "58,512", "173,2048"})
  void weightMapsBackToShares(long weight, int shares) {
    // 100 is the v2 default and 1024 the v1 default; 1 and 10000 are the ends of both ranges.
    // crun and runc 1.3+ write 512 shares as weight 58 (10^((81+1125)/612 - 7/34) = 58.2) and 2048
    // as 173 (10^((121+1375)/612 - 7/34) = 173.2); the inverse must land within rounding of them.
    assertThat(Parse.weightToShares(weight)).isCloseTo(shares, org.assertj.core.data.Percentage.withPercentage(3));
  }

  @org.junit.jupiter.api.Test
  void lineValueFindsAKeyOnlyAtTheStartOfALine() {
    String status = "Name:\tjava\nX_Cpus_allowed_list:\t9\nCpus_allowed_list:\t0-3,5\nMems_allowed_list:\t0\n";
    assertThat(Parse.lineValue(status, "Cpus_allowed_list:")).isEqualTo("0-3,5");
    assertThat(Parse.lineValue("Cpus_allowed_list: 1", "Cpus_allowed_list:")).isEqualTo("1");
    assertThat(Parse.lineValue(status, "Nope:")).isNull();
  }

  @org.junit.jupiter.api.Test
  void wordsAndSplitCharNeedNoRegex() {
    assertThat(Parse.words("  150000\t 100000 \n")).containsExactly("150000", "100000");
    assertThat(Parse.words(" \n ")).isEmpty();
    assertThat(Parse.splitChar("/a//b/", '/')).containsExactly("", "a", "", "b");
    assertThat(Parse.splitChar("", '/')).isEmpty();
  }

  private static final String LIMITS = "Limit                     Soft Limit           Hard Limit           Units     \n"
      + "Max cpu time              unlimited            unlimited            seconds   \n"
      + "Max processes             96364                96364                processes \n"
      + "Max open files            1024                 524288               files     \n"
      + "Max pending signals       96364                96364                signals   \n";

  @Test
  void rlimitLinesAsTheKernelPrintsThem() {
    assertThat(Parse.rlimit(Parse.rlimitLine(LIMITS, "Max open files"), "Max open files")).containsExactly(1024, 524288);
    assertThat(Parse.rlimit(Parse.rlimitLine(LIMITS, "Max processes"), "Max processes")).containsExactly(96364, 96364);
    assertThat(Parse.rlimitLine(LIMITS, "Max processes")).startsWith("Max processes").endsWith("processes");
  }

  @Test
  void rlimitUnlimitedIsMinusOne() {
    String t = "Max open files            unlimited            unlimited            files     \n";
    assertThat(Parse.rlimit(Parse.rlimitLine(t, "Max open files"), "Max open files")).containsExactly(-1, -1);
  }

  @Test
  void rlimitWithOddSpacingAndNoUnits() {
    String t = "\tMax  open\tfiles \t 4096\t\tunlimited\r\nMax processes 7 8";
    assertThat(Parse.rlimit(Parse.rlimitLine(t, "Max open files"), "Max open files")).containsExactly(4096, -1);
    assertThat(Parse.rlimit(Parse.rlimitLine(t, "Max processes"), "Max processes")).containsExactly(7, 8);
  }

  @Test
  void rlimitLineIsFoundByItsWholeName() {
    // "Max pending signals" does not match "Max processes"; a missing line is null, not an error
    assertThat(Parse.rlimitLine("Max pending signals 1 2 signals\n", "Max processes")).isNull();
    assertThat(Parse.rlimitLine("", "Max open files")).isNull();
    assertThat(Parse.rlimitLine("Max open\n", "Max open files")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Max open files lots 1024 files", "Max open files 1024", "Max open files",
      "Max open files -5 10 files", "Max open files 10 max files"})
  void rlimitGarbageIsRefused(String line) {
    assertThatThrownBy(() -> Parse.rlimit(line, "Max open files")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pidsMaxIsAV2Limit() {
    assertThat(Parse.v2Limit("max\n")).isEmpty();
    assertThat(Parse.v2Limit("100\n")).hasValue(100);
    assertThat(Parse.v2Limit("0\n")).hasValue(0);
    assertThatThrownBy(() -> Parse.v2Limit("-3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Parse.v2Limit("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Parse.v2Limit("banana")).isInstanceOf(IllegalArgumentException.class);
  }
  @Test
  void decimalReachesBothEndsOfALong() {
    // Long.MAX_VALUE = 9223372036854775807, Long.MIN_VALUE = -9223372036854775808: the last digit
    // of each is the one that just fits; one more overflows.
    assertThat(Parse.decimal("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(Parse.decimal("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(Parse.decimal("9223372036854775808")).isNull();
    assertThat(Parse.decimal("-9223372036854775809")).isNull();
  }

  @Test
  void v1LimitIsUnlimitedFromTheThresholdOn() {
    // V1_UNLIMITED_MIN = 0x7FFFFFFFFF000000 = 9223372036837998592, "at or above" is unlimited.
    assertThat(Parse.v1Limit("9223372036837998592\n")).isEmpty();
    assertThat(Parse.v1Limit("9223372036837998591\n")).hasValue(9223372036837998591L);
  }

  @Test
  void keyedKbValuesSaturateOnlyPastTheLargestThatFits() {
    // Long.MAX_VALUE / 1024 = 9007199254740991 kB = 9223372036854774784 bytes still fits; one kB
    // more does not and saturates at Long.MAX_VALUE.
    assertThat(Parse.keyed("MemTotal: 9007199254740991 kB\n")).containsEntry("MemTotal", 9223372036854774784L);
    assertThat(Parse.keyed("MemTotal: 9007199254740992 kB\n")).containsEntry("MemTotal", Long.MAX_VALUE);
  }

  @Test
  void keyedSkipsLinesWithoutAKey() {
    // A line of one field (a bare number) or one starting with the colon names no key.
    assertThat(Parse.keyed("42\n:5\nanon 7\n")).containsExactly(Map.entry("anon", 7L));
  }

  @Test
  void cpuinfoReadsTheS390ProcessorCount() {
    // arch/s390/kernel/processor.c: a summary with "# processors", then "processor N: ..." lines
    // whose key is not "processor" alone.
    String s390 = "vendor_id       : IBM/S390\n# processors    : 4\nbogomips per cpu: 3033.00\n"
        + "processor 0: version = FF,  identification = 0133E8,  machine = 2964\n"
        + "processor 1: version = FF,  identification = 0133E8,  machine = 2964\n";
    assertThat(Parse.cpuinfoProcessors(s390)).isEqualTo(OptionalInt.of(4));
  }

  @Test
  void anS390CountOfZeroIsNoCount() {
    // Found by the exhaustive garbage sweep (the fuzz profile): "# processors : 0" in an isolated
    // view's cpuinfo was a view of 0 CPUs. No machine runs on none: the line is garbage, and the
    // processor entries (here none) decide.
    assertThat(Parse.cpuinfoProcessors("# processors : 0\n")).isEmpty();
    assertThat(Parse.cpuinfoProcessors("# processors : 0\nprocessor : 0\nprocessor : 1\n"))
        .isEqualTo(OptionalInt.of(2));
  }

  @Test
  void aBareCpuLineInProcStatIsNotAPerCpuLine() {
    assertThat(Parse.statCpuLines("cpu\nintr 5\n")).isEmpty();
    assertThat(Parse.statCpuLines("cpu\ncpu0 1 2 3\n")).isEqualTo(OptionalInt.of(1));
  }

  @Test
  void rlimitZeroIsAValue() {
    // fs/proc/base.c prints a core size limit of 0 as "0": the usual default.
    String t = "Max core file size        0                    unlimited            bytes     \n";
    assertThat(Parse.rlimit(Parse.rlimitLine(t, "Max core file size"), "Max core file size")).containsExactly(0, -1);
  }

  @Test
  void rlimitLineIsOneLineEvenAfterABlankFirstLine() {
    String t = "\nMax open files 1024 4096 files\nMax processes 7 8\n";
    assertThat(Parse.rlimitLine(t, "Max open files")).isEqualTo("Max open files 1024 4096 files");
  }

  @Test
  void rlimitLineFindsTheNameEvenWithoutValues() {
    // Found, so that rlimit() reports "no soft and hard value" rather than the line being absent.
    assertThat(Parse.rlimitLine("Max open files\n", "Max open files")).isEqualTo("Max open files");
    assertThatThrownBy(() -> Parse.rlimit("Max open files", "Max open files"))
        .hasMessage("no soft and hard value");
  }

  @Test
  void anEntryStartingWithADashIsARangeWithoutAStart() {
    // cpusets.rst: entries are N or N-M; "-1" is neither (the dash opens a range with no start).
    assertThatThrownBy(() -> Parse.cpuCount("0,-1")).hasMessage("not a CPU list: 0,-1");
  }
}
