package dev.rightsize.internal;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.KernelLimits;
import dev.rightsize.Limit;
import dev.rightsize.Memory;
import dev.rightsize.Pids;
import dev.rightsize.Provenance;
import dev.rightsize.Rlimits;
import dev.rightsize.Source;
import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.CgroupReader.CpuQuota;
import dev.rightsize.internal.Files2.Found;
import dev.rightsize.internal.MountInfo.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The resolver: reads every source under one root and decides, with precedence isolated view &gt;
 * cgroup v2 &gt; cgroup v1 &gt; host, keeping every constraint (the tightest wins) and recording
 * provenance, warnings and what could not be determined.
 *
 * <p>A value flows file &rarr; {@link ViewFs} (bounded, deadline on FUSE, kept open on the live
 * root) &rarr; {@link Files2} (failures to warnings) &rarr; a version reader ({@link CgroupV1Reader},
 * {@link CgroupV2Reader}: which file holds what) &rarr; this resolver &rarr; {@link ContainerResources}.
 * The monitor's live reads take the layout resolved here and the readers' {@link LiveSources}.
 *
 * <p>Written without lambdas, streams, regular expressions or {@code String.format}: the first
 * detection in a JVM would otherwise pay for bootstrapping them.
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

  private final Diagnostics diag;
  private final ViewFs fs;
  private final Files2 files;
  private CgroupLayout layout;
  private ContainerResources result;

  private Detector(ViewFs fs, Diagnostics diag) {
    this.diag = diag;
    this.fs = fs;
    this.files = fs == null ? null : new Files2(fs, diag);
  }

  /**
   * Detects this process's own resources from {@code /}, without creating a {@link Path}: the
   * first use of NIO's file system costs milliseconds that the first detection need not pay.
   * Never throws.
   *
   * @return the snapshot
   */
  public static ContainerResources detectLive() {
    return run(null, true, FUSE_TIMEOUT_MILLIS).result;
  }

  /**
   * One detection and the layout it resolved, for a monitor that reads live values of the same
   * cgroups.
   *
   * @param resources the snapshot
   * @param layout where each controller lives; null when detection failed unexpectedly
   * @param fs the view it read through; null when even that could not be built
   */
  public record Detection(ContainerResources resources, CgroupLayout layout, ViewFs fs) {}

  /**
   * Detects under a root. Never throws.
   *
   * @param root the directory read as {@code /}
   * @return the snapshot, read with the {@link #FUSE_TIMEOUT_MILLIS} deadline
   */
  public static ContainerResources detect(Path root) {
    return detect(root, FUSE_TIMEOUT_MILLIS).resources();
  }

  /**
   * Detects with a given FUSE read deadline. Never throws.
   *
   * @param root the directory read as {@code /}
   * @param fuseTimeoutMillis how long one read on a FUSE filesystem may take, in milliseconds
   * @return the snapshot and its layout; on an unexpected failure, host defaults (1 CPU, every
   *     limit unknown) with an {@code internal-error} warning
   */
  public static Detection detect(Path root, long fuseTimeoutMillis) {
    Detector d = run(root, false, fuseTimeoutMillis);
    return new Detection(d.result, d.layout, d.fs);
  }

  /** Detects; the detector returned holds the snapshot and, unless it failed, its layout and view. */
  private static Detector run(Path root, boolean live, long fuseTimeoutMillis) {
    Diagnostics diag = new Diagnostics();
    Detector d = new Detector(null, diag);
    try {
      ViewFs fs = live ? ViewFs.live(fuseTimeoutMillis, diag) : new ViewFs(root, fuseTimeoutMillis, diag);
      d = new Detector(fs, diag);
      d.result = d.run();
      fs.releaseUnused();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      d.result = failed(diag, e);
      d.layout = null;
    }
    return d;
  }

  /** Host defaults, every limit unknown, after an unexpected failure. */
  private static ContainerResources failed(Diagnostics diag, Throwable e) {
    diag.warn(WarningCode.INTERNAL_ERROR, "detection failed unexpectedly, host defaults reported: " + e);
    Cpu cpu = new Cpu(1, Limit.unknown(), OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty(), OptionalInt.empty(), 1);
    Memory mem = new Memory(Limit.unknown(), Limit.unknown(), Limit.unknown(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty());
    Pids pids = new Pids(Limit.unknown(), OptionalLong.empty(), OptionalLong.empty());
    Rlimits rl = new Rlimits(Limit.unknown(), Limit.unknown(), Limit.unknown(), Limit.unknown());
    KernelLimits kernel = new KernelLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty());
    Set<Value> unknown = java.util.EnumSet.allOf(Value.class);
    unknown.remove(Value.SOURCE);
    unknown.remove(Value.CPU_EFFECTIVE);
    return new ContainerResources(Source.HOST, OptionalInt.empty(), cpu, mem, pids, rl, kernel, diag.warnings(),
        List.of(), unknown);
  }


  private ContainerResources run() {
    // Mount table and membership. On the live root, an unchanged pair of files means an unchanged
    // layout: it is reused, with the warnings its resolution gave.
    String mountinfoText = files.text(MOUNTINFO, true);
    String cgroupText = files.text(CGROUP, true);
    Resolved resolved = fs.isLive() ? lastLive : null;
    if (resolved != null && resolved.matches(mountinfoText, cgroupText)) {
      for (dev.rightsize.Warning w : resolved.warnings()) {
        diag.add(w);
      }
    } else {
      Diagnostics layoutDiag = new Diagnostics();
      Files2 layoutFiles = new Files2(fs, layoutDiag);
      List<Mount> all = parseMounts(layoutFiles, mountinfoText);
      List<CgroupMembership.Entry> entries = parseMembership(layoutFiles, cgroupText);
      CgroupLayout l = CgroupLayout.resolve(all, entries, fs, layoutDiag);
      resolved = new Resolved(mountinfoText, cgroupText, all, l, layoutDiag.warnings());
      for (dev.rightsize.Warning w : resolved.warnings()) {
        diag.add(w);
      }
      if (fs.isLive()) {
        lastLive = resolved;
      }
    }
    List<Mount> mounts = resolved.mounts();
    layout = resolved.layout();
    boolean mountsKnown = !mounts.isEmpty();
    List<Mount> lxcfsBinds = new ArrayList<>();
    for (Mount m : mounts) {
      if (m.fsType().startsWith("fuse")) {
        fs.addFuseMount(m.mountPoint(), m.device());
        if (isLxcfs(m) && coversAny(m.mountPoint())) {
          lxcfsBinds.add(m);
        }
      }
    }

    // Isolated views: which /proc files show the container rather than the host.
    boolean lxcMem = bound(lxcfsBinds, MEMINFO);
    boolean lxcOnline = bound(lxcfsBinds, ONLINE);
    boolean lxcCpuinfo = bound(lxcfsBinds, CPUINFO);
    Tencent tencent = Tencent.read(files, layout);

    // /proc files (each may be a view).
    String meminfoText = files.text(MEMINFO, true);
    Map<String, Long> meminfo = meminfoText == null ? null : Parse.keyed(meminfoText);
    if (meminfo != null && !meminfo.containsKey("MemTotal")) {
      diag.warn(WarningCode.UNPARSABLE, "no MemTotal line", MEMINFO);
      meminfo = null;
    }
    if (meminfo != null && layout.get("memory").isEmpty() && tencent.global() && Tencent.meminfoLooksIsolated(meminfo)) {
      tencent = tencent.withMemoryIsolated();
    }
    String onlineText = files.text(ONLINE, true);
    Integer online = files.cpuCount(ONLINE, onlineText);
    OptionalInt onlineCount = online == null || online == 0 ? OptionalInt.empty() : OptionalInt.of(online);
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
      diag.provenance(Value.CPU_ISOLATED_VIEW, CPUINFO, cpuinfoCount.getAsInt() + " processor entries");
    } else if (cpuViewFromOnline) {
      viewCpus = onlineCount;
      diag.provenance(Value.CPU_ISOLATED_VIEW, ONLINE, onlineText);
    } else if (cpuViewFromCpuinfo) {
      viewCpus = cpuinfoCount;
      diag.provenance(Value.CPU_ISOLATED_VIEW, CPUINFO, cpuinfoCount.getAsInt() + " processor entries");
    }
    boolean lxcActive = !lxcfsBinds.isEmpty() && (lxcMem && memViewActive || viewCpus.isPresent() && (lxcOnline || lxcCpuinfo));
    boolean tencentActive = tencent.memoryIsolated() && memViewActive || tencent.cpuIsolated() && cpuViewFromCpuinfo;
    if (!lxcfsBinds.isEmpty() && !lxcActive) {
      diag.warn(WarningCode.ISOLATED_VIEW_UNAVAILABLE, "LXCFS files are mounted over /proc but could not be read;"
          + " falling back to cgroup files", lxcfsBinds.get(0).mountPoint());
    }

    // Host values: what the machine has, where /proc and /sys are not views.
    int host;
    if (onlineCount.isPresent() && !lxcOnline) {
      host = onlineCount.getAsInt();
      diag.provenance(Value.CPU_HOST, ONLINE, onlineText);
    } else if (cpuinfoCount.isPresent() && !lxcCpuinfo && !tencent.cpuIsolated()) {
      host = cpuinfoCount.getAsInt();
      diag.provenance(Value.CPU_HOST, CPUINFO, host + " processor entries");
    } else if (affinity.isPresent()) {
      // Both CPU files are views: the affinity mask (never virtualised) is the best host figure.
      host = affinity.getAsInt();
    } else if (viewCpus.isPresent()) {
      host = viewCpus.getAsInt();
    } else if (onlineCount.isPresent()) {
      host = onlineCount.getAsInt();
    } else {
      host = 1;
      diag.unknown(Value.CPU_HOST);
      diag.warn(WarningCode.HOST_CPUS_UNKNOWN, "neither " + ONLINE + " nor " + CPUINFO + " could be read;"
          + " assuming 1 CPU", ONLINE);
    }
    OptionalLong hostMem = OptionalLong.empty();
    if (meminfo != null && !memViewActive && !lxcMem) {
      hostMem = OptionalLong.of(meminfo.get("MemTotal"));
      diag.provenance(Value.MEMORY_HOST_TOTAL, MEMINFO, Parse.lineOf(meminfoText, "MemTotal"));
    } else if (meminfo == null) {
      diag.unknown(Value.MEMORY_HOST_TOTAL);
    }

    // cgroup values. A controller that is not mounted has no limit; one whose place could not be
    // determined (or a mount table that could not be read) has unknown limits.
    CpuQuota quota = CpuQuota.NONE;
    OptionalInt shares = OptionalInt.empty();
    OptionalInt cpuset = OptionalInt.empty();
    Controller cpuCtl = layout.get("cpu").orElse(null);
    if (cpuCtl != null) {
      CgroupReader r = CgroupReader.of(cpuCtl, files);
      quota = r.cpuQuota(cpuCtl);
      shares = r.shares(cpuCtl);
    }
    if (!mountsKnown || layout.isUnknown("cpu")) {
      quota = quota.asUnknown();
      diag.unknown(Value.CPU_SHARES);
    }
    if (quota.quota().value().isPresent()) {
      diag.provenance(Value.CPU_LIMIT, quota.file(), quota.raw());
    }
    Controller cpusetCtl = layout.get("cpuset").orElse(null);
    if (cpusetCtl != null) {
      cpuset = CgroupReader.of(cpusetCtl, files).cpuset(cpusetCtl);
    }
    if (!mountsKnown || layout.isUnknown("cpuset")) {
      diag.unknown(Value.CPU_CPUSET);
    }
    Controller memCtl = layout.get("memory").orElse(null);
    CgroupReader.MemoryReading mr = memCtl == null ? null : CgroupReader.of(memCtl, files).memory(memCtl);
    boolean memUnknown = !mountsKnown || layout.isUnknown("memory");

    boolean lxcfsCpuView = viewCpus.isPresent() && !tencent.cpuIsolated();
    Cpu cpu = resolveCpu(quota, cpuset, shares, viewCpus, affinity, host, lxcfsCpuView);
    Memory memory = resolveMemory(mr, memUnknown, memViewActive ? meminfo : null, meminfoText, hostMem,
        tencent.memoryIsolated());
    Pids pids = resolvePids(mounts, mountsKnown);
    Rlimits rlimits = ProcLimits.rlimits(files);
    KernelLimits kernel = ProcLimits.kernel(files);

    Source source;
    if (tencentActive) {
      source = Source.TENCENT_ISOLATED;
      diag.provenance(Value.SOURCE, STATS_ISOLATED, tencent.evidence());
    } else if (lxcActive) {
      source = Source.LXCFS;
      diag.provenance(Value.SOURCE, MOUNTINFO, lxcfsBinds.get(0).line());
    } else {
      Controller decisive = memCtl != null ? memCtl : cpuCtl != null ? cpuCtl : cpusetCtl;
      if (decisive == null) {
        source = Source.HOST;
      } else {
        source = decisive.version() == CgroupLayout.Version.V2 ? Source.CGROUP_V2 : Source.CGROUP_V1;
        diag.provenance(Value.SOURCE, MOUNTINFO, decisive.mount().line());
      }
    }
    OptionalInt version = OptionalInt.empty();
    for (String name : CgroupLayout.CONTROLLERS_BY_PRECEDENCE) {
      CgroupLayout.Version v = layout.get(name).isPresent() ? layout.get(name).get().version()
          : layout.hierarchyOf(name).orElse(null);
      if (v != null) {
        version = OptionalInt.of(v == CgroupLayout.Version.V2 ? 2 : 1);
        break;
      }
    }
    return new ContainerResources(source, version, cpu, memory, pids, rlimits, kernel, diag.warnings(),
        diag.provenance(), diag.unknown());
  }

  /**
   * A resolved layout and the two files it was resolved from: the plan a live detection reuses while
   * neither file changes (a process moved to another cgroup changes {@code /proc/self/cgroup}; a
   * mount added or removed changes {@code /proc/self/mountinfo}).
   */
  private record Resolved(String mountinfo, String cgroup, List<Mount> mounts, CgroupLayout layout,
      List<dev.rightsize.Warning> warnings) {
    boolean matches(String mountinfoText, String cgroupText) {
      return mountinfoText != null && cgroupText != null && mountinfoText.equals(mountinfo)
          && cgroupText.equals(cgroup);
    }
  }

  /** The live root's last layout. */
  private static volatile Resolved lastLive;

  /** Parses /proc/self/mountinfo; skipped lines and an empty table become warnings. */
  static List<Mount> parseMounts(Files2 files, String mi) {
    if (mi == null) {
      return List.of();
    }
    List<String> bad = new ArrayList<>();
    List<Mount> mounts = MountInfo.parse(mi, bad, true);
    if (!bad.isEmpty()) {
      files.diag().warn(WarningCode.UNPARSABLE, bad.size() + " line(s) skipped, first: "
          + Diagnostics.cut(bad.get(0)), MOUNTINFO);
    }
    if (mounts.isEmpty()) {
      // A real mount table always has "/": an empty one is a failed read, not "no cgroups".
      files.diag().warn(WarningCode.UNPARSABLE, "no mount could be read; cgroup and LXCFS mounts are unknown",
          MOUNTINFO);
    }
    return mounts;
  }

  /** Parses /proc/self/cgroup; skipped lines become a warning. */
  static List<CgroupMembership.Entry> parseMembership(Files2 files, String cg) {
    if (cg == null) {
      return List.of();
    }
    List<String> bad = new ArrayList<>();
    List<CgroupMembership.Entry> entries = CgroupMembership.parse(cg, bad);
    if (!bad.isEmpty()) {
      files.diag().warn(WarningCode.UNPARSABLE, bad.size() + " line(s) skipped, first: "
          + Diagnostics.cut(bad.get(0)), CGROUP);
    }
    return entries;
  }

  private static boolean isLxcfs(Mount m) {
    return m.fsType().equals("fuse.lxcfs") || m.source().equals("lxcfs") && m.fsType().startsWith("fuse");
  }

  private static boolean coversAny(String mountPoint) {
    for (String f : LXCFS_FILES) {
      if (covers(mountPoint, f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an LXCFS mount covers a file: bound over it, or over a directory above it (LXCFS's own
   * mount hook binds the whole {@code /sys/devices/system/cpu} where it can).
   */
  private static boolean bound(List<Mount> binds, String file) {
    for (Mount m : binds) {
      if (covers(m.mountPoint(), file)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(String mountPoint, String file) {
    return file.equals(mountPoint) || file.startsWith(mountPoint + "/");
  }

  /** {@code /proc/self/status}, as {@link #affinity()} read it (null when it could not be). */
  private String statusText;

  private OptionalInt affinity() {
    String status = files.text(STATUS, false);
    statusText = status;
    String list = status == null ? null : Parse.lineValue(status, "Cpus_allowed_list:");
    Integer count = files.cpuCount(STATUS, list);
    if (status != null && (list == null || count != null && count == 0)) {
      // The file was read (a kernel always prints the line): garbled, not absent.
      diag.warn(WarningCode.UNPARSABLE, list == null ? "no Cpus_allowed_list line" : "empty Cpus_allowed_list",
          STATUS);
    }
    if (count == null || count == 0) {
      diag.unknown(Value.CPU_AFFINITY);
      return OptionalInt.empty();
    }
    diag.provenance(Value.CPU_AFFINITY, STATUS, "Cpus_allowed_list: " + list);
    return OptionalInt.of(count);
  }

  /**
   * The task limit. Where the pids controller serves this process, the tightest {@code pids.max}
   * along its path. Where none does: on a host with cgroup v1 hierarchies (or none at all) a
   * {@code pids.max} may apply that cannot be seen, so the limit is unknown, with a warning; on a
   * unified-only (v2) host whose hierarchy does not offer the controller, no {@code pids.max} applies
   * within it, so there is none.
   */
  private Pids resolvePids(List<Mount> mounts, boolean mountsKnown) {
    Controller ctl = layout.get("pids").orElse(null);
    Found limit;
    OptionalLong current = OptionalLong.empty();
    String currentFile = null;
    String why = null;
    if (ctl != null) {
      CgroupReader.PidsReading pr = CgroupReader.of(ctl, files).pids(ctl);
      limit = pr.limit();
      current = pr.current();
      currentFile = pr.currentFile();
    } else {
      boolean v1 = false;
      boolean v2 = false;
      for (Mount m : mounts) {
        v1 |= m.fsType().equals("cgroup");
        v2 |= m.fsType().equals("cgroup2");
      }
      if (!mountsKnown || layout.isUnknown("pids") || layout.hierarchyOf("pids").isPresent()) {
        limit = Found.UNKNOWN;
      } else if (v1) {
        limit = Found.UNKNOWN;
        why = "no cgroup v1 pids hierarchy is mounted, so a pids.max that applies to this process cannot be seen";
      } else if (v2) {
        limit = Found.UNLIMITED; // the unified hierarchy does not offer the controller: no pids.max in it
      } else {
        limit = Found.UNKNOWN;
        why = "no cgroup hierarchy is mounted, so a pids.max that applies to this process cannot be seen";
      }
    }
    if (!mountsKnown || layout.isUnknown("pids")) {
      limit = limit.asUnknown();
      current = OptionalLong.empty(); // not the process's own cgroup
    }
    record(Value.PIDS_LIMIT, limit);
    if (!limit.limit().isKnown()) {
      String bound = limit.limit().value().isPresent() ? "the tightest pids.max read is " + limit.limit().value().getAsLong()
          + " (" + limit.file() + "), the real one may be lower" : "no pids.max could be read";
      diag.warn(WarningCode.LIMIT_UNKNOWN, "pids.limit is unknown: " + (why != null ? why
          : "a file on the cgroup path could not be read (see the warnings naming it)") + "; " + bound,
          why != null ? MOUNTINFO : unknownFile("pids"));
    }
    if (current.isPresent()) {
      diag.provenance(Value.PIDS_CURRENT, currentFile, String.valueOf(current.getAsLong()));
    } else if (currentFile != null || !limit.limit().isKnown()) {
      // A pids.current that failed, or a limit that could not be read; a hierarchy where no cgroup on
      // the path has the file (the controller enabled nowhere below the root) counts nothing.
      diag.unknown(Value.PIDS_CURRENT);
    }
    OptionalLong threads = OptionalLong.empty();
    String t = statusText == null ? null : Parse.lineValue(statusText, "Threads:");
    Long n = t == null ? null : Parse.decimal(t);
    if (n != null && n > 0) {
      threads = OptionalLong.of(n);
    }
    return new Pids(limit.limit(), current, threads);
  }

  private Cpu resolveCpu(CpuQuota quota, OptionalInt cpuset, OptionalInt shares, OptionalInt view,
      OptionalInt affinity, int host, boolean lxcfsView) {
    int quotaCpus = Integer.MAX_VALUE;
    if (quota.quota().value().isPresent()) {
      // A quota read applies whether or not another level could be read: it is a known constraint.
      quotaCpus = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (long) Math.ceil(quota.cpus() - 1e-9)));
    }
    EffectiveCpus.Decision d = EffectiveCpus.decide(host, affinity, cpuset, quotaCpus, view);
    if (view.isPresent()) {
      int cgroupCount = Math.min(quotaCpus, cpuset.orElse(Integer.MAX_VALUE));
      // LXCFS without --enable-cfs (how Debian and most distributions run it) shows the cpuset and
      // ignores the quota: expected, not a disagreement (StartupReport names the switch).
      boolean lxcfsWithoutCfs = lxcfsView && quotaCpus < view.getAsInt()
          && view.getAsInt() == Math.min(cpuset.orElse(host), host);
      if (cgroupCount != Integer.MAX_VALUE && view.getAsInt() != Math.min(cgroupCount, host) && !lxcfsWithoutCfs) {
        diag.warn(WarningCode.ISOLATED_VIEW_DISAGREES, "the isolated view shows " + view.getAsInt() + " CPUs but the"
            + " cgroup files give " + cgroupCount + " (quota " + (quota.quota().value().isPresent()
                ? fmt(quota.cpus()) + " in " + quota.file() : "none") + ", cpuset "
            + (cpuset.isPresent() ? String.valueOf(cpuset.getAsInt()) : "unknown") + "); the tighter value is used",
            diag.fileOf(Value.CPU_ISOLATED_VIEW, CPUINFO));
      }
    }
    if (!quota.quota().isKnown()) {
      diag.unknown(Value.CPU_LIMIT);
      String bound = quota.quota().value().isPresent() ? "the tightest quota read is " + fmt(quota.cpus()) + " CPUs ("
          + quota.file() + ")" : "no quota could be read";
      diag.warn(WarningCode.LIMIT_UNKNOWN, "cpu.limit is unknown: a file on the cgroup path could not be read (see"
          + " the warnings naming it); " + bound + "; cpu.effective " + d.effective()
          + " is the tightest known constraint", unknownFile("cpu"));
    }
    Provenance p = diag.provenanceOf(d.why());
    if (p != null) {
      diag.provenance(Value.CPU_EFFECTIVE, p.file(), p.raw());
    }
    return new Cpu(d.effective(), quota.quota(), quota.period(), cpuset, shares, view, affinity, Math.max(1, host));
  }

  /**
   * The file to name for an unknown controller: the first file under its mount that could not be
   * read, else the membership file (its place is unknown), else the mount table.
   */
  private String unknownFile(String controller) {
    Controller c = layout.get(controller).orElse(null);
    String failed = c == null ? null : diag.firstFailureUnder(c.mount().mountPoint());
    if (failed != null) {
      return failed;
    }
    return layout.hierarchyOf(controller).isPresent() ? CGROUP : MOUNTINFO;
  }

  private Memory resolveMemory(CgroupReader.MemoryReading mr, boolean memUnknown, Map<String, Long> view,
      String meminfoText, OptionalLong hostMem, boolean tencent) {
    Found limit = mr == null ? Found.UNLIMITED : mr.limit();
    Found soft = mr == null ? Found.UNLIMITED : mr.soft();
    Found swap = mr == null ? Found.UNLIMITED : mr.swap();
    OptionalLong usage = mr == null ? OptionalLong.empty() : mr.usage();
    OptionalLong ws = mr == null ? OptionalLong.empty() : mr.workingSet();
    if (memUnknown) {
      limit = limit.asUnknown();
      soft = soft.asUnknown();
      swap = swap.asUnknown();
      usage = OptionalLong.empty(); // not the process's own cgroup
      ws = OptionalLong.empty();
    }
    OptionalLong viewTotal = view == null ? OptionalLong.empty() : OptionalLong.of(view.get("MemTotal"));
    if (viewTotal.isPresent()) {
      diag.provenance(Value.MEMORY_ISOLATED_VIEW_TOTAL, MEMINFO, Parse.lineOf(meminfoText, "MemTotal"));
    }
    boolean cgroupRead = mr != null && (limit.limit().isKnown() || limit.limit().value().isPresent());
    if (viewTotal.isPresent() && !cgroupRead) {
      // No cgroup file readable: the view's MemTotal stands as the limit.
      limit = new Found(Limit.of(viewTotal.getAsLong()), MEMINFO, Parse.lineOf(meminfoText, "MemTotal"));
      Long free = view.get("MemFree");
      if (free != null && free <= viewTotal.getAsLong()) {
        usage = OptionalLong.of(viewTotal.getAsLong() - free);
        Long inactive = view.get("Inactive(file)");
        ws = inactive == null ? OptionalLong.empty() : OptionalLong.of(Math.max(0, usage.getAsLong() - inactive));
        diag.provenance(Value.MEMORY_USAGE, MEMINFO, "MemTotal - MemFree = " + usage.getAsLong());
        if (ws.isPresent()) {
          diag.provenance(Value.MEMORY_WORKING_SET, MEMINFO, Parse.lineOf(meminfoText, "Inactive(file)"));
        }
      }
      Long swapTotal = view.get("SwapTotal");
      if (tencent && swapTotal != null && swapTotal >= viewTotal.getAsLong()) {
        // TencentOS prints the memory+swap limit as SwapTotal.
        swap = new Found(Limit.of(swapTotal - viewTotal.getAsLong()), MEMINFO, Parse.lineOf(meminfoText, "SwapTotal"));
      }
      // A soft or swap limit that could not be read stays unknown: the view says nothing of either
      // (Tencent's SwapTotal aside, above), so "unlimited" would be a guess.
    } else if (viewTotal.isPresent() && limit.limit().value().isPresent()) {
      long viewKb = viewTotal.getAsLong() / 1024;
      long limitKb = limit.limit().value().getAsLong() / 1024;
      if (viewKb != limitKb) {
        String why = viewKb > limitKb
            ? (tencent ? " (the kernel's view shows the process's own memory cgroup only)"
                : " (LXCFS serves host values on internal errors and answers for the container's init process)")
            : " (the view answers for another cgroup)";
        diag.warn(WarningCode.ISOLATED_VIEW_DISAGREES, "/proc/meminfo shows MemTotal " + viewTotal.getAsLong()
            + " bytes but " + limit.file() + " limits memory to " + limit.limit().value().getAsLong() + " bytes" + why
            + "; the cgroup limit is used", MEMINFO);
      }
    }
    if (mr != null && !memUnknown && mr.usage().isPresent()) {
      diag.provenance(Value.MEMORY_USAGE, mr.usageFile(), String.valueOf(mr.usage().getAsLong()));
    }
    record(Value.MEMORY_LIMIT, limit);
    record(Value.MEMORY_SOFT_LIMIT, soft);
    record(Value.MEMORY_SWAP_LIMIT, swap);
    if (!limit.limit().isKnown()) {
      String bound = limit.limit().value().isPresent() ? "the tightest limit read is " + limit.limit().value().getAsLong()
          + " bytes (" + limit.file() + "), the real one may be lower" : "no limit could be read";
      diag.warn(WarningCode.LIMIT_UNKNOWN, "memory.limit is unknown: a file on the cgroup path could not be read (see"
          + " the warnings naming it); " + bound + "; nothing should be sized from it",
          unknownFile("memory"));
    }
    if ((mr != null || memUnknown) && usage.isEmpty()) {
      diag.unknown(Value.MEMORY_USAGE);
    }
    if ((mr != null || memUnknown) && ws.isEmpty()) {
      diag.unknown(Value.MEMORY_WORKING_SET);
    }
    if (limit.limit().value().isPresent() && hostMem.isPresent() && limit.limit().value().getAsLong() > hostMem.getAsLong()) {
      diag.warn(WarningCode.LIMIT_ABOVE_HOST, "memory limit " + limit.limit().value().getAsLong() + " bytes is above"
          + " the host's MemTotal " + hostMem.getAsLong() + " bytes: it does not bind",
          diag.fileOf(Value.MEMORY_LIMIT, MEMINFO));
    }
    OptionalLong max = mr == null || memUnknown ? OptionalLong.empty() : mr.maxUsage();
    OptionalLong failcnt = mr == null || memUnknown ? OptionalLong.empty() : mr.failCount();
    OptionalLong oom = mr == null || memUnknown ? OptionalLong.empty() : mr.oomKills();
    if (ws.isPresent() && mr != null && !memUnknown && usage.equals(mr.usage())) {
      diag.provenance(Value.MEMORY_WORKING_SET, mr.statFile(), mr.inactiveKey() + " "
          + (usage.getAsLong() - ws.getAsLong()) + " (subtracted from usage " + usage.getAsLong() + ")");
    }
    if (max.isPresent()) {
      diag.provenance(Value.MEMORY_MAX_USAGE, mr.maxUsageFile(), String.valueOf(max.getAsLong()));
    }
    if (failcnt.isPresent()) {
      diag.provenance(Value.MEMORY_FAIL_COUNT, mr.failFile(),
          mr.failKey() == null ? String.valueOf(failcnt.getAsLong()) : mr.failKey() + " " + failcnt.getAsLong());
    }
    if (oom.isPresent()) {
      diag.provenance(Value.MEMORY_OOM_KILLS, mr.oomFile(), "oom_kill " + oom.getAsLong());
    }
    return new Memory(limit.limit(), soft.limit(), swap.limit(), usage, ws, max, failcnt, oom, hostMem, viewTotal);
  }

  private void record(Value value, Found f) {
    if (f.limit().value().isPresent() && f.file() != null) {
      diag.provenance(value, f.file(), f.raw());
    }
    if (!f.limit().isKnown()) {
      diag.unknown(value);
    }
  }

  static String fmt(double d) {
    return Sizes.decimal(d);
  }
}
