package dev.rightsize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract: what goes to stdout and stderr, and the exit status. */
class MainTest {
  private static final String FIXTURE = "src/test/resources/fixtures/real-v1/v1-host-parent-limits";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return runWithEnv(java.util.Map.of(), args);
  }

  private int runWithEnv(java.util.Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsUsageOnStdoutAndExitsZeroWherever() {
    assertThat(run("--bogus", "--help")).isZero();
    assertThat(out()).startsWith("Usage: java -jar rightsize-cli.jar");
    assertThat(err()).isEmpty();
  }

  @Test
  void unknownArgumentIsAUsageError() {
    assertThat(run("--jsn")).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err()).contains("unknown argument: --jsn").contains("Usage:");
  }

  @Test
  void rootMustBeAnExistingDirectory(@TempDir Path tmp) {
    assertThat(run("--root")).isEqualTo(2);
    assertThat(run("--root", tmp.resolve("nope").toString())).isEqualTo(2);
    assertThat(run("--root=" + tmp.resolve("nope"))).isEqualTo(2);
    assertThat(run("--root", "bad\u0000path")).isEqualTo(2);
    assertThat(out()).isEmpty();
  }

  @Test
  void jsonAndFlagsExcludeEachOther() {
    assertThat(run("--json", "--jvm-flags")).isEqualTo(2);
  }

  @Test
  void jsonIsOneObjectAndNothingElseOnStdout() throws Exception {
    assertThat(run("--json", "--root", FIXTURE)).isZero();
    JsonNode j = new ObjectMapper().readTree(out());
    assertThat(j.isObject()).isTrue();
    assertThat(j.get("source").asText()).isEqualTo("cgroup-v1");
    assertThat(j.get("cpu").get("limit").asDouble()).isEqualTo(0.5);
    assertThat(j.get("memory").get("limit").asLong()).isEqualTo(805306368L);
    assertThat(j.get("jvm").isNull()).isTrue(); // another root: the running JVM is not compared
    assertThat(j.get("recommended").get("jvmMemory").get("flags").asText()).startsWith("-XX:MaxDirectMemorySize=");
    assertThat(err()).isEmpty();
  }

  @Test
  void textReportNamesSourceValuesAndFiles() {
    assertThat(run("--root", FIXTURE)).isZero();
    assertThat(out()).contains("rightsize: source cgroup-v1, cgroup v1")
        .contains("0.5 CPUs (quota 50000 us / period 100000 us)")
        .contains("768.00 MiB (805306368 bytes)")
        .contains("<- /sys/fs/cgroup/memory/kubepods/burstable/pod5667d3bb-6287-4b21-97cf-5b4c40f2b077/memory.limit_in_bytes");
  }

  @Test
  void jvmFlagsIsOneLineOfFlags(@TempDir Path tmp) throws Exception {
    // The capture has no /proc/self/limits or /proc/sys files: add a container's, so nothing is missing.
    Path root = dev.rightsize.TestTrees.copy(Path.of(FIXTURE), tmp.resolve("r"));
    Path more = Path.of("src/test/resources/fixtures/synthetic/v2-unlimited");
    dev.rightsize.TestTrees.copy(more.resolve("proc/sys"), root.resolve("proc/sys"));
    Files.copy(more.resolve("proc/self/limits"), root.resolve("proc/self/limits"));
    assertThat(run("--jvm-flags", "--root", root.toString())).isZero();
    assertThat(out().lines()).singleElement().satisfies(line -> {
      assertThat(line.split(" ")).allSatisfy(t -> assertThat(t).startsWith("-"));
      assertThat(line).contains("-Xmx").contains("-Xss");
    });
    assertThat(err()).isEmpty();
  }

  @Test
  void jvmFlagsExitsOneWhenTheJvmDoesNotFit(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("r");
    dev.rightsize.TestTrees.copy(Path.of(FIXTURE), root);
    Files.writeString(root.resolve(
        "sys/fs/cgroup/memory/kubepods/burstable/pod5667d3bb-6287-4b21-97cf-5b4c40f2b077/memory.limit_in_bytes"),
        "33554432\n");
    assertThat(run("--jvm-flags", "--root", root.toString())).isEqualTo(1);
    assertThat(out()).isEmpty();
    assertThat(err()).contains("cannot size the JVM").contains("a total of 32M is below the 48M");
    // Paketo mode keeps its own refusal, with its message
    assertThat(run("--jvm-flags", "--mode", "paketo", "--root", root.toString())).isEqualTo(1);
    assertThat(err()).contains("fixed memory regions require");
  }

  /**
   * In a pod with pids.max 100 (37 tasks), 200 threads asked: the flags are sized for the 47 that
   * can start, and stderr says why, with the finding; stdout is still one line of flags.
   */
  @Test
  void jvmFlagsCapTheThreadCountAtTheHeadroomAndSaySo() {
    String root = "src/test/resources/fixtures/synthetic/v1-pids-parent-limit";
    assertThat(run("--jvm-flags", "--root", root, "--threads", "200")).isZero();
    assertThat(out().lines()).singleElement().satisfies(l -> assertThat(l).contains("-Xmx"));
    // 100 - 37 tasks - (8 + 2 x 4 CPUs) = 47
    assertThat(err()).contains("rightsize: note: threads: 200 asked, budgeted 47")
        .contains("rightsize: note: thread headroom 47: pids.max 100 (/sys/fs/cgroup/pids/kubepods/burstable/pod77/"
            + "pids.max) - 37 tasks now - 16 reserved for the JVM's own threads = 47")
        .contains("rightsize: warning: WARN threads-above-headroom: 200 threads (planned)");
  }

  /** The text report's task, file and kernel rows, each with the file it came from. */
  @Test
  void textReportHasTheTaskFileAndKernelRows() {
    assertThat(run("--root", "src/test/resources/fixtures/synthetic/limits-ulimit-set")).isZero();
    assertThat(out()).contains("Tasks and files\n")
        .contains("  pids limit      unlimited\n")
        .contains("  pids current    12   <- /sys/fs/cgroup/pids.current\n")
        .contains("  open files      1024 (hard 1024)   <- /proc/self/limits\n")
        .contains("  processes       500 (hard 800)   <- /proc/self/limits\n")
        .contains("  somaxconn       128   <- /proc/sys/net/core/somaxconn\n")
        .contains("  max_map_count   262144   <- /proc/sys/vm/max_map_count\n")
        .contains("WARN open-files-low: the open-file limit is 1024")
        .contains("INFO somaxconn-low: net.core.somaxconn is 128");
  }

  /** 128 MiB, which the old calculator refused: flags, and what was squeezed on stderr. */
  @Test
  void smallContainerGetsFlagsAndNotesInsteadOfARefusal(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("r");
    dev.rightsize.TestTrees.copy(Path.of(FIXTURE), root);
    Files.writeString(root.resolve(
        "sys/fs/cgroup/memory/kubepods/burstable/pod5667d3bb-6287-4b21-97cf-5b4c40f2b077/memory.limit_in_bytes"),
        "134217728\n");
    assertThat(run("--jvm-flags", "--root", root.toString(), "--threads", "200", "--loaded-classes", "12000"))
        .isZero();
    assertThat(out().lines()).singleElement().satisfies(l -> assertThat(l).contains("-Xmx"));
    assertThat(err()).contains("rightsize: note: squeezed:");
  }

  @Test
  void sizingOptionsAndTheirEnvironmentVariables() {
    // 768 MiB fixture, 0.5 CPU -> Serial predicted; options change the flags they cap
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--direct-memory", "64M", "--code-cache=24m")).isZero();
    assertThat(out()).contains("-XX:MaxDirectMemorySize=64M").contains("-XX:ReservedCodeCacheSize=24M")
        .doesNotContain("GC");
    out.reset();
    assertThat(runWithEnv(java.util.Map.of("RIGHTSIZE_DIRECT_MEMORY", "32M", "RIGHTSIZE_COLLECTOR", "g1"),
        "--jvm-flags", "--root", FIXTURE)).isZero();
    assertThat(out()).contains("-XX:MaxDirectMemorySize=32M").endsWith("-XX:+UseG1GC" + System.lineSeparator());
    out.reset();
    // the option wins over the environment
    assertThat(runWithEnv(java.util.Map.of("RIGHTSIZE_DIRECT_MEMORY", "32M"),
        "--jvm-flags", "--root", FIXTURE, "--direct-memory", "16M")).isZero();
    assertThat(out()).contains("-XX:MaxDirectMemorySize=16M");
    out.reset();
    // Paketo mode: its published 10M / 240M-scaled defaults
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--mode", "paketo")).isZero();
    assertThat(out()).startsWith("-XX:MaxDirectMemorySize=10M ").contains("-XX:ReservedCodeCacheSize=180M");
  }

  @Test
  void badSizingInputsAreUsageErrors() {
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--threads", "many")).isEqualTo(2);
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--direct-memory", "64Q")).isEqualTo(2);
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--collector", "zgc")).isEqualTo(2);
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--mode", "fast")).isEqualTo(2);
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--threads")).isEqualTo(2);
    assertThat(run("--json", "--root", FIXTURE, "--threads", "10")).isEqualTo(2);
    assertThat(runWithEnv(java.util.Map.of("RIGHTSIZE_THREADS", "-3"), "--jvm-flags", "--root", FIXTURE))
        .isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err()).contains("--threads many: not a count").contains("--direct-memory 64Q: not a size")
        .contains("--collector zgc").contains("unknown mode 'fast'").contains("--threads needs a value")
        .contains("--threads only applies to --jvm-flags");
  }

  @Test
  void profileFeedsAMeasuredFootprint(@TempDir Path tmp) throws Exception {
    Path fp = tmp.resolve("fp.properties");
    Files.writeString(fp, String.join("\n", "loadedClassCount=20000", "metaspaceUsedBytes=1",
        "metaspaceCommittedBytes=1", "codeCacheUsedBytes=1", "codeCacheCommittedBytes=41943040", "threadCount=10",
        "peakThreadCount=30", "directBufferBytes=41943040", "mappedBufferBytes=0", "heapCommittedBytes=1",
        "heapMaxBytes=1", "collector=G1", ""));
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--profile", fp.toString())).isZero();
    // direct 40 MiB x 1.25 = 50 MiB; code cache 40 MiB x 1.5 = 60 MiB; metaspace 4 MiB + 22,000 x 4608 B
    // = 105,570,304 B, rounded up to whole MiB: 101 MiB; the profile's collector is named
    assertThat(out()).contains("-XX:MaxDirectMemorySize=50M", "-XX:ReservedCodeCacheSize=60M",
        "-XX:MaxMetaspaceSize=101M", "-XX:+UseG1GC");
    String withProfile = out();
    out.reset();
    // A first start has no profile yet: a note, and the flags from the other inputs.
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--profile", tmp.resolve("missing").toString())).isZero();
    assertThat(err()).contains("no profile at " + tmp.resolve("missing") + " yet");
    assertThat(out()).isNotEqualTo(withProfile).doesNotContain("-XX:+UseG1GC").contains("-Xmx");
    out.reset();
    // A file that is not a footprint is an error.
    Path bad = tmp.resolve("bad.properties");
    Files.writeString(bad, "hello=world\n");
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--profile", bad.toString())).isEqualTo(2);
  }

  @Test
  void jvmFlagsWithoutALimitSaysWhatItSizedFor(@TempDir Path tmp) throws Exception {
    assertThat(run("--jvm-flags", "--root", "src/test/resources/fixtures/real-v1/v1-docker-no-limits")).isZero();
    assertThat(err()).contains("no memory limit found; sizing for").contains("the host's memory");
    assertThat(out().lines()).hasSize(1);
  }

  @Test
  void emptyRootIsNothingReadExitFour(@TempDir Path empty) {
    assertThat(run("--root", empty.toString())).isEqualTo(4);
    assertThat(out()).contains("source host"); // the report is still printed, with what is missing
    assertThat(err()).contains("nothing could be read under " + empty);
  }

  @Test
  void emptyRootJsonIsStillOneObjectButExitsFour(@TempDir Path empty) throws Exception {
    assertThat(run("--json", "--root", empty.toString())).isEqualTo(4);
    assertThat(new ObjectMapper().readTree(out()).get("warnings").size()).isGreaterThanOrEqualTo(4);
    assertThat(err()).contains("nothing could be read");
  }

  @Test
  void emptyRootJvmFlagsPrintsEachWarningOnceAndNoFlags(@TempDir Path empty) {
    assertThat(run("--jvm-flags", "--root", empty.toString())).isEqualTo(4);
    assertThat(out()).isEmpty();
    assertThat(err()).containsOnlyOnce("[/proc/meminfo]")
        .containsOnlyOnce("file-missing: expected file is missing [/proc/self/mountinfo]")
        .containsOnlyOnce("nothing could be read");
  }

  @Test
  void noMemoryFigureIsExitThreeWithEachWarningOnce(@TempDir Path root) throws Exception {
    Path online = root.resolve("sys/devices/system/cpu/online");
    Files.createDirectories(online.getParent());
    Files.writeString(online, "0-3\n"); // the CPUs can be read, the memory cannot
    assertThat(run("--jvm-flags", "--root", root.toString())).isEqualTo(3);
    assertThat(out()).isEmpty();
    assertThat(err()).containsOnlyOnce("[/proc/meminfo]")
        .contains("rightsize: memory limit unknown, no JVM flags: the memory limit is unknown");
    out.reset();
    assertThat(run("--root", root.toString())).as("a report from the CPU files alone").isZero();
  }

  @Test
  void everyFixtureRootIsReadable() throws Exception {
    List<Path> roots;
    try (var s = Files.walk(Path.of("src/test/resources/fixtures"), 3)) {
      roots = s.filter(p -> Files.isDirectory(p.resolve("proc"))).toList();
    }
    assertThat(roots).hasSizeGreaterThan(40);
    for (Path root : roots) {
      assertThat(run("--json", "--root", root.toString())).as("%s: %s", root, err()).isZero();
    }
  }

  @Test
  void aRepeatedOptionIsAUsageError(@TempDir Path tmp) {
    assertThat(run("--json", "--json")).isEqualTo(2);
    assertThat(err()).contains("--json given more than once");
    assertThat(run("--jvm-flags", "--root", FIXTURE, "--jvm-flags")).isEqualTo(2);
    assertThat(run("--root", FIXTURE, "--root=" + tmp)).isEqualTo(2);
    assertThat(err()).contains("--root given more than once");
    assertThat(out()).isEmpty();
  }

  @Test
  void versionIsTheProjectVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out().strip()).matches("rightsize \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(err()).isEmpty();
  }

  @Test
  void aWriteErrorIsExitFive() {
    PrintStream failing = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        throw new java.io.IOException("No space left on device");
      }
    }, true, StandardCharsets.UTF_8);
    int code = Main.run(new String[] {"--jvm-flags", "--root", FIXTURE}, failing,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(5);
    assertThat(err()).contains("could not write to standard output");
  }

  @Test
  void jvmFlagsIntoAFullDeviceExitsFive() throws Exception {
    Path full = Path.of("/dev/full");
    assertThat(full).exists(); // Linux
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--jvm-flags", "--root", FIXTURE)
        .redirectOutput(full.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(stderr).isEqualTo(5);
    assertThat(stderr).contains("could not write to standard output");
  }



  @Test
  void jvmFlagsRefuseAnUnknownLimitWithExitThreeAndOneLine() {
    // The leaf's limit file is a directory and nothing else bounds it: before, this sized the heap
    // from the host's 8 GiB.
    int code = run("--jvm-flags", "--root", "src/test/resources/fixtures/unknown/v1-limit-directory-no-hierarchical");
    assertThat(code).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[lines.length - 1]).startsWith("rightsize: memory limit unknown, no JVM flags: ")
        .contains("read-failed /sys/fs/cgroup/memory/memory.limit_in_bytes");
  }

  @Test
  void jvmFlagsRefuseALooserParentBound() {
    int code = run("--jvm-flags", "--root", "src/test/resources/fixtures/unknown/v2-leaf-garbage-parent-limit");
    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("at most 2 GiB was read");
  }

  @Test
  void theTextReportSaysUnknownWhereTheLimitCouldNotBeRead() {
    assertThat(run("--root", "src/test/resources/fixtures/unknown/v1-limit-directory-no-hierarchical")).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).containsPattern("(?m)^Memory\\n  limit +unknown$");
    assertThat(text).doesNotContain("limit           unlimited\nMemory").contains("JVM flags       none: the memory limit is unknown");
  }

  @Test
  void usageAndWorkingSetThatCouldNotBeReadSayUnknownNotADash() {
    // No /proc/self/cgroup: the memory cgroup is not found, so usage and working set are unknown.
    assertThat(run("--root", "src/test/resources/fixtures/synthetic/hostile-missing-proc-self-cgroup")).isZero();
    assertThat(out()).containsPattern("(?m)^  usage +unknown$").containsPattern("(?m)^  working set +unknown$");
  }
}
