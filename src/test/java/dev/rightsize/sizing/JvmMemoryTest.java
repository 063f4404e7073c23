package dev.rightsize.sizing;

import static dev.rightsize.sizing.TestResources.GIB;
import static dev.rightsize.sizing.TestResources.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JvmMemoryTest {

  private static final long KIB = 1024;

  /** Paketo-compatible mode: the calculator's own formula and defaults, no scaling. */
  private static JvmMemory.Builder paketo(long total) {
    return JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(total).scaleForSmallContainers(false);
  }

  /** Paketo mode with its small-container scaling (this library's behaviour before the workload calculator). */
  private static JvmMemory paketoScaled(long total) {
    return JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(total).calculate();
  }

  private static JvmMemory paketoFor(dev.rightsize.ContainerResources r) {
    return JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).total(r).calculate();
  }

  @Nested
  class PublishedExamples {

    // paketo-buildpacks/libjvm calc/calculator_test.go "calculates metaspace":
    // 1G, 100 classes, 2 threads -> Metaspace 14_580_000 (= 14_000_000 + 100 * 5_800).
    @Test
    void paketoMetaspaceFor100Classes() {
      JvmMemory m = paketo(GIB).loadedClassCount(100).threadCount(2).calculate();
      assertThat(m.metaspaceBytes()).isEqualTo(14_580_000L);
    }

    // paketo-buildpacks/libjvm calc/calculator_test.go "calculates heap":
    // 1073741824 - 10485760 (direct) - 14580000 (metaspace) - 251658240 (code cache) - 2 * 1048576 = 794920672.
    @Test
    void paketoHeapFor1GiB() {
      JvmMemory m = paketo(GIB).loadedClassCount(100).threadCount(2).calculate();
      assertThat(m.heapBytes()).isEqualTo(794_920_672L);
      // 794920672 / 1024 = 776289.7 -> truncated like Paketo's Size.String()
      assertThat(m.flags()).contains("-Xmx776289K", "-XX:MaxMetaspaceSize=14238K");
    }

    // paketo-buildpacks/libjvm calc/calculator_test.go "calculates head room": 1% of 1G = int64(0.01 * 1073741824).
    @Test
    void paketoHeadroomOnePercent() {
      JvmMemory m = paketo(GIB).headroomPercent(1).loadedClassCount(100).threadCount(2).calculate();
      assertThat(m.headroomBytes()).isEqualTo(10_737_418L);
      assertThat(m.heapBytes()).isEqualTo(794_920_672L - 10_737_418L);
    }

    // paketo-buildpacks/libjvm calc/calculator_test.go "returns error if fixed regions are too large".
    @Test
    void paketoFixedRegionsTooLarge() {
      assertThatThrownBy(() -> paketo(KIB).loadedClassCount(100).threadCount(2).calculate())
          .isInstanceOf(InsufficientMemoryException.class)
          .hasMessageStartingWith("fixed memory regions require 272286K which is greater than 1K available for"
              + " allocation: -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=14238K,"
              + " -XX:ReservedCodeCacheSize=240M, -Xss1M * 2 threads")
          .satisfies(e -> {
            InsufficientMemoryException ime = (InsufficientMemoryException) e;
            // 10485760 + 14580000 + 251658240 + 2097152
            assertThat(ime.requiredBytes()).isEqualTo(278_821_152L);
            assertThat(ime.availableBytes()).isEqualTo(1024L);
          });
    }

    // paketo-buildpacks/libjvm calc/calculator_test.go "returns error if non-heap regions are too large".
    @Test
    void paketoNonHeapRegionsTooLarge() {
      assertThatThrownBy(() -> paketo(272_287 * KIB).headroomPercent(1).loadedClassCount(100).threadCount(2).calculate())
          .isInstanceOf(InsufficientMemoryException.class)
          .hasMessageStartingWith("non-heap memory regions require 275009K which is greater than 272287K available"
              + " for allocation: 2722K headroom, -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=14238K,"
              + " -XX:ReservedCodeCacheSize=240M, -Xss1M * 2 threads");
    }

    // paketo-buildpacks/libjvm calc/calculator_test.go "returns error of all regions are too large" (-Xmx1M given).
    @Test
    void paketoAllRegionsTooLarge() {
      assertThatThrownBy(() -> paketo(272_287 * KIB).heapBytes(MIB).loadedClassCount(100).threadCount(2).calculate())
          .isInstanceOf(InsufficientMemoryException.class)
          .hasMessageStartingWith("all memory regions require 273310K which is greater than 272287K available for"
              + " allocation: -Xmx1M, 0 headroom, -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=14238K,"
              + " -XX:ReservedCodeCacheSize=240M, -Xss1M * 2 threads");
    }

    // cloudfoundry/java-buildpack-memory-calculator calculator/calculator_test.go (500M, 1000 classes, 10 threads):
    // metaspace 19800000; heap = 524288000 - 10485760 - 19800000 - 251658240 - 10485760.
    static Stream<Arguments> cfCalculatorCases() {
      return Stream.of(
          Arguments.of("uses default and calculated values", paketo(500 * MIB), 231_858_240L),
          Arguments.of("uses configured direct memory", paketo(500 * MIB).directMemoryBytes(MIB), 241_295_424L),
          Arguments.of("uses configured metaspace", paketo(500 * MIB).metaspaceBytes(MIB), 250_609_664L),
          Arguments.of("uses configured reserved code cache", paketo(500 * MIB).reservedCodeCacheBytes(MIB), 482_467_904L),
          Arguments.of("uses configured stack", paketo(500 * MIB).threadStackBytes(MIB), 231_858_240L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cfCalculatorCases")
    void cloudFoundryCalculator(String name, JvmMemory.Builder b, long heap) {
      JvmMemory m = b.loadedClassCount(1000).threadCount(10).calculate();
      assertThat(m.heapBytes()).isEqualTo(heap);
      if (!name.contains("metaspace")) {
        assertThat(m.metaspaceBytes()).isEqualTo(19_800_000L);
      }
    }

    // Published Paketo log line, paketo-buildpacks/bellsoft-liberica#913:
    // "Calculated JVM Memory Configuration: -XX:MaxDirectMemorySize=10M -Xmx14968359K -XX:MaxMetaspaceSize=125208K
    //  -XX:ReservedCodeCacheSize=240M -Xss1M (Total Memory: 15605568K, Thread Count: 250, Loaded Class Count: 19692,
    //  Headroom: 0%)". Our flag order and formatting are Paketo's, so the whole line matches.
    @Test
    void paketoLogLineFromBellsoftLiberica913() {
      JvmMemory m = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(15_605_568 * KIB).loadedClassCount(19_692).calculate();
      assertThat(m.flagsLine()).isEqualTo("-XX:MaxDirectMemorySize=10M -Xmx14968359K -XX:MaxMetaspaceSize=125208K"
          + " -XX:ReservedCodeCacheSize=240M -Xss1M");
      assertThat(m.describe()).isEqualTo("Total Memory: 15605568K, Thread Count: 250, Loaded Class Count: 19692, Headroom: 0%");
    }

    // Published CF calculator output, cloudfoundry/java-buildpack-memory-calculator#29 (768M container, 250 threads):
    // "-Xmx81033K -Xss1M -XX:ReservedCodeCacheSize=240M -XX:MaxDirectMemorySize=10M -XX:MaxMetaspaceSize=193398K".
    // The class count is not in the issue; 31731 is the count that gives 193398K (14000000 + 31731 * 5800 =
    // 198039800 B = 193398.2K). Heap: 805306368 - 10485760 - 198039800 - 251658240 - 262144000 = 82978568 = 81033.7K.
    @Test
    void cloudFoundry768MiBFromIssue29() {
      JvmMemory m = paketo(768 * MIB).loadedClassCount(31_731).calculate();
      assertThat(m.flags()).containsExactly("-XX:MaxDirectMemorySize=10M", "-Xmx81033K",
          "-XX:MaxMetaspaceSize=193398K", "-XX:ReservedCodeCacheSize=240M", "-Xss1M");
    }

    // cloudfoundry/java-buildpack-memory-calculator#24: a Boot app (8000 classes, 4 threads) in 256M is refused.
    // (The issue's message shows 70312K of metaspace from an older formula; today's is 14000000 + 8000 * 5800.)
    // Fixed: 10485760 + 60400000 + 251658240 + 4 * 1048576 = 326738304 B = 319080.4K.
    @Test
    void cloudFoundry256MiBBootAppIsRefusedByPaketoButFitsScaled() {
      assertThatThrownBy(() -> paketo(256 * MIB).loadedClassCount(8000).threadCount(4).calculate())
          .hasMessageStartingWith("fixed memory regions require 319080K which is greater than 256M available for"
              + " allocation: -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=58984K,"
              + " -XX:ReservedCodeCacheSize=240M, -Xss1M * 4 threads");

      // Scaled: code cache 240M * 256/1024 = 60M; heap = 268435456 - 10485760 - 60400000 - 62914560 - 4194304
      // = 130440832 B (124.4 MiB), about the -Xmx128M the issue's author runs the app with.
      JvmMemory m = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(256 * MIB).loadedClassCount(8000).threadCount(4).calculate();
      assertThat(m.reservedCodeCacheBytes()).isEqualTo(60 * MIB);
      assertThat(m.heapBytes()).isEqualTo(130_440_832L);
    }
  }

  @Nested
  class Defaults {

    static Stream<Arguments> defaultTable() {
      return Stream.of(
          // 256M: code 240M*256/1024 = 60M; threads 250*256/1024 = 62; classes max(8000, 3750) = 8000
          // metaspace 14000000 + 8000*5800 = 60400000; heap = 268435456 - 10485760 - 60400000 - 62914560 - 62*1048576
          Arguments.of(256 * MIB, 69_623_424L, 60_400_000L, 60 * MIB, 62, true,
              "-XX:MaxDirectMemorySize=10M -Xmx67991K -XX:MaxMetaspaceSize=58984K -XX:ReservedCodeCacheSize=60M -Xss1M",
              "-XX:MaxRAMPercentage=25.9"),
          // 512M: code 120M; threads 125; classes max(8000, 7500) = 8000
          // heap = 536870912 - 10485760 - 60400000 - 125829120 - 131072000 = 209084032
          Arguments.of(512 * MIB, 209_084_032L, 60_400_000L, 120 * MIB, 125, true,
              "-XX:MaxDirectMemorySize=10M -Xmx204183K -XX:MaxMetaspaceSize=58984K -XX:ReservedCodeCacheSize=120M -Xss1M",
              "-XX:MaxRAMPercentage=38.9"),
          // 1G: Paketo's defaults unscaled; metaspace 14000000 + 15000*5800 = 101000000
          // heap = 1073741824 - 10485760 - 101000000 - 251658240 - 262144000 = 448453824
          Arguments.of(GIB, 448_453_824L, 101_000_000L, 240 * MIB, 250, false,
              "-XX:MaxDirectMemorySize=10M -Xmx437943K -XX:MaxMetaspaceSize=98632K -XX:ReservedCodeCacheSize=240M -Xss1M",
              "-XX:MaxRAMPercentage=41.7"),
          // 4G: heap = 4294967296 - 625288000 = 3669679296 (85.44%)
          Arguments.of(4 * GIB, 3_669_679_296L, 101_000_000L, 240 * MIB, 250, false,
              "-XX:MaxDirectMemorySize=10M -Xmx3583671K -XX:MaxMetaspaceSize=98632K -XX:ReservedCodeCacheSize=240M -Xss1M",
              "-XX:MaxRAMPercentage=85.4"),
          // 1T: heap = 1099511627776 - 625288000
          Arguments.of(1024 * GIB, 1_098_886_339_776L, 101_000_000L, 240 * MIB, 250, false,
              "-XX:MaxDirectMemorySize=10M -Xmx1073131191K -XX:MaxMetaspaceSize=98632K -XX:ReservedCodeCacheSize=240M -Xss1M",
              "-XX:MaxRAMPercentage=99.9"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("defaultTable")
    void defaultsForCommonTotals(long total, long heap, long metaspace, long codeCache, int threads, boolean scaled,
        String flagsLine, String percentageFlag) {
      JvmMemory m = paketoScaled(total);
      assertThat(m.heapBytes()).isEqualTo(heap);
      assertThat(m.metaspaceBytes()).isEqualTo(metaspace);
      assertThat(m.reservedCodeCacheBytes()).isEqualTo(codeCache);
      assertThat(m.threadCount()).isEqualTo(threads);
      assertThat(m.threadStackBytes()).isEqualTo(MIB);
      assertThat(m.directMemoryBytes()).isEqualTo(10 * MIB);
      assertThat(m.scaled()).isEqualTo(scaled);
      assertThat(m.flagsLine()).isEqualTo(flagsLine);
      assertThat(m.maxRamPercentageFlag()).isEqualTo(percentageFlag);
      assertThat(m.heapBytes() + m.nonHeapBytes()).isEqualTo(total);
    }

    @Test
    void fromOneGibibyteUpScalingChangesNothing() {
      for (long total : new long[] {GIB, 3 * GIB / 2, 8 * GIB}) {
        assertThat(paketoScaled(total)).isEqualTo(paketo(total).calculate());
      }
    }

    @Test
    void headroomIsTakenFromTheHeap() {
      // 10% of 4294967296 = 429496729.6 -> 429496729; heap = 4294967296 - 625288000 - 429496729
      JvmMemory m = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(4 * GIB).headroomPercent(10).calculate();
      assertThat(m.headroomBytes()).isEqualTo(429_496_729L);
      assertThat(m.heapBytes()).isEqualTo(3_240_182_567L);
    }

    @Test
    void pinnedRegionsAreNotScaled() {
      // 512M with code cache pinned at 240M and 250 threads: fixed = 10485760 + 60400000 + 251658240 + 262144000
      // = 584688000 > 536870912
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(512 * MIB)
              .reservedCodeCacheBytes(240 * MIB).threadCount(250).calculate())
          .isInstanceOf(InsufficientMemoryException.class)
          .hasMessageContaining("-XX:ReservedCodeCacheSize=240M, -Xss1M * 250 threads");
    }

    @Test
    void pinnedMetaspaceIgnoresTheClassCount() {
      JvmMemory m = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(2 * GIB).metaspaceBytes(64 * MIB).loadedClassCount(1).calculate();
      assertThat(m.metaspaceBytes()).isEqualTo(64 * MIB);
      // 2147483648 - 10485760 - 67108864 - 251658240 - 262144000
      assertThat(m.heapBytes()).isEqualTo(1_556_086_784L);
    }
  }

  @Nested
  class TinyAndHuge {

    @Test
    void sixtyFourMebibytesIsRefusedWithEveryRegionListed() {
      // 64M: code max(16M, 15M) = 16M, threads max(20, 15) = 20, classes 8000 -> metaspace 60400000
      // fixed = 10485760 + 60400000 + 16777216 + 20971520 = 108634496 B = 106088.4K > 64M
      assertThatThrownBy(() -> paketoScaled(64 * MIB))
          .isInstanceOf(InsufficientMemoryException.class)
          .hasMessage("fixed memory regions require 106088K which is greater than 64M available for allocation:"
              + " -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=58984K, -XX:ReservedCodeCacheSize=16M,"
              + " -Xss1M * 20 threads; to fit, lower the thread count (20) or the loaded class count (8000),"
              + " pin smaller regions, or raise the memory limit");
    }

    @Test
    void sixtyFourMebibytesFitsWithRealCounts() {
      // fixed = 2M + (14000000 + 2000*5800) + 8M + 10 * 512K = 2097152 + 25600000 + 8388608 + 5242880 = 41328640
      JvmMemory m = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(64 * MIB).threadCount(10).threadStackBytes(512 * KIB)
          .loadedClassCount(2000).reservedCodeCacheBytes(8 * MIB).directMemoryBytes(2 * MIB).calculate();
      assertThat(m.heapBytes()).isEqualTo(67_108_864L - 41_328_640L);
      assertThat(m.flagsLine()).isEqualTo(
          "-XX:MaxDirectMemorySize=2M -Xmx25176K -XX:MaxMetaspaceSize=25000K -XX:ReservedCodeCacheSize=8M -Xss512K");
    }

    @Test
    void aHeapBelowTheMinimumIsRefused() {
      // 140M: code floor(240*140/1024) = 32M, threads floor(250*140/1024) = 34, classes 8000
      // heap = 146800640 - (10485760 + 60400000 + 33554432 + 35651584) = 6708864 B = 6551.6K < 8M
      assertThatThrownBy(() -> paketoScaled(140 * MIB))
          .isInstanceOf(InsufficientMemoryException.class)
          .hasMessageStartingWith("memory regions leave 6551K for the heap, less than the 8M minimum, of 140M"
              + " available for allocation: 0 headroom, -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=58984K,"
              + " -XX:ReservedCodeCacheSize=32M, -Xss1M * 34 threads");
      // 145M: heap = 152043520 - (10485760 + 60400000 + 34603008 + 36700160) = 9854592 >= 8M
      assertThat(paketoScaled(145 * MIB).heapBytes()).isEqualTo(9_854_592L);
    }

    @Test
    void unlimitedContainerUsesTheHostsMemory() {
      var unlimited = TestResources.of(4, OptionalDouble.empty(), OptionalLong.empty(), 8 * GIB);
      assertThat(paketoFor(unlimited)).isEqualTo(paketoScaled(8 * GIB));
      // 8589934592 - 625288000
      assertThat(paketoFor(unlimited).heapBytes()).isEqualTo(7_964_646_592L);
    }

    @Test
    void containerLimitWins() {
      assertThat(paketoFor(TestResources.memory(GIB)).heapBytes()).isEqualTo(448_453_824L);
    }

    @Test
    void largestTotalsDoNotOverflow() {
      JvmMemory m = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(Long.MAX_VALUE).headroomPercent(99).calculate();
      assertThat(m.headroomBytes()).isEqualTo(Long.MAX_VALUE / 100 * 99 + Long.MAX_VALUE % 100 * 99 / 100);
      assertThat(m.heapBytes() + m.nonHeapBytes()).isEqualTo(Long.MAX_VALUE);
    }
  }

  @Nested
  class Properties {
    private static final Pattern FLAG = Pattern.compile("(-Xmx|-Xss|-XX:\\w+=)(\\d+)([KMGT]?)");

    @Test
    void neverAboveTheTotalAndFlagsNeverAboveTheRegions() {
      SplittableRandom rnd = new SplittableRandom(42);
      for (int i = 0; i < 20_000; i++) {
        long total = 150 * MIB + (long) (rnd.nextDouble() * rnd.nextDouble() * 256 * GIB);
        JvmMemory.Builder b = JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(total);
        if (rnd.nextBoolean()) {
          b.threadCount(rnd.nextInt(1, 2000));
        }
        if (rnd.nextBoolean()) {
          b.loadedClassCount(rnd.nextInt(0, 100_000));
        }
        if (rnd.nextInt(4) == 0) {
          b.headroomPercent(rnd.nextInt(0, 30));
        }
        if (rnd.nextInt(4) == 0) {
          b.threadStackBytes(rnd.nextLong(64 * KIB, 4 * MIB));
        }
        JvmMemory m;
        try {
          m = b.calculate();
        } catch (InsufficientMemoryException e) {
          assertThat(e.requiredBytes()).isGreaterThan(total);
          assertThat(e.availableBytes()).isEqualTo(total);
          continue;
        }
        assertThat(m.heapBytes() + m.nonHeapBytes()).isLessThanOrEqualTo(total);
        assertThat(m.heapBytes()).isGreaterThanOrEqualTo(JvmMemory.MIN_HEAP_BYTES);
        assertThat(flagBytes(m, "-Xmx")).isLessThanOrEqualTo(m.heapBytes()).isGreaterThan(m.heapBytes() - KIB);
        assertThat(flagBytes(m, "-XX:MaxMetaspaceSize=")).isLessThanOrEqualTo(m.metaspaceBytes());
        assertThat(flagBytes(m, "-XX:ReservedCodeCacheSize=")).isLessThanOrEqualTo(m.reservedCodeCacheBytes());
        assertThat(flagBytes(m, "-Xss")).isLessThanOrEqualTo(m.threadStackBytes());
        assertThat(m.maxRamPercentage() / 100 * total).isLessThanOrEqualTo(m.heapBytes());
        assertThat(m.flagsLine()).matches("[-A-Za-z0-9:= ]+");
      }
    }

    @Test
    void heapGrowsByteForByteFromOneGibibyte() {
      long previous = -1;
      for (long total = GIB - 3; total < GIB + 3; total++) {
        // below 1G the 1-byte steps are allowed to dip, from 1G on never
        long heap = paketoScaled(total).heapBytes();
        if (total > GIB) {
          assertThat(heap).isEqualTo(previous + 1);
        }
        previous = heap;
      }
      for (long total = GIB; total <= 2048 * GIB; total += 7 * GIB + 12_345) {
        assertThat(paketoScaled(total + 1).heapBytes() - paketoScaled(total).heapBytes()).isEqualTo(1);
      }
    }

    @Test
    void heapNeverShrinksBetweenTotalsFiveMebibytesApart() {
      long step = 5 * MIB;
      for (long total = 150 * MIB; total < 2 * GIB; total += 97 * KIB) {
        long now = paketoScaled(total).heapBytes();
        long later = paketoScaled(total + step).heapBytes();
        assertThat(later).as("total %d", total).isGreaterThanOrEqualTo(now);
        // and within the step it dips by at most about 2 MiB
        long mid = paketoScaled(total + 13 * KIB).heapBytes();
        assertThat(mid).as("total %d", total).isGreaterThan(now - 2 * MIB - 8 * KIB);
      }
    }

    private long flagBytes(JvmMemory m, String prefix) {
      String flag = m.flags().stream().filter(f -> f.startsWith(prefix)).findFirst().orElseThrow();
      Matcher x = FLAG.matcher(flag);
      assertThat(x.matches()).as(flag).isTrue();
      long n = Long.parseLong(x.group(2));
      long unit = switch (x.group(3)) {
        case "K" -> KIB;
        case "M" -> MIB;
        case "G" -> GIB;
        case "T" -> 1024 * GIB;
        default -> 1;
      };
      return n * unit;
    }
  }

  @Nested
  class Validation {
    @Test
    void rejectsBadInputs() {
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).build()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("total not set");
      assertThatThrownBy(() -> paketoScaled(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(GIB).headroomPercent(100).build())
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(GIB).threadCount(-1).build())
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(GIB).threadStackBytes(0).build())
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(GIB).heapBytes(-1).build())
          .isInstanceOf(IllegalArgumentException.class);
      // -XX:MaxDirectMemorySize=0 would mean "as large as the heap" to HotSpot
      assertThatThrownBy(() -> JvmMemory.builder().mode(JvmMemory.Mode.PAKETO).totalBytes(GIB).directMemoryBytes(0).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 KiB");
    }

    @Test
    void recordRejectsRegionsThatDoNotFit() {
      assertThatThrownBy(() -> new JvmMemory(JvmMemory.Mode.PAKETO, GIB, GIB, 1, 0, 0, MIB, MIB, 0, 0, 0, 0,
          0, 0, JvmMemory.Collector.G1, false, false, List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the total");
    }

    @Test
    void anUnknownLimitIsRefusedEvenWithTheHostsMemoryKnown() {
      // 1 GiB was read on one level, another level could not be read: the real limit may be lower.
      var r = TestResources.withMemoryLimit(dev.rightsize.Limit.unknownAtMost(GIB), 64 * GIB);
      assertThatThrownBy(() -> JvmMemory.forContainer(r)).isInstanceOf(UnknownMemoryException.class)
          .hasMessageContaining("memory limit is unknown").hasMessageContaining("at most 1 GiB");
      var none = TestResources.withMemoryLimit(dev.rightsize.Limit.unknown(), 64 * GIB);
      assertThatThrownBy(() -> JvmMemory.forContainer(none)).isInstanceOf(UnknownMemoryException.class)
          .hasMessageContaining("no limit file could be read");
    }

    @Test
    void noLimitAndNoTotalIsRefused() {
      var none = TestResources.withMemoryLimit(dev.rightsize.Limit.unlimited(), -1);
      assertThatThrownBy(() -> JvmMemory.forContainer(none)).isInstanceOf(UnknownMemoryException.class)
          .hasMessageContaining("no memory total could be read");
    }

    @Test
    void aKnownAbsentLimitSizesForTheHost() {
      var host = TestResources.withMemoryLimit(dev.rightsize.Limit.unlimited(), 4 * GIB);
      assertThat(JvmMemory.forContainer(host).totalBytes()).isEqualTo(4 * GIB);
    }
  }
}
