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
    // native = 10 MiB + 20 x 128 KiB + 32 MiB / 8 = 10,485,760 + 2,621,440 + 4,194,304 = 17,301,504 B
    // fixed = 11 + 32 + 10 + 5 MiB + 17,301,504 = 60,817,408 + 17,301,504 = 78,118,912 B
    // room = 1,073,741,824 - 78,118,912 = 995,622,912; Serial 10/1000:
    // floor(room / 1010) x 1000 = 985,765,000 (one more 1000 B step would need 995,623,660 > room)
    assertThat(m.mode()).isEqualTo(Mode.WORKLOAD);
    assertThat(m.collector()).isEqualTo(Collector.SERIAL);
    assertThat(m.metaspaceBytes()).isEqualTo(11 * MIB);
    assertThat(m.reservedCodeCacheBytes()).isEqualTo(32 * MIB);
    assertThat(m.threadStacksBytes()).isEqualTo(5 * MIB);
    assertThat(m.nativeBytes()).isEqualTo(17_301_504L);
    assertThat(m.heapBytes()).isEqualTo(985_765_000L);
    assertThat(m.gcOverheadBytes()).isEqualTo(9_857_650L);
    // 985,765,000 / 1024 = 962,661.1 -> 962661K
    assertThat(m.flagsLine()).isEqualTo(
        "-XX:MaxDirectMemorySize=10M -Xmx962661K -XX:MaxMetaspaceSize=11M -XX:ReservedCodeCacheSize=32M -Xss1M");
    assertThat(m.notes()).isEmpty();
    assertThat(m.heapBytes() + m.nonHeapBytes()).isLessThanOrEqualTo(GIB);
  }

  @Test
  void busyServiceInTwoGibibytesOnG1() {
    JvmMemory m = JvmMemory.builder().totalBytes(2 * GIB).threadCount(200).loadedClassCount(11_000)
        .directMemoryBytes(64 * MIB).collector(Collector.G1).calculate();
    // metaspace = 4 MiB + 11,000 x 4608 B = 54,880,304 B -> 53 MiB; code cache = 2 GiB / 32 = 64 MiB
    // stacks = 200 x 256 KiB = 50 MiB; native = 10 MiB + 5 MiB (G1) + 200 x 128 KiB + 64 MiB / 8
    // = 48 MiB = 50,331,648 B; fixed = 53 + 64 + 64 + 50 + 48 MiB = 292,552,704 B;
    // room = 1,854,930,944; G1 on JDK 17 (unset) 30/1000: heap = floor(room / 1030) x 1000 (+1000 B
    // steps while they fit) = 1,800,903,000
    assertThat(m.heapBytes()).isEqualTo(1_800_903_000L);
    // 1,800,903,000 / 1024 = 1,758,694.3 -> 1758694K; a given collector is named
    assertThat(m.flagsLine()).isEqualTo("-XX:MaxDirectMemorySize=64M -Xmx1758694K -XX:MaxMetaspaceSize=53M"
        + " -XX:ReservedCodeCacheSize=64M -Xss1M -XX:+UseG1GC");
    assertThat(m.describe()).endsWith("Collector: G1");
    // JDK 20 and later: one G1 mark bitmap (20/1000); a 13 MiB native base and 12 MiB for G1 instead
    // of 10 + 5 MiB: room = 1,854,930,944 - 10 MiB = 1,844,445,184; heap = floor(room / 1020) x 1000 ...
    // = 1,808,279,000
    JvmMemory m25 = JvmMemory.builder().totalBytes(2 * GIB).threadCount(200).loadedClassCount(11_000)
        .directMemoryBytes(64 * MIB).collector(Collector.G1).jdkFeatureVersion(25).calculate();
    assertThat(m25.heapBytes()).isEqualTo(1_808_279_000L);
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
    // native = 10 MiB + 200 x 128 KiB + 10 MiB / 8 = 36.25 MiB = 38,010,880 B
    // fixed = 300,154,880 B > 256 MiB: room -31,719,424, below the floor max(16 MiB, 256 MiB / 7)
    // = 38,347,922 B; need = 38,347,922 + 383,470 + 31,719,424 = 70,450,816 B
    // code cache is at its floor; direct -> max(min(10 MiB, max(2 MiB, 2.5 MiB -> 2 MiB)), < 0) = 2 MiB
    // (need 62,062,208); metaspace -> max(min(180 MiB, 16 MiB + 80,000 KiB -> 95 MiB),
    // floor((188,743,680 - 62,062,208) / 1 MiB) = 120 MiB) = 120 MiB
    // fixed = 125,829,120 + 10,485,760 + 2,097,152 + 52,428,800 + 38,010,880 = 228,851,712
    // room = 39,583,744; heap = floor(room / 1010) x 1000 (+1000 B steps) = 39,191,000 (>= the floor)
    assertThat(m.threadStackBytes()).isEqualTo(512 * KIB);
    assertThat(m.directMemoryBytes()).isEqualTo(2 * MIB);
    assertThat(m.metaspaceBytes()).isEqualTo(120 * MIB);
    assertThat(m.reservedCodeCacheBytes()).isEqualTo(10 * MIB);
    assertThat(m.heapBytes()).isEqualTo(39_191_000L);
    // 39,191,000 B is under a quarter of 256 MiB (67,108,864 B): the JVM's own file pages are not budgeted
    assertThat(m.notes()).hasSize(3).startsWith(
        "squeezed: direct memory 10M -> 2M (beyond it, OutOfMemoryError: Cannot reserve direct buffer memory)",
        "squeezed: metaspace 180M -> 120M for 40000 classes (beyond it, OutOfMemoryError: Metaspace)");
    assertThat(m.notes().get(2)).startsWith("tight: the heap is under a quarter of 256M;");
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
  }

  @Test
  void aPinnedHeapThatCannotFitIsRefused() {
    assertThatThrownBy(() -> JvmMemory.builder().totalBytes(512 * MIB).heapBytes(500 * MIB).calculate())
        .isInstanceOf(InsufficientMemoryException.class).hasMessageStartingWith("all memory regions require");
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
}
