package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.UnknownMemoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * In every layout the fixtures cover (v1 host, runtime and cgroup-namespace layouts, v2 with
 * ancestors, hybrid, LXCFS, TencentOS), the file that set the memory limit or the CPU quota is
 * garbled, then made unreadable: the value must never read as unlimited, and nothing is sized
 * from it. Where another file settles it (v1's {@code hierarchical_memory_limit}, a view's
 * {@code MemTotal} when no cgroup file is readable), it stays known at the same value.
 */
class UnknownIsNotUnlimitedTest {
  @TempDir Path tmp;

  static Stream<String> limited() {
    return Stream.of("real-v1/v1-docker-quota-memory", "real-v1/v1-host-parent-limits",
        "real-v1/v1-cgroupns-cpuset-shares", "real-v1/lxcfs-docker-quota-memory", "real-tencent/isolated-on",
        "synthetic/v2-k8s-burstable", "synthetic/v2-pod-slice-limits", "synthetic/v2-cgroupns-private",
        "synthetic/hybrid-memory-on-v2", "synthetic/v1-container-hierarchical-memory",
        "synthetic/v1-nested-grandparent-quota", "synthetic/v1-comounted-cpu-cpuacct", "synthetic/v1-quota-tenth");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limited")
  void aGarbledOrUnreadableMemoryLimitFileIsNeverUnlimited(String fixture) throws IOException {
    for (boolean unreadable : new boolean[] {false, true}) {
      Path root = copy(fixture, unreadable ? "dir" : "garbage");
      ContainerResources before = ContainerResources.detect(root);
      if (!before.memory().limitBytes().isLimited()) {
        return; // no memory limit in this fixture (the CPU test covers it)
      }
      long limit = before.memory().limitBytes().value().getAsLong();
      String file = before.provenanceOf(Value.MEMORY_LIMIT).orElseThrow().file();
      Path f = root.resolve(file.substring(1));
      Files.delete(f);
      if (unreadable) {
        Files.createDirectory(f);
      } else {
        Files.writeString(f, "1.5Gi\n");
      }
      ContainerResources after = ContainerResources.detect(root);
      Limit l = after.memory().limitBytes();
      assertThat(l.isUnlimited()).as("%s with %s %s: %s", fixture, file, unreadable ? "unreadable" : "garbled", l)
          .isFalse();
      if (l.isKnown()) {
        // Settled by another file: the same value, from a different file.
        assertThat(l.value()).hasValue(limit);
        assertThat(after.provenanceOf(Value.MEMORY_LIMIT).orElseThrow().file()).isNotEqualTo(file);
        assertThat(after.isKnown(Value.MEMORY_LIMIT)).isTrue();
      } else {
        assertThat(after.unknown()).contains(Value.MEMORY_LIMIT);
        assertThat(after.hasWarning(WarningCode.LIMIT_UNKNOWN)).isTrue();
        assertThat(after.memory().availableBytes()).isEmpty();
        Assertions.assertThatThrownBy(() -> JvmMemory.forContainer(after)).isInstanceOf(UnknownMemoryException.class);
        l.value().ifPresent(bound -> assertThat(bound).as("a bound is never below the limit read before")
            .isGreaterThanOrEqualTo(limit));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limited")
  void aGarbledCpuQuotaFileIsNeverNoQuota(String fixture) throws IOException {
    Path root = copy(fixture, "cpu");
    ContainerResources before = ContainerResources.detect(root);
    if (!before.cpu().quotaMicros().isLimited()) {
      return; // no quota in this fixture
    }
    String file = before.provenanceOf(Value.CPU_LIMIT).orElseThrow().file();
    Files.writeString(root.resolve(file.substring(1)), "fast\n");
    ContainerResources after = ContainerResources.detect(root);
    assertThat(after.cpu().quotaMicros().isUnlimited()).as("%s with %s garbled", fixture, file).isFalse();
    if (!after.cpu().quotaMicros().isKnown()) {
      assertThat(after.unknown()).contains(Value.CPU_LIMIT);
      // The tightest known constraint: never more CPUs than before minus the quota, never below 1.
      assertThat(after.cpu().effective()).isBetween(1, before.cpu().host());
    }
  }

  /**
   * cgroup v2 without the cpuset controller enabled at the leaf: the leaf has no
   * {@code cpuset.cpus.effective} (seen in the VM), its CPUs are the nearest ancestor's, and nothing
   * is missing or unknown.
   */
  @org.junit.jupiter.api.Test
  void v2CpusetFromTheNearestCgroupThatHasTheController() throws IOException {
    Path root = copy("synthetic/v2-pod-slice-limits", "cpuset");
    ContainerResources before = ContainerResources.detect(root);
    String leafFile = before.provenanceOf(Value.CPU_CPUSET).orElseThrow().file();
    Path leaf = root.resolve(leafFile.substring(1));
    String parentText = Files.readString(leaf.getParent().getParent().resolve("cpuset.cpus.effective")).strip();
    Files.delete(leaf);
    ContainerResources after = ContainerResources.detect(root);
    assertThat(after.warnings()).isEmpty();
    assertThat(after.isKnown(Value.CPU_CPUSET)).isTrue();
    assertThat(after.provenanceOf(Value.CPU_CPUSET).orElseThrow().raw()).isEqualTo(parentText);
    assertThat(after.cpu().cpuset()).hasValue(dev.rightsize.internal.Parse.cpuCount(parentText));
  }

  private Path copy(String fixture, String tag) throws IOException {
    return TestTrees.copy(TestTrees.FIXTURES.resolve(fixture), tmp.resolve(fixture.replace('/', '_') + "-" + tag));
  }
}
