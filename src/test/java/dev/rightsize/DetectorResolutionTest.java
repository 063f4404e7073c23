package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the resolver picks its source and what it records: the provenance (file and raw text) of the
 * values each source gives, the values marked unknown, and the warnings (code, file, message) for
 * anything unreadable or inconsistent. Each test takes a fixture, often with one file changed; the
 * expected values come from the fixture's files, worked out in the comments.
 */
class DetectorResolutionTest {
  static final String ONLINE = "/sys/devices/system/cpu/online";
  static final String CPUINFO = "/proc/cpuinfo";
  static final String MEMINFO = "/proc/meminfo";
  static final String MOUNTINFO = "/proc/self/mountinfo";
  static final String CGROUP = "/proc/self/cgroup";
  static final String LIMITS = "/proc/self/limits";

  @TempDir Path tmp;

  // ---- TencentOS isolated views ----

  @Test
  void theTencentViewNamesTheSwitchesThatDecidedIt() throws IOException {
    // kernel.stats_isolated 1; memory.stats_isolated, cpuset.stats_isolated and cpu.quota_aware all
    // 1 in c1; /proc/cpuinfo has 2 processor entries, /proc/meminfo MemTotal 1048576 kB.
    ContainerResources r = detect(copy("real-tencent/isolated-on"));
    assertThat(r.source()).isEqualTo(Source.TENCENT_ISOLATED);
    assertProvenance(r, Value.SOURCE, "/proc/sys/kernel/stats_isolated",
        "stats_isolated=1, memory.stats_isolated=1, cpuset.stats_isolated=1, cpu.quota_aware=1");
    assertProvenance(r, Value.CPU_ISOLATED_VIEW, CPUINFO, "2 processor entries");
    assertProvenance(r, Value.CPU_HOST, ONLINE, "0-3");
    assertProvenance(r, Value.MEMORY_ISOLATED_VIEW_TOTAL, MEMINFO, "MemTotal:        1048576 kB");
    assertThat(r.cpu().isolatedView()).hasValue(2);
    assertThat(r.cpu().host()).isEqualTo(4);
  }

