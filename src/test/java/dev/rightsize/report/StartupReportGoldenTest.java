package dev.rightsize.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rightsize.ContainerResources;
import dev.rightsize.sizing.JvmFootprint;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole report, every row and member, for five fixtures, against documents checked by hand
 * line by line against the fixture files ({@code src/test/resources/report/README.md} says where
 * each number comes from). The JVM flags and heap are the sizing package's, tested there; a change
 * of sizing fails the precondition here with a message, not a diff of the whole report. The sizing
 * depends on the running JDK's version, so JDK 20 and later have their own documents.
 */
class StartupReportGoldenTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  private static final Path GOLDEN = Path.of("src/test/resources/report");
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The sizing differs from JDK 20 on (the JVM's own files and G1's fixed cost, measured on JDK 17 and
   * Temurin 25): the documents for those JDKs are the {@code .jdk20} ones. They differ from the others
   * in the JVM flags, the heap and the findings' fixes only.
   */
  private static final String JDK = Runtime.version().feature() >= 20 ? ".jdk20" : "";

  /** The JVM of the "with JVM" case: two processors, an explicit 900 MiB heap, Serial. */
  private static final JvmSettings JVM = JvmSettings.builder().availableProcessors(2).activeProcessorCount(2)
      .maxMemoryBytes(900L << 20).maxHeapSizeBytes(900L << 20).maxHeapSizeExplicit(true).maxRamPercentage(25.0)
      .garbageCollectors(List.of("Copy", "MarkSweepCompact")).build();

  /** A previous run's footprint: 20,000 classes, 100 MiB metaspace, 60 MiB code cache, 300 threads. */
  private static final JvmFootprint MEASURED = new JvmFootprint(20_000, 90L << 20, 100L << 20, 50L << 20,
      60L << 20, 250, 300, 64L << 20, 4096, 512L << 20, 900L << 20, Optional.of(JvmMemory.Collector.SERIAL));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("v1-memsw-soft-jvm", (Function<ContainerResources, StartupReport>)
            r -> StartupReport.of(r, JVM).withFootprint(MEASURED), "synthetic/v1-memsw-soft"),
        Arguments.of("v1-leaf-quota-garbage", (Function<ContainerResources, StartupReport>) StartupReport::of,
            "unknown/v1-leaf-quota-garbage"),
        Arguments.of("v2-unlimited", (Function<ContainerResources, StartupReport>) StartupReport::of,
            "synthetic/v2-unlimited"),
        Arguments.of("tencent-show-realinfo", (Function<ContainerResources, StartupReport>) StartupReport::of,
            "synthetic/tencent-show-realinfo"),
        Arguments.of("v1-pids-parent-limit", (Function<ContainerResources, StartupReport>) StartupReport::of,
            "synthetic/v1-pids-parent-limit"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void textLineAndJsonAreTheCheckedDocuments(String name, Function<ContainerResources, StartupReport> build,
      String fixture) throws IOException {
    StartupReport report = build.apply(ContainerResources.detect(FIXTURES.resolve(fixture)));
    String text = report.toText();
    String line = report.toLine();
    String json = report.toJson();
    name += JDK;
    if (Boolean.getBoolean("rightsize.golden.write")) {
      // Drafts only: a written file is checked by hand before it is committed.
      Files.writeString(GOLDEN.resolve(name + ".txt"), text + "\n");
      Files.writeString(GOLDEN.resolve(name + ".line"), line + "\n");
      Files.writeString(GOLDEN.resolve(name + ".json"), json + "\n");
      Files.writeString(GOLDEN.resolve(name + ".flags"), report.jvmMemory().get().flagsLine() + "\n");
    }
    assertThat(report.jvmMemory().map(JvmMemory::flagsLine))
        .as("the sizing package's flags for %s changed: check and update %s.*", fixture, name)
        .isEqualTo(Optional.of(golden(name + ".flags").strip()));
    assertThat(text).isEqualTo(golden(name + ".txt").stripTrailing());
    assertThat(line).isEqualTo(golden(name + ".line").stripTrailing());
    JsonNode expected = JSON.readTree(golden(name + ".json"));
    assertThat(JSON.readTree(json)).isEqualTo(expected);
  }

  private static String golden(String file) throws IOException {
    return Files.readString(GOLDEN.resolve(file), StandardCharsets.UTF_8);
  }
}
