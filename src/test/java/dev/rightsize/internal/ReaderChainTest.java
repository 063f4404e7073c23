package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Limit;
import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.CgroupLayout.Version;
import dev.rightsize.internal.CgroupReader.CpuQuota;
import dev.rightsize.internal.CgroupReader.MemoryReading;
import dev.rightsize.internal.MountInfo.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version readers along a two-level chain (the process's cgroup {@code /cg/pod/ctr} and its
 * parent {@code /cg/pod}): CPU quota, cpuset and memory, with the warnings that name each file.
 * Formats: cgroup-v1/cgroups.rst and sched-bwc.rst ({@code cpu.cfs_quota_us} is -1 or a positive
 * number of microseconds per {@code cpu.cfs_period_us}), cgroup-v1/memory.rst
 * ({@code memory.stat}'s {@code hierarchical_memory_limit}, {@code memory.memsw.limit_in_bytes} is
 * memory plus swap), cgroup-v2.rst ({@code cpu.max} is "$MAX $PERIOD").
 */
class ReaderChainTest {
  private static final String LEAF = "/cg/pod/ctr";
  private static final String POD = "/cg/pod";

  @TempDir Path root;
  private final Diagnostics diag = new Diagnostics();

  private static Controller controller(Version version, String mountRoot) {
    Mount m = new Mount("0:29", mountRoot, "/cg", version == Version.V1 ? "cgroup" : "cgroup2", "cgroup",
        Set.of("rw", "cpu", "memory", "cpuset"), "29 1 0:29 " + mountRoot + " /cg rw - cgroup cgroup rw");
    return new Controller("cpu", version, m, "/pod/ctr", LEAF, List.of(LEAF, POD));
  }

  private static Controller v1() {
    return controller(Version.V1, "/");
  }

  private void set(String dir, String name, String content) throws IOException {
    Path d = root.resolve(dir.substring(1));
    Files.createDirectories(d);
    Files.writeString(d.resolve(name), content);
  }

  /** Reading a directory fails with an I/O error: an unreadable file. */
  private void unreadable(String dir, String name) throws IOException {
    Files.createDirectories(root.resolve(dir.substring(1)).resolve(name));
  }

  private Files2 files() {
    return new Files2(new ViewFs(root, 100, diag), diag);
  }

  private CpuQuota v1Quota() {
    return new CgroupV1Reader(files()).cpuQuota(v1());
  }

  private void quota(String dir, long quota, long period) throws IOException {
    set(dir, "cpu.cfs_quota_us", quota + "\n");
    set(dir, "cpu.cfs_period_us", period + "\n");
  }

  // ---- v1 cpu.cfs_quota_us / cpu.cfs_period_us

