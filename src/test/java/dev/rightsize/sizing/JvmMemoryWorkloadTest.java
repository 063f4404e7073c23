package dev.rightsize.sizing;

import static dev.rightsize.sizing.TestResources.GIB;
import static dev.rightsize.sizing.TestResources.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rightsize.sizing.JvmMemory.Collector;
import dev.rightsize.sizing.JvmMemory.Mode;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The workload calculator, against hand calculations of its documented formula (JvmMemory's
 * Javadoc) and against the frontier measured on a real kernel (SizingMatrixIT).
 */
class JvmMemoryWorkloadTest {
  private static final long KIB = 1024;

  @Test
  void lightServiceInOneGibibyteWithTheCollectorTheJvmPicks() {
    // 1 CPU: HotSpot picks Serial (not a server-class machine); no GC flag is added. JDK unset: 17.
    JvmMemory m = JvmMemory.builder().totalBytes(GIB).cpuCount(1).threadCount(20).loadedClassCount(1500)
        .directMemoryBytes(10 * MIB).calculate();
    // metaspace = 4 MiB + 1500 x 4608 B = 11,106,304 B -> whole MiB up: 11 MiB
    // code cache = 1 GiB / 32 = 32 MiB; stacks = 20 x 256 KiB = 5 MiB
    // native = 10 MiB + 20 MiB (the JVM's mapped files) + 20 x 128 KiB + 32 MiB / 8
    // = 10,485,760 + 20,971,520 + 2,621,440 + 4,194,304 = 38,273,024 B
    // fixed = 11 + 32 + 10 + 5 MiB + 38,273,024 = 60,817,408 + 38,273,024 = 99,090,432 B
    // room = 1,073,741,824 - 99,090,432 = 974,651,392; Serial 10/1000:
    // floor(room / 1010) x 1000 = 965,001,000 (one more 1000 B step would need 974,652,020 > room)
    assertThat(m.mode()).isEqualTo(Mode.WORKLOAD);
    assertThat(m.collector()).isEqualTo(Collector.SERIAL);
    assertThat(m.metaspaceBytes()).isEqualTo(11 * MIB);
    assertThat(m.reservedCodeCacheBytes()).isEqualTo(32 * MIB);
    assertThat(m.threadStacksBytes()).isEqualTo(5 * MIB);
    assertThat(m.nativeBytes()).isEqualTo(38_273_024L);
    assertThat(m.heapBytes()).isEqualTo(965_001_000L);
    assertThat(m.gcOverheadBytes()).isEqualTo(9_650_010L);
    // 965,001,000 / 1024 = 942,383.8 -> 942383K
    assertThat(m.flagsLine()).isEqualTo(
        "-XX:MaxDirectMemorySize=10M -Xmx942383K -XX:MaxMetaspaceSize=11M -XX:ReservedCodeCacheSize=32M -Xss1M");
    assertThat(m.notes()).isEmpty();
    assertThat(m.heapBytes() + m.nonHeapBytes()).isLessThanOrEqualTo(GIB);
  }

  @Test
  void busyServiceInTwoGibibytesOnG1() {
    JvmMemory m = JvmMemory.builder().totalBytes(2 * GIB).threadCount(200).loadedClassCount(11_000)
        .directMemoryBytes(64 * MIB).collector(Collector.G1).calculate();
    // metaspace = 4 MiB + 11,000 x 4608 B = 54,880,304 B -> 53 MiB; code cache = 2 GiB / 32 = 64 MiB
    // stacks = 200 x 256 KiB = 50 MiB; native = 10 MiB + 20 MiB (files) + 5 MiB (G1) + 200 x 128 KiB
    // + 64 MiB / 8 = 68 MiB = 71,303,168 B; fixed = 53 + 64 + 64 + 50 + 68 MiB = 313,524,224 B;
    // room = 1,833,959,424; G1 on JDK 17 (unset) 30/1000: heap = floor(room / 1030) x 1000
    // = 1,780,543,000
    assertThat(m.heapBytes()).isEqualTo(1_780_543_000L);
    // 1,780,543,000 / 1024 = 1,738,811.5 -> 1738811K; a given collector is named
    assertThat(m.flagsLine()).isEqualTo("-XX:MaxDirectMemorySize=64M -Xmx1738811K -XX:MaxMetaspaceSize=53M"
        + " -XX:ReservedCodeCacheSize=64M -Xss1M -XX:+UseG1GC");
    assertThat(m.describe()).endsWith("Collector: G1");
    // JDK 20 and later: one G1 mark bitmap (20/1000); a 13 MiB native base, 24 MiB of files and 6 MiB
    // for G1 instead of 10 + 20 + 5 MiB: room = 1,833,959,424 - 8 MiB = 1,825,570,816;
    // heap = floor(room / 1020) x 1000 ... = 1,789,775,000
    JvmMemory m25 = JvmMemory.builder().totalBytes(2 * GIB).threadCount(200).loadedClassCount(11_000)
        .directMemoryBytes(64 * MIB).collector(Collector.G1).jdkFeatureVersion(25).calculate();
    assertThat(m25.heapBytes()).isEqualTo(1_789_775_000L);
  }

