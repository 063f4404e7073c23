package dev.rightsize.report;

import static java.util.Objects.requireNonNull;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.KernelLimits;
import dev.rightsize.Limit;
import dev.rightsize.Memory;
import dev.rightsize.Pids;
import dev.rightsize.Provenance;
import dev.rightsize.Rlimits;
import dev.rightsize.Value;
import dev.rightsize.Warning;
import dev.rightsize.internal.Json;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmFootprint;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import dev.rightsize.sizing.ThreadHeadroom;
import dev.rightsize.sizing.ThreadPools;
import dev.rightsize.sizing.UnknownMemoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was detected, from where, what the JVM believes, the pool sizes and JVM flags that follow,
 * and findings to act on: as text for logs and as JSON for machines (the CLI prints both).
 * Immutable.
 *
 * <pre>{@code
 * StartupReport.create().log();   // one INFO block, problems again at WARN
 * }</pre>
 */
public final class StartupReport {

  private final ContainerResources resources;
  private final Optional<JvmSettings> jvm;
  private final List<Finding> findings;
  private final ThreadPools pools;
  private final JvmMemory memory;
  private final String memoryError;

  private final JvmFootprint footprint;

  private StartupReport(ContainerResources resources, Optional<JvmSettings> jvm) {
    this(resources, jvm, null);
  }

  private StartupReport(ContainerResources resources, Optional<JvmSettings> jvm, JvmFootprint footprint) {
    this.resources = requireNonNull(resources, "resources");
    this.jvm = jvm;
    this.footprint = footprint;
    List<Finding> all = new ArrayList<>(jvm.map(j -> JvmCheck.check(j, resources)).orElse(List.of()));
    all.addAll(JvmCheck.checkResources(resources));
    all.addAll(JvmCheck.checkLimits(resources));
    if (footprint != null && jvm.isPresent() && resources.memory().limitBytes().isLimited()) {
      all.addAll(JvmCheck.checkFootprint(jvm.get(), footprint, resources.cpu().effective(),
          resources.memory().limitBytes().value()));
    }
    all.sort(java.util.Comparator.comparing(f -> f.severity() == Finding.Severity.WARN ? 0 : 1));
    this.findings = List.copyOf(all);
    this.pools = ThreadPools.of(resources);
    JvmMemory m = null;
    String error = null;
    try {
      m = JvmMemory.forContainer(resources);
    } catch (InsufficientMemoryException | UnknownMemoryException | IllegalArgumentException e) {
      error = e.getMessage();
    }
    this.memory = m;
    this.memoryError = error;
  }

  /**
   * A report of the given resources alone, without the running JVM's view (e.g. for a root that is
   * not this process's).
   *
   * @param resources what was detected
   * @return the report
   */
  public static StartupReport of(ContainerResources resources) {
    return new StartupReport(resources, Optional.empty());
  }

  /**
   * A report of the given resources checked against a JVM's settings.
   *
   * @param resources what was detected
   * @param jvm what the JVM believes, e.g. {@link JvmSettings#current()}
   * @return the report
   */
  public static StartupReport of(ContainerResources resources, JvmSettings jvm) {
    return new StartupReport(resources, Optional.of(requireNonNull(jvm, "jvm")));
  }

  /**
   * Detects this process's resources and checks the running JVM against them.
   *
   * @return the report
   */
  public static StartupReport create() {
    return of(ContainerResources.detect(), JvmSettings.current());
  }

  /**
   * This report with a measured footprint (e.g. a previous run's, {@link JvmFootprint#read}): its
   * values are shown, and the running heap is checked against what the limit holds beside them
   * ({@link JvmCheck#checkFootprint}: {@code heap-above-measured-fit} or
   * {@code heap-below-measured-fit}, with the flags).
   *
   * @param measured the footprint
   * @return a new report
   */
  public StartupReport withFootprint(JvmFootprint measured) {
    return new StartupReport(resources, jvm, requireNonNull(measured, "measured"));
  }

  /**
   * The measured footprint given to {@link #withFootprint}.
   *
   * @return it, or empty
   */
  public Optional<JvmFootprint> footprint() {
    return Optional.ofNullable(footprint);
  }

