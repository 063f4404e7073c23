package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Value;
import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Size printing and the diagnostics collector, with values worked out by hand. */
class SizesAndDiagnosticsTest {

  @ParameterizedTest(name = "{0} bytes -> {1}")
  @CsvSource({
      "0, 0", "1023, 0", "1024, 1K", "2047, 1K", // truncated to whole KiB
      "10485760, 10M", "14579712, 14238K", "1073741824, 1G", "1610612736, 1536M", // 1.5 GiB is no whole G
      "1099511627776, 1T", "1099511628800, 1073741825K"}) // 1 TiB + 1 KiB
  void flagValuesAsPaketoPrintsThem(long bytes, String flag) {
    assertThat(Sizes.flagValue(bytes)).isEqualTo(flag);
  }

  @ParameterizedTest(name = "{0} bytes -> {1}")
  @CsvSource({
      "100, 100 B", "1023, 1023 B", "1024, 1 KiB", "1536, 1 KiB", "1048575, 1023 KiB", "1048576, 1 MiB",
      "1572864, 1.5 MiB", "268435456, 256 MiB", "1073741824, 1 GiB", "1610612736, 1536 MiB",
      "10737418240, 10 GiB", "11274289152, 10.5 GiB"})
  void humanSizes(long bytes, String text) {
    assertThat(Sizes.human(bytes)).isEqualTo(text);
  }

  @Test
  void cutKeepsTwoHundredCharacters() {
    assertThat(Diagnostics.cut(null)).isEmpty();
    assertThat(Diagnostics.cut("  x \n")).isEqualTo("x");
    String s200 = "a".repeat(200);
    assertThat(Diagnostics.cut(s200)).isEqualTo(s200);
    assertThat(Diagnostics.cut(s200 + "b")).isEqualTo(s200 + "...");
  }

  @Test
  void warningsAreKeptOnceInOrderAndProvenanceIsReplacedInPlace() {
    Diagnostics d = new Diagnostics();
    d.warn(WarningCode.READ_FAILED, "m", "/a");
    d.warn(WarningCode.READ_FAILED, "m", "/a");
    d.warn(WarningCode.READ_FAILED, "m");
    assertThat(d.warnings()).containsExactly(Warning.of(WarningCode.READ_FAILED, "m", "/a"),
        Warning.of(WarningCode.READ_FAILED, "m"));
    d.provenance(Value.MEMORY_LIMIT, "/l", " 1 ");
    d.provenance(Value.CPU_LIMIT, "/c", "2");
    d.provenance(Value.MEMORY_LIMIT, "/l2", "3");
    assertThat(d.provenance()).extracting(p -> p.value() + "=" + p.file() + ":" + p.raw())
        .containsExactly("MEMORY_LIMIT=/l2:3", "CPU_LIMIT=/c:2");
    assertThat(d.fileOf(Value.CPU_LIMIT, "x")).isEqualTo("/c");
    assertThat(d.fileOf(Value.CPU_HOST, "x")).isEqualTo("x");
    assertThat(d.provenanceOf(Value.CPU_HOST)).isNull();
    d.unknown(Value.MEMORY_USAGE);
    d.unknown(Value.CPU_LIMIT);
    assertThat(d.unknown()).containsExactly(Value.CPU_LIMIT, Value.MEMORY_USAGE); // Value's order
  }

  @Test
  void firstFailureUnderADirectoryIsTheFirstFailedReadBelowIt() {
    Diagnostics d = new Diagnostics();
    d.warn(WarningCode.CGROUP_DIR_MISSING, "m", "/sys/fs/cgroup/memory/x");
    d.warn(WarningCode.UNPARSABLE, "m", "/sys/fs/cgroup/memoryX/y");
    d.warn(WarningCode.READ_FAILED, "m", "/sys/fs/cgroup/memory/a");
    d.warn(WarningCode.FILE_MISSING, "m", "/sys/fs/cgroup/memory/b");
    assertThat(d.firstFailureUnder("/sys/fs/cgroup/memory")).isEqualTo("/sys/fs/cgroup/memory/a");
    assertThat(d.firstFailureUnder("/sys/fs/cgroup/memory/")).isEqualTo("/sys/fs/cgroup/memory/a");
    assertThat(d.firstFailureUnder("/sys/fs/cgroup/cpu")).isNull();
    d.warn(WarningCode.UNPARSABLE, "m");
    assertThat(d.firstFailureUnder("/")).isEqualTo("/sys/fs/cgroup/memoryX/y");
  }
}