  @Test
  void theCollectorIsPredictedAsHotSpotPicksIt() {
    // server class machine: >= 2 CPUs and >= 1792 MiB
    assertThat(JvmMemory.builder().totalBytes(1792 * MIB).cpuCount(2).calculate().collector()).isEqualTo(Collector.G1);
    assertThat(JvmMemory.builder().totalBytes(1791 * MIB).cpuCount(2).calculate().collector())
        .isEqualTo(Collector.SERIAL);
    assertThat(JvmMemory.builder().totalBytes(4 * GIB).cpuCount(1).calculate().collector())
        .isEqualTo(Collector.SERIAL);
    // CPUs unknown: G1, the costlier, is assumed
    assertThat(JvmMemory.forTotal(GIB).collector()).isEqualTo(Collector.G1);
    assertThat(JvmMemory.forContainer(TestResources.of(2, OptionalDouble.empty(), OptionalLong.of(GIB), 8 * GIB))
        .collector()).isEqualTo(Collector.SERIAL);
  }

  @Test
  void smallContainerIsSqueezedNotRefused() {
    // 256 MiB, 1 CPU (Serial), 200 threads, 40,000 classes
    JvmMemory m = JvmMemory.builder().totalBytes(256 * MIB).cpuCount(1).threadCount(200).loadedClassCount(40_000)
        .calculate();
    // -Xss: 200 x 1 MiB > 128 MiB -> 512 KiB; code cache = max(10 MiB, 256 MiB / 32 = 8 MiB) = 10 MiB
    // metaspace = 4 MiB + 40,000 x 4608 B = 188,514,304 B -> 180 MiB; direct 10 MiB; stacks 50 MiB
    // native = 10 MiB + 20 MiB (files) + 200 x 128 KiB + 10 MiB / 8 = 56.25 MiB = 58,982,400 B
    // fixed = 321,126,400 B > 256 MiB: room -52,690,944, below the floor max(16 MiB, 256 MiB / 7)
    // = 38,347,922 B; squeezed, 5% of the total is kept free: 13,421,770 B -> 12 MiB = 12,582,912 B;
    // need = 38,347,922 + 383,470 + 52,690,944 + 12,582,912 = 104,005,248 B
    // code cache is at its floor; direct -> max(min(10 MiB, max(2 MiB, 2.5 MiB -> 2 MiB)), < 0) = 2 MiB
    // (need 95,616,640); metaspace -> max(min(180 MiB, 16 MiB + 80,000 KiB -> 95 MiB),
    // floor((188,743,680 - 95,616,640) / 1 MiB) = 88 MiB) = 95 MiB
    // fixed = 99,614,720 + 10,485,760 + 2,097,152 + 52,428,800 + 58,982,400 = 223,608,832
    // room = 268,435,456 - 223,608,832 - 12,582,912 = 32,243,712; heap = floor(room / 1010) x 1000
    // = 31,924,000, below the floor: the workload as described does not fit
    assertThat(m.threadStackBytes()).isEqualTo(512 * KIB);
    assertThat(m.directMemoryBytes()).isEqualTo(2 * MIB);
    assertThat(m.metaspaceBytes()).isEqualTo(95 * MIB);
    assertThat(m.reservedCodeCacheBytes()).isEqualTo(10 * MIB);
    assertThat(m.heapBytes()).isEqualTo(31_924_000L);
    // the collector's 1% of the heap (319,240 B) comes out of the room too: 472 B of it are left over
    assertThat(m.heapBytes() + m.nonHeapBytes()).isEqualTo(256 * MIB - 12 * MIB - 472);
    assertThat(m.notes()).hasSize(5).startsWith(
        "squeezed: direct memory 10M -> 2M (beyond it, OutOfMemoryError: Cannot reserve direct buffer memory)",
        "squeezed: metaspace 180M -> 95M for 40000 classes (beyond it, OutOfMemoryError: Metaspace)",
        "squeezed: 12M of the total left unassigned (a squeezed workload fills every cap; the JVM's own limits"
            + " must bind before the kernel's)",
        "squeezed: heap 31175K is below the 37449K wanted for 256M: the workload as described does not fit; lower"
            + " the thread count (200) or class count (40000), or raise the memory limit");
    // 31,924,000 B is under a quarter of 256 MiB (67,108,864 B): tight
    assertThat(m.notes().get(4)).startsWith("tight: the heap is under a quarter of 256M;");
  }