  /**
   * Findings about the container ({@link JvmCheck#checkResources}), the task, file and kernel
   * limits a server runs into ({@link JvmCheck#checkLimits(ContainerResources)}) and, when a JVM
   * was checked, its fit in it ({@link JvmCheck#check(JvmSettings, ContainerResources)}); WARN first.
   *
   * @return the findings
   */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * The recommended JVM memory layout, or empty when the memory cannot hold the JVM's fixed parts
   * (see {@link #memoryError()}).
   *
   * @return the layout
   */
  public Optional<JvmMemory> jvmMemory() {
    return Optional.ofNullable(memory);
  }

  /**
   * Why no JVM memory layout could be computed.
   *
   * @return the message, or empty when {@link #jvmMemory()} is present
   */
  public Optional<String> memoryError() {
    return Optional.ofNullable(memoryError);
  }

  /**
   * Pool sizes for the detected CPUs.
   *
   * @return the sizes
   */
  public ThreadPools threadPools() {
    return pools;
  }

  /**
   * The detected resources.
   *
   * @return the snapshot the report is built on
   */
  public ContainerResources resources() {
    return resources;
  }

  /**
   * Logs the report through SLF4J (logger {@code dev.rightsize}) for a person: the {@link #toText()}
   * block as one INFO event, then each warning and each WARN finding again as its own WARN event.
   *
   * @return this report
   */
  public StartupReport log() {
    Logger log = LoggerFactory.getLogger("dev.rightsize");
    log.info("{}", toText());
    logProblems(log);
    return this;
  }

  /**
   * Logs the report through SLF4J (logger {@code dev.rightsize}) for line-based log pipelines:
   * {@link #toLine()} as one INFO event, then each warning and each WARN finding as one WARN line.
   *
   * @return this report
   */
  public StartupReport logLine() {
    Logger log = LoggerFactory.getLogger("dev.rightsize");
    log.info("{}", toLine());
    logProblems(log);
    return this;
  }

  private void logProblems(Logger log) {
    for (Warning w : resources.warnings()) {
      log.warn("rightsize warning {}", w);
    }
    for (Finding f : findings) {
      if (f.severity() == Finding.Severity.WARN) {
        log.warn("rightsize finding {}: {} Fix: {}", f.code(), f.message(), f.fix());
      }
    }
  }

  /**
   * The report's headline on one line of {@code key=value} pairs, for log pipelines that split on
   * lines: source, CPUs, memory, recommended pools and flags, and the codes of findings, warnings
   * and unknown values. A value is a number, {@code unlimited}, {@code unknown}, or a quoted string;
   * a member that does not apply is left out.
   *
   * @return one line, e.g. {@code rightsize source=cgroup-v1 cpu.effective=2 cpu.limit=1.5 ...}
   */
  public String toLine() {
    ContainerResources r = resources;
    Cpu c = r.cpu();
    Memory m = r.memory();
    StringBuilder b = new StringBuilder("rightsize source=").append(r.source().id());
    r.cgroupVersion().ifPresent(v -> b.append(" cgroupVersion=").append(v));
    b.append(" cpu.effective=").append(c.effective());
    b.append(" cpu.limit=").append(c.quotaMicros().isUnlimited() ? "unlimited"
        : c.quotaMicros().isLimited() ? fmt(c.limit()) : "unknown");
    kv(b, "cpu.cpuset", c.cpuset(), Value.CPU_CPUSET);
    kv(b, "cpu.isolatedView", c.isolatedView(), Value.CPU_ISOLATED_VIEW);
    b.append(" memory.limit=").append(lineLimit(m.limitBytes()));
    b.append(" memory.swapLimit=").append(lineLimit(m.swapLimitBytes()));
    if (m.usageBytes().isPresent()) {
      b.append(" memory.usage=").append(m.usageBytes().getAsLong());
    } else if (!r.isKnown(Value.MEMORY_USAGE)) {
      b.append(" memory.usage=unknown");
    }
    if (m.hostTotalBytes().isPresent()) {
      b.append(" memory.hostTotal=").append(m.hostTotalBytes().getAsLong());
    }
    b.append(" pids.limit=").append(lineLimit(r.pids().limit()));
    b.append(" rlimit.nofile=").append(lineLimit(r.rlimits().nofile()));
    if (r.kernel().somaxconn().isPresent()) {
      b.append(" kernel.somaxconn=").append(r.kernel().somaxconn().getAsLong());
    }
    b.append(" threads.cpuBound=").append(pools.cpuBound());
    b.append(" threads.blocking=").append(pools.blocking(1.0));
    pools.threadHeadroom().ifPresent(h -> b.append(" threads.headroom=").append(h.threads()));
    if (memory != null) {
      b.append(" jvm.flags=\"").append(memory.flagsLine()).append('"');
      b.append(" jvm.sizedFor=").append(sizedFor());
    } else {
      b.append(" jvm.flags=none");
    }
    jvm.ifPresent(j -> {
      b.append(" jvm.processors=").append(j.availableProcessors());
      j.heapLimitBytes().ifPresent(h -> b.append(" jvm.maxHeap=").append(h));
      b.append(" jvm.gc=").append(j.collectorName().isEmpty() ? "unknown" : j.collectorName());
    });
    b.append(" findings=").append(codes(findingCodes()));
    List<String> warnings = new ArrayList<>();
    for (Warning w : r.warnings()) {
      warnings.add(w.code().id());
    }
    b.append(" warnings=").append(codes(warnings));
    List<String> unknown = new ArrayList<>();
    for (Value v : r.unknown()) {
      unknown.add(v.key());
    }
    b.append(" unknown=").append(codes(unknown));
    return b.toString();
  }

  private List<String> findingCodes() {
    List<String> out = new ArrayList<>();
    for (Finding f : findings) {
      out.add(f.code());
    }
    return out;
  }

  private static String codes(List<String> codes) {
    return codes.isEmpty() ? "none" : String.join(",", new java.util.LinkedHashSet<>(codes));
  }

  private void kv(StringBuilder b, String key, OptionalInt v, Value value) {
    if (v.isPresent()) {
      b.append(' ').append(key).append('=').append(v.getAsInt());
    } else if (!resources.isKnown(value)) {
      b.append(' ').append(key).append("=unknown");
    }
  }

  private static String lineLimit(Limit l) {
    return l.isLimited() ? String.valueOf(l.value().getAsLong()) : l.isUnlimited() ? "unlimited" : "unknown";
  }

  /** What the recommended memory was sized for: {@code limit}, {@code isolated-view} or {@code host}. */
  private String sizedFor() {
    Memory m = resources.memory();
    return m.limitBytes().isLimited() ? "limit" : m.isolatedViewTotalBytes().isPresent() ? "isolated-view" : "host";
  }

  /**
   * The JSON document, pretty-printed; see the README for its members.
   *
   * @return one JSON object
   */
  public String toJson() {
    return json().toString();
  }

  Json.Obj json() {
    ContainerResources r = resources;
    Cpu c = r.cpu();
    Memory m = r.memory();
    Json.Obj cpu = Json.obj()
        .put("effective", c.effective())
        .put("limit", c.limit())
        .put("quotaMicros", c.quotaMicros().value())
        .put("periodMicros", c.periodMicros())
        .put("cpuset", c.cpuset())
        .put("shares", c.shares())
        .put("isolatedView", c.isolatedView())
        .put("affinity", c.affinity())
        .put("host", c.host());
    Json.Obj mem = Json.obj()
        .put("limit", m.limitBytes().value())
        .put("softLimit", m.softLimitBytes().value())
        .put("swapLimit", m.swapLimitBytes().value())
        .put("usage", m.usageBytes())
        .put("workingSet", m.workingSetBytes())
        .put("maxUsage", m.maxUsageBytes())
        .put("failCount", m.failCount())
        .put("oomKills", m.oomKills())
        .put("hostTotal", m.hostTotalBytes())
        .put("isolatedViewTotal", m.isolatedViewTotalBytes());
    Pids ps = r.pids();
    Json.Obj pids = Json.obj()
        .put("limit", ps.limit().value())
        .put("current", ps.current())
        .put("processThreads", ps.processThreads());
    Rlimits rl = r.rlimits();
    Json.Obj rlimit = Json.obj()
        .put("nofile", rl.nofile().value())
        .put("nofileHard", rl.nofileHard().value())
        .put("nproc", rl.nproc().value())
        .put("nprocHard", rl.nprocHard().value());
    KernelLimits k = r.kernel();
    Json.Obj kernel = Json.obj()
        .put("somaxconn", k.somaxconn())
        .put("maxMapCount", k.maxMapCount())
        .put("threadsMax", k.threadsMax())
        .put("pidMax", k.pidMax());
    List<Json.Obj> warnings = new ArrayList<>();
    for (Warning w : r.warnings()) {
      warnings.add(Json.obj().put("code", w.code().id()).put("message", w.message()).put("file", w.file()));
    }
    List<Json.Obj> prov = new ArrayList<>();
    for (Provenance p : r.provenance()) {
      prov.add(Json.obj().put("value", p.value().key()).put("file", p.file()).put("raw", p.raw()));
    }
    List<String> unknown = new ArrayList<>();
    for (Value v : r.unknown()) {
      unknown.add(v.key());
    }
    Json.Obj threads = Json.obj()
        .put("cpuBound", pools.cpuBound())
        .put("cpuBoundPlusOne", pools.cpuBoundPlusOne())
        .put("blockingHalfWaiting", pools.blocking(1.0))
        .put("blockingMostlyWaiting", pools.blocking(9.0))
        .put("forkJoinParallelism", pools.forkJoinParallelism())
        .put("commonPoolParallelism", pools.commonPoolParallelism())
        .put("headroom", pools.threadHeadroom().map(ThreadHeadroom::threads));
    Json.Obj jvmMemory = memory == null ? Json.obj().put("error", memoryError) : Json.obj()
        .put("totalBytes", memory.totalBytes())
        .put("heapBytes", memory.heapBytes())
        .put("metaspaceBytes", memory.metaspaceBytes())
        .put("reservedCodeCacheBytes", memory.reservedCodeCacheBytes())
        .put("directMemoryBytes", memory.directMemoryBytes())
        .put("threadStackBytes", memory.threadStackBytes())
        .put("threadCount", memory.threadCount())
        .put("headroomBytes", memory.headroomBytes())
        .put("flags", memory.flagsLine())
        .put("maxRamPercentage", memory.maxRamPercentage())
        .put("sizedFor", sizedFor())
        .put("notes", memory.notes());
    Json.Obj jvmView = jvm.map(j -> Json.obj()
        .put("availableProcessors", j.availableProcessors())
        .put("maxHeapBytes", j.heapLimitBytes())
        .put("garbageCollectors", j.garbageCollectors())
        .put("collector", j.collectorName().isEmpty() ? null : j.collectorName())
        .put("activeProcessorCount", j.activeProcessorCount())
        .put("maxRamPercentage", j.maxRamPercentage())
        .put("useContainerSupport", j.useContainerSupport())).orElse(null);
    List<Json.Obj> found = findings.stream()
        .map(f -> Json.obj().put("code", f.code()).put("severity", f.severity().name())
            .put("message", f.message()).put("fix", f.fix()))
        .toList();
    return Json.obj()
        .put("source", r.source().id())
        .put("cgroupVersion", r.cgroupVersion())
        .put("cpu", cpu)
        .put("memory", mem)
        .put("pids", pids)
        .put("rlimit", rlimit)
        .put("kernel", kernel)
        .put("warnings", warnings)
        .put("unknown", unknown)
        .put("jvm", jvmView)
        .put("findings", found)
        .put("footprint", footprint == null ? null : Json.obj()
            .put("loadedClassCount", footprint.loadedClassCount())
            .put("metaspaceCommittedBytes", footprint.metaspaceCommittedBytes())
            .put("codeCacheCommittedBytes", footprint.codeCacheCommittedBytes())
            .put("peakThreadCount", footprint.peakThreadCount())
            .put("directBufferBytes", footprint.directBufferBytes())
            .put("mappedBufferBytes", footprint.mappedBufferBytes())
            .put("collector", footprint.collector().map(JvmMemory.Collector::displayName).orElse(null)))
        .put("recommended", Json.obj().put("threads", threads).put("jvmMemory", jvmMemory))
        .put("provenance", prov);
  }

  /**
   * The human-readable report. One word per state: a value, {@code unlimited} (no limit is set),
   * {@code unknown} (it could not be read) or {@code absent} (this kernel or layout has no such
   * value, e.g. no isolated view is active); each value read from a file names it after {@code <-}.
   *
   * @return several lines, no trailing newline
   */
  public String toText() {
    ContainerResources r = resources;
    Cpu c = r.cpu();
    Memory m = r.memory();
    StringBuilder b = new StringBuilder();
    b.append("rightsize: source ").append(r.source().id());
    if (r.cgroupVersion().isPresent()) {
      b.append(", cgroup v").append(r.cgroupVersion().getAsInt());
    }
    b.append('\n');
    b.append("CPU\n");
    row(b, "effective", cpus(c.effective())
        + (r.isKnown(Value.CPU_LIMIT) ? "" : " (the quota is unknown: the tightest known constraint)"),
        Value.CPU_EFFECTIVE);
    String quota = c.limit().isPresent() ? cpus(c.limit()) + " (quota " + c.quotaMicros().value().getAsLong()
        + " us / period " + c.periodMicros().getAsLong() + " us)" : "";
    row(b, "limit", c.quotaMicros().isLimited() ? quota : c.quotaMicros().isUnlimited() ? UNLIMITED
        : quota.isEmpty() ? UNKNOWN : UNKNOWN + " (at most " + quota + ")", Value.CPU_LIMIT);
    row(b, "cpuset", cpuCount(c.cpuset(), Value.CPU_CPUSET, ABSENT), Value.CPU_CPUSET);
    row(b, "shares", count(c.shares(), Value.CPU_SHARES, ABSENT), Value.CPU_SHARES);
    row(b, "isolated view", cpuCount(c.isolatedView(), Value.CPU_ISOLATED_VIEW, ABSENT), Value.CPU_ISOLATED_VIEW);
    row(b, "affinity", cpuCount(c.affinity(), Value.CPU_AFFINITY, ABSENT), Value.CPU_AFFINITY);
    row(b, "host", r.isKnown(Value.CPU_HOST) ? cpus(c.host()) : UNKNOWN + " (1 assumed)", Value.CPU_HOST);
    b.append("Memory\n");
    row(b, "limit", limit(m.limitBytes()), Value.MEMORY_LIMIT);
    row(b, "soft limit", limit(m.softLimitBytes()), Value.MEMORY_SOFT_LIMIT);
    row(b, "swap limit", swap(m), Value.MEMORY_SWAP_LIMIT);
    row(b, "usage", amount(m.usageBytes(), Value.MEMORY_USAGE), Value.MEMORY_USAGE);
    row(b, "working set", amount(m.workingSetBytes(), Value.MEMORY_WORKING_SET), Value.MEMORY_WORKING_SET);
    row(b, "peak usage", m.maxUsageBytes().isPresent() ? bytes(m.maxUsageBytes()) : ABSENT, Value.MEMORY_MAX_USAGE);
    row(b, "limit hits", m.failCount().isPresent() ? String.valueOf(m.failCount().getAsLong()) : ABSENT,
        Value.MEMORY_FAIL_COUNT);
    row(b, "OOM kills", m.oomKills().isPresent() ? String.valueOf(m.oomKills().getAsLong()) : ABSENT,
        Value.MEMORY_OOM_KILLS);
    if (m.isolatedViewTotalBytes().isPresent()) {
      row(b, "isolated view", bytes(m.isolatedViewTotalBytes()), Value.MEMORY_ISOLATED_VIEW_TOTAL);
    }
    row(b, "host total", m.hostTotalBytes().isPresent() ? bytes(m.hostTotalBytes())
        : r.isKnown(Value.MEMORY_HOST_TOTAL) ? ABSENT : UNKNOWN, Value.MEMORY_HOST_TOTAL);
    b.append("Tasks and files\n");
    Pids ps = r.pids();
    row(b, "pids limit", countLimit(ps.limit()), Value.PIDS_LIMIT);
    row(b, "pids current", number(ps.current(), Value.PIDS_CURRENT), Value.PIDS_CURRENT);
    row(b, "own threads", ps.processThreads().isPresent() ? String.valueOf(ps.processThreads().getAsLong())
        : UNKNOWN, null);
    Rlimits rl = r.rlimits();
    row(b, "open files", countLimit(rl.nofile()) + " (hard " + countLimit(rl.nofileHard()) + ")",
        Value.RLIMIT_NOFILE);
    row(b, "processes", countLimit(rl.nproc()) + " (hard " + countLimit(rl.nprocHard()) + ")", Value.RLIMIT_NPROC);
    KernelLimits k = r.kernel();
    row(b, "somaxconn", number(k.somaxconn(), Value.KERNEL_SOMAXCONN), Value.KERNEL_SOMAXCONN);
    row(b, "max_map_count", number(k.maxMapCount(), Value.KERNEL_MAX_MAP_COUNT), Value.KERNEL_MAX_MAP_COUNT);
    row(b, "threads-max", number(k.threadsMax(), Value.KERNEL_THREADS_MAX), Value.KERNEL_THREADS_MAX);
    row(b, "pid_max", number(k.pidMax(), Value.KERNEL_PID_MAX), Value.KERNEL_PID_MAX);
    b.append("Recommended\n");
    row(b, "CPU-bound pool", threads(pools.cpuBound()) + " (ForkJoinPool parallelism " + pools.forkJoinParallelism()
        + "; common pool parallelism " + pools.commonPoolParallelism() + ")", null);
    row(b, "blocking pool", threads(pools.blocking(1.0)) + " when tasks wait as long as they compute, "
        + threads(pools.blocking(9.0)) + " when they wait 9 times as long"
        + pools.blockingCap(9.0).map(cap -> " (" + cap.substring(0, cap.indexOf(" by ")) + ")").orElse(""), null);
    pools.threadHeadroom().ifPresent(h -> row(b, "thread headroom", threads(h.threads()) + ": " + h.describe(), null));
    if (memory != null) {
      String sizedFor = sizedFor();
      row(b, "JVM flags", memory.flagsLine(), null);
      row(b, "heap", bytes(OptionalLong.of(memory.heapBytes())) + ", " + memory.maxRamPercentageFlag()
          + (sizedFor.equals("limit") ? "" : " (no memory limit: sized for "
              + (sizedFor.equals("host") ? "the host's memory" : "the isolated view's MemTotal")
              + ", which other processes share)"), null);
      for (String note : memory.notes()) {
        row(b, "note", note, null);
      }
    } else {
      String why = memoryError;
      int nl = why.indexOf('\n');
      row(b, "JVM flags", "none: " + (nl < 0 ? why : why.substring(0, nl)), null);
    }
    if (jvm.isPresent()) {
      JvmSettings j = jvm.get();
      b.append("JVM (what it believes)\n");
      row(b, "processors", j.availableProcessors() + (j.activeProcessorCount().isPresent()
          ? " (-XX:ActiveProcessorCount=" + j.activeProcessorCount().getAsInt() + ")" : ""), null);
      row(b, "max heap", (j.heapLimitBytes().isPresent() ? bytes(j.heapLimitBytes()) : UNKNOWN)
          + (j.maxRamPercentage().isPresent() ? ", MaxRAMPercentage " + j.maxRamPercentage().getAsDouble() : ""), null);
      row(b, "GC", j.collectorName().isEmpty() ? UNKNOWN : j.collectorName(), null);
    }
    if (footprint != null) {
      b.append("Measured footprint\n");
      row(b, "classes", String.valueOf(footprint.loadedClassCount()), null);
      row(b, "metaspace", bytes(OptionalLong.of(footprint.metaspaceCommittedBytes())) + " committed", null);
      row(b, "code cache", bytes(OptionalLong.of(footprint.codeCacheCommittedBytes())) + " committed", null);
      row(b, "threads", footprint.peakThreadCount() + " at the peak", null);
      row(b, "buffers", bytes(OptionalLong.of(footprint.directBufferBytes())) + " direct, "
          + bytes(OptionalLong.of(footprint.mappedBufferBytes())) + " mapped", null);
    }
    if (!findings.isEmpty()) {
      b.append("Findings\n");
      for (Finding f : findings) {
        b.append("  - ").append(f.severity()).append(' ').append(f.code()).append(": ").append(f.message())
            .append("\n      fix: ").append(f.fix()).append('\n');
      }
    }
    if (!r.warnings().isEmpty()) {
      b.append("Warnings\n");
      for (Warning w : r.warnings()) {
        b.append("  - ").append(w).append('\n');
      }
    }
    return b.toString().stripTrailing();
  }

  private static final String UNLIMITED = "unlimited";
  private static final String UNKNOWN = "unknown";
  private static final String ABSENT = "absent";

  private void row(StringBuilder b, String name, String value, Value provenanceKey) {
    b.append("  ").append(name);
    for (int i = name.length(); i < 16; i++) {
      b.append(' ');
    }
    b.append(value);
    if (provenanceKey != null) {
      resources.provenanceOf(provenanceKey).map(Provenance::file).ifPresent(f -> b.append("   <- ").append(f));
    }
    b.append('\n');
  }

  /** One word per state: the bytes, {@code unlimited}, or {@code unknown} with the bound read. */
  private static String limit(Limit l) {
    switch (l.state()) {
      case LIMITED:
        return bytes(l.value());
      case UNLIMITED:
        return UNLIMITED;
      default:
        return l.value().isPresent() ? UNKNOWN + " (at most " + bytes(l.value()) + ")" : UNKNOWN;
    }
  }

  /**
   * The swap row: v1's {@code memory.memsw.limit_in_bytes} holds memory plus swap, so the number
   * shown (swap beyond the limit) is the file's minus the memory limit; say so with both.
   */
  private String swap(Memory m) {
    String text = limit(m.swapLimitBytes());
    Optional<Provenance> p = resources.provenanceOf(Value.MEMORY_SWAP_LIMIT);
    if (m.swapLimitBytes().isLimited() && p.isPresent() && p.get().file().endsWith("memory.memsw.limit_in_bytes")
        && m.limitBytes().value().isPresent()) {
      long memsw = m.swapLimitBytes().value().getAsLong() + m.limitBytes().value().getAsLong();
      text += " beyond the limit (memory+swap limit " + bytes(OptionalLong.of(memsw)) + ")";
    }
    return text;
  }

  private String amount(OptionalLong v, Value value) {
    return v.isPresent() ? bytes(v) : resources.isKnown(value) ? ABSENT : UNKNOWN;
  }

  private String cpuCount(OptionalInt v, Value value, String whenAbsent) {
    return v.isPresent() ? cpus(v.getAsInt()) : resources.isKnown(value) ? whenAbsent : UNKNOWN;
  }

  private String count(OptionalInt v, Value value, String whenAbsent) {
    return v.isPresent() ? String.valueOf(v.getAsInt()) : resources.isKnown(value) ? whenAbsent : UNKNOWN;
  }

  /** A count limit: the number, {@code unlimited}, or {@code unknown} with the bound read. */
  private static String countLimit(Limit l) {
    switch (l.state()) {
      case LIMITED:
        return String.valueOf(l.value().getAsLong());
      case UNLIMITED:
        return UNLIMITED;
      default:
        return l.value().isPresent() ? UNKNOWN + " (at most " + l.value().getAsLong() + ")" : UNKNOWN;
    }
  }

  private String number(OptionalLong v, Value value) {
    return v.isPresent() ? String.valueOf(v.getAsLong()) : resources.isKnown(value) ? ABSENT : UNKNOWN;
  }

  private static String threads(int n) {
    return n + (n == 1 ? " thread" : " threads");
  }

  private static String cpus(int n) {
    return n + (n == 1 ? " CPU" : " CPUs");
  }

  private static String cpus(OptionalDouble d) {
    double v = d.getAsDouble();
    return fmt(d) + (v == 1.0 ? " CPU" : " CPUs");
  }

  private static String fmt(OptionalDouble d) {
    return dev.rightsize.internal.Sizes.decimal(d.getAsDouble());
  }


  /** Formats bytes as {@code 1.00 GiB (1073741824 bytes)}, or {@code -} when unknown. */
  static String bytes(OptionalLong v) {
    if (v.isEmpty()) {
      return "-";
    }
    long n = v.getAsLong();
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double d = n;
    int u = 0;
    while (d >= 1024 && u < units.length - 1) {
      d /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.2f %s (%d bytes)", d, units[u], n);
  }
}
