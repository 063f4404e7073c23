package dev.rightsize.internal;

import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.CgroupLayout.Version;
import java.util.Arrays;

/**
 * Live values of this process's cgroups, read from kept-open files at the paths the version readers
 * name ({@link LiveSources}) in the layout of a {@link Detector.Detection}: the monitor's reads go
 * through the same layout and the same file knowledge as a snapshot. Steady-state reads allocate
 * nothing: each file is re-read from offset 0 into one reused buffer and parsed in place.
 *
 * <p>Not thread-safe: the caller serialises access. Never throws on a read.
 */
public final class LiveReader implements AutoCloseable {
  /** "No value": absent, unreadable or garbled. */
  public static final long NONE = LiveParse.NONE;

  /** Indices into {@link #poll(long[])}'s array. */
  public static final int MEMORY_USAGE = 0;
  /** Working set index. */
  public static final int MEMORY_WORKING_SET = 1;
  /** Limit hits index. */
  public static final int MEMORY_FAIL_COUNT = 2;
  /** OOM kills index. */
  public static final int OOM_KILLS = 3;
  /** CPU usage (ns) index. */
  public static final int CPU_USAGE = 4;
  /** CFS periods index. */
  public static final int CPU_PERIODS = 5;
  /** Throttled periods index. */
  public static final int CPU_THROTTLED_PERIODS = 6;
  /** Throttled time (ns) index. */
  public static final int CPU_THROTTLED_TIME = 7;
  /** Tasks in the pids cgroup index. */
  public static final int PIDS_CURRENT = 8;
  /** Length of the array {@link #poll(long[])} fills. */
  public static final int COUNT = 9;

  private static final byte[] NR_PERIODS = LiveParse.key("nr_periods");
  private static final byte[] NR_THROTTLED = LiveParse.key("nr_throttled");

  /** Where read failures go. */
  public interface Sink {
    /**
     * Records a warning.
     *
     * @param w the warning, naming its file
     */
    void warn(dev.rightsize.Warning w);
  }

  private final Sink sink;
  private final PolledFile.Buffer buf = new PolledFile.Buffer();
  private LiveSources.Memory mem;
  private LiveSources.Cpu cpu;
  // One slot per role; two roles naming the same path share one PolledFile.
  private PolledFile usage;
  private PolledFile stat;
  private PolledFile fail;
  private PolledFile oom;
  private PolledFile cpuUsage;
  private PolledFile cpuStat;
  private PolledFile pids;
  private boolean closed;

  private LiveReader(Sink sink) {
    this.sink = sink;
  }

  /**
   * Opens the live files of a detection's layout.
   *
   * @param d the detection (its layout may be null after an internal error: nothing is opened)
   * @param sink where read failures go, each naming its file
   * @return the reader
   */
  public static LiveReader open(Detector.Detection d, Sink sink) {
    LiveReader r = new LiveReader(sink);
    r.retarget(d);
    return r;
  }