  @Test
  void theFullBudgetFitsWithoutMargin() {
    // 512 MiB, busy service, JDK 17, Serial: nothing squeezed, so nothing is left unassigned
    JvmMemory m = JvmMemory.builder().totalBytes(512 * MIB).cpuCount(1).threadCount(200).loadedClassCount(11_000)
        .directMemoryBytes(64 * MIB).calculate();
    // metaspace 53 MiB, code cache 16 MiB, direct 64 MiB, stacks 50 MiB, native 10 + 20 MiB + 25 MiB + 2 MiB
    // = 57 MiB: fixed 240 MiB = 251,658,240; room 285,212,672; heap = floor(room / 1010) x 1000 = 282,388,000
    assertThat(m.heapBytes()).isEqualTo(282_388_000L);
    assertThat(m.notes()).isEmpty();
  }

  @Test
  void smallContainersScaleTheDefaultClassCount() {
    // no class count given: 15,000 x total / 1 GiB, at least 8,000, below 1 GiB
    assertThat(JvmMemory.builder().totalBytes(768 * MIB).calculate().loadedClassCount()).isEqualTo(11_250);
    assertThat(JvmMemory.builder().totalBytes(768 * MIB).calculate().scaled()).isTrue();
    assertThat(JvmMemory.builder().totalBytes(512 * MIB).calculate().loadedClassCount()).isEqualTo(8_000);
    assertThat(JvmMemory.builder().totalBytes(GIB).calculate().loadedClassCount()).isEqualTo(15_000);
    assertThat(JvmMemory.builder().totalBytes(GIB).calculate().scaled()).isFalse();
    assertThat(JvmMemory.builder().totalBytes(GIB - MIB).calculate().loadedClassCount()).isEqualTo(14_985);
    assertThat(JvmMemory.builder().totalBytes(512 * MIB).scaleForSmallContainers(false).calculate()
        .loadedClassCount()).isEqualTo(15_000);
    // a given count is never scaled
    JvmMemory given = JvmMemory.builder().totalBytes(512 * MIB).loadedClassCount(3_000).calculate();
    assertThat(given.loadedClassCount()).isEqualTo(3_000);
    assertThat(given.scaled()).isFalse();
  }

  @Test
  void jdkTwentyIsTheFirstWithTheNewerModel() {
    JvmMemory.Builder b = JvmMemory.builder().totalBytes(GIB).cpuCount(2).threadCount(20).loadedClassCount(1000)
        .collector(Collector.G1);
    long jdk19 = b.jdkFeatureVersion(19).calculate().heapBytes();
    long jdk20 = b.jdkFeatureVersion(20).calculate().heapBytes();
    assertThat(b.jdkFeatureVersion(17).calculate().heapBytes()).isEqualTo(jdk19);
    assertThat(b.jdkFeatureVersion(25).calculate().heapBytes()).isEqualTo(jdk20);
    // G1, 1 GiB, 20 threads, 1000 classes: metaspace 4 MiB + 1000 x 4608 B -> 9 MiB, code 32 MiB,
    // direct 10 MiB, stacks 5 MiB; JDK 19: native 10 + 20 + 5 (G1) + 2.5 + 4 MiB = 41.5 MiB:
    // room 1,073,741,824 - 56 MiB - 41.5 MiB = 971,505,664; heap = floor(room / 1030) x 1000 = 943,209,000
    assertThat(jdk19).isEqualTo(943_209_000L);
    // JDK 20: native 13 + 24 + 6 (G1) + 2.5 + 4 MiB = 49.5 MiB: room 963,117,056; / 1020 -> 944,232,000
    assertThat(jdk20).isEqualTo(944_232_000L);
  }

