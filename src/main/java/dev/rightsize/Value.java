package dev.rightsize;

/**
 * A reported value, named as in the JSON report. Used to ask for a value's {@linkplain
 * ContainerResources#provenanceOf provenance} and whether it is {@linkplain
 * ContainerResources#isKnown known}.
 */
public enum Value {
  /** {@code source}: where the headline values came from (evidence: the mount line or switch). */
  SOURCE("source"),
  /** {@code cpu.effective}: CPUs a pool should assume. */
  CPU_EFFECTIVE("cpu.effective"),
  /** {@code cpu.limit}: the CFS quota in CPUs, the tightest along the path. */
  CPU_LIMIT("cpu.limit"),
  /** {@code cpu.cpuset}: CPUs in the cgroup's cpuset. */
  CPU_CPUSET("cpu.cpuset"),
  /** {@code cpu.shares}: v1 shares or v2 weight mapped to shares. */
  CPU_SHARES("cpu.shares"),
  /** {@code cpu.isolatedView}: CPUs an isolated /proc view shows. */
  CPU_ISOLATED_VIEW("cpu.isolatedView"),
  /** {@code cpu.affinity}: CPUs in the affinity mask. */
  CPU_AFFINITY("cpu.affinity"),
  /** {@code cpu.host}: the host's online CPUs. */
  CPU_HOST("cpu.host"),
  /** {@code memory.limit}: the hard memory limit. */
  MEMORY_LIMIT("memory.limit"),
  /** {@code memory.softLimit}: v1 soft limit or v2 {@code memory.high}. */
  MEMORY_SOFT_LIMIT("memory.softLimit"),
  /** {@code memory.swapLimit}: swap allowed beyond the memory limit. */
  MEMORY_SWAP_LIMIT("memory.swapLimit"),
  /** {@code memory.usage}: bytes charged now. */
  MEMORY_USAGE("memory.usage"),
  /** {@code memory.workingSet}: usage minus inactive file cache. */
  MEMORY_WORKING_SET("memory.workingSet"),
  /** {@code memory.maxUsage}: peak usage. */
  MEMORY_MAX_USAGE("memory.maxUsage"),
  /** {@code memory.failCount}: times usage hit the limit. */
  MEMORY_FAIL_COUNT("memory.failCount"),
  /** {@code memory.oomKills}: processes the OOM killer killed in the cgroup. */
  MEMORY_OOM_KILLS("memory.oomKills"),
  /** {@code memory.hostTotal}: the host's {@code MemTotal}. */
  MEMORY_HOST_TOTAL("memory.hostTotal"),
  /** {@code memory.isolatedViewTotal}: {@code MemTotal} of an isolated view. */
  MEMORY_ISOLATED_VIEW_TOTAL("memory.isolatedViewTotal"),
  /** {@code pids.limit}: the tightest {@code pids.max} along the cgroup path. */
  PIDS_LIMIT("pids.limit"),
  /** {@code pids.current}: tasks counted against {@code pids.limit} now. */
  PIDS_CURRENT("pids.current"),
  /** {@code rlimit.nofile}: the soft limit on open files ({@code RLIMIT_NOFILE}). */
  RLIMIT_NOFILE("rlimit.nofile"),
  /** {@code rlimit.nofileHard}: the hard limit on open files. */
  RLIMIT_NOFILE_HARD("rlimit.nofileHard"),
  /** {@code rlimit.nproc}: the soft limit on the user's tasks ({@code RLIMIT_NPROC}). */
  RLIMIT_NPROC("rlimit.nproc"),
  /** {@code rlimit.nprocHard}: the hard limit on the user's tasks. */
  RLIMIT_NPROC_HARD("rlimit.nprocHard"),
  /** {@code kernel.somaxconn}: the listen backlog cap of this network namespace. */
  KERNEL_SOMAXCONN("kernel.somaxconn"),
  /** {@code kernel.maxMapCount}: memory mappings a process may have ({@code vm.max_map_count}). */
  KERNEL_MAX_MAP_COUNT("kernel.maxMapCount"),
  /** {@code kernel.threadsMax}: tasks the kernel allows in all ({@code kernel.threads-max}). */
  KERNEL_THREADS_MAX("kernel.threadsMax"),
  /** {@code kernel.pidMax}: the largest process id plus one ({@code kernel.pid_max}). */
  KERNEL_PID_MAX("kernel.pidMax");

  private final String key;

  Value(String key) {
    this.key = key;
  }

  /**
   * The JSON member's dotted name.
   *
   * @return e.g. {@code "memory.limit"}
   */
  public String key() {
    return key;
  }
}
