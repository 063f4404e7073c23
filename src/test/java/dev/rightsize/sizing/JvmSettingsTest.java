package dev.rightsize.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmSettingsTest {

  @Test
  void currentReadsTheRunningJvm() {
    JvmSettings s = JvmSettings.current();
    assertThat(s.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(s.garbageCollectors()).isNotEmpty();
    // the test JVM is HotSpot, with jdk.management
    assertThat(s.flagsReadable()).isTrue();
    assertThat(s.maxHeapSizeBytes()).isPresent();
    assertThat(s.heapLimitBytes()).isEqualTo(s.maxHeapSizeBytes());
    assertThat(s.maxRamPercentage()).isPresent();
    assertThat(s.reservedCodeCacheSizeBytes()).isPresent();
    assertThat(s.threadStackSizeBytes()).isPresent();
    assertThat(s.threadStackSizeBytes().getAsLong() % 1024).isZero(); // converted from KiB
    assertThat(s.useContainerSupport()).isPresent();
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    if (args.stream().noneMatch(a -> a.startsWith("-XX:ActiveProcessorCount"))) {
      assertThat(s.activeProcessorCount()).isEmpty(); // -1 means "not set"
    }
    if (args.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize"))) {
      assertThat(s.maxHeapSizeExplicit()).isFalse();
    }
    if (args.stream().noneMatch(a -> a.startsWith("-XX:MaxMetaspaceSize"))) {
      assertThat(s.maxMetaspaceSizeBytes()).isEmpty(); // unlimited by default
    }
  }

  @Test
  void builderStartsWithNothingKnown() {
    JvmSettings s = JvmSettings.builder().build();
    assertThat(s.availableProcessors()).isEqualTo(1);
    assertThat(s.maxMemoryBytes()).isEmpty();
    assertThat(s.heapLimitBytes()).isEmpty();
    assertThat(s.garbageCollectors()).isEmpty();
    assertThat(s.flagsReadable()).isFalse();
    assertThat(s.useContainerSupport()).isEmpty();
  }

  @Test
  void heapLimitPrefersTheFlag() {
    JvmSettings s = JvmSettings.builder().maxMemoryBytes(900).maxHeapSizeBytes(1000).build();
    assertThat(s.heapLimitBytes()).hasValue(1000);
    assertThat(JvmSettings.builder().maxMemoryBytes(900).build().heapLimitBytes()).hasValue(900);
  }

  @Test
  void rejectsZeroProcessors() {
    assertThatThrownBy(() -> JvmSettings.builder().availableProcessors(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringNamesWhatWasReadAndLeavesOutTheRest() {
    JvmSettings all = JvmSettings.builder().availableProcessors(2).activeProcessorCount(2)
        .maxHeapSizeBytes(256L << 20).maxHeapSizeExplicit(true).maxRamPercentage(25.0)
        .garbageCollectors(List.of("G1 Young Generation", "G1 Old Generation"))
        .maxDirectMemorySizeBytes(10L << 20).reservedCodeCacheSizeBytes(240L << 20)
        .maxMetaspaceSizeBytes(64L << 20).threadStackSizeBytes(1L << 20).useContainerSupport(true).build();
    assertThat(all).hasToString("JvmSettings[2 processors (-XX:ActiveProcessorCount=2), max heap 256 MiB (-Xmx),"
        + " GC G1, MaxDirectMemorySize 10 MiB, ReservedCodeCacheSize 240 MiB, MaxMetaspaceSize 64 MiB,"
        + " -Xss 1 MiB, container support on]");
    // the heap from MaxRAMPercentage; container support off; 1 processor
    JvmSettings pct = JvmSettings.builder().availableProcessors(1).maxHeapSizeBytes(1L << 30).maxRamPercentage(75.0)
        .useContainerSupport(false).garbageCollectors(List.of("Copy", "MarkSweepCompact")).build();
    assertThat(pct).hasToString("JvmSettings[1 processor, max heap 1 GiB (MaxRAMPercentage 75.0), GC Serial,"
        + " container support off]");
    // flags unreadable: Runtime.maxMemory() stands in, with no source named
    assertThat(JvmSettings.builder().availableProcessors(4).maxMemoryBytes(512L << 20).build())
        .hasToString("JvmSettings[4 processors, max heap 512 MiB]");
    assertThat(JvmSettings.builder().build()).hasToString("JvmSettings[1 processor]");
  }

  @Test
  void theBuilderSetsEachFlag() {
    JvmSettings s = JvmSettings.builder().maxDirectMemorySizeBytes(1).reservedCodeCacheSizeBytes(2)
        .maxMetaspaceSizeBytes(3).threadStackSizeBytes(4).build();
    assertThat(s.maxDirectMemorySizeBytes()).hasValue(1);
    assertThat(s.reservedCodeCacheSizeBytes()).hasValue(2);
    assertThat(s.maxMetaspaceSizeBytes()).hasValue(3);
    assertThat(s.threadStackSizeBytes()).hasValue(4);
  }
}