  @Test
  void theCodeCacheDefaultIsAThirtySecondInWholeMebibytes() {
    assertThat(JvmMemory.builder().totalBytes(1000 * MIB).calculate().reservedCodeCacheBytes()).isEqualTo(31 * MIB);
    assertThat(JvmMemory.builder().totalBytes(320 * MIB).calculate().reservedCodeCacheBytes()).isEqualTo(10 * MIB);
    assertThat(JvmMemory.builder().totalBytes(8 * GIB).calculate().reservedCodeCacheBytes()).isEqualTo(240 * MIB);
    assertThat(JvmMemory.builder().totalBytes(7680 * MIB + 31 * MIB).calculate().reservedCodeCacheBytes())
        .isEqualTo(240 * MIB);
  }

  @Test
  void aPinnedMetaspaceThatLeavesNoRoomIsRefused() {
    // 48 MiB: margin 2 MiB, code 10 MiB, direct squeezed to 2 MiB, heap 8 MiB and its 1% card table
    // (Serial, 1 CPU): 25.92 MiB left, less than the 40 MiB of metaspace pinned
    assertThatThrownBy(() -> JvmMemory.builder().totalBytes(48 * MIB).cpuCount(1).metaspaceBytes(40 * MIB)
        .calculate()).isInstanceOf(InsufficientMemoryException.class).hasMessageStartingWith("memory regions require");
  }

  @Test
  void oneHundredTwentyEightMebibytesWhichPaketoModeRefuses() {
    assertThatThrownBy(() -> JvmMemory.builder().mode(Mode.PAKETO).totalBytes(128 * MIB).calculate())
        .isInstanceOf(InsufficientMemoryException.class);
    JvmMemory m = JvmMemory.builder().totalBytes(128 * MIB).calculate();
    assertThat(m.heapBytes()).isGreaterThanOrEqualTo(16 * MIB);
    assertThat(m.heapBytes() + m.nonHeapBytes()).isLessThanOrEqualTo(128 * MIB);
  }

  @Test
  void onlyATotalTheJvmCannotRunInIsRefused() {
    assertThatThrownBy(() -> JvmMemory.forTotal(47 * MIB)).isInstanceOf(InsufficientMemoryException.class)
        .hasMessageStartingWith("a total of 47M is below the 48M a JVM needs to run at all");
    JvmMemory m = JvmMemory.builder().totalBytes(48 * MIB).threadCount(500).loadedClassCount(50_000).calculate();
    assertThat(m.heapBytes()).isGreaterThanOrEqualTo(JvmMemory.MIN_HEAP_BYTES);
    assertThat(m.notes()).isNotEmpty().allMatch(n -> n.startsWith("squeezed: ") || n.startsWith("tight: "))
        .anyMatch(n -> n.startsWith("squeezed: "));
    assertThat(m.heapBytes() + m.nonHeapBytes()).isLessThanOrEqualTo(48 * MIB);
    // CPUs unknown: G1, JDK 17. metaspace 4 MiB + 50,000 x 4608 B -> 224 MiB; code 10 MiB; direct 10 MiB;
    // stacks 500 x 256 KiB = 131,072,000 B; native 10 + 20 + 5 MiB + 500 x 128 KiB + 10 MiB / 8
    // = 103,546,880 B; margin 2 MiB. Squeezed: direct -> 2 MiB, metaspace -> 16 MiB + 2 KiB x 50,000
    // -> 114 MiB; the heap still falls below 8 MiB: last resort, heap 8 MiB (G1 3%: 251,640 B);
    // rest = 48 MiB - 2 - 10 - 2 - 8 MiB - 251,640 = 27,011,336; metaspace -> max(16 MiB, rest / 2 ->
    // 12 MiB) = 16 MiB; room = 10,234,120 for stacks + native wanted 234,618,880: f = 0.0436201...
    // stack per thread = floor(262,144 x f) = 11,434 B; native = floor(103,546,880 x f) = 4,516,734 B
    assertThat(m.heapBytes()).isEqualTo(8 * MIB);
    assertThat(m.metaspaceBytes()).isEqualTo(16 * MIB);
    assertThat(m.directMemoryBytes()).isEqualTo(2 * MIB);
    assertThat(m.threadStackUsedBytes()).isEqualTo(11_434L);
    assertThat(m.threadStacksBytes()).isEqualTo(5_717_000L);
    assertThat(m.nativeBytes()).isEqualTo(4_516_734L);
    assertThat(m.notes()).contains("squeezed: thread stacks and native memory budgeted at 4% of the model; an OOM"
        + " kill is possible under full load");
  }

