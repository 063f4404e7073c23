package dev.rightsize.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rightsize.ContainerResources;
import dev.rightsize.sizing.JvmSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report as an operator reads it: one word per state, units, the source of every row, and the
 * findings about the container alone. Expected numbers are the fixture files' contents, read here.
 */
class StartupReportTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ContainerResources fixture(String name) {
    return ContainerResources.detect(FIXTURES.resolve(name));
  }

  private static long fileNumber(String fixture, String file) throws IOException {
    return Long.parseLong(Files.readString(FIXTURES.resolve(fixture).resolve(file), StandardCharsets.US_ASCII).strip());
  }

  private static String row(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith("  " + name + " ") && line.substring(2 + name.length()).startsWith(" ".repeat(16 - name.length()))) {
        return line.substring(18);
      }
    }
    throw new AssertionError("no row '" + name + "' in\n" + text);
  }

  @Test
  void swapRowShowsTheMemswFileBesideTheSwapItImplies() throws IOException {
    String f = "synthetic/v1-memsw-soft";
    long memsw = fileNumber(f, "sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
    long limit = fileNumber(f, "sys/fs/cgroup/memory/memory.limit_in_bytes");
    assertThat(memsw).isEqualTo(1536L << 20);
    String text = StartupReport.of(fixture(f)).toText();
    assertThat(row(text, "swap limit")).isEqualTo("512.00 MiB (" + (memsw - limit) + " bytes) beyond the limit"
        + " (memory+swap limit 1.50 GiB (" + memsw + " bytes))   <- /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
    assertThat(row(text, "soft limit")).isEqualTo("768.00 MiB (805306368 bytes)"
        + "   <- /sys/fs/cgroup/memory/memory.soft_limit_in_bytes");
  }

  @Test
  void everyMemoryRowReadFromAFileNamesIt() throws IOException {
    String f = "synthetic/v1-memsw-soft";
    String text = StartupReport.of(fixture(f)).toText();
    long usage = fileNumber(f, "sys/fs/cgroup/memory/memory.usage_in_bytes");
    long peak = fileNumber(f, "sys/fs/cgroup/memory/memory.max_usage_in_bytes");
    long inactive = 50331648; // total_inactive_file in that fixture's memory.stat
    assertThat(row(text, "usage")).endsWith("(" + usage + " bytes)   <- /sys/fs/cgroup/memory/memory.usage_in_bytes");
    assertThat(row(text, "working set")).endsWith("(" + (usage - inactive) + " bytes)   <- /sys/fs/cgroup/memory/memory.stat");
    assertThat(row(text, "peak usage")).endsWith("(" + peak + " bytes)   <- /sys/fs/cgroup/memory/memory.max_usage_in_bytes");
    assertThat(row(text, "limit hits")).isEqualTo("0   <- /sys/fs/cgroup/memory/memory.failcnt");
    // This fixture has no memory.oom_control: the row says so in one word.
    assertThat(row(text, "OOM kills")).isEqualTo("absent");
    String v2 = StartupReport.of(fixture("synthetic/v2-cgroupns-private")).toText();
    assertThat(row(v2, "OOM kills")).isEqualTo("0   <- /sys/fs/cgroup/memory.events");
    assertThat(row(v2, "limit hits")).isEqualTo("0   <- /sys/fs/cgroup/memory.events");
  }

  @Test
  void oneWordPerState() {
    String text = StartupReport.of(fixture("synthetic/v2-unlimited")).toText();
    assertThat(row(text, "limit")).isEqualTo("unlimited");
    assertThat(row(text, "soft limit")).isEqualTo("unlimited");
    assertThat(row(text, "isolated view")).isEqualTo("absent");
    assertThat(text).doesNotContain(" none", "unlimited/unknown").doesNotContainPattern("(?m)\\s-$");
    String unknown = StartupReport.of(fixture("unknown/v1-leaf-quota-garbage")).toText();
    assertThat(row(unknown, "limit")).startsWith("unknown");
  }

  @Test
  void cpuUnitsAreSingularForOne() {
    ContainerResources r = fixture("synthetic/lxcfs-no-cfs");
    String text = StartupReport.of(r).toText();
    assertThat(row(text, "effective")).startsWith("1 CPU ").doesNotStartWith("1 CPUs");
    assertThat(row(text, "limit")).startsWith("0.5 CPUs (quota 50000 us / period 100000 us)");
    assertThat(row(text, "cpuset")).startsWith("2 CPUs");
    assertThat(row(text, "CPU-bound pool")).isEqualTo("1 thread (ForkJoinPool parallelism 1; common pool parallelism 1)");
  }

  @Test
  void collectorsByTheirCommonNames() {
    assertThat(collector("Copy", "MarkSweepCompact")).isEqualTo("Serial");
    assertThat(collector("G1 Young Generation", "G1 Old Generation", "G1 Concurrent GC")).isEqualTo("G1");
    assertThat(collector("PS Scavenge", "PS MarkSweep")).isEqualTo("Parallel");
    assertThat(collector("ZGC Cycles", "ZGC Pauses")).isEqualTo("ZGC");
    assertThat(collector("ZGC Minor Cycles", "ZGC Major Cycles")).isEqualTo("ZGC");
    assertThat(collector("Shenandoah Cycles", "Shenandoah Pauses")).isEqualTo("Shenandoah");
    assertThat(collector("ParNew", "ConcurrentMarkSweep")).isEqualTo("CMS");
    assertThat(collector("Epsilon Heap")).isEqualTo("Epsilon");
    assertThat(collector("Mystery", "Copy")).isEqualTo("Mystery, Copy");
    assertThat(collector("Copy", "G1 Old Generation")).isEqualTo("Copy, G1 Old Generation");
    assertThat(collector()).isEmpty();
    JvmSettings serial = JvmSettings.builder().availableProcessors(1).maxMemoryBytes(64L << 20)
        .garbageCollectors(List.of("Copy", "MarkSweepCompact")).build();
    String text = StartupReport.of(fixture("synthetic/v2-unlimited"), serial).toText();
    assertThat(row(text, "GC")).isEqualTo("Serial");
  }

  private static String collector(String... names) {
    return JvmSettings.builder().availableProcessors(1).garbageCollectors(List.of(names)).build().collectorName();
  }

  @Test
  void noLimitSaysWhatTheHeapWasSizedFor() throws IOException {
    StartupReport r = StartupReport.of(fixture("synthetic/v2-unlimited"));
    assertThat(row(r.toText(), "heap")).endsWith("(no memory limit: sized for the host's memory, which other"
        + " processes share)");
    assertThat(r.findings()).extracting(Finding::code).contains(JvmCheck.NO_MEMORY_LIMIT);
    JsonNode doc = JSON.readTree(r.toJson());
    assertThat(doc.at("/recommended/jvmMemory/sizedFor").asText()).isEqualTo("host");
    StartupReport limited = StartupReport.of(fixture("synthetic/v1-memsw-soft"));
    assertThat(row(limited.toText(), "heap")).doesNotContain("no memory limit");
    assertThat(JSON.readTree(limited.toJson()).at("/recommended/jvmMemory/sizedFor").asText()).isEqualTo("limit");
    assertThat(limited.findings()).extracting(Finding::code).doesNotContain(JvmCheck.NO_MEMORY_LIMIT);
  }

  @Test
  void lxcfsWithoutCfsIsAnInfoFindingNamingTheSwitchNotADisagreement() {
    StartupReport r = StartupReport.of(fixture("synthetic/lxcfs-no-cfs"));
    assertThat(r.resources().warnings()).isEmpty();
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(JvmCheck.LXCFS_CPU_VIEW_WITHOUT_QUOTA);
      assertThat(f.severity()).isEqualTo(Finding.Severity.INFO);
      assertThat(f.message()).contains("shows 2 CPUs (the cpuset), not the 0.5-CPU quota").contains("(1)");
      assertThat(f.fix()).contains("--enable-cfs");
    });
    // A view that disagrees otherwise (TencentOS with quota awareness off) stays a warning.
    assertThat(StartupReport.of(fixture("synthetic/tencent-quota-aware-off")).findings())
        .extracting(Finding::code).doesNotContain(JvmCheck.LXCFS_CPU_VIEW_WITHOUT_QUOTA);
  }

  @Test
  void aLimitFromAnAncestorOutOfSightIsSaid() throws IOException {
    String f = "synthetic/v1-container-hierarchical-memory";
    StartupReport r = StartupReport.of(fixture(f));
    assertThat(r.findings()).filteredOn(x -> x.code().equals(JvmCheck.MEMORY_LIMIT_FROM_HIDDEN_ANCESTOR))
        .singleElement().satisfies(x -> {
          assertThat(x.severity()).isEqualTo(Finding.Severity.INFO);
          assertThat(x.message()).startsWith("memory.limit 640 MiB is hierarchical_memory_limit in"
              + " /sys/fs/cgroup/memory/memory.stat").contains("CPU quota");
        });
    // Its own limit file says unlimited: the kernel's page-rounded maximum.
    assertThat(fileNumber(f, "sys/fs/cgroup/memory/memory.limit_in_bytes")).isEqualTo(9223372036854771712L);
    assertThat(StartupReport.of(fixture("synthetic/v1-memsw-soft")).findings())
        .extracting(Finding::code).doesNotContain(JvmCheck.MEMORY_LIMIT_FROM_HIDDEN_ANCESTOR);
  }

  @Test
  void aMeasuredFootprintChecksTheHeapAndIsShown() throws IOException {
    // v1-memsw-soft: a 1 GiB limit. A previous run committed 250 MiB of non-heap memory: 20,000
    // classes, 100 MiB metaspace, 60 MiB code cache, 300 threads, 64 MiB direct buffers.
    ContainerResources r = fixture("synthetic/v1-memsw-soft");
    dev.rightsize.sizing.JvmFootprint measured = new dev.rightsize.sizing.JvmFootprint(20_000, 90L << 20,
        100L << 20, 50L << 20, 60L << 20, 250, 300, 64L << 20, 0, 512L << 20, 900L << 20,
        java.util.Optional.empty());
    JvmSettings big = JvmSettings.builder().availableProcessors(2).maxMemoryBytes(900L << 20)
        .garbageCollectors(List.of("Copy", "MarkSweepCompact")).build();
    StartupReport report = StartupReport.of(r, big).withFootprint(measured);
    assertThat(report.findings()).extracting(Finding::code).contains(JvmCheck.HEAP_ABOVE_MEASURED_FIT);
    List<Finding.Severity> severities = report.findings().stream().map(Finding::severity).toList();
    assertThat(severities).as("WARN first").isSortedAccordingTo((a, b) -> Boolean.compare(a != Finding.Severity.WARN,
        b != Finding.Severity.WARN)).contains(Finding.Severity.INFO);
    String text = report.toText();
    assertThat(row(text, "classes")).isEqualTo("20000");
    assertThat(row(text, "threads")).isEqualTo("300 at the peak");
    assertThat(row(text, "buffers")).isEqualTo("64.00 MiB (67108864 bytes) direct, 0 B mapped");
    JsonNode doc = JSON.readTree(report.toJson());
    assertThat(doc.at("/footprint/peakThreadCount").asInt()).isEqualTo(300);
    assertThat(doc.at("/footprint/directBufferBytes").asLong()).isEqualTo(64L << 20);
    JvmSettings small = JvmSettings.builder().availableProcessors(2).maxMemoryBytes(200L << 20).build();
    assertThat(StartupReport.of(r, small).withFootprint(measured).findings()).extracting(Finding::code)
        .contains(JvmCheck.HEAP_BELOW_MEASURED_FIT);
    assertThat(StartupReport.of(r, small).findings()).extracting(Finding::code)
        .doesNotContain(JvmCheck.HEAP_BELOW_MEASURED_FIT, JvmCheck.HEAP_ABOVE_MEASURED_FIT);
    assertThat(JSON.readTree(StartupReport.of(r).toJson()).get("footprint").isNull()).isTrue();
  }

  @Test
  void oneLineForLogPipelines() {
    String line = StartupReport.of(fixture("synthetic/lxcfs-no-cfs")).toLine();
    assertThat(line).doesNotContain("\n").startsWith("rightsize source=lxcfs ")
        .contains(" cpu.effective=1 ", " cpu.limit=0.5 ", " cpu.cpuset=2 ", " memory.limit=536870912 ",
            " findings=lxcfs-cpu-view-without-quota ", " warnings=none ", " unknown=none")
        .containsPattern(" jvm\\.flags=\"-XX:MaxDirectMemorySize=\\S+ -Xmx\\d+K [^\"]*\" jvm\\.sizedFor=limit ");
    String unknown = StartupReport.of(fixture("unknown/v1-leaf-quota-garbage")).toLine();
    assertThat(unknown).contains(" cpu.limit=unknown ").containsPattern(" unknown=\\S*cpu\\.limit");
  }

  @Test
  void recordsReadAsAPersonWritesThem() {
    ContainerResources r = fixture("synthetic/v1-memsw-soft");
    assertThat(r.memory().toString()).startsWith("Memory[limit 1 GiB, soft limit 768 MiB, swap limit 512 MiB, usage ")
        .doesNotContain("Optional");
    assertThat(fixture("synthetic/lxcfs-no-cfs").cpu().toString())
        .isEqualTo("Cpu[effective 1, limit 0.5 (50000/100000 us), cpuset 2, shares 1024, isolated view 2, affinity 2, host 2]");
    assertThat(r.toString()).startsWith("ContainerResources[source cgroup-v1, cgroup v1, Cpu[")
        .doesNotContain("Optional", "Provenance");
    assertThat(fixture("unknown/v1-leaf-quota-garbage").toString()).contains("unknown cpu.limit");
    ContainerResources p = fixture("synthetic/v1-pids-parent-limit");
    assertThat(p.pids()).hasToString("Pids[limit 100, current 37, process threads 23]");
    assertThat(p.rlimits()).hasToString("Rlimits[nofile 1048576 (hard 1048576), nproc unlimited (hard unlimited)]");
    assertThat(p.kernel()).hasToString("KernelLimits[somaxconn 4096, max_map_count 65530, threads-max 63431,"
        + " pid_max 4194304]");
    assertThat(p.toString()).contains(", Pids[limit 100, current 37, process threads 23], Rlimits[nofile 1048576");
  }

  @Test
  void oneLineHasTheTaskFileAndKernelLimits() {
    String line = StartupReport.of(fixture("synthetic/v1-pids-parent-limit")).toLine();
    // 4 CPUs: 100 - 37 tasks - (8 + 2 x 4) = 47
    assertThat(line).contains(" pids.limit=100 ", " rlimit.nofile=1048576 ", " kernel.somaxconn=4096 ",
        " threads.headroom=47 ", " findings=threads-above-headroom");
    assertThat(StartupReport.of(fixture("synthetic/v2-pids-no-controller")).toLine()).contains(" pids.limit=unlimited ")
        .doesNotContain("threads.headroom");
  }

  /** Resources where every optional value is in the state given: read but absent, or unknown. */
  private static ContainerResources states(boolean unknown) {
    java.util.Set<dev.rightsize.Value> u = unknown ? java.util.Set.of(dev.rightsize.Value.CPU_CPUSET,
        dev.rightsize.Value.CPU_SHARES, dev.rightsize.Value.CPU_ISOLATED_VIEW, dev.rightsize.Value.MEMORY_USAGE,
        dev.rightsize.Value.PIDS_CURRENT, dev.rightsize.Value.KERNEL_SOMAXCONN, dev.rightsize.Value.PIDS_LIMIT)
        : java.util.Set.of();
    dev.rightsize.Cpu cpu = new dev.rightsize.Cpu(2, dev.rightsize.Limit.unlimited(), java.util.OptionalLong.empty(),
        java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
        java.util.OptionalInt.empty(), 2);
    dev.rightsize.Memory mem = new dev.rightsize.Memory(dev.rightsize.Limit.of(16L << 20),
        dev.rightsize.Limit.unlimited(), dev.rightsize.Limit.unlimited(), java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
    dev.rightsize.Pids pids = new dev.rightsize.Pids(unknown ? dev.rightsize.Limit.unknownAtMost(300)
        : dev.rightsize.Limit.unlimited(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
    dev.rightsize.Rlimits rl = new dev.rightsize.Rlimits(dev.rightsize.Limit.unlimited(),
        dev.rightsize.Limit.unlimited(), dev.rightsize.Limit.unlimited(), dev.rightsize.Limit.unlimited());
    dev.rightsize.KernelLimits k = new dev.rightsize.KernelLimits(java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
    return new ContainerResources(dev.rightsize.Source.CGROUP_V2, java.util.OptionalInt.empty(), cpu, mem, pids, rl,
        k, List.of(), List.of(), u);
  }

  @Test
  void absentAndUnknownAreTwoWordsInTextAndLine() {
    String absent = StartupReport.of(states(false)).toText();
    String unknown = StartupReport.of(states(true)).toText();
    for (String[] r : new String[][] {{"cpuset", "absent", "unknown"}, {"shares", "absent", "unknown"},
        {"isolated view", "absent", "unknown"}, {"usage", "absent", "unknown"}, {"pids current", "absent", "unknown"},
        {"somaxconn", "absent", "unknown"}, {"pids limit", "unlimited", "unknown (at most 300)"}}) {
      assertThat(row(absent, r[0])).as(r[0]).isEqualTo(r[1]);
      assertThat(row(unknown, r[0])).as(r[0]).isEqualTo(r[2]);
    }
    // No cgroup version, no pools to cap: the header says only the source.
    assertThat(absent).startsWith("rightsize: source cgroup-v2\nCPU\n");
    String line = StartupReport.of(states(true)).toLine();
    assertThat(line).startsWith("rightsize source=cgroup-v2 cpu.effective=2 cpu.limit=unlimited cpu.cpuset=unknown"
        + " cpu.isolatedView=unknown memory.limit=16777216 memory.swapLimit=unlimited memory.usage=unknown"
        + " pids.limit=unknown rlimit.nofile=unlimited threads.cpuBound=2 ");
    assertThat(StartupReport.of(states(false)).toLine()).startsWith("rightsize source=cgroup-v2 cpu.effective=2"
        + " cpu.limit=unlimited memory.limit=16777216 memory.swapLimit=unlimited pids.limit=unlimited"
        + " rlimit.nofile=unlimited threads.cpuBound=2 ");
  }

  @Test
  void aLimitTooSmallForAJvmGivesNoFlagsAndSaysWhy() throws IOException {
    // 16 MiB: less than the JVM's fixed parts
    StartupReport r = StartupReport.of(states(false));
    assertThat(r.jvmMemory()).isEmpty();
    assertThat(r.memoryError()).hasValueSatisfying(e -> assertThat(e).startsWith("a total of 16M is below"));
    String why = r.memoryError().get();
    String firstLine = why.contains("\n") ? why.substring(0, why.indexOf('\n')) : why;
    assertThat(row(r.toText(), "JVM flags")).isEqualTo("none: " + firstLine);
    assertThat(r.toText()).doesNotContain("\n  heap ");
    assertThat(r.toLine()).contains(" jvm.flags=none ").doesNotContain("jvm.sizedFor");
    JsonNode doc = JSON.readTree(r.toJson());
    assertThat(doc.at("/recommended/jvmMemory/error").asText()).isEqualTo(why);
    assertThat(doc.at("/recommended/jvmMemory/heapBytes").isMissingNode()).isTrue();
    StartupReport sized = StartupReport.of(fixture("synthetic/v1-memsw-soft"));
    assertThat(sized.memoryError()).isEmpty();
    assertThat(sized.jvmMemory()).isPresent();
  }

  @Test
  void aJvmWithoutNamedCollectorsSaysUnknown() throws IOException {
    JvmSettings none = JvmSettings.builder().availableProcessors(4).build();
    StartupReport r = StartupReport.of(fixture("synthetic/v1-memsw-soft"), none);
    assertThat(row(r.toText(), "GC")).isEqualTo("unknown");
    assertThat(row(r.toText(), "processors")).isEqualTo("4");
    assertThat(row(r.toText(), "max heap")).isEqualTo("unknown");
    assertThat(r.toLine()).contains(" jvm.processors=4 jvm.gc=unknown findings=").doesNotContain("jvm.maxHeap");
    JsonNode jvm = JSON.readTree(r.toJson()).get("jvm");
    assertThat(jvm.get("collector").isNull()).isTrue();
    assertThat(jvm.get("maxHeapBytes").isNull()).isTrue();
    assertThat(jvm.get("garbageCollectors").size()).isZero();
  }

  @Test
  void bytesChangeUnitAt1024AndStopAtPebibytes() {
    assertThat(StartupReport.bytes(java.util.OptionalLong.empty())).isEqualTo("-");
    assertThat(StartupReport.bytes(java.util.OptionalLong.of(0))).isEqualTo("0 B");
    assertThat(StartupReport.bytes(java.util.OptionalLong.of(1023))).isEqualTo("1023 B");
    assertThat(StartupReport.bytes(java.util.OptionalLong.of(1024))).isEqualTo("1.00 KiB (1024 bytes)");
    assertThat(StartupReport.bytes(java.util.OptionalLong.of(1536))).isEqualTo("1.50 KiB (1536 bytes)");
    assertThat(StartupReport.bytes(java.util.OptionalLong.of(1L << 50))).isEqualTo("1.00 PiB (1125899906842624 bytes)");
    // 2^60 is 1024 PiB: no larger unit
    assertThat(StartupReport.bytes(java.util.OptionalLong.of(1L << 60)))
        .isEqualTo("1024.00 PiB (1152921504606846976 bytes)");
  }

  @Test
  void logWritesTheBlockAtInfoAndEachProblemAgainAtWarn() {
    // unknown/v1-leaf-quota-garbage: two warnings; v1-pids-parent-limit: one WARN finding and one INFO finding
    StartupReport warned = StartupReport.of(fixture("unknown/v1-leaf-quota-garbage"));
    StartupReport found = StartupReport.of(fixture("synthetic/v1-pids-parent-limit"));
    String text = captureStderr(warned::log);
    assertThat(text).contains("INFO dev.rightsize - " + warned.toText());
    assertThat(text.lines().filter(l -> l.contains("WARN dev.rightsize - rightsize warning ")))
        .containsExactly("[main] WARN dev.rightsize - rightsize warning " + warned.resources().warnings().get(0),
            "[main] WARN dev.rightsize - rightsize warning " + warned.resources().warnings().get(1));
    String line = captureStderr(found::logLine);
    Finding warn = found.findings().get(0);
    assertThat(warn.severity()).isEqualTo(Finding.Severity.WARN);
    assertThat(line.lines().toList()).containsExactly("[main] INFO dev.rightsize - " + found.toLine(),
        "[main] WARN dev.rightsize - rightsize finding " + warn.code() + ": " + warn.message() + " Fix: " + warn.fix());
    assertThat(found.log()).isSameAs(found);
    assertThat(found.logLine()).isSameAs(found);
  }

  /** slf4j-simple (the test backend) writes to System.err, looked up at each event. */
  private static String captureStderr(Runnable r) {
    java.io.PrintStream old = System.err;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Thread t = new Thread(r, "main");
      t.start();
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      System.setErr(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBlockingPoolCappedByTheHeadroomSaysSo() {
    // 4 CPUs: 4 x (1 + 9) = 40 mostly-waiting threads; pids.max 50 with 20 tasks: 50 - 20 - (8 + 2 x 4) = 14
    dev.rightsize.Pids pids = new dev.rightsize.Pids(dev.rightsize.Limit.of(50), java.util.OptionalLong.of(20),
        java.util.OptionalLong.of(20));
    ContainerResources r = dev.rightsize.sizing.TestResources.withLimits(
        dev.rightsize.sizing.TestResources.memory(1L << 30), pids, dev.rightsize.sizing.TestResources.NO_RLIMITS,
        dev.rightsize.sizing.TestResources.KERNEL);
    assertThat(row(StartupReport.of(r).toText(), "blocking pool")).isEqualTo("8 threads when tasks wait as long as"
        + " they compute, 14 threads when they wait 9 times as long (capped at 14 threads (40 from the CPUs))");
  }
}
