package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Value} has its provenance recorded, with the file a person would look in, in at
 * least one real or hand-built root; each file below was read off the fixture tree, not the code.
 */
class ProvenanceKeysTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  private static Provenance of(String fixture, Value v) {
    ContainerResources r = ContainerResources.detect(FIXTURES.resolve(fixture));
    return r.provenanceOf(v).orElseThrow(() -> new AssertionError(fixture + " has no provenance for " + v.key()
        + ": " + r.provenance()));
  }

  @Test
  void everyValueNamesTheFileItCameFrom() {
    String ctr = "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
        + "kubepods-burstable-pod8c2f4a6e_1b3d_4f5a_9c7e_2d4b6f8a0c1e.slice/"
        + "cri-containerd-3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c.scope";
    String pod = ctr.substring(0, ctr.lastIndexOf('/'));
    Map<Value, Provenance> seen = new EnumMap<>(Value.class);
    String v2 = "synthetic/v2-pod-slice-limits";
    seen.put(Value.SOURCE, of(v2, Value.SOURCE));
    seen.put(Value.CPU_LIMIT, of(v2, Value.CPU_LIMIT));
    seen.put(Value.CPU_EFFECTIVE, of(v2, Value.CPU_EFFECTIVE));
    seen.put(Value.CPU_CPUSET, of(v2, Value.CPU_CPUSET));
    seen.put(Value.CPU_SHARES, of(v2, Value.CPU_SHARES));
    seen.put(Value.MEMORY_LIMIT, of(v2, Value.MEMORY_LIMIT));
    seen.put(Value.MEMORY_USAGE, of(v2, Value.MEMORY_USAGE));
    seen.put(Value.CPU_AFFINITY, of(v2, Value.CPU_AFFINITY));
    seen.put(Value.CPU_HOST, of(v2, Value.CPU_HOST));
    seen.put(Value.MEMORY_HOST_TOTAL, of(v2, Value.MEMORY_HOST_TOTAL));
    assertThat(seen.get(Value.SOURCE).file()).isEqualTo("/proc/self/mountinfo");
    assertThat(seen.get(Value.SOURCE).raw()).contains(" - cgroup2 ");
    assertThat(seen.get(Value.CPU_LIMIT).file()).isEqualTo(pod + "/cpu.max");
    assertThat(seen.get(Value.CPU_LIMIT).raw()).isEqualTo("50000 100000");
    assertThat(seen.get(Value.CPU_EFFECTIVE).file()).isEqualTo(pod + "/cpu.max");
    assertThat(seen.get(Value.CPU_CPUSET).file()).isEqualTo(ctr + "/cpuset.cpus.effective");
    assertThat(seen.get(Value.CPU_SHARES).file()).isEqualTo(ctr + "/cpu.weight");
    assertThat(seen.get(Value.MEMORY_LIMIT).file()).isEqualTo(pod + "/memory.max");
    assertThat(seen.get(Value.MEMORY_LIMIT).raw()).isEqualTo("268435456");
    assertThat(seen.get(Value.MEMORY_USAGE).file()).isEqualTo(ctr + "/memory.current");
    assertThat(seen.get(Value.CPU_AFFINITY).file()).isEqualTo("/proc/self/status");
    assertThat(seen.get(Value.CPU_HOST).file()).isEqualTo("/sys/devices/system/cpu/online");
    assertThat(seen.get(Value.MEMORY_HOST_TOTAL).file()).isEqualTo("/proc/meminfo");
    assertThat(seen.get(Value.MEMORY_HOST_TOTAL).raw()).startsWith("MemTotal:");

    String soft = "synthetic/v1-memsw-soft";
    seen.put(Value.MEMORY_SOFT_LIMIT, of(soft, Value.MEMORY_SOFT_LIMIT));
    seen.put(Value.MEMORY_SWAP_LIMIT, of(soft, Value.MEMORY_SWAP_LIMIT));
    assertThat(seen.get(Value.MEMORY_SOFT_LIMIT).file()).endsWith("/memory.soft_limit_in_bytes");
    assertThat(seen.get(Value.MEMORY_SWAP_LIMIT).file()).endsWith("/memory.memsw.limit_in_bytes");

    String lxcfs = "synthetic/lxcfs-no-cfs";
    seen.put(Value.CPU_ISOLATED_VIEW, of(lxcfs, Value.CPU_ISOLATED_VIEW));
    seen.put(Value.MEMORY_ISOLATED_VIEW_TOTAL, of(lxcfs, Value.MEMORY_ISOLATED_VIEW_TOTAL));
    assertThat(seen.get(Value.CPU_ISOLATED_VIEW).file()).isIn("/sys/devices/system/cpu/online", "/proc/cpuinfo");
    assertThat(seen.get(Value.MEMORY_ISOLATED_VIEW_TOTAL).file()).isEqualTo("/proc/meminfo");

    // Working set is derived (usage minus inactive file): the stat file and the subtracted line.
    seen.put(Value.MEMORY_WORKING_SET, of(soft, Value.MEMORY_WORKING_SET));
    seen.put(Value.MEMORY_MAX_USAGE, of(soft, Value.MEMORY_MAX_USAGE));
    seen.put(Value.MEMORY_FAIL_COUNT, of(soft, Value.MEMORY_FAIL_COUNT));
    assertThat(seen.get(Value.MEMORY_WORKING_SET).file()).isEqualTo("/sys/fs/cgroup/memory/memory.stat");
    assertThat(seen.get(Value.MEMORY_WORKING_SET).raw()).startsWith("total_inactive_file 50331648 ");
    assertThat(seen.get(Value.MEMORY_MAX_USAGE).file()).isEqualTo("/sys/fs/cgroup/memory/memory.max_usage_in_bytes");
    assertThat(seen.get(Value.MEMORY_MAX_USAGE).raw()).isEqualTo("220200960");
    assertThat(seen.get(Value.MEMORY_FAIL_COUNT).file()).isEqualTo("/sys/fs/cgroup/memory/memory.failcnt");
    assertThat(seen.get(Value.MEMORY_FAIL_COUNT).raw()).isEqualTo("0");

    String v2ns = "synthetic/v2-cgroupns-private";
    seen.put(Value.MEMORY_OOM_KILLS, of(v2ns, Value.MEMORY_OOM_KILLS));
    assertThat(seen.get(Value.MEMORY_OOM_KILLS).file()).isEqualTo("/sys/fs/cgroup/memory.events");
    assertThat(seen.get(Value.MEMORY_OOM_KILLS).raw()).isEqualTo("oom_kill 0");
    assertThat(of(v2ns, Value.MEMORY_FAIL_COUNT).raw()).isEqualTo("max 0");
    assertThat(of(v2ns, Value.MEMORY_WORKING_SET).raw()).isEqualTo("inactive_file 31457280 (subtracted from usage 157286400)");

    String pids = "synthetic/v1-pids-parent-limit";
    String pidsPod = "/sys/fs/cgroup/pids/kubepods/burstable/pod77";
    seen.put(Value.PIDS_LIMIT, of(pids, Value.PIDS_LIMIT));
    seen.put(Value.PIDS_CURRENT, of(pids, Value.PIDS_CURRENT));
    assertThat(seen.get(Value.PIDS_LIMIT).file()).isEqualTo(pidsPod + "/pids.max");
    assertThat(seen.get(Value.PIDS_LIMIT).raw()).isEqualTo("100");
    assertThat(seen.get(Value.PIDS_CURRENT).file()).isEqualTo(pidsPod + "/pids.current");
    assertThat(seen.get(Value.PIDS_CURRENT).raw()).isEqualTo("37");
    for (Value v : new Value[] {Value.RLIMIT_NOFILE, Value.RLIMIT_NOFILE_HARD, Value.RLIMIT_NPROC,
        Value.RLIMIT_NPROC_HARD}) {
      seen.put(v, of(pids, v));
      assertThat(seen.get(v).file()).isEqualTo("/proc/self/limits");
    }
    assertThat(seen.get(Value.RLIMIT_NOFILE).raw()).startsWith("Max open files").contains("1048576");
    assertThat(seen.get(Value.RLIMIT_NPROC).raw()).startsWith("Max processes").contains("unlimited");
    String[][] sysctls = {{"KERNEL_SOMAXCONN", "/proc/sys/net/core/somaxconn", "4096"},
        {"KERNEL_MAX_MAP_COUNT", "/proc/sys/vm/max_map_count", "65530"},
        {"KERNEL_THREADS_MAX", "/proc/sys/kernel/threads-max", "63431"},
        {"KERNEL_PID_MAX", "/proc/sys/kernel/pid_max", "4194304"}};
    for (String[] k : sysctls) {
      Value v = Value.valueOf(k[0]);
      seen.put(v, of(pids, v));
      assertThat(seen.get(v).file()).isEqualTo(k[1]);
      assertThat(seen.get(v).raw()).isEqualTo(k[2]);
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrder(Value.values());
  }
}
