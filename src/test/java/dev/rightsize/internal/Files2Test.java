package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reading helpers: a failure is a null value and, unless a missing optional file, a warning naming the file. */
class Files2Test {
  @TempDir Path root;

  private final Diagnostics diag = new Diagnostics();

  private Files2 files() {
    return new Files2(new ViewFs(root, 100, diag), diag);
  }

  @Test
  void anUnreadableFileIsNoTextAndAWarningNamingIt() throws IOException {
    // A directory where cpuset.cpus.effective should be: it exists, but is no file to read.
    Files.createDirectories(root.resolve("sys/fs/cgroup/cpuset.cpus.effective"));
    assertThat(files().text("/sys/fs/cgroup/cpuset.cpus.effective", false)).isNull();
    assertThat(diag.warnings()).containsExactly(Warning.of(WarningCode.READ_FAILED,
        "could not read: is a directory", "/sys/fs/cgroup/cpuset.cpus.effective"));
  }

  @Test
  void aMissingOptionalFileIsNoTextAndNoWarning() {
    assertThat(files().text("/sys/fs/cgroup/cpu.max", false)).isNull();
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void aCpuListNotReadIsNoCount() {
    assertThat(files().cpuCount("/sys/fs/cgroup/cpuset.cpus.effective", null)).isNull();
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void aGarbledCpuListIsNoCountAndAWarning() {
    // "0-" is a range with no end: no count can be told from it, and zero CPUs would be a lie.
    assertThat(files().cpuCount("/sys/fs/cgroup/cpuset.cpus.effective", "0-\n")).isNull();
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).contains("/sys/fs/cgroup/cpuset.cpus.effective");
      assertThat(w.message()).startsWith("could not parse \"0-");
    });
  }

  @Test
  void aCpuListCountsItsCpus() {
    // 0-3 and 8: five CPUs.
    assertThat(files().cpuCount("/sys/fs/cgroup/cpuset.cpus.effective", "0-3,8\n")).isEqualTo(5);
  }
}
