package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs found in review that once broke detection; each pins the fixed behaviour. */
class HostileRootsTest {
  private static final String V2_MOUNTINFO =
      "25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
  @TempDir Path tmp;
  Path root;

  @BeforeEach
  void v2Root() throws IOException {
    root = tmp.resolve("root");
    write("proc/self/mountinfo", V2_MOUNTINFO);
    write("proc/self/cgroup", "0::/app\n");
    write("proc/meminfo", "MemTotal:        8000000 kB\nMemFree: 1000 kB\nMemAvailable: 2000 kB\n");
    write("sys/devices/system/cpu/online", "0-3\n");
    write("proc/self/limits", "Max open files            1048576              1048576              files     \n"
        + "Max processes             unlimited            unlimited            processes \n");
    write("proc/sys/net/core/somaxconn", "4096\n");
    write("proc/sys/vm/max_map_count", "65530\n");
    write("proc/sys/kernel/threads-max", "63431\n");
    write("proc/sys/kernel/pid_max", "4194304\n");
    write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
    write("sys/fs/cgroup/app/memory.max", "536870912\n");
    write("sys/fs/cgroup/app/memory.current", "104857600\n");
    write("sys/fs/cgroup/app/cpu.max", "50000 100000\n");
  }

  private void write(String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  @Test
  void baseline() {
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.source()).isEqualTo(Source.CGROUP_V2);
    assertThat(r.memory().limitBytes().value()).hasValue(536870912L);
    assertThat(r.memory().usageBytes()).hasValue(104857600L);
    assertThat(r.cpu().effective()).isEqualTo(1);
    assertThat(r.memory().hostTotalBytes()).hasValue(8000000L * 1024);
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void meminfoLinesWithLeadingWhitespaceStillCount() throws IOException {
    write("proc/meminfo", " MemTotal:        8000000 kB\n MemFree: 1000 kB\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.hasWarning(WarningCode.INTERNAL_ERROR)).isFalse();
    assertThat(r.memory().hostTotalBytes()).hasValue(8000000L * 1024);
    assertThat(r.provenanceOf(Value.MEMORY_HOST_TOTAL).orElseThrow().raw()).isEqualTo("MemTotal:        8000000 kB");
  }

  @Test
  void duplicateControllerNamesAreTolerated() throws IOException {
    write("sys/fs/cgroup/cgroup.controllers", "cpu cpu memory memory\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.hasWarning(WarningCode.INTERNAL_ERROR)).isFalse();
    assertThat(r.memory().limitBytes().value()).hasValue(536870912L);
  }

  @Test
  void unreadableControllerListIsAWarningNamingIt() throws IOException {
    Files.delete(root.resolve("sys/fs/cgroup/cgroup.controllers"));
    Files.createDirectory(root.resolve("sys/fs/cgroup/cgroup.controllers"));
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.source()).isEqualTo(Source.HOST);
    assertThat(r.warnings()).anySatisfy(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue("/sys/fs/cgroup/cgroup.controllers");
    });
  }

  @Test
  void negativeUsageIsGarbageNotAValue() throws IOException {
    write("sys/fs/cgroup/app/memory.current", "-5\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.memory().usageBytes()).isEmpty();
    assertThat(r.warnings()).anySatisfy(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue("/sys/fs/cgroup/app/memory.current");
    });
  }

  @Test
  void mountPointWithDotDotIsRefusedAndNothingOutsideTheRootIsRead() throws IOException {
    write("proc/self/mountinfo", "25 1 0:22 / /../../outside/sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    Path outside = tmp.resolve("outside/sys/fs/cgroup/app");
    Files.createDirectories(outside);
    Files.writeString(tmp.resolve("outside/sys/fs/cgroup/cgroup.controllers"), "memory\n");
    Files.writeString(outside.resolve("memory.max"), "12345678\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.memory().limitBytes().value()).isEmpty();
    assertThat(r.hasWarning(WarningCode.CGROUP_PATH_OUTSIDE_MOUNT)).isTrue();
  }

  @Test
  void symlinkOutOfTheRootIsNotFollowed() throws IOException {
    Files.writeString(tmp.resolve("secret"), "12345678\n");
    Files.delete(root.resolve("sys/fs/cgroup/app/memory.max"));
    Files.createSymbolicLink(root.resolve("sys/fs/cgroup/app/memory.max"), tmp.resolve("secret"));
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.memory().limitBytes().value()).isEmpty();
    assertThat(r.warnings()).anySatisfy(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.message()).contains("leads out of the root").doesNotContain("12345678");
    });
  }

  @Test
  void lxcfsBoundOverTheWholeCpuDirectoryIsAView() throws IOException {
    write("proc/self/mountinfo", V2_MOUNTINFO
        + "30 1 0:41 /sys/devices/system/cpu /sys/devices/system/cpu rw - fuse.lxcfs lxcfs rw,allow_other\n");
    write("sys/devices/system/cpu/online", "0\n");
    write("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t0-3\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertThat(r.cpu().isolatedView()).hasValue(1);
    assertThat(r.cpu().host()).isEqualTo(4); // the affinity mask, not the LXCFS view
    assertThat(r.provenanceOf(Value.CPU_ISOLATED_VIEW).orElseThrow().file()).isEqualTo("/sys/devices/system/cpu/online");
  }

  @Test
  void usageIsReadWhereTheKernelChargesIt() throws IOException {
    // memory not delegated to /app/ctr: no memory.* files there; /app is charged.
    write("proc/self/cgroup", "0::/app/ctr\n");
    write("sys/fs/cgroup/app/ctr/cpu.max", "max 100000\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.memory().usageBytes()).hasValue(104857600L);
    assertThat(r.memory().limitBytes().value()).hasValue(536870912L);
    assertThat(r.provenanceOf(Value.MEMORY_USAGE).orElseThrow().file()).isEqualTo("/sys/fs/cgroup/app/memory.current");
  }

  @Test
  void sharesNeverLowerTheEffectiveCount() throws IOException {
    // The smallest weight (1 ~ 2 shares) and no quota: a pool still gets every CPU (JDK-8281181).
    write("sys/fs/cgroup/app/cpu.max", "max 100000\n");
    write("sys/fs/cgroup/app/cpu.weight", "1\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.cpu().shares()).hasValue(2);
    assertThat(r.cpu().limit()).isEmpty();
    assertThat(r.cpu().effective()).isEqualTo(4);
  }

  @Test
  void aStatusFileWithoutItsAffinityLineIsAWarningNamingIt() throws IOException {
    // Found by the whole-root fuzzer: /proc/self/status read but holding no Cpus_allowed_list line
    // left cpu.affinity unknown with no warning at all.
    write("proc/self/status", "Name:\tjava\nThreads:\t12\n");
    ContainerResources r = ContainerResources.detect(root);
    assertThat(r.unknown()).contains(Value.CPU_AFFINITY);
    assertThat(r.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue("/proc/self/status");
      assertThat(w.message()).isEqualTo("no Cpus_allowed_list line");
    });
    write("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t\n");
    assertThat(ContainerResources.detect(root).warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).isEqualTo("empty Cpus_allowed_list"));
    write("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t0-1\n");
    ContainerResources ok = ContainerResources.detect(root);
    assertThat(ok.warnings()).isEmpty();
    assertThat(ok.cpu().affinity()).hasValue(2);
  }
}