  /**
   * Points the reader at a newer detection's layout: a file at a new path (the process moved) is
   * opened afresh, a file at the same path is revalidated (reopened when it was replaced or had
   * failed). Called once per limit recheck, with that recheck's detection.
   *
   * @param d the detection
   */
  public void retarget(Detector.Detection d) {
    if (closed) {
      return;
    }
    LiveSources.Memory m = null;
    LiveSources.Cpu c = null;
    if (d.layout() != null && d.fs() != null) {
      Files2 files = new Files2(d.fs(), new Diagnostics());
      Controller memCtl = d.layout().get("memory").orElse(null);
      if (memCtl != null && !d.layout().isUnknown("memory")) {
        m = CgroupReader.of(memCtl, files).liveMemory(memCtl);
      }
      Controller cpuCtl = d.layout().get("cpu").orElse(null);
      Controller acct = d.layout().get("cpuacct").orElse(null);
      if (cpuCtl != null && cpuCtl.version() == Version.V2) {
        c = CgroupV2Reader.liveCpu(cpuCtl.dir());
      } else if (cpuCtl != null || acct != null && acct.version() == Version.V1) {
        c = CgroupV1Reader.liveCpu(cpuCtl, acct != null && acct.version() == Version.V1 ? acct : null);
      } else if (memCtl != null && memCtl.version() == Version.V2) {
        c = CgroupV2Reader.liveCpu(memCtl.dir()); // cpu.stat exists in every v2 cgroup
      }
    }
    ViewFs fs = d.fs();
    usage = slot(usage, m == null ? null : m.usageFile(), fs);
    stat = slot(stat, m == null ? null : m.statFile(), fs);
    fail = slot(fail, m == null ? null : m.failFile(), fs);
    oom = same(m == null ? null : m.oomFile(), fail) ? fail : slot(oom == fail ? null : oom,
        m == null ? null : m.oomFile(), fs);
    cpuUsage = slot(cpuUsage, c == null ? null : c.usageFile(), fs);
    cpuStat = same(c == null ? null : c.statFile(), cpuUsage) ? cpuUsage : slot(cpuStat == cpuUsage ? null : cpuStat,
        c == null ? null : c.statFile(), fs);
    // pids.current: the file the detection read (the cgroup that sets pids.max).
    String pidsFile = null;
    if (d.layout() != null && d.fs() != null && d.resources().isKnown(dev.rightsize.Value.PIDS_CURRENT)) {
      java.util.Optional<dev.rightsize.Provenance> p = d.resources().provenanceOf(dev.rightsize.Value.PIDS_CURRENT);
      pidsFile = p.isPresent() ? p.get().file() : null;
    }
    pids = slot(pids, pidsFile, fs);
    mem = m;
    cpu = c;
  }

  /**
   * Tasks counted against the task limit.
   *
   * @return a count or {@link #NONE}
   */
  public long pidsCurrent() {
    return number(pids);
  }

  private static boolean same(String file, PolledFile f) {
    return file != null && f != null && file.equals(f.shown);
  }

  private PolledFile slot(PolledFile old, String file, ViewFs fs) {
    if (old != null && file != null && old.shown.equals(file)) {
      old.revalidate();
      return old;
    }
    if (old != null) {
      old.close();
    }
    if (file == null || !fs.exists(file)) {
      return null;
    }
    return new PolledFile(file, fs.resolve(file), sink);
  }

  /**
   * Bytes charged to the cgroup.
   *
   * @return bytes or {@link #NONE}
   */
  public long memoryUsage() {
    return number(usage);
  }

  /**
   * Usage minus inactive file cache.
   *
   * @param usage the usage just read, or {@link #NONE}
   * @return bytes or {@link #NONE}
   */
  public long workingSet(long usage) {
    if (usage == NONE || mem == null || !read(stat)) {
      return NONE;
    }
    long inactive = NONE;
    for (byte[] key : mem.inactiveKeys()) {
      inactive = LiveParse.keyed(buf.bytes, buf.length, key);
      if (inactive != NONE) {
        break;
      }
    }
    return inactive == NONE ? NONE : Math.max(0, usage - inactive);
  }

  /**
   * Times the limit was hit.
   *
   * @return a count or {@link #NONE}
   */
  public long failCount() {
    if (mem == null) {
      return NONE;
    }
    return mem.failKey() == null ? number(fail) : keyed(fail, mem.failKey());
  }

  /**
   * OOM kills.
   *
   * @return a count or {@link #NONE}
   */
  public long oomKills() {
    return mem == null ? NONE : keyed(oom, mem.oomKey());
  }

  /**
   * CPU time consumed.
   *
   * @return nanoseconds or {@link #NONE}
   */
  public long cpuUsageNanos() {
    if (cpu == null) {
      return NONE;
    }
    long v = cpu.usageKey() == null ? number(cpuUsage) : keyed(cpuUsage, cpu.usageKey());
    return scale(v, cpu.usageNanosPerUnit());
  }

