package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-root detection under coverage-guided fuzzing: a root copied from a fixture tree with one
 * file's content replaced by the fuzzer's input, detected, and held to {@link DetectionInvariants}.
 *
 * <p>The input's first byte picks the file ({@link #SLOTS}, modulo their number); the rest is the
 * file's new content. The seeds ({@code DetectFuzzTestInputs/wholeRoot/}) are each slot's original
 * content behind its index, so the fuzzer starts from real files. {@code mvn test} replays the seeds
 * and the inputs found by fuzzing; {@code mvn -Pfuzz test -Dtest=DetectFuzzTest} fuzzes (README).
 */
class DetectFuzzTest {
  /** A file detection reads, in one of the fixture trees. Append only: the seeds name slots by index. */
  record Slot(String fixture, String file) {}

  private static final String V1 = "real-v1/v1-docker-quota-memory";
  private static final String V2 = "synthetic/v2-k8s-burstable";
  private static final String LXCFS = "synthetic/lxcfs-no-cfs";
  private static final String TENCENT = "real-tencent/isolated-on";
  private static final String HYBRID = "synthetic/hybrid-memory-on-v2";
  private static final String K8S_POD = "sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
      + "kubepods-burstable-pod8c2f4a6e_1b3d_4f5a_9c7e_2d4b6f8a0c1e.slice";
  private static final String K8S_CTR = K8S_POD
      + "/cri-containerd-3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c.scope";

  static final List<Slot> SLOTS = List.of(
      new Slot(V1, "proc/self/mountinfo"),
      new Slot(V1, "proc/self/cgroup"),
      new Slot(V1, "proc/meminfo"),
      new Slot(V1, "proc/cpuinfo"),
      new Slot(V1, "proc/self/status"),
      new Slot(V1, "sys/devices/system/cpu/online"),
      new Slot(V1, "sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
      new Slot(V1, "sys/fs/cgroup/cpu/cpu.cfs_period_us"),
      new Slot(V1, "sys/fs/cgroup/cpu/cpu.shares"),
      new Slot(V1, "sys/fs/cgroup/cpuset/cpuset.cpus"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.limit_in_bytes"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.soft_limit_in_bytes"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.stat"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.usage_in_bytes"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.max_usage_in_bytes"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.failcnt"),
      new Slot(V1, "sys/fs/cgroup/memory/memory.oom_control"),
      new Slot(V2, "proc/self/mountinfo"),
      new Slot(V2, "proc/self/cgroup"),
      new Slot(V2, "proc/meminfo"),
      new Slot(V2, "proc/self/status"),
      new Slot(V2, "sys/devices/system/cpu/online"),
      new Slot(V2, "sys/fs/cgroup/cgroup.controllers"),
      new Slot(V2, K8S_CTR + "/cpu.max"),
      new Slot(V2, K8S_CTR + "/cpu.weight"),
      new Slot(V2, K8S_CTR + "/cpuset.cpus.effective"),
      new Slot(V2, K8S_CTR + "/memory.max"),
      new Slot(V2, K8S_CTR + "/memory.high"),
      new Slot(V2, K8S_CTR + "/memory.swap.max"),
      new Slot(V2, K8S_CTR + "/memory.current"),
      new Slot(V2, K8S_CTR + "/memory.stat"),
      new Slot(V2, K8S_CTR + "/memory.events"),
      new Slot(V2, K8S_CTR + "/memory.peak"),
      new Slot(V2, K8S_POD + "/memory.max"),
      new Slot(V2, K8S_POD + "/cpu.max"),
      new Slot(V2, "sys/fs/cgroup/kubepods.slice/memory.max"),
      new Slot(LXCFS, "proc/self/mountinfo"),
      new Slot(LXCFS, "proc/meminfo"),
      new Slot(LXCFS, "proc/cpuinfo"),
      new Slot(LXCFS, "sys/devices/system/cpu/online"),
      new Slot(LXCFS, "proc/self/status"),
      new Slot(LXCFS, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"),
      new Slot(LXCFS, "sys/fs/cgroup/memory/memory.limit_in_bytes"),
      new Slot(LXCFS, "sys/fs/cgroup/memory/memory.stat"),
      new Slot(TENCENT, "proc/sys/kernel/stats_isolated"),
      new Slot(TENCENT, "sys/fs/cgroup/memory/c1/memory.stats_isolated"),
      new Slot(TENCENT, "sys/fs/cgroup/cpuset/c1/cpuset.stats_isolated"),
      new Slot(TENCENT, "sys/fs/cgroup/cpu,cpuacct/c1/cpu.quota_aware"),
      new Slot(TENCENT, "proc/meminfo"),
      new Slot(TENCENT, "proc/cpuinfo"),
      new Slot(TENCENT, "proc/self/mountinfo"),
      new Slot(TENCENT, "proc/self/cgroup"),
      new Slot(TENCENT, "sys/fs/cgroup/memory/c1/memory.limit_in_bytes"),
      new Slot(HYBRID, "proc/self/mountinfo"),
      new Slot(HYBRID, "proc/self/cgroup"),
      new Slot(HYBRID, "sys/fs/cgroup/unified/cgroup.controllers"),
      new Slot(HYBRID, "sys/fs/cgroup/unified/system.slice/app.service/memory.max"),
      new Slot(HYBRID, "sys/fs/cgroup/cpu,cpuacct/system.slice/app.service/cpu.cfs_quota_us"));

  /** Input repeated to this size for the linearity check (reads are bounded at 1 MiB). */
  private static final int AMPLIFIED = 256 * 1024;

  /** Each fixture copied once per JVM; a slot's file is written, detected, then restored. */
  private static final Map<String, Path> ROOTS = new HashMap<>();
  private static Path base;

  private static synchronized Path root(String fixture) {
    return ROOTS.computeIfAbsent(fixture, f -> {
      try {
        if (base == null) {
          base = Files.createTempDirectory("rightsize-fuzz");
          base.toFile().deleteOnExit();
        }
        return TestTrees.copy(TestTrees.FIXTURES.resolve(f), base.resolve(f.replace('/', '_')));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @FuzzTest(maxDuration = "10m")
  void wholeRoot(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    Slot slot = SLOTS.get(Byte.toUnsignedInt(input[0]) % SLOTS.size());
    Path root = root(slot.fixture());
    Path file = root.resolve(slot.file());
    byte[] original = Files.readAllBytes(file);
    byte[] content = java.util.Arrays.copyOfRange(input, 1, input.length);
    try {
      Files.write(file, content);
      DetectionInvariants.detectAndCheck(root);
      if (content.length > 0 && Fuzzing.linearityCheckDue(input)
          && (Fuzzing.fuzzing() || (java.util.Arrays.hashCode(input) & 3) == 0)) {
        // Time linear in the input: the same content repeated to 256 KiB is detected well within
        // the bound a quadratic step would blow. Replaying, one input in four (the unit loop's
        // budget); the parsers' own targets check every input of theirs.
        Files.write(file, Fuzzing.repeat(content, AMPLIFIED));
        long t0 = Fuzzing.cpuNanos();
        DetectionInvariants.check(ContainerResources.detect(root), root);
        assertThat(Duration.ofNanos(Fuzzing.cpuNanos() - t0)).as("CPU time detecting 256 KiB of %s", slot)
            .isLessThan(DetectionInvariants.MAX_DETECTION);
      }
    } finally {
      Files.write(file, original);
    }
  }
}
