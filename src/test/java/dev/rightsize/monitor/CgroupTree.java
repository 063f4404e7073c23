package dev.rightsize.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A fake root laid out like {@code /} with one cgroup ({@code /app}) for this process, v1 (memory
 * and a joined {@code cpu,cpuacct} hierarchy) or v2. {@link #set} overwrites a file in place
 * (truncate and write, same inode) as cgroupfs behaves; {@link #replace} swaps in a new inode.
 */
public final class CgroupTree {
  public static final long GIB = 1L << 30;
  public static final long MIB = 1L << 20;

  private final Path root;
  private final boolean v2;

  private CgroupTree(Path root, boolean v2) {
    this.root = root;
    this.v2 = v2;
  }

  /**
   * A v1 tree: memory limit 1 GiB, quota 1.5 CPUs, usage 300 MiB with 100 MiB inactive file, pids.max
   * 100 with 17 tasks.
   */
  public static CgroupTree v1(Path root) {
    CgroupTree t = new CgroupTree(root, false);
    t.common();
    t.set("proc/self/mountinfo", """
        22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
        31 22 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        """);
    t.set("proc/self/cgroup", "5:pids:/app\n4:memory:/app\n3:cpuset:/app\n2:cpu,cpuacct:/app\n0::/\n");
    t.set("sys/fs/cgroup/pids/app/pids.max", "100");
    t.set("sys/fs/cgroup/pids/app/pids.current", "17");
    String mem = "sys/fs/cgroup/memory/app/";
    t.set(mem + "memory.limit_in_bytes", String.valueOf(GIB));
    t.set(mem + "memory.soft_limit_in_bytes", "9223372036854771712");
    t.set(mem + "memory.usage_in_bytes", String.valueOf(300 * MIB));
    t.set(mem + "memory.max_usage_in_bytes", String.valueOf(400 * MIB));
    t.set(mem + "memory.failcnt", "3");
    t.set(mem + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    t.set(mem + "memory.stat", v1Stat(100 * MIB));
    String cpu = "sys/fs/cgroup/cpu,cpuacct/app/";
    t.set(cpu + "cpu.cfs_quota_us", "150000");
    t.set(cpu + "cpu.cfs_period_us", "100000");
    t.set(cpu + "cpu.shares", "1024");
    t.set(cpu + "cpu.stat", "nr_periods 100\nnr_throttled 7\nthrottled_time 123456789\n");
    t.set(cpu + "cpuacct.usage", "5000000000");
    t.set("sys/fs/cgroup/cpuset/app/cpuset.cpus", "0-3");
    return t;
  }

  /** A v2 tree with the same values as {@link #v1}. */
  public static CgroupTree v2(Path root) {
    CgroupTree t = new CgroupTree(root, true);
    t.common();
    t.set("proc/self/mountinfo", """
        22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
        30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate
        """);
    t.set("proc/self/cgroup", "0::/app\n");
    t.set("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
    String d = "sys/fs/cgroup/app/";
    t.set(d + "memory.max", String.valueOf(GIB));
    t.set(d + "memory.high", "max");
    t.set(d + "memory.swap.max", "0");
    t.set(d + "memory.current", String.valueOf(300 * MIB));
    t.set(d + "memory.stat", v2Stat(100 * MIB));
    t.set(d + "memory.events", "low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\noom_group_kill 0\n");
    t.set(d + "cpu.max", "150000 100000");
    t.set(d + "cpu.weight", "100");
    t.set(d + "cpu.stat", "usage_usec 5000000\nuser_usec 4000000\nsystem_usec 1000000\n"
        + "nr_periods 100\nnr_throttled 7\nthrottled_usec 123456\n");
    t.set(d + "cpuset.cpus.effective", "0-3");
    t.set(d + "pids.max", "100");
    t.set(d + "pids.current", "17");
    return t;
  }

  private void common() {
    set("proc/meminfo", "MemTotal:       16384000 kB\nMemFree:         8000000 kB\n");
    set("sys/devices/system/cpu/online", "0-3\n");
    set("proc/self/status", "Name:\tjava\nThreads:\t17\nCpus_allowed_list:\t0-3\n");
    set("proc/self/limits", "Limit                     Soft Limit           Hard Limit           Units     \n"
        + "Max processes             unlimited            unlimited            processes \n"
        + "Max open files            1048576              1048576              files     \n");
    set("proc/sys/net/core/somaxconn", "4096\n");
    set("proc/sys/vm/max_map_count", "65530\n");
    set("proc/sys/kernel/threads-max", "63431\n");
    set("proc/sys/kernel/pid_max", "4194304\n");
  }

  /** The pids cgroup's file, relative to the root. */
  public String pids(String name) {
    return (v2 ? "sys/fs/cgroup/app/" : "sys/fs/cgroup/pids/app/") + name;
  }

  /** A memory.stat with the given inactive file bytes (v1 has both local and total keys). */
  public static String v1Stat(long inactiveFile) {
    return "cache 1000\nrss 2000\ninactive_file 1\nactive_file 5\n"
        + "hierarchical_memory_limit 9223372036854771712\ntotal_cache 1000\ntotal_rss 2000\n"
        + "total_inactive_file " + inactiveFile + "\ntotal_active_file 5\n";
  }

  /** A v2 memory.stat with the given inactive file bytes. */
  public static String v2Stat(long inactiveFile) {
    return "anon 2000\nfile 1000\nkernel 10\nactive_anon 3\ninactive_anon 4\nactive_file 5\n"
        + "inactive_file " + inactiveFile + "\nunevictable 0\n";
  }

  public Path root() {
    return root;
  }

  public boolean isV2() {
    return v2;
  }

  /** The memory cgroup's file, relative to the root. */
  public String memory(String name) {
    return (v2 ? "sys/fs/cgroup/app/" : "sys/fs/cgroup/memory/app/") + name;
  }

  /** The cpu cgroup's file, relative to the root. */
  public String cpu(String name) {
    return (v2 ? "sys/fs/cgroup/app/" : "sys/fs/cgroup/cpu,cpuacct/app/") + name;
  }

  /** The usage file's name for this version. */
  public String usageFile() {
    return memory(v2 ? "memory.current" : "memory.usage_in_bytes");
  }

  /** The hard limit file's name for this version. */
  public String limitFile() {
    return memory(v2 ? "memory.max" : "memory.limit_in_bytes");
  }

  /** The memory.stat content for this version. */
  public String stat(long inactiveFile) {
    return v2 ? v2Stat(inactiveFile) : v1Stat(inactiveFile);
  }

  /** Overwrites in place (same inode), creating the file and its directories if needed. */
  public CgroupTree set(String rel, String content) {
    Path p = root.resolve(rel);
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Replaces with a new file (new inode), as an editor or {@code mv} would. */
  public CgroupTree replace(String rel, String content) {
    Path p = root.resolve(rel);
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Deletes a file. */
  public CgroupTree delete(String rel) {
    try {
      Files.delete(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
