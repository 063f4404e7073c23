package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.CgroupLayout.Version;
import dev.rightsize.internal.MountInfo.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The version readers' range checks and the files they blame, one controller directory at a time.
 * The ranges come from the kernel: v1 {@code cpu.shares} is clamped to [MIN_SHARES, MAX_SHARES] =
 * [2, 262144] (kernel/sched/sched.h), so a value outside can only be garbage; v2
 * {@code cpu.weight} is [1, 10000] (Documentation/admin-guide/cgroup-v2.rst, "Weights").
 */
class CgroupReadersTest {
  private static final String DIR = "/sys/fs/cgroup/cpu/app";

  @TempDir Path root;
  private final Diagnostics diag = new Diagnostics();

  private Controller controller(Version version) {
    Mount m = new Mount("0:29", "/", "/sys/fs/cgroup/cpu", version == Version.V1 ? "cgroup" : "cgroup2", "cgroup",
        Set.of("rw", "cpu"), "29 1 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu");
    return new Controller("cpu", version, m, "/app", DIR, List.of(DIR, "/sys/fs/cgroup/cpu"));
  }

  private void write(String name, String content) throws IOException {
    Path d = root.resolve(DIR.substring(1));
    Files.createDirectories(d);
    Files.writeString(d.resolve(name), content);
  }

  private Files2 files() {
    return new Files2(new ViewFs(root, 100, diag), diag);
  }

  @ParameterizedTest(name = "cpu.shares {0} -> {1}")
  @CsvSource({"2, 2", "1024, 1024", "262144, 262144", "1, -1", "0, -1", "262145, -1", "-5, -1"})
  void v1SharesOutsideTheKernelsRangeAreGarbage(String text, int expected) throws IOException {
    write("cpu.shares", text + "\n");
    OptionalInt shares = new CgroupV1Reader(files()).shares(controller(Version.V1));
    if (expected < 0) {
      assertThat(shares).isEmpty();
      assertThat(diag.unknown()).containsExactly(Value.CPU_SHARES);
      assertThat(diag.warnings()).singleElement().satisfies(w -> {
        assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
        assertThat(w.file()).hasValue(DIR + "/cpu.shares");
        assertThat(w.message()).isEqualTo("cpu.shares out of range 2..262144: " + text);
      });
    } else {
      assertThat(shares).hasValue(expected);
      assertThat(diag.warnings()).isEmpty();
      assertThat(diag.unknown()).isEmpty();
      assertThat(diag.provenanceOf(Value.CPU_SHARES).file()).isEqualTo(DIR + "/cpu.shares");
    }
  }

  @Test
  void v1SharesMissingIsNoValueAndNoWarning() {
    assertThat(new CgroupV1Reader(files()).shares(controller(Version.V1))).isEmpty();
    assertThat(diag.warnings()).isEmpty();
    assertThat(diag.unknown()).isEmpty();
  }

  @ParameterizedTest(name = "cpu.weight {0}")
  @CsvSource({"0", "10001", "banana"})
  void v2WeightOutsideItsRangeIsGarbageNamingTheFile(String text) throws IOException {
    write("cpu.weight", text + "\n");
    assertThat(new CgroupV2Reader(files()).shares(controller(Version.V2))).isEmpty();
    assertThat(diag.unknown()).containsExactly(Value.CPU_SHARES);
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(DIR + "/cpu.weight");
      assertThat(w.message()).contains(text);
    });
  }

  @Test
  void anEmptyV1CpusetIsGarbageNamingTheFile() throws IOException {
    // Found by the whole-root fuzzer: an empty cpuset.cpus made cpu.cpuset unknown without a warning.
    // v1 cannot attach a task to a cpuset without CPUs (Documentation/admin-guide/cgroup-v1/cpusets.rst).
    write("cpuset.cpus", "\n");
    assertThat(new CgroupV1Reader(files()).cpuset(controller(Version.V1))).isEmpty();
    assertThat(diag.unknown()).containsExactly(Value.CPU_CPUSET);
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(DIR + "/cpuset.cpus");
      assertThat(w.message()).isEqualTo("empty CPU list");
    });
  }

  @Test
  void theTightestV1CpusetAlongThePathCounts() throws IOException {
    write("cpuset.cpus", "0-3\n");
    Files.writeString(root.resolve("sys/fs/cgroup/cpu/cpuset.cpus"), "0-1\n");
    assertThat(new CgroupV1Reader(files()).cpuset(controller(Version.V1))).hasValue(2);
    assertThat(diag.provenanceOf(Value.CPU_CPUSET).file()).isEqualTo("/sys/fs/cgroup/cpu/cpuset.cpus");
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void anEmptyV2EffectiveCpusetIsGarbageNamingTheFile() throws IOException {
    // Found by the whole-root fuzzer. cgroup-v2.rst: cpuset.cpus.effective shows the parent's CPUs
    // where the cgroup's own list is empty, so it is never empty for a cgroup with a process in it.
    write("cpuset.cpus.effective", "\n");
    assertThat(new CgroupV2Reader(files()).cpuset(controller(Version.V2))).isEmpty();
    assertThat(diag.unknown()).containsExactly(Value.CPU_CPUSET);
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(DIR + "/cpuset.cpus.effective");
      assertThat(w.message()).isEqualTo("empty CPU list");
    });
  }
}
