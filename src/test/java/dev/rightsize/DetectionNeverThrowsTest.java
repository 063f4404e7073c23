package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutates every file of captured and hand-built roots in many hostile ways and checks that detection
 * always returns a sane snapshot, quickly, naming the file it could not use: the invariants of
 * {@link DetectionInvariants} (every warning names its file, unknown values have a typed warning,
 * the JSON parses). The whole-root fuzzer ({@code DetectFuzzTest}) explores beyond these strings.
 */
@org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
class DetectionNeverThrowsTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/real-v1/v1-docker-quota-memory");
  private static final String[] GARBAGE = {
      "", "\n", "banana", "-1", "-99999999999999999999999", "99999999999999999999999999", "0", "max",
      "1 2 3 4 5 6 7 8 9 10", "\u0000\u0001\u0002", "0-", "::::", "- - - -", "\\040\\", "NaN", "1e9",
      "processor : x\n", "MemTotal: kB\n", "0-4294967295", "9223372036854775807", "cpu  \ncpu0\n",
      "cpu cpu memory memory", " MemTotal: 8000000 kB\n", "MemTotalX: 5\n", "-5", "+5", "# processors : 0\n",
      "1 2\n3 4"};

  @TempDir Path tmp;

  /** Small real and hand-built roots covering v1, v2, hybrid, TencentOS and LXCFS. */
  static Stream<String> fixtures() {
    return Stream.of("real-v1/v1-docker-quota-memory", "real-tencent/isolated-on", "synthetic/v2-k8s-burstable",
        "synthetic/lxcfs-no-cfs", "synthetic/hybrid-memory-on-v2");
  }

  /**
   * Every file of every fixture gets garbage: in {@code mvn test} a rotating sample of four of the
   * garbage strings per file (each string still lands in many files), the original with leading
   * whitespace for every third file and random bytes for every fourth; the fuzz profile runs the
   * whole cross product ({@link #everyGarbageInEveryFileExhaustively}).
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void garbageInEveryFileStillGivesASnapshot(String fixture) throws IOException {
    sweep(fixture, false);
  }

  /** Every garbage string in every file, with and without leading whitespace: the fuzz profile's. */
  @ParameterizedTest
  @MethodSource("fixtures")
  @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "JAZZER_FUZZ", matches = "1")
  void everyGarbageInEveryFileExhaustively(String fixture) throws IOException {
    sweep(fixture, true);
  }

  private void sweep(String fixture, boolean exhaustive) throws IOException {
    Path root = tmp.resolve((exhaustive ? "x-" : "g-") + fixture.replace('/', '_')); // cases run concurrently
    TestTrees.copy(TestTrees.FIXTURES.resolve(fixture), root);
    List<Path> files = filesOf(root);
    assertThat(files).hasSizeGreaterThan(10);
    Random rnd = new Random(42);
    for (int i = 0; i < files.size(); i++) {
      Path f = root.resolve(files.get(i));
      byte[] original = Files.readAllBytes(f);
      for (int k = 0; k < GARBAGE.length; k++) {
        if (!exhaustive && k % 7 != i % 7) {
          continue; // four of the 28 strings per file, a different four for the next file
        }
        Files.writeString(f, GARBAGE[k]);
        check(root);
      }
      if (exhaustive || i % 3 == 0) {
        Files.writeString(f, " " + new String(original, StandardCharsets.UTF_8)); // leading whitespace
        check(root);
      }
      if (exhaustive || i % 4 == 0) {
        byte[] b = new byte[rnd.nextInt(4096)];
        rnd.nextBytes(b);
        Files.write(f, b);
        check(root);
      }
      Files.write(f, original);
    }
  }

  @Test
  void everyFileRemovedOrMadeUnreadableStillGivesASnapshot() throws IOException {
    Path root = tmp.resolve("d");
    TestTrees.copy(FIXTURE, root);
    int i = 0;
    for (Path rel : filesOf(root)) {
      Path f = root.resolve(rel);
      byte[] original = Files.readAllBytes(f);
      Files.delete(f);
      boolean asDirectory = i++ % 2 == 0;
      if (asDirectory) {
        Files.createDirectory(f); // reading a directory fails like EACCES does for a non-root user
      }
      ContainerResources r = check(root);
      if (asDirectory && rel.toString().endsWith("memory.limit_in_bytes") && rel.getNameCount() > 6) {
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.file()).hasValue("/" + rel));
      }
      if (asDirectory) {
        Files.delete(f);
      }
      Files.write(f, original);
    }
  }

  @Test
  void emptyRootGivesHostDefaultsWithWarnings() throws IOException {
    ContainerResources r = check(Files.createDirectories(tmp.resolve("empty")));
    assertThat(r.source()).isEqualTo(Source.HOST);
    assertThat(r.cpu().effective()).isEqualTo(1);
    // Nothing could be read: every limit is unknown, not unlimited.
    assertThat(r.memory().limitBytes()).isEqualTo(Limit.unknown());
    assertThat(r.cpu().quotaMicros()).isEqualTo(Limit.unknown());
    assertThat(r.unknown()).contains(Value.MEMORY_LIMIT, Value.CPU_LIMIT, Value.CPU_HOST);
    assertThat(r.warnings()).extracting(Warning::code).contains(WarningCode.FILE_MISSING, WarningCode.HOST_CPUS_UNKNOWN);
    assertThat(r.warnings()).filteredOn(w -> w.code() == WarningCode.FILE_MISSING)
        .extracting(w -> w.file().orElseThrow())
        .contains("/proc/self/mountinfo", "/proc/self/cgroup", "/proc/meminfo", "/sys/devices/system/cpu/online");
  }

  @Test
  void nonexistentRootDoesNotThrow() {
    ContainerResources r = check(tmp.resolve("does/not/exist"));
    assertThat(r.source()).isEqualTo(Source.HOST);
  }

  private static ContainerResources check(Path root) {
    return DetectionInvariants.detectAndCheck(root);
  }

  private static List<Path> filesOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> out = new ArrayList<>();
      s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("SCENARIO.md"))
          .filter(p -> !p.getFileName().toString().equals("EXPECT"))
          .forEach(p -> out.add(dir.relativize(p)));
      out.sort(Comparator.naturalOrder());
      return out;
    }
  }


}