  @Test
  void v1ATighterParentQuotaWins() throws IOException {
    quota(LEAF, 100_000, 100_000); // 1 CPU
    quota(POD, 50_000, 100_000); // 0.5 CPU
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.of(50_000));
    assertThat(q.period()).hasValue(100_000);
    assertThat(q.file()).isEqualTo(POD + "/cpu.cfs_quota_us");
    assertThat(q.raw()).isEqualTo("50000 / 100000 (" + POD + "/cpu.cfs_period_us)");
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void v1OnAQuotaTieTheLeafIsNamed() throws IOException {
    quota(LEAF, 100_000, 100_000); // 1 CPU
    quota(POD, 50_000, 50_000); // 1 CPU too, over a shorter period
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.of(100_000));
    assertThat(q.period()).hasValue(100_000);
    assertThat(q.file()).isEqualTo(LEAF + "/cpu.cfs_quota_us");
  }

  @Test
  void v1NoQuotaFileAnywhereIsNoQuotaWithoutAWarning() throws IOException {
    // A kernel built without CONFIG_CFS_BANDWIDTH has no cpu.cfs_quota_us at any level.
    Files.createDirectories(root.resolve(LEAF.substring(1)));
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.unlimited());
    assertThat(q.file()).isNull();
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void v1AQuotaOnlyAboveAMissingLeafIsAnUpperBound() throws IOException {
    quota(POD, 200_000, 100_000); // 2 CPUs at the parent; the leaf's own file was not captured
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.unknownAtMost(200_000));
    assertThat(q.file()).isEqualTo(POD + "/cpu.cfs_quota_us");
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.FILE_MISSING);
      assertThat(w.file()).hasValue(LEAF + "/cpu.cfs_quota_us");
      assertThat(w.message()).isEqualTo("expected file is missing");
    });
  }

  @Test
  void v1AZeroQuotaIsGarbageNamingTheFile() throws IOException {
    quota(LEAF, 0, 100_000); // sched-bwc.rst: -1 or at least 1 ms; the kernel refuses 0
    quota(POD, 300_000, 100_000);
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.unknownAtMost(300_000));
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(LEAF + "/cpu.cfs_quota_us");
      assertThat(w.message()).isEqualTo("CFS quota must be -1 or positive, is 0");
    });
  }

  @Test
  void v1AZeroPeriodIsGarbageNamingThePeriodFile() throws IOException {
    quota(LEAF, 50_000, 0); // the period is 1 ms..1 s: 0 cannot be read from a kernel
    quota(POD, 300_000, 100_000);
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.unknownAtMost(300_000));
    assertThat(q.file()).isEqualTo(POD + "/cpu.cfs_quota_us");
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(LEAF + "/cpu.cfs_period_us");
      assertThat(w.message()).isEqualTo("CFS period must be positive, is 0");
    });
  }

  @Test
  void v1AGarbledQuotaIsOneWarningAndUnknown() throws IOException {
    set(LEAF, "cpu.cfs_quota_us", "banana\n");
    set(LEAF, "cpu.cfs_period_us", "100000\n");
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.unknown());
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(LEAF + "/cpu.cfs_quota_us");
      assertThat(w.message()).startsWith("could not parse \"banana");
    });
  }

  @Test
  void v1AnUnreadableQuotaIsOneWarningAndUnknown() throws IOException {
    unreadable(LEAF, "cpu.cfs_quota_us");
    quota(POD, 100_000, 100_000);
    CpuQuota q = v1Quota();
    assertThat(q.quota()).isEqualTo(Limit.unknownAtMost(100_000));
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue(LEAF + "/cpu.cfs_quota_us");
      assertThat(w.message()).startsWith("could not read: ");
    });
  }

  // ---- v2 cpu.max

  @Test
  void v2ATighterParentCpuMaxWins() throws IOException {
    set(LEAF, "cpu.max", "100000 100000\n"); // 1 CPU
    set(POD, "cpu.max", "50000 100000\n"); // 0.5 CPU
    CpuQuota q = new CgroupV2Reader(files()).cpuQuota(controller(Version.V2, "/"));
    assertThat(q.quota()).isEqualTo(Limit.of(50_000));
    assertThat(q.period()).hasValue(100_000);
    assertThat(q.file()).isEqualTo(POD + "/cpu.max");
    assertThat(q.raw()).isEqualTo("50000 100000");
  }

  @Test
  void v2OnACpuMaxTieTheLeafIsNamed() throws IOException {
    set(LEAF, "cpu.max", "100000 100000\n");
    set(POD, "cpu.max", "50000 50000\n");
    CpuQuota q = new CgroupV2Reader(files()).cpuQuota(controller(Version.V2, "/"));
    assertThat(q.quota()).isEqualTo(Limit.of(100_000));
    assertThat(q.file()).isEqualTo(LEAF + "/cpu.max");
  }

  @Test
  void v2AnUnreadableCpuMaxUnderAnUnlimitedParentIsUnknown() throws IOException {
    unreadable(LEAF, "cpu.max");
    set(POD, "cpu.max", "max 100000\n");
    CpuQuota q = new CgroupV2Reader(files()).cpuQuota(controller(Version.V2, "/"));
    assertThat(q.quota()).isEqualTo(Limit.unknown());
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue(LEAF + "/cpu.max");
    });
  }

  // ---- v1 cpuset.cpus along the chain

  @Test
  void v1AMissingLeafCpusetIsUnknownEvenWhenTheParentHasOne() throws IOException {
    Files.createDirectories(root.resolve(LEAF.substring(1)));
    set(POD, "cpuset.cpus", "0-1\n");
    OptionalInt cpus = new CgroupV1Reader(files()).cpuset(v1());
    assertThat(cpus).hasValue(2); // the tightest bound read
    assertThat(diag.unknown()).containsExactly(Value.CPU_CPUSET);
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.FILE_MISSING);
      assertThat(w.file()).hasValue(LEAF + "/cpuset.cpus");
    });
  }

  @Test
  void v1AnEmptyLeafCpusetIsUnknownEvenWhenTheParentHasOne() throws IOException {
    set(LEAF, "cpuset.cpus", "\n");
    set(POD, "cpuset.cpus", "0-3\n");
    OptionalInt cpus = new CgroupV1Reader(files()).cpuset(v1());
    assertThat(cpus).hasValue(4);
    assertThat(diag.unknown()).containsExactly(Value.CPU_CPUSET);
    assertThat(diag.provenanceOf(Value.CPU_CPUSET).file()).isEqualTo(POD + "/cpuset.cpus");
  }

  @Test
  void v1OnACpusetTieTheLeafIsNamed() throws IOException {
    set(LEAF, "cpuset.cpus", "0-1\n");
    set(POD, "cpuset.cpus", "0,1\n");
    assertThat(new CgroupV1Reader(files()).cpuset(v1())).hasValue(2);
    assertThat(diag.provenanceOf(Value.CPU_CPUSET).file()).isEqualTo(LEAF + "/cpuset.cpus");
    assertThat(diag.unknown()).isEmpty();
  }

  // ---- v1 memory

  private MemoryReading v1Memory(String mountRoot) {
    return new CgroupV1Reader(files()).memory(controller(Version.V1, mountRoot));
  }

  @Test
  void v1AnUnreadableMemoryStatIsAReadFailureNamingIt() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "1073741824\n");
    set(LEAF, "memory.usage_in_bytes", "104857600\n");
    unreadable(LEAF, "memory.stat");
    MemoryReading m = v1Memory("/");
    // The mount root is the hierarchy's root: the chain saw every level, the limit stands.
    assertThat(m.limit().limit()).isEqualTo(Limit.of(1073741824L));
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue(LEAF + "/memory.stat");
      assertThat(w.message()).startsWith("could not read: ");
    });
  }

  @Test
  void v1AMissingMemoryStatHidesThePodsLimitWhenTheMountRootHidesAncestors() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "1073741824\n");
    set(LEAF, "memory.usage_in_bytes", "104857600\n");
    MemoryReading m = v1Memory("/pod/ctr"); // a container: the pod's limit shows only in memory.stat
    assertThat(m.limit().limit()).isEqualTo(Limit.unknownAtMost(1073741824L));
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.FILE_MISSING);
      assertThat(w.file()).hasValue(LEAF + "/memory.stat");
    });
  }

  @Test
  void v1AMissingMemoryStatAtTheHierarchysRootIsNoWarning() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "1073741824\n");
    set(LEAF, "memory.usage_in_bytes", "104857600\n");
    assertThat(v1Memory("/").limit().limit()).isEqualTo(Limit.of(1073741824L));
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void v1AMemoryStatWithoutInactiveFileLeavesTheWorkingSetUnknown() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "1073741824\n");
    set(LEAF, "memory.usage_in_bytes", "104857600\n");
    set(LEAF, "memory.stat", "hierarchical_memory_limit 1073741824\ncache 0\n");
    MemoryReading m = v1Memory("/");
    assertThat(m.usage()).hasValue(104857600L);
    assertThat(m.workingSet()).isEmpty();
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue(LEAF + "/memory.stat");
      assertThat(w.message()).isEqualTo("no total_inactive_file or inactive_file line; the working set is unknown");
    });
  }

  @Test
  void v1AHierarchicalLimitAtTheUnlimitedThresholdIsUnlimited() throws IOException {
    // Parse.V1_UNLIMITED_MIN = 0x7FFFFFFFFF000000 = 9223372036837998592: "at or above" is unlimited
    // (LONG_MAX rounded down to any page size), in memory.stat as in memory.limit_in_bytes.
    set(LEAF, "memory.limit_in_bytes", "banana\n");
    set(LEAF, "memory.stat", "hierarchical_memory_limit 9223372036837998592\n"
        + "hierarchical_memsw_limit 9223372036837998592\ntotal_inactive_file 0\n");
    MemoryReading m = v1Memory("/pod/ctr");
    assertThat(m.limit().limit()).isEqualTo(Limit.unlimited());
  }

  @Test
  void v1SwapIsUnlimitedWhenOnlyMemswIsSet() throws IOException {
    // memory.rst: memsw.limit_in_bytes must be >= limit_in_bytes, so a kernel never shows this pair;
    // a captured tree can. Swap is the room beyond the memory limit, and beyond an unlimited memory
    // limit there is no bound to state: unlimited, not a negative or made-up number.
    set(LEAF, "memory.limit_in_bytes", "9223372036854771712\n");
    set(LEAF, "memory.memsw.limit_in_bytes", "1073741824\n");
    MemoryReading m = v1Memory("/");
    assertThat(m.limit().limit()).isEqualTo(Limit.unlimited());
    assertThat(m.swap().limit()).isEqualTo(Limit.unlimited());
  }

  @Test
  void v1SwapIsUnknownWhenMemswCannotBeRead() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "1073741824\n");
    set(LEAF, "memory.memsw.limit_in_bytes", "banana\n");
    MemoryReading m = v1Memory("/");
    assertThat(m.limit().limit()).isEqualTo(Limit.of(1073741824L));
    assertThat(m.swap().limit()).isEqualTo(Limit.unknown());
  }

  @Test
  void v1SwapIsUnknownWhenTheMemoryLimitCannotBeRead() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "banana\n");
    set(LEAF, "memory.memsw.limit_in_bytes", "2147483648\n");
    MemoryReading m = v1Memory("/");
    assertThat(m.limit().limit()).isEqualTo(Limit.unknown());
    assertThat(m.swap().limit()).isEqualTo(Limit.unknown());
  }

  @Test
  void v1SwapIsMemswMinusTheMemoryLimit() throws IOException {
    set(LEAF, "memory.limit_in_bytes", "1073741824\n"); // 1 GiB
    set(LEAF, "memory.memsw.limit_in_bytes", "1610612736\n"); // 1.5 GiB
    MemoryReading m = v1Memory("/");
    assertThat(m.swap().limit()).isEqualTo(Limit.of(536870912L)); // 0.5 GiB
    assertThat(m.swap().file()).isEqualTo(LEAF + "/memory.memsw.limit_in_bytes");
  }
  @Test
  void v2AnUnreadableEffectiveCpusetIsUnknownNamingTheFile() throws IOException {
    unreadable(LEAF, "cpuset.cpus.effective");
    set(POD, "cpuset.cpus.effective", "0-3\n");
    assertThat(new CgroupV2Reader(files()).cpuset(controller(Version.V2, "/"))).isEmpty();
    assertThat(diag.unknown()).containsExactly(Value.CPU_CPUSET);
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue(LEAF + "/cpuset.cpus.effective");
      assertThat(w.message()).startsWith("could not read: ");
    });
  }

  @Test
  void v2AnUnreadableCpuWeightIsUnknownNamingTheFile() throws IOException {
    unreadable(LEAF, "cpu.weight");
    assertThat(new CgroupV2Reader(files()).shares(controller(Version.V2, "/"))).isEmpty();
    assertThat(diag.unknown()).containsExactly(Value.CPU_SHARES);
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue(LEAF + "/cpu.weight");
      assertThat(w.message()).startsWith("could not read: ");
    });
  }

  @Test
  void anUnknownQuotaStaysAsItIsWithItsBound() {
    CpuQuota bounded = new CpuQuota(Limit.unknownAtMost(50_000), java.util.OptionalLong.of(100_000),
        POD + "/cpu.max", "50000 100000");
    assertThat(bounded.asUnknown()).isEqualTo(bounded);
    assertThat(CpuQuota.UNKNOWN.asUnknown()).isEqualTo(CpuQuota.UNKNOWN);
    // A known quota becomes an upper bound; no quota at all becomes unknown without a bound.
    CpuQuota known = new CpuQuota(Limit.of(50_000), java.util.OptionalLong.of(100_000), POD + "/cpu.max", "50000 100000");
    assertThat(known.asUnknown()).isEqualTo(bounded);
    assertThat(CpuQuota.NONE.asUnknown()).isEqualTo(CpuQuota.UNKNOWN);
  }
  @Test
  void v1AZeroHierarchicalLimitIsALimitOfZero() throws IOException {
    // memory.stat's hierarchical_memory_limit is read as memory.limit_in_bytes is: 0 is a limit of
    // 0 bytes (Parse.v1Limit("0") is 0), tighter than the 1 GiB read on the chain.
    set(LEAF, "memory.limit_in_bytes", "1073741824\n");
    set(LEAF, "memory.stat", "hierarchical_memory_limit 0\ntotal_inactive_file 0\n");
    MemoryReading m = v1Memory("/pod/ctr");
    assertThat(m.limit().limit()).isEqualTo(Limit.of(0));
    assertThat(m.limit().file()).isEqualTo(LEAF + "/memory.stat");
    assertThat(m.limit().raw()).isEqualTo("hierarchical_memory_limit 0");
  }
}