  @Test
  void metaspaceAndStackSizesRoundUpOnlyWhenNotWhole() {
    // 2048 classes x 4608 B = 9 MiB exactly: 4 + 9 = 13 MiB; one class more rounds up to 14 MiB
    assertThat(JvmMemory.builder().totalBytes(GIB).loadedClassCount(2048).calculate().metaspaceBytes())
        .isEqualTo(13 * MIB);
    assertThat(JvmMemory.builder().totalBytes(GIB).loadedClassCount(2049).calculate().metaspaceBytes())
        .isEqualTo(14 * MIB);
    // -Xss: the stack used + 64 KiB, in whole 64 KiB, at least 1 MiB: 1 MiB used -> 1088 KiB exactly
    assertThat(JvmMemory.builder().totalBytes(GIB).threadCount(20).threadStackUsedBytes(MIB).calculate()
        .threadStackBytes()).isEqualTo(1088 * KIB);
    assertThat(JvmMemory.builder().totalBytes(GIB).threadCount(20).threadStackUsedBytes(MIB + 1).calculate()
        .threadStackBytes()).isEqualTo(1152 * KIB);
  }

  @Test
  void aPinnedHeapThatCannotFitIsRefused() {
    // CPUs unknown: G1; 128 threads (512 MiB / 4 MiB); 8,000 classes (scaled) -> 40 MiB metaspace;
    // code 16 MiB; native 10 + 20 + 5 MiB + 128 x 128 KiB + 2 MiB = 53 MiB; G1 3% of 500 MiB = 15 MiB
    assertThatThrownBy(() -> JvmMemory.builder().totalBytes(512 * MIB).heapBytes(500 * MIB).calculate())
        .isInstanceOf(InsufficientMemoryException.class).hasMessageStartingWith("all memory regions require")
        .hasMessageEndingWith("greater than 512M available for allocation: -Xmx500M, -XX:MaxMetaspaceSize=40M,"
            + " -XX:ReservedCodeCacheSize=16M, -XX:MaxDirectMemorySize=10M, 128 threads x 256K stack, 53M native,"
            + " 15M collector");
  }

  @Test
  void footprintOfAnEarlierRunBecomesTheInputs() {
    JvmFootprint fp = new JvmFootprint(20_000, 1, 1, 1, 40 * MIB, 10, 30, 40 * MIB, 0, 1, 1,
        Optional.of(Collector.G1));
    JvmMemory m = JvmMemory.builder().totalBytes(GIB).footprint(fp).calculate();
    // peak threads 30; classes 20,000 + 10% = 22,000; direct 40 MiB x 1.25 = 50 MiB; code 40 MiB x 1.5 = 60 MiB
    assertThat(m.threadCount()).isEqualTo(30);
    assertThat(m.loadedClassCount()).isEqualTo(22_000);
    assertThat(m.directMemoryBytes()).isEqualTo(50 * MIB);
    assertThat(m.reservedCodeCacheBytes()).isEqualTo(60 * MIB);
    assertThat(m.collector()).isEqualTo(Collector.G1);
    assertThat(m.collectorFlag()).isTrue();
    // inputs set after the footprint win
    assertThat(JvmMemory.builder().totalBytes(GIB).footprint(fp).threadCount(5).calculate().threadCount())
        .isEqualTo(5);
  }

