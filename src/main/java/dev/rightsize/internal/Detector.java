package dev.rightsize.internal;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.Memory;
import dev.rightsize.Source;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.MountInfo.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The resolver: reads every source under one root and decides, with precedence isolated view &gt;
 * cgroup v2 &gt; cgroup v1 &gt; host, keeping every constraint (the tightest wins) and recording
 * provenance and warnings.
 */
public final class Detector {
  /** Deadline for one read on a FUSE filesystem (LXCFS), in milliseconds. */
  public static final long FUSE_TIMEOUT_MILLIS = 250;

  static final String MOUNTINFO = "/proc/self/mountinfo";
  static final String CGROUP = "/proc/self/cgroup";
  static final String MEMINFO = "/proc/meminfo";
  static final String CPUINFO = "/proc/cpuinfo";
  static final String STAT = "/proc/stat";
  static final String ONLINE = "/sys/devices/system/cpu/online";
  static final String STATUS = "/proc/self/status";
  static final String STATS_ISOLATED = "/proc/sys/kernel/stats_isolated";
  /** Files LXCFS virtualises; a bind of any of them over the real one is an LXCFS view. */
  static final Set<String> LXCFS_FILES = Set.of(MEMINFO, CPUINFO, STAT, ONLINE, "/proc/swaps", "/proc/uptime",
      "/proc/loadavg", "/proc/diskstats", "/proc/slabinfo");

  private final Diagnostics diag = new Diagnostics();
  private final ViewFs fs;
  private final Files2 files;

  private Detector(Path root, long fuseTimeoutMillis) {
    this.fs = new ViewFs(root, fuseTimeoutMillis, diag);
    this.files = new Files2(fs, diag);
  }

  /**
   * Detects under a root. Never throws.
   *
   * @param root the directory read as {@code /}
   * @return the snapshot, read with the {@link #FUSE_TIMEOUT_MILLIS} deadline
   */
  public static ContainerResources detect(Path root) {
    return detect(root, FUSE_TIMEOUT_MILLIS);
  }

