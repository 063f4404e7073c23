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
}