  /**
   * The measured frontier (src/test/resources/sizing/frontier.properties, bisected on this
   * project's real cgroup v1 kernel): for every cell, the calculator's heap with that workload's
   * inputs is at least 85% of the largest heap that survived, and not above it.
   */
  @Test
  void withinTheMeasuredFrontier() throws Exception {
    java.util.Properties f = new java.util.Properties();
    try (var in = getClass().getResourceAsStream("/sizing/frontier.properties")) {
      assertThat(in).isNotNull();
      f.load(in);
    }
    int cells = 0;
    for (String key : f.stringPropertyNames()) {
      String[] k = key.split("\\.");
      if (k.length != 4 || f.getProperty(key).equals("none")) {
        continue;
      }
      long limit = Long.parseLong(k[1]) * MIB;
      JvmMemory.Builder b = JvmMemory.builder().totalBytes(limit).cpuCount(2)
          .jdkFeatureVersion(Integer.parseInt(k[2].substring(3)));
      if (k[0].equals("light")) {
        b.threadCount(20).loadedClassCount(1000).directMemoryBytes(10 * MIB);
      } else {
        b.threadCount(200).loadedClassCount(11_000).directMemoryBytes(64 * MIB);
      }
      if (k[3].equals("g1")) {
        b.collector(Collector.G1);
      }
      long heap = b.calculate().heapBytes();
      long frontier = Long.parseLong(f.getProperty(key)) * MIB;
      assertThat(heap).as(key + " vs frontier " + frontier).isBetween((long) Math.ceil(frontier * 0.85), frontier);
      cells++;
    }
    assertThat(cells).isGreaterThanOrEqualTo(20);
  }