  /**
   * A {@code cpu.stat} value.
   *
   * @param index {@link #CPU_PERIODS}, {@link #CPU_THROTTLED_PERIODS} or {@link #CPU_THROTTLED_TIME}
   * @return the value (time in nanoseconds) or {@link #NONE}
   */
  public long cpuStat(int index) {
    if (cpu == null || !read(cpuStat)) {
      return NONE;
    }
    return cpuStatFromBuffer(index);
  }

  private long cpuStatFromBuffer(int index) {
    switch (index) {
      case CPU_PERIODS:
        return LiveParse.keyed(buf.bytes, buf.length, NR_PERIODS);
      case CPU_THROTTLED_PERIODS:
        return LiveParse.keyed(buf.bytes, buf.length, NR_THROTTLED);
      default:
        return scale(LiveParse.keyed(buf.bytes, buf.length, cpu.throttledKey()), cpu.throttledNanosPerUnit());
    }
  }

  /**
   * Every value at once, each file read once.
   *
   * @param out an array of at least {@link #COUNT}; filled by index, {@link #NONE} where unavailable
   */
  public void poll(long[] out) {
    Arrays.fill(out, 0, COUNT, NONE);
    out[MEMORY_USAGE] = memoryUsage();
    out[MEMORY_WORKING_SET] = workingSet(out[MEMORY_USAGE]);
    if (mem != null && fail == oom && mem.failKey() != null) {
      if (read(fail)) {
        out[MEMORY_FAIL_COUNT] = LiveParse.keyed(buf.bytes, buf.length, mem.failKey());
        out[OOM_KILLS] = LiveParse.keyed(buf.bytes, buf.length, mem.oomKey());
      }
    } else {
      out[MEMORY_FAIL_COUNT] = failCount();
      out[OOM_KILLS] = oomKills();
    }
    out[PIDS_CURRENT] = pidsCurrent();
    if (cpu != null && cpuUsage == cpuStat && cpu.usageKey() != null) {
      if (read(cpuStat)) {
        out[CPU_USAGE] = scale(LiveParse.keyed(buf.bytes, buf.length, cpu.usageKey()), cpu.usageNanosPerUnit());
        readCpuStat(out);
      }
    } else {
      out[CPU_USAGE] = cpuUsageNanos();
      if (cpu != null && read(cpuStat)) {
        readCpuStat(out);
      }
    }
  }

  private void readCpuStat(long[] out) {
    out[CPU_PERIODS] = cpuStatFromBuffer(CPU_PERIODS);
    out[CPU_THROTTLED_PERIODS] = cpuStatFromBuffer(CPU_THROTTLED_PERIODS);
    out[CPU_THROTTLED_TIME] = cpuStatFromBuffer(CPU_THROTTLED_TIME);
  }

  /** Closes every file; later reads return {@link #NONE}. */
  @Override
  public void close() {
    closed = true;
    PolledFile[] all = {usage, stat, fail, oom, cpuUsage, cpuStat, pids};
    for (PolledFile f : all) {
      if (f != null) {
        f.close();
      }
    }
    usage = stat = fail = oom = cpuUsage = cpuStat = pids = null;
  }

  private boolean read(PolledFile f) {
    return f != null && f.read(buf);
  }

  private long number(PolledFile f) {
    if (!read(f)) {
      return NONE;
    }
    long v = LiveParse.number(buf.bytes, buf.length);
    if (v == NONE) {
      int n = Math.min(buf.length, 60);
      String head = new String(buf.bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
      sink.warn(dev.rightsize.Warning.of(dev.rightsize.WarningCode.UNPARSABLE, "not a number: \"" + head + "\"",
          f.shown));
    }
    return v;
  }

  private long keyed(PolledFile f, byte[] key) {
    return read(f) ? LiveParse.keyed(buf.bytes, buf.length, key) : NONE;
  }

  private static long scale(long v, long factor) {
    if (v == NONE || factor == 1) {
      return v;
    }
    return v > Long.MAX_VALUE / factor ? NONE : v * factor;
  }
}
