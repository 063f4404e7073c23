package dev.rightsize.report;

import static java.util.Objects.requireNonNull;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.Limit;
import dev.rightsize.Memory;
import dev.rightsize.Provenance;
import dev.rightsize.Value;
import dev.rightsize.Warning;
import dev.rightsize.internal.Json;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
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

  private StartupReport(ContainerResources resources, Optional<JvmSettings> jvm) {
    this.resources = requireNonNull(resources, "resources");
    this.jvm = jvm;
    this.findings = jvm.map(j -> JvmCheck.check(j, resources)).orElse(List.of());
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
   * Findings about the JVM's fit in its container, WARN first; empty when no JVM was checked.
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
   * Logs the report through SLF4J (logger {@code dev.rightsize}): one block at INFO, each warning
   * again at WARN.
   *
   * @return this report
   */
  public StartupReport log() {
    Logger log = LoggerFactory.getLogger("dev.rightsize");
    log.info("{}", toText());
    for (Warning w : resources.warnings()) {
      log.warn("rightsize: {}", w);
    }
    for (Finding f : findings) {
      if (f.severity() == Finding.Severity.WARN) {
        log.warn("rightsize: {}", f);
      }
    }
    return this;
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
        .put("forkJoinParallelism", pools.forkJoinParallelism())
        .put("commonPoolParallelism", pools.commonPoolParallelism());
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
        .put("maxRamPercentage", memory.maxRamPercentage());
    Json.Obj jvmView = jvm.map(j -> Json.obj()
        .put("availableProcessors", j.availableProcessors())
        .put("maxHeapBytes", j.heapLimitBytes())
        .put("garbageCollectors", j.garbageCollectors())
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
        .put("warnings", warnings)
        .put("unknown", unknown)
        .put("jvm", jvmView)
        .put("findings", found)
        .put("recommended", Json.obj().put("threads", threads).put("jvmMemory", jvmMemory))
        .put("provenance", prov);
  }

  /**
   * The human-readable report.
   *
   * @return several lines, no trailing newline
   */
  public String toText() {
    ContainerResources r = resources;
    Cpu c = r.cpu();
    Memory m = r.memory();
    StringBuilder b = new StringBuilder();
    b.append("rightsize: source ").append(r.source().id());
    r.cgroupVersion().ifPresent(v -> b.append(", cgroup v").append(v));
    b.append('\n');
    b.append("CPU\n");
    row(b, "effective", c.effective() + " CPU" + (c.effective() == 1 ? "" : "s")
        + (r.isKnown(Value.CPU_LIMIT) ? "" : " (the quota is unknown: the tightest known constraint)"),
        Value.CPU_EFFECTIVE);
    String quota = c.limit().isPresent() ? fmt(c.limit()) + " CPUs (quota " + c.quotaMicros().value().getAsLong()
        + " us / period " + c.periodMicros().getAsLong() + " us)" : "";
    row(b, "limit", c.quotaMicros().isLimited() ? quota : c.quotaMicros().isUnlimited() ? "unlimited"
        : quota.isEmpty() ? "unknown" : "unknown (at most " + quota + ")", Value.CPU_LIMIT);
    row(b, "cpuset", count(c.cpuset(), Value.CPU_CPUSET), Value.CPU_CPUSET);
    row(b, "shares", count(c.shares(), Value.CPU_SHARES), Value.CPU_SHARES);
    row(b, "isolated view", count(c.isolatedView(), Value.CPU_ISOLATED_VIEW), Value.CPU_ISOLATED_VIEW);
    row(b, "affinity", count(c.affinity(), Value.CPU_AFFINITY), Value.CPU_AFFINITY);
    row(b, "host", r.isKnown(Value.CPU_HOST) ? String.valueOf(c.host()) : "unknown (1 assumed)", Value.CPU_HOST);
    b.append("Memory\n");
    row(b, "limit", limit(m.limitBytes()), Value.MEMORY_LIMIT);
    row(b, "soft limit", limit(m.softLimitBytes()), Value.MEMORY_SOFT_LIMIT);
    row(b, "swap limit", limit(m.swapLimitBytes()), Value.MEMORY_SWAP_LIMIT);
    row(b, "usage", r.isKnown(Value.MEMORY_USAGE) ? bytes(m.usageBytes()) : "unknown", Value.MEMORY_USAGE);
    row(b, "working set", r.isKnown(Value.MEMORY_WORKING_SET) ? bytes(m.workingSetBytes()) : "unknown", null);
    if (m.maxUsageBytes().isPresent()) {
      row(b, "peak usage", bytes(m.maxUsageBytes()), null);
    }
    if (m.failCount().isPresent()) {
      row(b, "limit hits", String.valueOf(m.failCount().getAsLong()), null);
    }
    if (m.oomKills().isPresent()) {
      row(b, "OOM kills", String.valueOf(m.oomKills().getAsLong()), null);
    }
    if (m.isolatedViewTotalBytes().isPresent()) {
      row(b, "isolated view", bytes(m.isolatedViewTotalBytes()), Value.MEMORY_ISOLATED_VIEW_TOTAL);
    }
    row(b, "host total", m.hostTotalBytes().isPresent() ? bytes(m.hostTotalBytes()) : "unknown",
        Value.MEMORY_HOST_TOTAL);
    b.append("Recommended\n");
    row(b, "CPU-bound pool", threads(pools.cpuBound()) + " (ForkJoin parallelism " + pools.forkJoinParallelism()
        + ", common pool " + pools.commonPoolParallelism() + ")", null);
    row(b, "blocking pool", threads(pools.blocking(1.0)) + " at wait/compute 1, " + threads(pools.blocking(9.0))
        + " at 9", null);
    if (memory != null) {
      row(b, "JVM flags", memory.flagsLine(), null);
      row(b, "heap", bytes(OptionalLong.of(memory.heapBytes())) + ", " + memory.maxRamPercentageFlag(), null);
    } else {
      row(b, "JVM flags", "none: " + memoryError.lines().findFirst().orElse(""), null);
    }
    jvm.ifPresent(j -> {
      b.append("JVM (what it believes)\n");
      row(b, "processors", String.valueOf(j.availableProcessors())
          + j.activeProcessorCount().stream().mapToObj(n -> " (-XX:ActiveProcessorCount=" + n + ")").findFirst()
          .orElse(""), null);
      row(b, "max heap", bytes(j.heapLimitBytes()) + j.maxRamPercentage().stream()
          .mapToObj(p -> ", MaxRAMPercentage " + p).findFirst().orElse(""), null);
      row(b, "GC", j.garbageCollectors().isEmpty() ? "-" : String.join(", ", j.garbageCollectors()), null);
    });
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

  private void row(StringBuilder b, String name, String value, Value provenanceKey) {
    b.append("  ").append(String.format(Locale.ROOT, "%-16s", name)).append(value);
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
        return "unlimited";
      default:
        return l.value().isPresent() ? "unknown (at most " + bytes(l.value()) + ")" : "unknown";
    }
  }

  private String count(OptionalInt v, Value value) {
    return v.isPresent() ? String.valueOf(v.getAsInt()) : resources.isKnown(value) ? "-" : "unknown";
  }

  private static String threads(int n) {
    return n + (n == 1 ? " thread" : " threads");
  }


  private static String fmt(OptionalDouble d) {
    double v = d.getAsDouble();
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
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