  @Test
  void neverAboveTheTotal() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int i = 0; i < 20_000; i++) {
      long total = 48 * MIB + (long) (rnd.nextDouble() * rnd.nextDouble() * 64 * GIB);
      JvmMemory.Builder b = JvmMemory.builder().totalBytes(total);
      if (rnd.nextBoolean()) {
        b.threadCount(rnd.nextInt(0, 3000));
      }
      if (rnd.nextBoolean()) {
        b.loadedClassCount(rnd.nextInt(0, 200_000));
      }
      if (rnd.nextBoolean()) {
        b.directMemoryBytes(rnd.nextLong(KIB, 2 * GIB));
      }
      if (rnd.nextInt(3) == 0) {
        b.collector(Collector.values()[rnd.nextInt(3)]);
      }
      if (rnd.nextInt(3) == 0) {
        b.cpuCount(rnd.nextInt(1, 64));
      }
      JvmMemory m;
      try {
        m = b.calculate();
      } catch (InsufficientMemoryException e) {
        assertThat(e.requiredBytes()).isGreaterThan(total);
        continue;
      }
      assertThat(m.heapBytes() + m.nonHeapBytes()).as("total %d", total).isLessThanOrEqualTo(total);
      assertThat(m.heapBytes()).isGreaterThanOrEqualTo(JvmMemory.MIN_HEAP_BYTES);
      if (m.notes().stream().noneMatch(n -> n.startsWith("squeezed: "))) {
        // nothing squeezed: the full budget left at least the floor for the heap
        assertThat(m.heapBytes()).as("total %d", total).isGreaterThanOrEqualTo(Math.max(16 * MIB, total / 7));
      }
      // "tight" exactly when the heap is under a quarter of the total (no heap pinned here)
      assertThat(m.notes().stream().anyMatch(n -> n.startsWith("tight: "))).as("total %d", total)
          .isEqualTo(m.heapBytes() < total / 4);
    }
  }

  /** The thread count never exceeds the thread headroom: given, default or measured, in both modes. */
  @org.junit.jupiter.api.Test
  void theThreadCountIsCappedAtTheThreadHeadroom() {
    JvmMemory asked = JvmMemory.builder().totalBytes(GIB).cpuCount(2).threadCount(200).threadHeadroom(33).calculate();
    JvmMemory fits = JvmMemory.builder().totalBytes(GIB).cpuCount(2).threadCount(33).calculate();
    assertThat(asked.threadCount()).isEqualTo(33);
    assertThat(asked.heapBytes()).as("the same layout as for 33 threads").isEqualTo(fits.heapBytes());
    assertThat(asked.notes()).anySatisfy(n -> assertThat(n).startsWith("threads: 200 asked, budgeted 33"));
    // the default for 1 GiB is 250 threads
    assertThat(JvmMemory.builder().totalBytes(GIB).threadHeadroom(33).calculate().threadCount()).isEqualTo(33);
    // below the headroom: unchanged, no note
    JvmMemory below = JvmMemory.builder().totalBytes(GIB).threadCount(20).threadHeadroom(33).calculate();
    assertThat(below.threadCount()).isEqualTo(20);
    assertThat(below.notes()).isEmpty();
    // a headroom of 0 budgets one thread
    assertThat(JvmMemory.builder().totalBytes(GIB).threadHeadroom(0).calculate().threadCount()).isEqualTo(1);
    // Paketo mode too
    JvmMemory paketo = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(GIB).threadHeadroom(50).calculate();
    assertThat(paketo.threadCount()).isEqualTo(50);
    assertThat(paketo.notes()).anySatisfy(n -> assertThat(n).startsWith("threads: 250 asked, budgeted 50"));
  }

  /** total(resources) takes the resources' thread headroom with their memory. */
  @org.junit.jupiter.api.Test
  void theContainersHeadroomComesWithItsTotal() {
    dev.rightsize.ContainerResources r = TestResources.withLimits(TestResources.memory(GIB),
        new dev.rightsize.Pids(dev.rightsize.Limit.of(100), java.util.OptionalLong.of(37),
            java.util.OptionalLong.of(20)), TestResources.NO_RLIMITS, TestResources.KERNEL);
    // 4 effective CPUs: reserve 16; 100 - 37 - 16 = 47
    assertThat(JvmMemory.builder().total(r).threadCount(200).calculate().threadCount()).isEqualTo(47);
    assertThat(JvmMemory.forContainer(r).threadCount()).isEqualTo(47);
    assertThat(JvmMemory.forContainer(TestResources.memory(GIB)).threadCount()).isEqualTo(250);
  }

  @Test
  void aLayoutMayHoldZeroRegionsAndMustFitItsTotalToTheByte() {
    // heap 1 + metaspace 2 + code 4 + direct 8 + 2 threads x 16 + headroom 64 + collector 128 + native 256 = 495
    JvmMemory exact = new JvmMemory(Mode.WORKLOAD, 495, 1, 2, 4, 8, 1024, 16, 2, 0, 0, 64, 128, 256, Collector.G1,
        false, false, java.util.List.of());
    assertThat(exact.heapBytes() + exact.nonHeapBytes()).isEqualTo(495);
    assertThatThrownBy(() -> new JvmMemory(Mode.WORKLOAD, 494, 1, 2, 4, 8, 1024, 16, 2, 0, 0, 64, 128, 256,
        Collector.G1, false, false, java.util.List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regions add up to 495 B, more than the total 494 B");
    // every region but -Xss may be 0; headroom 0..99 %
    JvmMemory zeros = new JvmMemory(Mode.PAKETO, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, Collector.SERIAL, false,
        false, java.util.List.of());
    assertThat(zeros.nonHeapBytes()).isZero();
    assertThat(new JvmMemory(Mode.PAKETO, 1, 0, 0, 0, 0, 1, 0, 0, 0, 99, 0, 0, 0, Collector.SERIAL, false, false,
        java.util.List.of()).headroomPercent()).isEqualTo(99);
    assertThatThrownBy(() -> new JvmMemory(Mode.PAKETO, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Collector.SERIAL,
        false, false, java.util.List.of())).hasMessage("negative region");
    assertThatThrownBy(() -> new JvmMemory(Mode.PAKETO, 1, 0, 0, 0, 0, 1, 0, 0, 0, 100, 0, 0, 0, Collector.SERIAL,
        false, false, java.util.List.of())).hasMessage("headroomPercent must be 0..99: 100");
    assertThatThrownBy(() -> new JvmMemory(Mode.PAKETO, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, Collector.SERIAL,
        false, false, java.util.List.of())).hasMessage("totalBytes must be positive: 0");
  }

  @Test
  void collectorNamesAsTheJvmAndUsersWriteThem() {
    assertThat(Collector.parse("G1 Young Generation")).hasValue(Collector.G1);
    assertThat(Collector.parse(" g1 ")).hasValue(Collector.G1);
    assertThat(Collector.parse("Copy")).hasValue(Collector.SERIAL);
    assertThat(Collector.parse("MarkSweepCompact")).hasValue(Collector.SERIAL);
    assertThat(Collector.parse("serial")).hasValue(Collector.SERIAL);
    assertThat(Collector.parse("PS Scavenge")).hasValue(Collector.PARALLEL);
    assertThat(Collector.parse("PS MarkSweep")).hasValue(Collector.PARALLEL);
    assertThat(Collector.parse("Parallel")).hasValue(Collector.PARALLEL);
    assertThat(Collector.parse("ZGC Cycles")).isEmpty();
    assertThat(Collector.parse("copying")).isEmpty();
    assertThat(Collector.parse("eps")).isEmpty();
  }
}
