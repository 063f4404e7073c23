package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.ContainerResources;
import dev.rightsize.TestTrees;
import dev.rightsize.Value;
import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every warning code is made to appear by a root built for it, and the warning names the file to
 * blame (the one the root broke) and says what happened. A code added without a case here fails
 * {@link #everyCodeHasACase()}.
 */
class WarningCodesTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  private static final String POD_SCOPE = "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
      + "kubepods-burstable-pod8c2f4a6e_1b3d_4f5a_9c7e_2d4b6f8a0c1e.slice/"
      + "cri-containerd-3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c.scope";
  private static final Set<WarningCode> SEEN = EnumSet.noneOf(WarningCode.class);

  @TempDir static Path tmp;

  /** A case: how to build the root, the code, the file it must name, and a phrase of its message. */
  interface Root {
    Path build(Path dir) throws IOException;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(WarningCode.FILE_MISSING, (Root) d -> d, "/proc/self/mountinfo", "missing"),
        Arguments.of(WarningCode.READ_FAILED, fixture("synthetic/hostile-limit-is-directory"),
            "/sys/fs/cgroup/memory/memory.limit_in_bytes", "is a directory"),
        Arguments.of(WarningCode.UNPARSABLE, fixture("synthetic/v2-cpumax-garbage-banana"), null, "banana"),
        Arguments.of(WarningCode.FILE_TRUNCATED, edit("synthetic/hostile-huge-memory-stat",
            "sys/fs/cgroup/memory/memory.stat", "cache 1\n".repeat(300_000)), "/sys/fs/cgroup/memory/memory.stat",
            "first 1048576 bytes"),
        Arguments.of(WarningCode.CGROUP_PATH_OUTSIDE_MOUNT, fixture("synthetic/v1-dotdot-in-cgroup"),
            "/proc/self/mountinfo", ".."),
        Arguments.of(WarningCode.CGROUP_DIR_MISSING, edit("real-v1/v1-host-parent-limits", "proc/self/cgroup",
            "4:memory:/no/such/cgroup\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n"),
            "/sys/fs/cgroup/memory/no/such/cgroup", "does not exist"),
        Arguments.of(WarningCode.CGROUP_NOT_MEMBER, fixture("synthetic/hostile-missing-proc-self-cgroup"),
            "/proc/self/cgroup", "no line for it"),
        Arguments.of(WarningCode.ISOLATED_VIEW_DISAGREES, fixture("synthetic/tencent-quota-aware-off"), "/proc/cpuinfo",
            "the isolated view shows 3 CPUs"),
        Arguments.of(WarningCode.ISOLATED_VIEW_UNAVAILABLE, dirs("synthetic/lxcfs-no-cfs", "proc/meminfo",
            "proc/cpuinfo", "sys/devices/system/cpu/online"), "/proc/cpuinfo", "could not be read"),
        Arguments.of(WarningCode.LIMIT_ABOVE_HOST, edit("synthetic/v2-unlimited",
            "sys/fs/cgroup/system.slice/app.service/memory.max", String.valueOf(1L << 40)),
            "/sys/fs/cgroup/system.slice/app.service/memory.max", "does not bind"),
        Arguments.of(WarningCode.HOST_CPUS_UNKNOWN, (Root) d -> d, "/sys/devices/system/cpu/online", "assuming 1 CPU"),
        Arguments.of(WarningCode.LIMIT_UNKNOWN, fixture("unknown/v2-leaf-garbage-parent-limit"),
            POD_SCOPE + "/memory.max", "memory.limit is unknown"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theCodeAppearsNamingItsFile(WarningCode code, Root root, String file, String phrase) throws IOException {
    Path dir = Files.createTempDirectory(tmp, code.id());
    ContainerResources r = ContainerResources.detect(root.build(dir));
    List<Warning> found = r.warnings().stream().filter(w -> w.code() == code).toList();
    assertThat(found).as("warnings: %s", r.warnings()).isNotEmpty();
    assertThat(found).allSatisfy(w -> assertThat(w.file()).as("%s names a file", w).isPresent());
    if (file != null) {
      assertThat(found).extracting(w -> w.file().orElseThrow()).contains(file);
    }
    assertThat(found).anySatisfy(w -> assertThat(w.message()).contains(phrase));
    assertThat(r.toString()).isNotEmpty();
    synchronized (SEEN) {
      SEEN.add(code);
    }
  }

  @Test
  void internalErrorIsAWarningNotAnException() {
    // A null root fails inside the resolver: the caller still gets a snapshot, every limit unknown.
    Detector.Detection d = Detector.detect(null, 100);
    assertThat(d.resources().warnings()).extracting(Warning::code).containsExactly(WarningCode.INTERNAL_ERROR);
    assertThat(d.resources().unknown()).contains(Value.MEMORY_LIMIT, Value.CPU_LIMIT);
    assertThat(d.resources().memory().limitBytes().isKnown()).isFalse();
    synchronized (SEEN) {
      SEEN.add(WarningCode.INTERNAL_ERROR);
    }
  }

  @AfterAll
  static void everyCodeHasACase() {
    assertThat(SEEN).as("warning codes made to appear").containsExactlyInAnyOrder(WarningCode.values());
  }

  private static Root fixture(String name) {
    return d -> {
      TestTrees.copy(FIXTURES.resolve(name), d);
      return d;
    };
  }

  private static Root edit(String name, String file, String content) {
    return d -> {
      TestTrees.copy(FIXTURES.resolve(name), d);
      Files.writeString(d.resolve(file), content);
      return d;
    };
  }

  /** The fixture with each named file replaced by a directory (a read that fails). */
  private static Root dirs(String name, String... files) {
    return d -> {
      TestTrees.copy(FIXTURES.resolve(name), d);
      for (String f : files) {
        Files.delete(d.resolve(f));
        Files.createDirectory(d.resolve(f));
      }
      return d;
    };
  }
}