  @Test
  void aMissingMemoryFlagFileMeansMeminfoIsNotIsolated() throws IOException {
    // The flag files are absent on the root cgroup (CFTYPE_NOT_ON_ROOT): no isolation there. Only
    // cpuinfo stays a view; meminfo then counts as the host's.
    Path root = copy("real-tencent/isolated-on");
    Files.delete(root.resolve("sys/fs/cgroup/memory/c1/memory.stats_isolated"));
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.TENCENT_ISOLATED);
    assertProvenance(r, Value.SOURCE, "/proc/sys/kernel/stats_isolated",
        "stats_isolated=1, cpuset.stats_isolated=1, cpu.quota_aware=1");
    assertThat(r.memory().isolatedViewTotalBytes()).isEmpty();
    assertThat(r.provenanceOf(Value.MEMORY_ISOLATED_VIEW_TOTAL)).isEmpty();
    assertThat(r.memory().hostTotalBytes()).hasValue(1048576L * 1024);
  }

  @Test
  void anUnreadableTencentCpuinfoGivesNoViewButTheMemoryViewStands() throws IOException {
    Path root = copy("real-tencent/isolated-on");
    directory(root, CPUINFO);
    ContainerResources r = detect(root);
    assertThat(r.hasWarning(WarningCode.INTERNAL_ERROR)).isFalse();
    assertThat(r.cpu().isolatedView()).isEmpty();
    assertThat(r.provenanceOf(Value.CPU_ISOLATED_VIEW)).isEmpty();
    assertThat(codesFor(r, CPUINFO)).containsExactly(WarningCode.READ_FAILED);
    // The memory view still decides the source; the CPU figures come from the cgroup files:
    // quota 150000/100000 = 1.5 -> 2 CPUs, cpuset 0-2 = 3, online 0-3 = 4.
    assertThat(r.source()).isEqualTo(Source.TENCENT_ISOLATED);
    assertThat(r.cpu().effective()).isEqualTo(2);
    assertProvenance(r, Value.CPU_HOST, ONLINE, "0-3");
  }

  @Test
  void anUnreadableTencentMeminfoLeavesTheCgroupFilesAsSource() throws IOException {
    // tencent-memory-only: memory.stats_isolated 1, cpuset.stats_isolated 0; with meminfo
    // unreadable no view is in force and the memory cgroup (v1) decides.
    Path root = copy("synthetic/tencent-memory-only");
    directory(root, MEMINFO);
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.CGROUP_V1);
    assertThat(r.memory().isolatedViewTotalBytes()).isEmpty();
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(1073741824L));
    assertThat(codesFor(r, MEMINFO)).containsExactly(WarningCode.READ_FAILED);
  }

  @Test
  void withoutCgroupfsTheTencentMeminfoIsTheMemoryLimit() throws IOException {
    // /proc/meminfo: MemTotal 1048576 kB, MemFree 983040 kB, Inactive(file) 32768 kB,
    // SwapTotal 2097152 kB, no MemAvailable, VmallocTotal 0 (the isolated fingerprint).
    ContainerResources r = detect(copy("synthetic/tencent-no-cgroupfs"));
    assertThat(r.source()).isEqualTo(Source.TENCENT_ISOLATED);
    assertProvenance(r, Value.SOURCE, "/proc/sys/kernel/stats_isolated",
        "stats_isolated=1, meminfo fingerprint (no MemAvailable, VmallocTotal 0)");
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(1048576L * 1024));
    assertProvenance(r, Value.MEMORY_LIMIT, MEMINFO, "MemTotal:        1048576 kB");
    // usage = (1048576 - 983040) kB = 65536 kB = 67108864 bytes
    assertThat(r.memory().usageBytes()).hasValue(67108864L);
    assertProvenance(r, Value.MEMORY_USAGE, MEMINFO, "MemTotal - MemFree = 67108864");
    // working set = 65536 kB - 32768 kB = 32768 kB = 33554432 bytes
    assertThat(r.memory().workingSetBytes()).hasValue(33554432L);
    assertProvenance(r, Value.MEMORY_WORKING_SET, MEMINFO, "Inactive(file):    32768 kB");
    // SwapTotal is the memory+swap limit: 2097152 kB - 1048576 kB = 1048576 kB = 1 GiB of swap
    assertThat(r.memory().swapLimitBytes()).isEqualTo(Limit.of(1073741824L));
    assertProvenance(r, Value.MEMORY_SWAP_LIMIT, MEMINFO, "SwapTotal:       2097152 kB");
    assertThat(r.memory().softLimitBytes().isUnlimited()).isTrue();
  }

  @Test
  void aSwapTotalEqualToMemTotalMeansNoSwap() throws IOException {
    // memory+swap limit == memory limit: 0 bytes of swap.
    Path root = copy("synthetic/tencent-no-cgroupfs");
    replace(root, MEMINFO, "SwapTotal:       2097152 kB", "SwapTotal:       1048576 kB");
    ContainerResources r = detect(root);
    assertThat(r.memory().swapLimitBytes()).isEqualTo(Limit.of(0));
    assertProvenance(r, Value.MEMORY_SWAP_LIMIT, MEMINFO, "SwapTotal:       1048576 kB");
  }

  @Test
  void aSwapTotalBelowMemTotalIsNoSwapLimit() throws IOException {
    Path root = copy("synthetic/tencent-no-cgroupfs");
    replace(root, MEMINFO, "SwapTotal:       2097152 kB", "SwapTotal:        524288 kB");
    ContainerResources r = detect(root);
    assertThat(r.memory().swapLimitBytes().isUnlimited()).isTrue();
    assertThat(r.provenanceOf(Value.MEMORY_SWAP_LIMIT)).isEmpty();
  }

  @Test
  void aMemFreeEqualToMemTotalIsZeroUsage() throws IOException {
    Path root = copy("synthetic/tencent-no-cgroupfs");
    replace(root, MEMINFO, "MemFree:          983040 kB", "MemFree:         1048576 kB");
    replace(root, MEMINFO, "Inactive(file):    32768 kB", "Inactive(file):        0 kB");
    ContainerResources r = detect(root);
    assertThat(r.memory().usageBytes()).hasValue(0L);
    assertThat(r.memory().workingSetBytes()).hasValue(0L);
    assertProvenance(r, Value.MEMORY_USAGE, MEMINFO, "MemTotal - MemFree = 0");
  }

  @Test
  void aMemFreeAboveMemTotalGivesNoUsage() throws IOException {
    Path root = copy("synthetic/tencent-no-cgroupfs");
    replace(root, MEMINFO, "MemFree:          983040 kB", "MemFree:         1048577 kB");
    ContainerResources r = detect(root);
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(1048576L * 1024));
    assertThat(r.memory().usageBytes()).isEmpty();
    assertThat(r.memory().workingSetBytes()).isEmpty();
    assertThat(r.provenanceOf(Value.MEMORY_USAGE)).isEmpty();
    assertThat(r.provenanceOf(Value.MEMORY_WORKING_SET)).isEmpty();
  }

  @Test
  void withoutInactiveFileTheViewGivesUsageButNoWorkingSet() throws IOException {
    Path root = copy("synthetic/tencent-no-cgroupfs");
    replace(root, MEMINFO, "Inactive(file):    32768 kB\n", "");
    ContainerResources r = detect(root);
    assertThat(r.memory().usageBytes()).hasValue(67108864L);
    assertThat(r.memory().workingSetBytes()).isEmpty();
    assertThat(r.provenanceOf(Value.MEMORY_WORKING_SET)).isEmpty();
  }

  @Test
  void aHostLikeMeminfoWithoutCgroupfsIsTheHostsNotAView() throws IOException {
    // A MemAvailable line: the kernel's own meminfo, not the isolated one (mm/memcontrol.c prints
    // none). Only cpuinfo counts as a view.
    Path root = copy("synthetic/tencent-no-cgroupfs");
    replace(root, MEMINFO, "MemFree:          983040 kB\n", "MemFree:          983040 kB\nMemAvailable:     990000 kB\n");
    ContainerResources r = detect(root);
    assertProvenance(r, Value.SOURCE, "/proc/sys/kernel/stats_isolated", "stats_isolated=1");
    assertThat(r.memory().isolatedViewTotalBytes()).isEmpty();
    assertThat(r.memory().hostTotalBytes()).hasValue(1048576L * 1024);
    assertProvenance(r, Value.MEMORY_HOST_TOTAL, MEMINFO, "MemTotal:        1048576 kB");
    assertThat(r.provenanceOf(Value.MEMORY_LIMIT)).isEmpty();
  }

  @Test
  void aTencentViewWiderThanTheCgroupsNamesBothInItsWarning() throws IOException {
    // tencent-arm64-cpuinfo: cpuinfo has 4 entries (arm64 ignores the isolation), quota
    // 150000/100000 = 1.5 -> 2 CPUs, cpuset 0-2 = 3 CPUs: the cgroups give min(2, 3) = 2.
    ContainerResources r = detect(copy("synthetic/tencent-arm64-cpuinfo"));
    assertThat(warnings(r, WarningCode.ISOLATED_VIEW_DISAGREES)).containsExactly(Warning.of(
        WarningCode.ISOLATED_VIEW_DISAGREES, "the isolated view shows 4 CPUs but the cgroup files give 2 (quota 1.5 in"
            + " /sys/fs/cgroup/cpu,cpuacct/c1/cpu.cfs_quota_us, cpuset 3); the tighter value is used", CPUINFO));
    assertThat(r.cpu().effective()).isEqualTo(2);
  }

  @Test
  void aTencentMeminfoWiderThanTheMemoryLimitSaysTheViewIsTheOwnCgroups() throws IOException {
    // isolated-on: meminfo MemTotal 1048576 kB (1 GiB); the limit lowered to 512 MiB.
    Path root = copy("real-tencent/isolated-on");
    Files.writeString(root.resolve("sys/fs/cgroup/memory/c1/memory.limit_in_bytes"), "536870912\n");
    ContainerResources r = detect(root);
    assertThat(warnings(r, WarningCode.ISOLATED_VIEW_DISAGREES)).containsExactly(Warning.of(
        WarningCode.ISOLATED_VIEW_DISAGREES, "/proc/meminfo shows MemTotal 1073741824 bytes but"
            + " /sys/fs/cgroup/memory/c1/memory.limit_in_bytes limits memory to 536870912 bytes (the kernel's view"
            + " shows the process's own memory cgroup only); the cgroup limit is used", MEMINFO));
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(536870912L));
  }

  // ---- LXCFS ----

  @Test
  void lxcfsOnlineIsTheCpuViewAndTheFirstBindIsTheSource() throws IOException {
    // lxcfs-no-cfs: LXCFS binds /proc/cpuinfo (line 50, the first bind over a /proc file) and
    // /sys/devices/system/cpu/online ("0-1"); without --enable-cfs the view shows the cpuset
    // (0-1 = 2) and ignores the quota (50000/100000 = 0.5): expected, no warning.
    ContainerResources r = detect(copy("synthetic/lxcfs-no-cfs"));
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertProvenance(r, Value.SOURCE, MOUNTINFO, "50 23 0:41 /proc/cpuinfo /proc/cpuinfo rw,nosuid,nodev,relatime"
        + " - fuse.lxcfs lxcfs rw,user_id=0,group_id=0,allow_other");
    assertProvenance(r, Value.CPU_ISOLATED_VIEW, ONLINE, "0-1");
    assertThat(r.cpu().isolatedView()).hasValue(2);
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void anOldLxcfsMountTypedPlainFuseIsStillLxcfs() throws IOException {
    // Older LXCFS (and some runtimes) show the mount as type "fuse", source "lxcfs".
    Path root = copy("synthetic/lxcfs-no-cfs");
    replace(root, MOUNTINFO, "- fuse.lxcfs lxcfs", "- fuse lxcfs");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertProvenance(r, Value.CPU_ISOLATED_VIEW, ONLINE, "0-1");
    assertThat(r.memory().isolatedViewTotalBytes()).hasValue(524288L * 1024);
  }

  @Test
  void aFuseRootFilesystemIsNotLxcfs() throws IOException {
    // Rootless Podman: "/" is fuse-overlayfs, which covers every /proc path by prefix but is no view.
    Path root = copy("synthetic/v2-unlimited");
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(root.resolve("proc/self/mountinfo"))) {
      String[] f = l.split(" ");
      lines.add(f[4].equals("/") ? f[0] + " " + f[1] + " 0:50 / / rw,relatime - fuse.fuse-overlayfs fuse-overlayfs"
          + " rw,user_id=0,group_id=0,default_permissions,allow_other" : l);
    }
    Files.write(root.resolve("proc/self/mountinfo"), lines);
    assertThat(Files.readString(root.resolve("proc/self/mountinfo"))).contains("fuse-overlayfs");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.CGROUP_V2);
    assertThat(r.warnings()).isEmpty();
    assertThat(r.cpu().isolatedView()).isEmpty();
    assertThat(r.memory().isolatedViewTotalBytes()).isEmpty();
    assertProvenance(r, Value.MEMORY_HOST_TOTAL, MEMINFO, "MemTotal:        8388608 kB");
  }

  @Test
  void lxcfsCpuinfoIsTheViewWhenOnlineIsNotBound() throws IOException {
    // Without the bind over cpu/online (line 57), online is the host's ("0-1") and cpuinfo (2
    // processor entries) is the view.
    Path root = copy("synthetic/lxcfs-no-cfs");
    removeLine(root, MOUNTINFO, "57 24 0:41 ");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertProvenance(r, Value.CPU_ISOLATED_VIEW, CPUINFO, "2 processor entries");
    assertProvenance(r, Value.CPU_HOST, ONLINE, "0-1");
  }

  @Test
  void whereOnlyOnlineIsAnLxcfsViewTheHostCountComesFromCpuinfo() throws IOException {
    // Without the bind over /proc/cpuinfo (line 50), its 2 processor entries are the host's.
    Path root = copy("synthetic/lxcfs-no-cfs");
    removeLine(root, MOUNTINFO, "50 23 0:41 ");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertProvenance(r, Value.CPU_ISOLATED_VIEW, ONLINE, "0-1");
    assertProvenance(r, Value.CPU_HOST, CPUINFO, "2 processor entries");
    // now the first bind over a /proc file is meminfo's (line 51)
    assertProvenance(r, Value.SOURCE, MOUNTINFO, "51 23 0:41 /proc/meminfo /proc/meminfo rw,nosuid,nodev,relatime"
        + " - fuse.lxcfs lxcfs rw,user_id=0,group_id=0,allow_other");
  }

  @Test
  void anLxcfsBindOverCpuinfoAloneIsACpuView() throws IOException {
    // lxcfs-no-cfs without the binds over cpu/online (57) and meminfo (51): only the cpuinfo view
    // (2 processor entries) makes it an LXCFS container.
    Path root = copy("synthetic/lxcfs-no-cfs");
    removeLine(root, MOUNTINFO, "57 24 0:41 ");
    removeLine(root, MOUNTINFO, "51 23 0:41 ");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertProvenance(r, Value.CPU_ISOLATED_VIEW, CPUINFO, "2 processor entries");
    assertThat(r.memory().isolatedViewTotalBytes()).isEmpty();
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void sysboxFuseMountsOverProcFilesAreNotLxcfs() throws IOException {
    // Sysbox binds its own FUSE filesystem (type "fuse", source "sysboxfs") over /proc/swaps and
    // /proc/uptime, two of the files LXCFS virtualises: no view, and nothing to warn about.
    Path root = copy("synthetic/v2-unlimited");
    Path mi = root.resolve(MOUNTINFO.substring(1));
    Files.writeString(mi, Files.readString(mi)
        + "60 24 0:60 /proc/swaps /proc/swaps rw,nosuid,nodev,relatime - fuse sysboxfs"
        + " rw,user_id=0,group_id=0,default_permissions,allow_other\n"
        + "61 24 0:60 /proc/uptime /proc/uptime rw,nosuid,nodev,relatime - fuse sysboxfs"
        + " rw,user_id=0,group_id=0,default_permissions,allow_other\n");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.CGROUP_V2);
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void unreadableLxcfsFilesFallBackToTheCgroupFilesWithAWarning() throws IOException {
    // lxcfs-meminfo-only binds /proc/meminfo alone; unreadable, it is no view.
    Path root = copy("synthetic/lxcfs-meminfo-only");
    directory(root, MEMINFO);
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.CGROUP_V1);
    assertThat(warnings(r, WarningCode.ISOLATED_VIEW_UNAVAILABLE)).containsExactly(Warning.of(
        WarningCode.ISOLATED_VIEW_UNAVAILABLE, "LXCFS files are mounted over /proc but could not be read; falling back"
            + " to cgroup files", MEMINFO));
    assertThat(r.memory().isolatedViewTotalBytes()).isEmpty();
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(536870912L));
  }

  @Test
  void anLxcfsViewWiderThanTheCgroupsWithoutAQuotaSaysSo() throws IOException {
    // lxcfs-meminfo-host-fallback: the online view shows 0-3 (4), no quota; cpuset narrowed to 0-1 (2).
    Path root = copy("synthetic/lxcfs-meminfo-host-fallback");
    Files.writeString(root.resolve("sys/fs/cgroup/cpuset/cpuset.cpus"), "0-1\n");
    ContainerResources r = detect(root);
    assertThat(warnings(r, WarningCode.ISOLATED_VIEW_DISAGREES)).contains(Warning.of(
        WarningCode.ISOLATED_VIEW_DISAGREES, "the isolated view shows 4 CPUs but the cgroup files give 2 (quota none,"
            + " cpuset 2); the tighter value is used", ONLINE));
    assertThat(r.cpu().effective()).isEqualTo(2);
  }

  @Test
  void anLxcfsMeminfoShowingTheHostSaysLxcfsFellBack() throws IOException {
    // MemTotal 8388608 kB = 8589934592 bytes, memory.limit_in_bytes 536870912.
    ContainerResources r = detect(copy("synthetic/lxcfs-meminfo-host-fallback"));
    assertThat(r.warnings()).containsExactly(Warning.of(WarningCode.ISOLATED_VIEW_DISAGREES,
        "/proc/meminfo shows MemTotal 8589934592 bytes but /sys/fs/cgroup/memory/memory.limit_in_bytes limits memory"
            + " to 536870912 bytes (LXCFS serves host values on internal errors and answers for the container's init"
            + " process); the cgroup limit is used", MEMINFO));
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(536870912L));
  }

  @Test
  void anLxcfsMeminfoNarrowerThanTheLimitAnswersForAnotherCgroup() throws IOException {
    // lxcfs-meminfo-only: MemTotal 524288 kB = 536870912 bytes; the limit raised to 1 GiB.
    Path root = copy("synthetic/lxcfs-meminfo-only");
    Files.writeString(root.resolve("sys/fs/cgroup/memory/memory.limit_in_bytes"), "1073741824\n");
    // memory.stat's hierarchical_memory_limit follows (no ancestor limits it)
    replace(root, "/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit 536870912",
        "hierarchical_memory_limit 1073741824");
    ContainerResources r = detect(root);
    assertThat(r.warnings()).containsExactly(Warning.of(WarningCode.ISOLATED_VIEW_DISAGREES,
        "/proc/meminfo shows MemTotal 536870912 bytes but /sys/fs/cgroup/memory/memory.limit_in_bytes limits memory"
            + " to 1073741824 bytes (the view answers for another cgroup); the cgroup limit is used", MEMINFO));
  }

  @Test
  void anLxcfsMeminfoOverAnUnlimitedCgroupIsNoLimit() throws IOException {
    // No memory limit (v1 prints 9223372036854771712): LXCFS shows the host's MemTotal (8388608
    // kB), which is no limit of the container's.
    Path root = copy("synthetic/lxcfs-meminfo-host-fallback");
    Files.writeString(root.resolve("sys/fs/cgroup/memory/memory.limit_in_bytes"), "9223372036854771712\n");
    replace(root, "/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit 536870912",
        "hierarchical_memory_limit 9223372036854771712");
    ContainerResources r = detect(root);
    assertThat(r.source()).isEqualTo(Source.LXCFS);
    assertThat(r.memory().limitBytes().isUnlimited()).isTrue();
    assertThat(r.provenanceOf(Value.MEMORY_LIMIT)).isEmpty();
    assertThat(r.memory().isolatedViewTotalBytes()).hasValue(8589934592L);
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void whereNoCgroupMemoryLimitCanBeReadTheLxcfsMemTotalStandsAndTheSoftLimitIsKept() throws IOException {
    // lxcfs-meminfo-only: MemTotal 524288 kB = 536870912 bytes. memory.limit_in_bytes unreadable
    // and memory.stat without hierarchical_memory_limit: no cgroup file gives the limit.
    Path root = copy("synthetic/lxcfs-meminfo-only");
    directory(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes");
    removeLine(root, "/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit ");
    Files.writeString(root.resolve("sys/fs/cgroup/memory/memory.soft_limit_in_bytes"), "268435456\n");
    ContainerResources r = detect(root);
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(536870912L));
    assertProvenance(r, Value.MEMORY_LIMIT, MEMINFO, "MemTotal:         524288 kB");
    assertThat(r.memory().softLimitBytes()).isEqualTo(Limit.of(268435456L));
    assertThat(r.isKnown(Value.MEMORY_LIMIT)).isTrue();
    assertThat(codesFor(r, "/sys/fs/cgroup/memory/memory.limit_in_bytes")).containsExactly(WarningCode.READ_FAILED);
  }

  @Test
  void whereTheMemTotalStandsAnUnreadableSoftOrSwapLimitStaysUnknown() throws IOException {
    // The same, with memory.soft_limit_in_bytes and memory.memsw.limit_in_bytes unreadable too: the
    // view's MemTotal says nothing of either, so neither may read as unlimited.
    Path root = copy("synthetic/lxcfs-meminfo-only");
    directory(root, "/sys/fs/cgroup/memory/memory.limit_in_bytes");
    removeLine(root, "/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit ");
    directory(root, "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes");
    directory(root, "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
    ContainerResources r = detect(root);
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(536870912L));
    assertThat(r.memory().softLimitBytes()).isEqualTo(Limit.unknown());
    assertThat(r.memory().swapLimitBytes()).isEqualTo(Limit.unknown());
    assertThat(r.unknown()).contains(Value.MEMORY_SOFT_LIMIT, Value.MEMORY_SWAP_LIMIT)
        .doesNotContain(Value.MEMORY_LIMIT);
    assertThat(codesFor(r, "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes")).containsExactly(WarningCode.READ_FAILED);
    assertThat(codesFor(r, "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")).containsExactly(WarningCode.READ_FAILED);
  }

  // ---- host values ----

  @Test
  void withoutCpuOnlineTheHostCountComesFromCpuinfo() throws IOException {
    // v2-unlimited: /proc/cpuinfo has 4 processor entries.
    Path root = copy("synthetic/v2-unlimited");
    Files.delete(root.resolve(ONLINE.substring(1)));
    ContainerResources r = detect(root);
    assertThat(r.cpu().host()).isEqualTo(4);
    assertProvenance(r, Value.CPU_HOST, CPUINFO, "4 processor entries");
    assertThat(r.warnings()).containsExactly(Warning.of(WarningCode.FILE_MISSING, "expected file is missing", ONLINE));
  }

  @Test
  void cpuinfoIsNotReadWhereCpuOnlineGivesTheHostCount() throws IOException {
    // /proc/cpuinfo unreadable: no warning, since a plain cgroup host never needs it.
    Path root = copy("synthetic/v2-unlimited");
    directory(root, CPUINFO);
    ContainerResources r = detect(root);
    assertThat(r.warnings()).isEmpty();
    assertProvenance(r, Value.CPU_HOST, ONLINE, "0-3");
  }

  @Test
  void withNoCpuFileReadableTheHostIsOneCpuAndUnknown() throws IOException {
    Path root = copy("synthetic/v2-unlimited");
    Files.delete(root.resolve(ONLINE.substring(1)));
    Files.delete(root.resolve(CPUINFO.substring(1)));
    Files.delete(root.resolve("proc/self/status"));
    ContainerResources r = detect(root);
    assertThat(r.cpu().host()).isEqualTo(1);
    assertThat(r.unknown()).contains(Value.CPU_HOST, Value.CPU_AFFINITY);
    assertThat(r.provenanceOf(Value.CPU_HOST)).isEmpty();
    assertThat(warnings(r, WarningCode.HOST_CPUS_UNKNOWN)).containsExactly(Warning.of(WarningCode.HOST_CPUS_UNKNOWN,
        "neither /sys/devices/system/cpu/online nor /proc/cpuinfo could be read; assuming 1 CPU", ONLINE));
  }

  @Test
  void withoutMeminfoTheHostTotalIsUnknown() throws IOException {
    Path root = copy("synthetic/v2-unlimited");
    Files.delete(root.resolve(MEMINFO.substring(1)));
    ContainerResources r = detect(root);
    assertThat(r.memory().hostTotalBytes()).isEmpty();
    assertThat(r.unknown()).containsExactly(Value.MEMORY_HOST_TOTAL);
    assertThat(r.warnings()).containsExactly(Warning.of(WarningCode.FILE_MISSING, "expected file is missing", MEMINFO));
  }

  @Test
  void aMemoryLimitEqualToTheHostsMemoryIsNotAboveIt() throws IOException {
    // lxcfs-var-lib-only (LXCFS under /var/lib only: no view): MemTotal 8388608 kB = 8589934592 bytes.
    Path root = copy("synthetic/lxcfs-var-lib-only");
    // (memory.stat's hierarchical_memory_limit follows the leaf's: no ancestor limits it)
    Path limit = root.resolve("sys/fs/cgroup/memory/memory.limit_in_bytes");
    Files.writeString(limit, "8589934592\n");
    replace(root, "/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit 1073741824",
        "hierarchical_memory_limit 8589934592");
    ContainerResources r = detect(root);
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.of(8589934592L));
    assertThat(r.hasWarning(WarningCode.LIMIT_ABOVE_HOST)).isFalse();
    // one page above it
    Files.writeString(limit, "8589938688\n");
    replace(root, "/sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit 8589934592",
        "hierarchical_memory_limit 8589938688");
    r = detect(root);
    assertThat(warnings(r, WarningCode.LIMIT_ABOVE_HOST)).containsExactly(Warning.of(WarningCode.LIMIT_ABOVE_HOST,
        "memory limit 8589938688 bytes is above the host's MemTotal 8589934592 bytes: it does not bind",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes"));
  }

  // ---- cgroup source, mount table and membership ----

  @Test
  void theMemoryControllersMountDecidesTheCgroupSource() throws IOException {
    // hybrid-memory-on-v2: memory on the unified hierarchy, cpu and cpuset on v1.
    ContainerResources r = detect(copy("synthetic/hybrid-memory-on-v2"));
    assertThat(r.source()).isEqualTo(Source.CGROUP_V2);
    assertProvenance(r, Value.SOURCE, MOUNTINFO, "31 30 0:31 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime"
        + " shared:31 - cgroup2 cgroup2 rw,nsdelegate");
    // v1 everywhere: the memory mount (line 34), not cpu's (32) or cpuset's (33)
    r = detect(copy("synthetic/lxcfs-var-lib-only"));
    assertProvenance(r, Value.SOURCE, MOUNTINFO, "34 30 0:34 /docker/abc /sys/fs/cgroup/memory"
        + " rw,nosuid,nodev,noexec,relatime shared:34 - cgroup cgroup rw,memory");
  }

  @Test
  void withoutAMemoryControllerTheCpuMountDecidesTheCgroupSource() throws IOException {
    // v1-no-memory-mount: cpu,cpuacct (line 32) and cpuset (33) only: cpu's comes first.
    ContainerResources r = detect(copy("synthetic/v1-no-memory-mount"));
    assertThat(r.source()).isEqualTo(Source.CGROUP_V1);
    assertProvenance(r, Value.SOURCE, MOUNTINFO, "32 30 0:32 /docker/abc /sys/fs/cgroup/cpu,cpuacct"
        + " rw,nosuid,nodev,noexec,relatime shared:32 - cgroup cgroup rw,cpu,cpuacct");
  }

  @Test
  void anEmptyMountTableLeavesEveryCgroupValueUnknown() throws IOException {
    ContainerResources r = detect(copy("synthetic/hostile-empty-mountinfo"));
    assertThat(r.source()).isEqualTo(Source.HOST);
    assertThat(r.unknown()).contains(Value.CPU_LIMIT, Value.CPU_SHARES, Value.CPU_CPUSET, Value.MEMORY_LIMIT,
        Value.PIDS_LIMIT);
    assertThat(r.warnings()).containsExactly(
        Warning.of(WarningCode.UNPARSABLE, "no mount could be read; cgroup and LXCFS mounts are unknown", MOUNTINFO),
        Warning.of(WarningCode.LIMIT_UNKNOWN, "cpu.limit is unknown: a file on the cgroup path could not be read (see"
            + " the warnings naming it); no quota could be read; cpu.effective 4 is the tightest known constraint",
            MOUNTINFO),
        Warning.of(WarningCode.LIMIT_UNKNOWN, "memory.limit is unknown: a file on the cgroup path could not be read"
            + " (see the warnings naming it); no limit could be read; nothing should be sized from it", MOUNTINFO),
        Warning.of(WarningCode.LIMIT_UNKNOWN, "pids.limit is unknown: a file on the cgroup path could not be read"
            + " (see the warnings naming it); no pids.max could be read", MOUNTINFO));
  }

  @Test
  void controllersMountedButMissingFromMembershipNameTheMembershipFile() throws IOException {
    ContainerResources r = detect(copy("synthetic/hostile-missing-proc-self-cgroup"));
    assertThat(warnings(r, WarningCode.LIMIT_UNKNOWN)).extracting(w -> w.file().orElseThrow())
        .containsExactly(CGROUP, CGROUP, MOUNTINFO);
    assertThat(r.unknown()).contains(Value.CPU_SHARES, Value.CPU_CPUSET);
  }

  @Test
  void aGarbledMembershipLineIsSkippedWithAWarning() throws IOException {
    Path root = copy("synthetic/v2-unlimited");
    Path cg = root.resolve("proc/self/cgroup");
    Files.writeString(cg, Files.readString(cg) + "garbage\n");
    ContainerResources r = detect(root);
    assertThat(r.warnings()).containsExactly(Warning.of(WarningCode.UNPARSABLE, "1 line(s) skipped, first: garbage",
        CGROUP));
    assertThat(r.source()).isEqualTo(Source.CGROUP_V2);
  }

  @Test
  void aQuotaBoundReadAboveAnUnreadableLeafIsNamedInTheWarning() throws IOException {
    // unknown/v1-leaf-quota-garbage: the leaf's cpu.cfs_quota_us is "1e5"; burstable's is
    // 300000/100000 = 3 CPUs.
    ContainerResources r = detect(copy("unknown/v1-leaf-quota-garbage"));
    String leaf = "/sys/fs/cgroup/cpu,cpuacct/kubepods/burstable/pod77/ctr/cpu.cfs_quota_us";
    assertThat(warnings(r, WarningCode.LIMIT_UNKNOWN)).containsExactly(Warning.of(WarningCode.LIMIT_UNKNOWN,
        "cpu.limit is unknown: a file on the cgroup path could not be read (see the warnings naming it); the tightest"
            + " quota read is 3 CPUs (/sys/fs/cgroup/cpu,cpuacct/kubepods/burstable/cpu.cfs_quota_us); cpu.effective 3"
            + " is the tightest known constraint", leaf));
    assertThat(r.unknown()).containsExactly(Value.CPU_LIMIT);
  }

  @Test
  void aRootDetectionAndTheLiveOneNeverShareTheirResolvedLayout() throws IOException {
    // The live detection keeps its resolved layout while /proc/self/mountinfo and /proc/self/cgroup
    // read the same. A root holding copies of exactly those two files, and nothing else, must be
    // resolved on its own (no cgroup directory exists under it), and must not leave its layout for
    // the next live detection.
    Path mountinfo = Path.of(MOUNTINFO);
    Path cgroup = Path.of(CGROUP);
    assumeTrue(Files.isReadable(mountinfo) && Files.isReadable(cgroup), "a Linux /proc");
    ContainerResources live = ContainerResources.detect();
    assumeTrue(live.source() == Source.CGROUP_V1 || live.source() == Source.CGROUP_V2, "a cgroup host");
    assumeFalse(live.hasWarning(WarningCode.CGROUP_DIR_MISSING), "every live cgroup directory exists");
    Path root = tmp.resolve("mirror");
    Files.createDirectories(root.resolve("proc/self"));
    Files.writeString(root.resolve("proc/self/mountinfo"), Files.readString(mountinfo));
    Files.writeString(root.resolve("proc/self/cgroup"), Files.readString(cgroup));
    ContainerResources mirrored = detect(root);
    assertThat(mirrored.hasWarning(WarningCode.CGROUP_DIR_MISSING)).isTrue();
    ContainerResources again = ContainerResources.detect();
    assertThat(again.hasWarning(WarningCode.CGROUP_DIR_MISSING)).isFalse();
    assertThat(again.source()).isEqualTo(live.source());
  }

  // ---- pids ----

  @Test
  void onAV1HostWithoutAPidsHierarchyTheTaskLimitCannotBeSeen() throws IOException {
    ContainerResources r = detect(copy("synthetic/v1-no-pids-mount"));
    assertThat(r.warnings()).containsExactly(Warning.of(WarningCode.LIMIT_UNKNOWN, "pids.limit is unknown: no cgroup v1"
        + " pids hierarchy is mounted, so a pids.max that applies to this process cannot be seen; no pids.max could be"
        + " read", MOUNTINFO));
  }

  @Test
  void aPidsMountPointThatIsGoneNamesTheMembershipFile() throws IOException {
    // host-switch-off: the pids hierarchy is in the mount table but /sys/fs/cgroup/pids is absent.
    ContainerResources r = detect(copy("real-tencent/host-switch-off"));
    assertThat(warnings(r, WarningCode.LIMIT_UNKNOWN)).containsExactly(Warning.of(WarningCode.LIMIT_UNKNOWN,
        "pids.limit is unknown: a file on the cgroup path could not be read (see the warnings naming it); no pids.max"
            + " could be read", CGROUP));
  }

  @Test
  void aZeroThreadsLineIsNoThreadCount() throws IOException {
    // A live process has at least one thread: "Threads: 0" is garbage.
    Path root = copy("synthetic/v2-unlimited");
    replace(root, "/proc/self/status", "Threads:\t23", "Threads:\t0");
    assertThat(detect(root).pids().processThreads()).isEmpty();
    replace(root, "/proc/self/status", "Threads:\t0", "Threads:\t1");
    assertThat(detect(root).pids().processThreads()).hasValue(1L);
  }

  // ---- /proc/self/limits ----

  @Test
  void aZeroRlimitIsALimitOfZero() throws IOException {
    // "ulimit -n 0": the kernel prints 0, which is a limit, not "unlimited" (printed as such).
    Path root = copy("synthetic/limits-ulimit-set");
    Path limits = root.resolve(LIMITS.substring(1));
    String line = "Max open files            0                    0                    files     ";
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(limits)) {
      out.add(l.startsWith("Max open files") ? line : l);
    }
    Files.write(limits, out);
    ContainerResources r = detect(root);
    assertThat(r.rlimits().nofile()).isEqualTo(Limit.of(0));
    assertThat(r.rlimits().nofileHard()).isEqualTo(Limit.of(0));
    assertProvenance(r, Value.RLIMIT_NOFILE, LIMITS, line.trim());
  }

  @Test
  void aGarbledOrMissingRlimitLineIsUnknownWithAWarning() throws IOException {
    // limits-garbage: "Max open files  lots  1024  files" and no "Max processes" line.
    ContainerResources r = detect(copy("synthetic/limits-garbage"));
    assertThat(r.warnings()).containsExactly(
        Warning.of(WarningCode.UNPARSABLE, "could not parse \"Max open files            lots                 1024"
            + "                 files\": not an integer: lots", LIMITS),
        Warning.of(WarningCode.UNPARSABLE, "no \"Max processes\" line", LIMITS));
    assertThat(r.unknown()).containsExactly(Value.RLIMIT_NOFILE, Value.RLIMIT_NOFILE_HARD, Value.RLIMIT_NPROC,
        Value.RLIMIT_NPROC_HARD);
  }

  // ---- helpers ----

  private int copies;

  private Path copy(String fixture) throws IOException {
    return TestTrees.copy(TestTrees.FIXTURES.resolve(fixture), tmp.resolve("root" + copies++));
  }

  private static ContainerResources detect(Path root) {
    return ContainerResources.detect(root);
  }

  private static void replace(Path root, String file, String from, String to) throws IOException {
    Path p = root.resolve(file.substring(1));
    String text = Files.readString(p);
    assertThat(text).as("%s in %s", from, file).contains(from);
    Files.writeString(p, text.replace(from, to));
  }

  private static void removeLine(Path root, String file, String prefix) throws IOException {
    Path p = root.resolve(file.substring(1));
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(p)) {
      if (!l.startsWith(prefix)) {
        out.add(l);
      }
    }
    assertThat(out).as("a line %s in %s", prefix, file).hasSizeLessThan(Files.readAllLines(p).size());
    Files.write(p, out);
  }

  /** Replaces a file with a directory: it exists but cannot be read. */
  private static void directory(Path root, String file) throws IOException {
    Path p = root.resolve(file.substring(1));
    Files.delete(p);
    Files.createDirectory(p);
  }

  private static void assertProvenance(ContainerResources r, Value v, String file, String raw) {
    Provenance p = r.provenanceOf(v).orElseThrow(() -> new AssertionError("no provenance for " + v + ": " + r));
    assertThat(p.file()).as("file of %s", v).isEqualTo(file);
    assertThat(p.raw()).as("raw of %s", v).isEqualTo(raw);
  }

  private static List<Warning> warnings(ContainerResources r, WarningCode code) {
    List<Warning> out = new ArrayList<>();
    for (Warning w : r.warnings()) {
      if (w.code() == code) {
        out.add(w);
      }
    }
    return out;
  }

  private static List<WarningCode> codesFor(ContainerResources r, String file) {
    List<WarningCode> out = new ArrayList<>();
    for (Warning w : r.warnings()) {
      if (w.file().isPresent() && w.file().get().equals(file)) {
        out.add(w.code());
      }
    }
    return out;
  }
}
