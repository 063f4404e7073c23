package dev.rightsize.report;

import static dev.rightsize.sizing.TestResources.GIB;
import static dev.rightsize.sizing.TestResources.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rightsize.report.Finding.Severity;
import dev.rightsize.sizing.JvmFootprint;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import dev.rightsize.sizing.TestResources;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JvmCheckTest {

  /** A JVM that agrees with a 2-CPU, 1 GiB container: -Xmx768m, 2 processors. */
  private static JvmSettings.Builder healthy() {
    return JvmSettings.builder().availableProcessors(2).maxHeapSizeBytes(768 * MIB).maxHeapSizeExplicit(true)
        .maxMemoryBytes(768 * MIB).maxRamPercentage(25).useContainerSupport(true).flagsReadable(true);
  }

  private static List<String> codes(List<Finding> findings) {
    return findings.stream().map(Finding::code).toList();
  }

  @Test
  void agreementGivesNoFindings() {
    // 1 GiB - 768 MiB = 256 MiB of room, exactly the required min(1 GiB / 4, 256 MiB)
    assertThat(JvmCheck.check(healthy().build(), 2, OptionalLong.of(GIB))).isEmpty();
  }

  @Test
  void heapAboveTheLimit() {
    List<Finding> f = JvmCheck.check(healthy().maxHeapSizeBytes(2 * GIB).build(), 2, OptionalLong.of(GIB));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("heap-exceeds-limit");
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).isEqualTo(
          "max heap 2 GiB is at or above the 1 GiB memory limit: the kernel OOM-kills the JVM before the heap fills.");
      // JvmMemory, 1 GiB, 2 CPUs (Serial), JDK 17, defaults: 250 threads, 15,000 classes, 10 MiB direct:
      // metaspace 4 MiB + 15,000 x 4608 B -> 70 MiB; code cache 32 MiB; stacks 250 x 256 KiB = 65,536,000 B;
      // native 10 MiB + 20 MiB (the JVM's mapped files) + 250 x 128 KiB + 4 MiB = 68,419,584 B;
      // fixed = 117,440,512 + 65,536,000 + 68,419,584 = 251,396,096; room 822,345,728;
      // heap = floor(room / 1010) x 1000 = 814,203,000 B = 795120K
      assertThat(x.fix()).contains("-Xmx795120K", "--jvm-flags");
    });
  }

  @Test
  void heapEqualToTheLimitAlsoExceeds() {
    assertThat(codes(JvmCheck.check(healthy().maxHeapSizeBytes(GIB).build(), 2, OptionalLong.of(GIB))))
        .containsExactly("heap-exceeds-limit");
  }

  @Test
  void heapWithTooLittleRoom() {
    List<Finding> f = JvmCheck.check(healthy().maxHeapSizeBytes(900 * MIB).build(), 2, OptionalLong.of(GIB));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("heap-leaves-little-room");
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).isEqualTo("max heap 900 MiB leaves 124 MiB of the 1 GiB limit for metaspace, code cache,"
          + " thread stacks and GC (want at least 256 MiB).");
    });
    // 256 MiB limit: the room wanted is a quarter, 64 MiB
    assertThat(codes(JvmCheck.check(healthy().maxHeapSizeBytes(200 * MIB).build(), 2, OptionalLong.of(256 * MIB))))
        .containsExactly("heap-leaves-little-room");
    assertThat(JvmCheck.check(healthy().maxHeapSizeBytes(192 * MIB).build(), 2, OptionalLong.of(256 * MIB))).isEmpty();
  }

  @Test
  void runtimeMaxMemoryStandsInWhenFlagsAreUnreadable() {
    JvmSettings jvm = JvmSettings.builder().availableProcessors(2).maxMemoryBytes(3 * GIB).build();
    assertThat(codes(JvmCheck.check(jvm, 2, OptionalLong.of(2 * GIB)))).containsExactly("heap-exceeds-limit");
  }

  @Test
  void defaultMaxRamPercentageInABigContainer() {
    // the JVM left alone in a 4 GiB container: heap = 25% = 1 GiB
    JvmSettings jvm = healthy().maxHeapSizeBytes(GIB).maxHeapSizeExplicit(false).build();
    List<Finding> f = JvmCheck.check(jvm, 2, OptionalLong.of(4 * GIB));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("max-ram-percentage-default");
      assertThat(x.severity()).isEqualTo(Severity.INFO);
      assertThat(x.message()).isEqualTo("max heap 1 GiB is the JVM's default 25% of the 4 GiB limit; 3 GiB is left"
          + " to non-heap memory, which rarely needs as much.");
      // JvmMemory, 4 GiB, 2 CPUs (G1), JDK 17, defaults: metaspace 70 MiB, code cache 128 MiB, direct
      // 10 MiB, stacks 65,536,000 B, native 10 MiB + 20 MiB (files) + 5 MiB (G1) + 250 x 128 KiB + 16 MiB
      // = 86,245,376 B: fixed 369,885,184; room 3,925,082,112; heap = floor(room / 1030) x 1000
      // = 3,810,759,000 = 88.73%
      assertThat(x.fix()).startsWith("set -XX:MaxRAMPercentage=88.7,");
    });
  }

  @Test
  void maxRamPercentageNotFlaggedWhenChosenOrSmallOrNotTheDefault() {
    JvmSettings.Builder ergonomic = healthy().maxHeapSizeBytes(GIB).maxHeapSizeExplicit(false);
    assertThat(JvmCheck.check(ergonomic.maxRamPercentageExplicit(true).build(), 2, OptionalLong.of(4 * GIB))).isEmpty();
    // -Xmx given (equal to 25% by chance)
    assertThat(JvmCheck.check(healthy().maxHeapSizeBytes(GIB).build(), 2, OptionalLong.of(4 * GIB))).isEmpty();
    // 512 MiB container: 25% is 128 MiB, below the 1 GiB threshold
    JvmSettings small = healthy().maxHeapSizeBytes(128 * MIB).maxHeapSizeExplicit(false).build();
    assertThat(JvmCheck.check(small, 2, OptionalLong.of(512 * MIB))).isEmpty();
    // -XX:MaxRAMFraction=2 leaves MaxRAMPercentage at its default but the heap is half
    JvmSettings fraction = healthy().maxHeapSizeBytes(2 * GIB).maxHeapSizeExplicit(false).build();
    assertThat(JvmCheck.check(fraction, 2, OptionalLong.of(4 * GIB))).isEmpty();
  }

  @Test
  void activeProcessorCountAboveTheContainer() {
    // Paketo's helper sets -XX:ActiveProcessorCount to the host's CPUs, ignoring the quota
    JvmSettings jvm = healthy().availableProcessors(8).activeProcessorCount(8).build();
    List<Finding> f = JvmCheck.check(jvm, 2, OptionalLong.of(GIB));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("active-processor-count-mismatch");
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).isEqualTo("-XX:ActiveProcessorCount=8 but the container allows 2 CPUs: GC, JIT and pools"
          + " run more threads than the quota feeds.");
      assertThat(x.fix()).startsWith("set -XX:ActiveProcessorCount=2,");
    });
  }

  @Test
  void activeProcessorCountBelowTheContainerIsInfo() {
    JvmSettings jvm = healthy().availableProcessors(1).activeProcessorCount(1).build();
    assertThat(JvmCheck.check(jvm, 4, OptionalLong.of(GIB))).singleElement()
        .satisfies(x -> {
          assertThat(x.code()).isEqualTo("active-processor-count-mismatch");
          assertThat(x.severity()).isEqualTo(Severity.INFO);
          assertThat(x.message()).contains("allows 4 CPUs");
        });
  }

  @Test
  void availableProcessorsAboveTheContainer() {
    JvmSettings jvm = healthy().availableProcessors(16).build();
    assertThat(JvmCheck.check(jvm, 1, OptionalLong.of(GIB))).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("available-processors-mismatch");
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).isEqualTo("Runtime.availableProcessors() is 16 but the container allows 1 CPU: pools and"
          + " GC sized from it oversubscribe the CPUs.");
      assertThat(x.fix()).contains("-XX:ActiveProcessorCount=1");
    });
    assertThat(JvmCheck.check(healthy().availableProcessors(1).build(), 2, OptionalLong.of(GIB)))
        .extracting(Finding::severity).containsExactly(Severity.INFO);
  }

  @Test
  void containerSupportDisabled() {
    JvmSettings jvm = healthy().useContainerSupport(false).build();
    assertThat(codes(JvmCheck.check(jvm, 2, OptionalLong.of(GIB)))).containsExactly("container-support-disabled");
  }

  @Test
  void noLimitSkipsTheHeapChecks() {
    JvmSettings jvm = healthy().maxHeapSizeBytes(512 * GIB).build();
    assertThat(JvmCheck.check(jvm, 2, OptionalLong.empty())).isEmpty();
  }

  @Test
  void warningsComeBeforeInfo() {
    JvmSettings jvm = healthy().availableProcessors(1).maxHeapSizeBytes(GIB).maxHeapSizeExplicit(false).build();
    // available 1 vs 2 effective -> INFO first found; heap 1 GiB of 4 GiB default -> INFO; add a WARN:
    JvmSettings worse = healthy().availableProcessors(1).useContainerSupport(false).maxHeapSizeBytes(GIB)
        .maxHeapSizeExplicit(false).build();
    assertThat(codes(JvmCheck.check(jvm, 2, OptionalLong.of(4 * GIB))))
        .containsExactly("available-processors-mismatch", "max-ram-percentage-default");
    assertThat(codes(JvmCheck.check(worse, 2, OptionalLong.of(4 * GIB))))
        .containsExactly("container-support-disabled", "available-processors-mismatch", "max-ram-percentage-default");
  }

  @Test
  void fromContainerResources() {
    JvmSettings jvm = healthy().availableProcessors(8).build();
    assertThat(codes(JvmCheck.check(jvm, TestResources.memory(GIB)))) // effective 4
        .containsExactly("available-processors-mismatch");
    assertThatThrownBy(() -> JvmCheck.check(jvm, 0, OptionalLong.empty())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findingValidatesAndPrints() {
    Finding f = new Finding("x-y", Severity.WARN, "m.", "f.");
    assertThat(f).hasToString("WARN x-y: m. Fix: f.");
    assertThatThrownBy(() -> new Finding(" ", Severity.INFO, "m", "f")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Finding("c", null, "m", "f")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void anUnknownLimitGivesNoMemoryFindings() {
    // A 2 GiB heap against a limit read as "at most 1 GiB": the fix would be sized from a guess.
    var unknown = TestResources.withMemoryLimit(dev.rightsize.Limit.unknownAtMost(GIB), 64 * GIB);
    var known = TestResources.withMemoryLimit(dev.rightsize.Limit.of(GIB), 64 * GIB);
    JvmSettings jvm = JvmSettings.builder().availableProcessors(2).maxHeapSizeBytes(2 * GIB).build();
    assertThat(JvmCheck.check(jvm, known)).extracting(Finding::code).contains("heap-exceeds-limit");
    assertThat(JvmCheck.check(jvm, unknown)).extracting(Finding::code).doesNotContain("heap-exceeds-limit",
        "heap-leaves-little-room", "max-ram-percentage-default");
  }

  /** A measured busy service: 200 threads, 11,000 classes, 48 MiB of direct buffers, 8 MiB of code, Serial. */
  private static final JvmFootprint BUSY = new JvmFootprint(10_000, 40 * MIB, 45 * MIB, 7 * MIB, 8 * MIB, 190, 200,
      48 * MIB, 0, 300 * MIB, 320 * MIB, java.util.Optional.of(JvmMemory.Collector.SERIAL));

  // From BUSY in 512 MiB (JDK 17 assumed): threads 200, classes 11,000, direct 48 MiB x 1.25 = 60 MiB,
  // code max(16 MiB, 12 MiB) = 16 MiB, Serial named. Metaspace 4 MiB + 11,000 x 4608 B -> 53 MiB; stacks
  // 50 MiB; native 10 MiB + 20 MiB (files) + 200 x 128 KiB + 2 MiB = 57 MiB; fixed = 179 + 57 MiB
  // = 247,463,936 B; room = 536,870,912 - 247,463,936 = 289,406,976; heap = floor(room / 1010) x 1000
  // = 286,541,000 (273.3 MiB) = -Xmx279825K.
  @Test
  void measuredFootprintSaysTheHeapMustBeSmaller() {
    JvmSettings jvm = healthy().maxHeapSizeBytes(400 * MIB).build();
    List<Finding> f = JvmCheck.checkFootprint(jvm, BUSY, 2, OptionalLong.of(512 * MIB));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("heap-above-measured-fit");
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).startsWith("max heap 400 MiB is above the 273.3 MiB the 512 MiB limit holds beside"
          + " this JVM's non-heap measured: 200 threads, 10000 classes, 45 MiB metaspace, 8 MiB code cache,"
          + " 48 MiB buffers");
      assertThat(x.fix()).contains("-Xmx279825K", "-XX:+UseSerialGC", "--profile");
    });
  }

  @Test
  void measuredFootprintSaysTheHeapCouldBeLarger() {
    // 200 MiB is below 85% of 273.27 MiB (232.3 MiB); 233 MiB is not; 273 MiB neither
    JvmSettings small = healthy().maxHeapSizeBytes(200 * MIB).build();
    assertThat(JvmCheck.checkFootprint(small, BUSY, 2, OptionalLong.of(512 * MIB))).singleElement()
        .satisfies(x -> {
          assertThat(x.code()).isEqualTo("heap-below-measured-fit");
          assertThat(x.severity()).isEqualTo(Severity.INFO);
        });
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(232 * MIB).build(), BUSY, 2,
        OptionalLong.of(512 * MIB))).singleElement().extracting(Finding::code).isEqualTo("heap-below-measured-fit");
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(233 * MIB).build(), BUSY, 2,
        OptionalLong.of(512 * MIB))).isEmpty();
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(273 * MIB).build(), BUSY, 2,
        OptionalLong.of(512 * MIB))).isEmpty();
    // no limit: nothing to compare with
    assertThat(JvmCheck.checkFootprint(small, BUSY, 2, OptionalLong.empty())).isEmpty();
  }

  // ---------------------------------------------------------------- task, file and kernel limits

  private static dev.rightsize.ContainerResources limits(dev.rightsize.Pids pids, dev.rightsize.Rlimits rl,
      dev.rightsize.KernelLimits k) {
    return TestResources.withLimits(TestResources.memory(GIB), pids, rl, k);
  }

  private static final dev.rightsize.Pids PIDS_100 = new dev.rightsize.Pids(dev.rightsize.Limit.of(100),
      java.util.OptionalLong.of(37), java.util.OptionalLong.of(20));

  @Test
  void defaultsOfAServerInAnOrdinaryContainerGiveNoLimitFindings() {
    assertThat(JvmCheck.checkLimits(TestResources.memory(GIB))).isEmpty();
  }

  @Test
  void threadsAboveTheHeadroom() {
    // 4 CPUs: reserve 16; 100 - 37 - 16 = 47 < 200 (Tomcat's and Jetty's maxThreads)
    List<Finding> f = JvmCheck.checkLimits(limits(PIDS_100, TestResources.NO_RLIMITS, TestResources.KERNEL));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo(JvmCheck.THREADS_ABOVE_HEADROOM);
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).startsWith("200 threads (a Java server's default worker pool")
          .contains("thread headroom of 47").contains("pids.max 100").contains("unable to create native thread");
      assertThat(x.fix()).contains("within 47 threads").contains("podPidsLimit").contains("--pids-limit");
    });
    assertThat(JvmCheck.checkLimits(limits(PIDS_100, TestResources.NO_RLIMITS, TestResources.KERNEL), 47)).isEmpty();
    assertThat(codes(JvmCheck.checkLimits(limits(PIDS_100, TestResources.NO_RLIMITS, TestResources.KERNEL), 48)))
        .containsExactly(JvmCheck.THREADS_ABOVE_HEADROOM);
  }

  @Test
  void threadsAboveAnNprocHeadroomPointAtUlimit() {
    dev.rightsize.Rlimits rl = new dev.rightsize.Rlimits(dev.rightsize.Limit.of(1 << 20), dev.rightsize.Limit.of(1 << 20),
        dev.rightsize.Limit.of(150), dev.rightsize.Limit.of(300));
    List<Finding> f = JvmCheck.checkLimits(limits(TestResources.NO_PIDS_LIMIT, rl, TestResources.KERNEL));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.message()).contains("ulimit -u (RLIMIT_NPROC) 150");
      assertThat(x.fix()).contains("ulimit -u").contains("hard limit 300").contains("--ulimit nproc=");
    });
  }

  @Test
  void openFilesBelowWhatAServerNeeds() {
    dev.rightsize.Rlimits rl = new dev.rightsize.Rlimits(dev.rightsize.Limit.of(1024), dev.rightsize.Limit.of(4096),
        dev.rightsize.Limit.unlimited(), dev.rightsize.Limit.unlimited());
    List<Finding> f = JvmCheck.checkLimits(limits(TestResources.NO_PIDS_LIMIT, rl, TestResources.KERNEL));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo(JvmCheck.OPEN_FILES_LOW);
      assertThat(x.severity()).isEqualTo(Severity.WARN);
      assertThat(x.message()).contains("open-file limit is 1024").contains("hard limit 4096").contains("8192")
          .contains("Too many open files");
      assertThat(x.fix()).contains("9216").contains("ulimit -n").contains("--ulimit nofile=")
          .contains("Kubernetes has no per-pod field");
    });
    // at the threshold, unlimited or unknown: nothing
    for (dev.rightsize.Limit l : List.of(dev.rightsize.Limit.of(9216), dev.rightsize.Limit.unlimited(),
        dev.rightsize.Limit.unknown())) {
      dev.rightsize.Rlimits ok = new dev.rightsize.Rlimits(l, l, dev.rightsize.Limit.unlimited(),
          dev.rightsize.Limit.unlimited());
      assertThat(JvmCheck.checkLimits(limits(TestResources.NO_PIDS_LIMIT, ok, TestResources.KERNEL))).isEmpty();
    }
  }

  @Test
  void somaxconnBelowTomcatsBacklogWarnsBelowUndertowsInforms() {
    for (long[] c : new long[][] {{64, 1}, {128, 0}, {1023, 0}, {1024, -1}, {4096, -1}}) {
      dev.rightsize.KernelLimits k = new dev.rightsize.KernelLimits(java.util.OptionalLong.of(c[0]),
          java.util.OptionalLong.of(65530), java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
      List<Finding> f = JvmCheck.checkLimits(limits(TestResources.NO_PIDS_LIMIT, TestResources.NO_RLIMITS, k));
      if (c[1] < 0) {
        assertThat(f).as("somaxconn %d", c[0]).isEmpty();
        continue;
      }
      assertThat(f).as("somaxconn %d", c[0]).singleElement().satisfies(x -> {
        assertThat(x.code()).isEqualTo(JvmCheck.SOMAXCONN_LOW);
        assertThat(x.severity()).isEqualTo(c[1] == 1 ? Severity.WARN : Severity.INFO);
        assertThat(x.message()).contains("somaxconn is " + c[0]).contains("Netty");
        assertThat(x.fix()).contains("net.core.somaxconn=4096").contains("--allowed-unsafe-sysctls");
      });
    }
  }

  @Test
  void maxMapCountTooLowForThePlannedThreads() {
    dev.rightsize.KernelLimits k = new dev.rightsize.KernelLimits(java.util.OptionalLong.of(4096),
        java.util.OptionalLong.of(1424), java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
    dev.rightsize.ContainerResources r = limits(TestResources.NO_PIDS_LIMIT, TestResources.NO_RLIMITS, k);
    // 1024 + 2 x 200 = 1424: exactly enough for a server's 200 threads
    assertThat(JvmCheck.checkLimits(r)).isEmpty();
    assertThat(JvmCheck.checkLimits(r, 201)).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo(JvmCheck.MAX_MAP_COUNT_LOW);
      assertThat(x.message()).contains("max_map_count is 1424").contains("about 200 threads fit")
          .contains("201 threads (planned)");
      assertThat(x.fix()).contains("vm.max_map_count");
    });
    // the kernel's default 65530 holds 32253 threads
    assertThat(JvmCheck.checkLimits(TestResources.memory(GIB), 32_253)).isEmpty();
    assertThat(codes(JvmCheck.checkLimits(TestResources.memory(GIB), 32_254)))
        .containsExactly(JvmCheck.MAX_MAP_COUNT_LOW);
  }

  @Test
  void limitFindingsAreInTheStartupReportWithoutAJvm() {
    dev.rightsize.ContainerResources r = limits(PIDS_100, TestResources.NO_RLIMITS, TestResources.KERNEL);
    assertThat(codes(StartupReport.of(r).findings())).containsExactly(JvmCheck.THREADS_ABOVE_HEADROOM);
  }

  // ---------------------------------------------------------------- boundaries PIT found unpinned

  @Test
  void aLimitBelowTheHostIsTheOneCheckedAndOneAboveItIsNot() {
    // 1 GiB limit on a 64 GiB host: a 900 MiB heap leaves 124 MiB, too little.
    JvmSettings jvm = healthy().maxHeapSizeBytes(900 * MIB).build();
    assertThat(codes(JvmCheck.check(jvm, TestResources.withMemoryLimit(dev.rightsize.Limit.of(GIB), 64 * GIB))))
        .containsExactly("heap-leaves-little-room");
    // A 1 GiB "limit" on a 512 MiB host does not bind: the heap is checked against the host.
    assertThat(codes(JvmCheck.check(jvm, TestResources.withMemoryLimit(dev.rightsize.Limit.of(GIB), 512 * MIB))))
        .containsExactly("heap-exceeds-limit");
    // A limit equal to the host is the same number either way.
    assertThat(codes(JvmCheck.check(jvm, TestResources.withMemoryLimit(dev.rightsize.Limit.of(GIB), GIB))))
        .containsExactly("heap-leaves-little-room");
  }

  @Test
  void theDefaultPercentageIsFlaggedFromOneGibibyteAndUpTo26Percent() {
    JvmSettings quarter = healthy().maxHeapSizeBytes(256 * MIB).maxHeapSizeExplicit(false).build();
    // 1 GiB exactly: 256 MiB is 25%, 768 MiB left
    assertThat(codes(JvmCheck.check(quarter, 2, OptionalLong.of(GIB)))).containsExactly("max-ram-percentage-default");
    // one byte less than 1 GiB: too small a container to say so
    assertThat(JvmCheck.check(quarter, 2, OptionalLong.of(GIB - 1))).isEmpty();
    // 26% of 4 GiB is 4 GiB / 100 x 26 = 42,949,672 x 26 = 1,116,691,472 bytes (integer division first): flagged; a byte more is not
    long atBound = 4 * GIB / 100 * 26;
    assertThat(atBound).isEqualTo(1_116_691_472L);
    assertThat(codes(JvmCheck.check(healthy().maxHeapSizeBytes(atBound).maxHeapSizeExplicit(false).build(), 2,
        OptionalLong.of(4 * GIB)))).containsExactly("max-ram-percentage-default");
    assertThat(JvmCheck.check(healthy().maxHeapSizeBytes(atBound + 1).maxHeapSizeExplicit(false).build(), 2,
        OptionalLong.of(4 * GIB))).isEmpty();
    // a percentage other than the default 25 is somebody's choice
    assertThat(JvmCheck.check(healthy().maxHeapSizeBytes(256 * MIB).maxHeapSizeExplicit(false).maxRamPercentage(25.5)
        .build(), 2, OptionalLong.of(GIB))).isEmpty();
  }

  @Test
  void aWarningFoundAfterAnInfoStillComesFirst() {
    // ActiveProcessorCount 1 of 2 CPUs (INFO) is found before the heap above the limit (WARN).
    JvmSettings jvm = healthy().activeProcessorCount(1).maxHeapSizeBytes(2 * GIB).build();
    assertThat(JvmCheck.check(jvm, 2, OptionalLong.of(GIB))).extracting(Finding::code, Finding::severity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("heap-exceeds-limit", Severity.WARN),
            org.assertj.core.groups.Tuple.tuple("active-processor-count-mismatch", Severity.INFO));
    // The same in the limits: somaxconn 512 (INFO) is found before max_map_count 1100 (WARN).
    dev.rightsize.KernelLimits k = new dev.rightsize.KernelLimits(OptionalLong.of(512), OptionalLong.of(1100),
        OptionalLong.empty(), OptionalLong.empty());
    assertThat(JvmCheck.checkLimits(limits(TestResources.NO_PIDS_LIMIT, TestResources.NO_RLIMITS, k)))
        .extracting(Finding::code).containsExactly(JvmCheck.MAX_MAP_COUNT_LOW, JvmCheck.SOMAXCONN_LOW);
  }

  @Test
  void aHeapAboveATinyLimitGetsAFixWithoutFlags() {
    // 16 MiB cannot hold a JVM's fixed parts: no flags to offer, the fix says what to change.
    List<Finding> f = JvmCheck.check(healthy().maxHeapSizeBytes(64 * MIB).build(), 2, OptionalLong.of(16 * MIB));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo("heap-exceeds-limit");
      assertThat(x.fix()).isEqualTo("lower -Xmx or -XX:MaxRAMPercentage, or raise the memory limit.");
    });
  }

  @Test
  void somaxconnAtTomcatsBacklogIsOnlyInfo() {
    for (long s : new long[] {99, 100}) {
      dev.rightsize.KernelLimits k = new dev.rightsize.KernelLimits(OptionalLong.of(s), OptionalLong.of(65530),
          OptionalLong.empty(), OptionalLong.empty());
      Finding f = JvmCheck.checkLimits(limits(TestResources.NO_PIDS_LIMIT, TestResources.NO_RLIMITS, k)).get(0);
      if (s < 100) {
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.message()).contains(", below the 100 Tomcat asks for by default (acceptCount);");
      } else {
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.message()).startsWith("net.core.somaxconn is 100 in this network namespace: the kernel cuts"
            + " every listen backlog to it; Undertow's").doesNotContain("Tomcat");
      }
    }
  }

  @Test
  void zeroPlannedThreadsIsAPlanNegativeIsNot() {
    assertThat(JvmCheck.checkLimits(limits(PIDS_100, TestResources.NO_RLIMITS, TestResources.KERNEL), 0)).isEmpty();
    assertThatThrownBy(() -> JvmCheck.checkLimits(TestResources.memory(GIB), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void measuredBuffersAreDirectAndMappedTogether() {
    // 48 MiB direct + 16 MiB mapped = 64 MiB of buffers
    JvmFootprint mapped = new JvmFootprint(10_000, 40 * MIB, 45 * MIB, 7 * MIB, 8 * MIB, 190, 200, 48 * MIB,
        16 * MIB, 300 * MIB, 320 * MIB, java.util.Optional.of(JvmMemory.Collector.SERIAL));
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(400 * MIB).build(), mapped, 2,
        OptionalLong.of(512 * MIB))).singleElement().extracting(Finding::message).asString()
        .contains(", 64 MiB buffers:");
  }

  @Test
  void aHeapEqualToTheMeasuredFitIsRight() {
    // The fit is what JvmMemory computes from the footprint (tested in the sizing package); the boundary
    // is the check's: equal is neither above nor far below.
    long fit = JvmMemory.builder().totalBytes(512 * MIB).cpuCount(2).footprint(BUSY).calculate().heapBytes();
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(fit).build(), BUSY, 2, OptionalLong.of(512 * MIB)))
        .isEmpty();
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(fit + 1).build(), BUSY, 2,
        OptionalLong.of(512 * MIB))).extracting(Finding::code).containsExactly(JvmCheck.HEAP_ABOVE_MEASURED_FIT);
  }

  @Test
  void aHeapAtExactly85PercentOfTheFitIsNotBelowIt() {
    // Find a limit whose fit is a multiple of 20 bytes, so 85% of it is a whole number of bytes.
    long limit = 512 * MIB;
    long fit = 0;
    for (; limit < 600 * MIB; limit += 4096) {
      fit = JvmMemory.builder().totalBytes(limit).cpuCount(2).footprint(BUSY).calculate().heapBytes();
      if (fit % 20 == 0) {
        break;
      }
    }
    assertThat(fit % 20).as("a limit between 512 and 600 MiB with a fit divisible by 20").isZero();
    long at = fit / 100 * 85 + fit % 100 * 85 / 100;
    assertThat(at * 100).isEqualTo(fit * 85);
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(at).build(), BUSY, 2, OptionalLong.of(limit)))
        .isEmpty();
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(at - 1).build(), BUSY, 2, OptionalLong.of(limit)))
        .extracting(Finding::code).containsExactly(JvmCheck.HEAP_BELOW_MEASURED_FIT);
  }

  private static dev.rightsize.ContainerResources lxcfs(int view, double quotaCpus, int cpuset, int host,
      dev.rightsize.Limit memoryLimit, long isolatedTotal) {
    dev.rightsize.Cpu cpu = new dev.rightsize.Cpu(Math.min(view, (int) Math.ceil(quotaCpus)),
        dev.rightsize.Limit.of(Math.round(quotaCpus * 100_000)), OptionalLong.of(100_000),
        java.util.OptionalInt.of(cpuset), java.util.OptionalInt.empty(), java.util.OptionalInt.of(view),
        java.util.OptionalInt.of(cpuset), host);
    dev.rightsize.Memory memory = new dev.rightsize.Memory(memoryLimit, dev.rightsize.Limit.unlimited(),
        dev.rightsize.Limit.unlimited(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(isolatedTotal));
    return new dev.rightsize.ContainerResources(dev.rightsize.Source.LXCFS, java.util.OptionalInt.of(1), cpu, memory,
        TestResources.NO_PIDS_LIMIT, TestResources.NO_RLIMITS, TestResources.KERNEL, List.of(), List.of(),
        java.util.Set.of());
  }

  @Test
  void anLxcfsViewOfExactlyTheQuotaNeedsNoFinding() {
    // quota 2 CPUs, view 3 (the cpuset): the view does not follow the quota
    assertThat(codes(JvmCheck.checkResources(lxcfs(3, 2.0, 3, 8, dev.rightsize.Limit.of(GIB), GIB))))
        .containsExactly(JvmCheck.LXCFS_CPU_VIEW_WITHOUT_QUOTA);
    // quota 2 CPUs, view 2 (= the cpuset too): nothing is off
    assertThat(JvmCheck.checkResources(lxcfs(2, 2.0, 2, 8, dev.rightsize.Limit.of(GIB), GIB))).isEmpty();
    // quota 1.5, view 2: the view is the quota rounded up, as LXCFS --enable-cfs shows it
    assertThat(JvmCheck.checkResources(lxcfs(2, 1.5, 2, 8, dev.rightsize.Limit.of(GIB), GIB))).isEmpty();
  }

  @Test
  void noLimitInAnIsolatedViewNamesItsMemTotal() {
    List<Finding> f = JvmCheck.checkResources(lxcfs(2, 2.0, 2, 8, dev.rightsize.Limit.unlimited(), 2 * GIB));
    assertThat(f).singleElement().extracting(Finding::message).isEqualTo("no memory limit is set: the recommended"
        + " sizes are for the isolated view's MemTotal, 2 GiB, which every other process on it shares.");
  }

  @Test
  void oneCpuIsEnoughForAFootprintCheckNoneIsNot() {
    assertThat(JvmCheck.checkFootprint(healthy().maxHeapSizeBytes(400 * MIB).build(), BUSY, 1,
        OptionalLong.of(512 * MIB))).extracting(Finding::code).containsExactly(JvmCheck.HEAP_ABOVE_MEASURED_FIT);
    assertThatThrownBy(() -> JvmCheck.checkFootprint(healthy().build(), BUSY, 0, OptionalLong.of(512 * MIB)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("effectiveCpus < 1: 0");
  }
}