  /**
   * Detects with a given FUSE read deadline. Never throws.
   *
   * @param root the directory read as {@code /}
   * @param fuseTimeoutMillis how long one read on a FUSE filesystem may take, in milliseconds
   * @return the snapshot; on an unexpected failure, host defaults (1 CPU, nothing known about memory)
   *     with an {@code internal-error} warning
   */
  public static ContainerResources detect(Path root, long fuseTimeoutMillis) {
    Detector d = new Detector(root, fuseTimeoutMillis);
    try {
      return d.run();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      d.diag.warn("internal-error", "detection failed unexpectedly, host defaults reported: " + e);
      Cpu cpu = new Cpu(1, OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty(),
          OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), 1);
      Memory mem = new Memory(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
          OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
          OptionalLong.empty());
      return new ContainerResources(Source.HOST, OptionalInt.empty(), cpu, mem, d.diag.warnings(), List.of());
    }
  }

  private ContainerResources run() {
    // Mount table and membership.
    List<Mount> mounts = readMounts(files);
    List<Mount> lxcfsBinds = new ArrayList<>();
    for (Mount m : mounts) {
      if (m.fsType().startsWith("fuse")) {
        fs.addFuseMount(m.mountPoint(), m.device());
        if (isLxcfs(m) && LXCFS_FILES.stream().anyMatch(f -> covers(m.mountPoint(), f))) {
          lxcfsBinds.add(m);
        }
      }
    }
    List<CgroupMembership.Entry> entries = readMembership(files);
    CgroupLayout layout = CgroupLayout.resolve(mounts, entries, fs, diag);

    // Isolated views: which /proc files show the container rather than the host.
    boolean lxcMem = bound(lxcfsBinds, MEMINFO);
    boolean lxcOnline = bound(lxcfsBinds, ONLINE);
    boolean lxcCpuinfo = bound(lxcfsBinds, CPUINFO);
    Tencent tencent = Tencent.read(files, layout);

    // /proc files (each may be a view).
    String meminfoText = files.text(MEMINFO, true);
    Map<String, Long> meminfo = files.parse(MEMINFO, meminfoText, Parse::keyed);
    if (meminfo != null && !meminfo.containsKey("MemTotal")) {
      diag.warn("unparsable", "no MemTotal line", MEMINFO);
      meminfo = null;
    }
    if (meminfo != null && layout.get("memory").isEmpty() && tencent.global() && Tencent.meminfoLooksIsolated(meminfo)) {
      tencent = tencent.withMemoryIsolated();
    }
    String onlineText = files.text(ONLINE, true);
    BitSet online = files.parse(ONLINE, onlineText, Parse::cpuList);
    OptionalInt onlineCount = online == null || online.isEmpty() ? OptionalInt.empty() : OptionalInt.of(online.cardinality());
    // /proc/cpuinfo is large (about 1.5 KB a CPU): read it only where it is a view or the host count.
    boolean cpuinfoNeeded = tencent.cpuIsolated() || lxcCpuinfo || lxcOnline || onlineCount.isEmpty();
    String cpuinfoText = cpuinfoNeeded ? files.text(CPUINFO, false) : null;
    OptionalInt cpuinfoCount = cpuinfoText == null ? OptionalInt.empty() : Parse.cpuinfoProcessors(cpuinfoText);
    OptionalInt affinity = affinity();

    boolean memViewActive = (tencent.memoryIsolated() || lxcMem) && meminfo != null;
    boolean cpuViewFromOnline = lxcOnline && onlineCount.isPresent();
    boolean cpuViewFromCpuinfo = (tencent.cpuIsolated() || lxcCpuinfo) && cpuinfoCount.isPresent();
    OptionalInt viewCpus = OptionalInt.empty();
    if (tencent.cpuIsolated() && cpuinfoCount.isPresent()) {
      viewCpus = cpuinfoCount; // Tencent isolates cpuinfo, never cpu/online
      diag.provenance("cpu.isolatedView", CPUINFO, cpuinfoCount.getAsInt() + " processor entries");
    } else if (cpuViewFromOnline) {
      viewCpus = onlineCount;
      diag.provenance("cpu.isolatedView", ONLINE, onlineText);
    } else if (cpuViewFromCpuinfo) {
      viewCpus = cpuinfoCount;
      diag.provenance("cpu.isolatedView", CPUINFO, cpuinfoCount.getAsInt() + " processor entries");
    }
    boolean lxcActive = !lxcfsBinds.isEmpty() && (lxcMem && memViewActive || viewCpus.isPresent() && (lxcOnline || lxcCpuinfo));
    boolean tencentActive = tencent.memoryIsolated() && memViewActive || tencent.cpuIsolated() && cpuViewFromCpuinfo;
    if (!lxcfsBinds.isEmpty() && !lxcActive) {
      diag.warn("isolated-view-unavailable", "LXCFS files are mounted over /proc but could not be read;"
          + " falling back to cgroup files", lxcfsBinds.get(0).mountPoint());
    }

    // Host values: what the machine has, where /proc and /sys are not views.
    int host;
    if (onlineCount.isPresent() && !lxcOnline) {
      host = onlineCount.getAsInt();
      diag.provenance("cpu.host", ONLINE, onlineText);
    } else if (cpuinfoCount.isPresent() && !lxcCpuinfo && !tencent.cpuIsolated()) {
      host = cpuinfoCount.getAsInt();
      diag.provenance("cpu.host", CPUINFO, host + " processor entries");
    } else if (affinity.isPresent()) {
      // Both CPU files are views: the affinity mask (never virtualised) is the best host figure.
      host = affinity.getAsInt();
    } else if (viewCpus.isPresent()) {
      host = viewCpus.getAsInt();
    } else if (onlineCount.isPresent()) {
      host = onlineCount.getAsInt();
    } else {
      host = 1;
      diag.warn("host-cpus-unknown", "neither " + ONLINE + " nor " + CPUINFO + " could be read; assuming 1 CPU");
    }
    OptionalLong hostMem = OptionalLong.empty();
    if (meminfo != null && !memViewActive && !lxcMem) {
      hostMem = OptionalLong.of(meminfo.get("MemTotal"));
      diag.provenance("memory.hostTotal", MEMINFO, Parse.lineOf(meminfoText, "MemTotal"));
    }

    // cgroup values.
    CgroupReader.CpuLimit limit = CgroupReader.CpuLimit.NONE;
    OptionalInt shares = OptionalInt.empty();
    OptionalInt cpuset = OptionalInt.empty();
    Controller cpuCtl = layout.get("cpu").orElse(null);
    if (cpuCtl != null) {
      CgroupReader r = CgroupReader.of(cpuCtl, files);
      limit = r.cpuLimit(cpuCtl);
      shares = r.shares(cpuCtl);
      if (limit.cpus().isPresent()) {
        diag.provenance("cpu.limit", limit.file(), limit.raw());
      }
    }
    Controller cpusetCtl = layout.get("cpuset").orElse(null);
    if (cpusetCtl != null) {
      cpuset = CgroupReader.of(cpusetCtl, files).cpuset(cpusetCtl);
    }
    Controller memCtl = layout.get("memory").orElse(null);
    CgroupReader.MemoryReading mr = memCtl == null ? null : CgroupReader.of(memCtl, files).memory(memCtl);

    Cpu cpu = resolveCpu(limit, cpuset, shares, viewCpus, affinity, host);
    Memory memory = resolveMemory(mr, memViewActive ? meminfo : null, meminfoText, hostMem, tencent.memoryIsolated());

    Source source;
    if (tencentActive) {
      source = Source.TENCENT_ISOLATED;
      diag.provenance("source", STATS_ISOLATED, tencent.evidence());
    } else if (lxcActive) {
      source = Source.LXCFS;
      diag.provenance("source", MOUNTINFO, lxcfsBinds.get(0).line());
    } else {
      Controller decisive = memCtl != null ? memCtl : cpuCtl != null ? cpuCtl : cpusetCtl;
      if (decisive == null) {
        source = Source.HOST;
      } else {
        source = decisive.version() == CgroupLayout.Version.V2 ? Source.CGROUP_V2 : Source.CGROUP_V1;
        diag.provenance("source", MOUNTINFO, decisive.mount().line());
      }
    }
    OptionalInt version = OptionalInt.empty();
    for (String name : List.of("memory", "cpu", "cpuset", "cpuacct")) {
      var v = layout.get(name).map(Controller::version).or(() -> layout.hierarchyOf(name));
      if (v.isPresent()) {
        version = OptionalInt.of(v.get() == CgroupLayout.Version.V2 ? 2 : 1);
        break;
      }
    }
    return new ContainerResources(source, version, cpu, memory, diag.warnings(), diag.provenance());
  }

  /** Reads and parses /proc/self/mountinfo; skipped lines and an empty table become warnings. */
  static List<Mount> readMounts(Files2 files) {
    String mi = files.text(MOUNTINFO, true);
    if (mi == null) {
      return List.of();
    }
    List<String> bad = new ArrayList<>();
    List<Mount> mounts = MountInfo.parse(mi, bad);
    if (!bad.isEmpty()) {
      files.diag().warn("unparsable", bad.size() + " line(s) skipped, first: " + Diagnostics.cut(bad.get(0)), MOUNTINFO);
    }
    if (mounts.isEmpty()) {
      // A real mount table always has "/": an empty one is a failed read, not "no cgroups".
      files.diag().warn("unparsable", "no mount could be read; cgroup and LXCFS mounts are unknown", MOUNTINFO);
    }
    return mounts;
  }

  /** Reads and parses /proc/self/cgroup; skipped lines become a warning. */
  static List<CgroupMembership.Entry> readMembership(Files2 files) {
    String cg = files.text(CGROUP, true);
    if (cg == null) {
      return List.of();
    }
    List<String> bad = new ArrayList<>();
    List<CgroupMembership.Entry> entries = CgroupMembership.parse(cg, bad);
    if (!bad.isEmpty()) {
      files.diag().warn("unparsable", bad.size() + " line(s) skipped, first: " + Diagnostics.cut(bad.get(0)), CGROUP);
    }
    return entries;
  }

  private static boolean isLxcfs(Mount m) {
    return m.fsType().equals("fuse.lxcfs") || m.source().equals("lxcfs") && m.fsType().startsWith("fuse");
  }

  /**
   * Whether an LXCFS mount covers a file: bound over it, or over a directory above it (LXCFS's own
   * mount hook binds the whole {@code /sys/devices/system/cpu} where it can).
   */
  private static boolean bound(List<Mount> binds, String file) {
    return binds.stream().anyMatch(m -> covers(m.mountPoint(), file));
  }

  private static boolean covers(String mountPoint, String file) {
    return file.equals(mountPoint) || file.startsWith(mountPoint + "/");
  }

  private OptionalInt affinity() {
    String status = files.text(STATUS, false);
    if (status == null) {
      return OptionalInt.empty();
    }
    String list = Parse.colonValue(status, "Cpus_allowed_list");
    if (list == null) {
      return OptionalInt.empty();
    }
    BitSet set = files.parse(STATUS, list, Parse::cpuList);
    if (set == null || set.isEmpty()) {
      return OptionalInt.empty();
    }
    diag.provenance("cpu.affinity", STATUS, "Cpus_allowed_list: " + list);
    return OptionalInt.of(set.cardinality());
  }

  private Cpu resolveCpu(CgroupReader.CpuLimit limit, OptionalInt cpuset, OptionalInt shares, OptionalInt view,
      OptionalInt affinity, int host) {
    // On a tie the more specific constraint is named as the reason (a quota of 1.5 on a 2-CPU host
    // is what decided, not the host).
    int effective = host;
    String why = "cpu.host";
    if (affinity.isPresent() && affinity.getAsInt() < effective) {
      effective = affinity.getAsInt();
      why = "cpu.affinity";
    }
    if (cpuset.isPresent() && cpuset.getAsInt() < effective) {
      effective = cpuset.getAsInt();
      why = "cpu.cpuset";
    }
    int quotaCpus = Integer.MAX_VALUE;
    if (limit.cpus().isPresent()) {
      quotaCpus = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (long) Math.ceil(limit.cpus().getAsDouble() - 1e-9)));
      if (quotaCpus <= effective) {
        effective = quotaCpus;
        why = "cpu.limit";
      }
    }
    if (view.isPresent()) {
      int cgroupCount = Math.min(quotaCpus, cpuset.orElse(Integer.MAX_VALUE));
      if (cgroupCount != Integer.MAX_VALUE && view.getAsInt() != Math.min(cgroupCount, host)) {
        diag.warn("isolated-view-disagrees", "the isolated view shows " + view.getAsInt() + " CPUs but the cgroup files"
            + " give " + cgroupCount + " (quota " + (limit.cpus().isPresent() ? fmt(limit.cpus().getAsDouble()) + " in "
            + limit.file() : "none") + ", cpuset " + (cpuset.isPresent() ? cpuset.getAsInt() : "unknown")
            + "); the tighter value is used", diag.fileOf("cpu.isolatedView").orElse(CPUINFO));
      }
      if (view.getAsInt() <= effective) {
        effective = view.getAsInt();
        why = "cpu.isolatedView";
      }
    }
    effective = Math.max(1, effective);
    final String decided = why;
    diag.provenanceOf(decided).ifPresent(p -> diag.provenance("cpu.effective", p.file(), p.raw()));
    return new Cpu(effective, limit.cpus(), limit.quotaMicros(), limit.periodMicros(), cpuset, shares, view,
        affinity, Math.max(1, host));
  }

  private Memory resolveMemory(CgroupReader.MemoryReading mr, Map<String, Long> view, String meminfoText,
      OptionalLong hostMem, boolean tencent) {
    OptionalLong limit = OptionalLong.empty();
    OptionalLong soft = OptionalLong.empty();
    OptionalLong swap = OptionalLong.empty();
    OptionalLong usage = OptionalLong.empty();
    OptionalLong ws = OptionalLong.empty();
    OptionalLong viewTotal = view == null ? OptionalLong.empty() : OptionalLong.of(view.get("MemTotal"));
    if (viewTotal.isPresent()) {
      diag.provenance("memory.isolatedViewTotal", MEMINFO, Parse.lineOf(meminfoText, "MemTotal"));
    }
    if (mr != null && mr.limitReadable()) {
      limit = mr.limit().value();
      if (limit.isPresent()) {
        diag.provenance("memory.limit", mr.limit().file(), mr.limit().raw());
      }
      if (mr.soft().value().isPresent()) {
        soft = mr.soft().value();
        diag.provenance("memory.softLimit", mr.soft().file(), mr.soft().raw());
      }
      if (mr.swap().value().isPresent()) {
        swap = mr.swap().value();
        diag.provenance("memory.swapLimit", mr.swap().file(), mr.swap().raw());
      }
      usage = mr.usage();
      ws = mr.workingSet();
      if (viewTotal.isPresent() && limit.isPresent()) {
        long viewKb = viewTotal.getAsLong() / 1024;
        long limitKb = limit.getAsLong() / 1024;
        if (viewKb != limitKb) {
          String why = viewKb > limitKb
              ? (tencent ? " (the kernel's view shows the process's own memory cgroup only)"
                  : " (LXCFS serves host values on internal errors and answers for the container's init process)")
              : " (the view answers for another cgroup)";
          diag.warn("isolated-view-disagrees", "/proc/meminfo shows MemTotal " + viewTotal.getAsLong() + " bytes but "
              + mr.limit().file() + " limits memory to " + limit.getAsLong() + " bytes" + why
              + "; the cgroup limit is used", MEMINFO);
        }
      }
    } else if (viewTotal.isPresent()) {
      // No cgroup file readable: the view's MemTotal stands as the limit.
      limit = viewTotal;
      diag.provenance("memory.limit", MEMINFO, Parse.lineOf(meminfoText, "MemTotal"));
      Long free = view.get("MemFree");
      if (free != null && free <= viewTotal.getAsLong()) {
        usage = OptionalLong.of(viewTotal.getAsLong() - free);
        Long inactive = view.get("Inactive(file)");
        ws = inactive == null ? OptionalLong.empty() : OptionalLong.of(Math.max(0, usage.getAsLong() - inactive));
      }
      Long swapTotal = view.get("SwapTotal");
      if (tencent && swapTotal != null && swapTotal >= viewTotal.getAsLong()) {
        // TencentOS prints the memory+swap limit as SwapTotal.
        swap = OptionalLong.of(swapTotal - viewTotal.getAsLong());
        diag.provenance("memory.swapLimit", MEMINFO, Parse.lineOf(meminfoText, "SwapTotal"));
      }
    }
    if (usage.isPresent() && (mr == null || mr.usage().isEmpty())) {
      diag.provenance("memory.usage", MEMINFO, "MemTotal - MemFree = " + usage.getAsLong());
    }
    if (limit.isPresent() && hostMem.isPresent() && limit.getAsLong() > hostMem.getAsLong()) {
      diag.warn("limit-above-host", "memory limit " + limit.getAsLong() + " bytes is above the host's MemTotal "
          + hostMem.getAsLong() + " bytes: it does not bind", diag.fileOf("memory.limit").orElse(MEMINFO));
    }
    OptionalLong max = mr == null ? OptionalLong.empty() : mr.maxUsage();
    OptionalLong failcnt = mr == null ? OptionalLong.empty() : mr.failCount();
    OptionalLong oom = mr == null ? OptionalLong.empty() : mr.oomKills();
    return new Memory(limit, soft, swap, usage, ws, max, failcnt, oom, hostMem, viewTotal);
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(Math.round(d * 1000) / 1000.0);
  }
}
