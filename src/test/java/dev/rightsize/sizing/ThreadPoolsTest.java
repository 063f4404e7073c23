package dev.rightsize.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rightsize.sizing.ThreadPools.CommonPoolSetting.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThreadPoolsTest {

  @ParameterizedTest(name = "{0} CPUs")
  @CsvSource({
    // cpus, cpuBound = ceil(cpus) (as availableProcessors() rounds a quota up), +1
    "0.1,   1,     2",
    "0.5,   1,     2",
    "1,     1,     2",
    "1.5,   2,     3",
    "2,     2,     3",
    "3,     3,     4",
    "64,    64,    65",
    "1e9,   32767, 32767", // ForkJoinPool's limit, 0x7fff; +1 stays at it
  })
  void cpuBoundSizes(double cpus, int cpuBound, int plusOne) {
    ThreadPools p = ThreadPools.ofCpus(cpus);
    assertThat(p.cpuBound()).isEqualTo(cpuBound);
    assertThat(p.forkJoinParallelism()).isEqualTo(cpuBound);
    assertThat(p.cpuBoundPlusOne()).isEqualTo(plusOne);
  }

  /**
   * The GC reserve and the common pool's size as HotSpot itself sizes them for n CPUs: the reserve is
   * n minus G1's {@code ConcGCThreads} (at least 1), the common pool is what
   * {@code ForkJoinPool.getCommonPoolParallelism()} gives; both read from the JDK's own output
   * (src/test/resources/sizing/jdk-g1-threads.tsv), not from the formula the code uses.
   */
  @Test
  void gcReserveAndCommonPoolAsTheJdkSizesThem() throws IOException {
    List<String> rows = java.nio.file.Files.readAllLines(Path.of("src/test/resources/sizing/jdk-g1-threads.tsv"))
        .stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    assertThat(rows).hasSizeGreaterThan(5);
    for (String row : rows) {
      String[] f = row.split("\t");
      int n = Integer.parseInt(f[0]);
      int concGcThreads = Integer.parseInt(f[1]);
      int commonPool = Integer.parseInt(f[4]);
      ThreadPools p = ThreadPools.ofCpus(n);
      assertThat(p.cpuBoundWithGcReserve()).as("%s CPUs", n).isEqualTo(Math.max(1, n - concGcThreads));
      assertThat(p.commonPoolParallelism()).as("%s CPUs", n).isEqualTo(commonPool);
      // A fractional quota counts as the CPUs the JDK rounds it up to.
      if (n > 1 && n < 32767) {
        assertThat(ThreadPools.ofCpus(n - 0.5).cpuBoundWithGcReserve()).isEqualTo(p.cpuBoundWithGcReserve());
        assertThat(ThreadPools.ofCpus(n - 0.5).commonPoolParallelism()).isEqualTo(commonPool);
      }
    }
    assertThat(ThreadPools.ofCpus(1e9).cpuBoundWithGcReserve()).isEqualTo(32767 - 5121);
  }

  @ParameterizedTest(name = "{0} CPUs x {1} x (1 + {2}) = {3}")
  @CsvSource({
    // cpus, utilization, wait/compute, expected (rounded half up, clamped to [1, 1024])
    "2,    1.0,  1,    4", // 2 * 1 * 2
    "4,    1.0,  0.5,  6", // 4 * 1.5
    "1.5,  0.8,  3,    5", // 1.5 * 0.8 * 4 = 4.8
    "0.5,  1.0,  9,    5", // half a CPU, mostly waiting: 0.5 * 10
    "0.5,  1.0,  4,    3", // 2.5 rounds up
    "0.1,  1.0,  0,    1", // 0.1 -> at least one thread
    "1,    0.5,  0,    1", // 0.5 rounds up to 1
    "2,    0.25, 0,    1", // 0.5 -> 1
    "8,    0.5,  19,   80", // 8 * 0.5 * 20
    "64,   1.0,  100,  1024", // 6464 clamped
  })
  void blockingSizes(double cpus, double utilization, double waitToCompute, int expected) {
    assertThat(ThreadPools.ofCpus(cpus).blocking(utilization, waitToCompute)).isEqualTo(expected);
    if (utilization == 1.0) {
      assertThat(ThreadPools.ofCpus(cpus).blocking(waitToCompute)).isEqualTo(expected);
    }
  }

  @Test
  void fromContainerResourcesTheQuotaCountsWhereItIsTighter() {
    // quota 1.5 CPUs, effective 2 (ceil): fractional 1.5 drives the blocking formula
    ThreadPools p = ThreadPools.of(TestResources.cpus(2, 1.5));
    assertThat(p.cpus()).isEqualTo(1.5);
    assertThat(p.cpuBound()).isEqualTo(2);
    assertThat(p.blocking(3)).isEqualTo(6); // 1.5 * 4
    // quota 3.5 but a cpuset of 2 made effective 2: the cpuset is tighter
    assertThat(ThreadPools.of(TestResources.cpus(2, 3.5)).cpus()).isEqualTo(2.0);
    // no quota
    var noQuota = TestResources.of(3, java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(), 1L << 30);
    assertThat(ThreadPools.of(noQuota).cpus()).isEqualTo(3.0);
    // a 0.1-CPU quota
    assertThat(ThreadPools.of(TestResources.cpus(1, 0.1)).blocking(9)).isEqualTo(1);
  }

  @Test
  void rejectsNonsense() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> ThreadPools.ofCpus(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    ThreadPools p = ThreadPools.ofCpus(2);
    assertThatThrownBy(() -> p.blocking(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> p.blocking(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> p.blocking(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> p.blocking(1.01, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ThreadPools.applyToCommonPool(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueSemantics() {
    assertThat(ThreadPools.ofCpus(1.5)).isEqualTo(ThreadPools.ofCpus(1.5)).hasSameHashCodeAs(ThreadPools.ofCpus(1.5))
        .isNotEqualTo(ThreadPools.ofCpus(2));
    assertThat(ThreadPools.ofCpus(1.5).toString()).isEqualTo("ThreadPools[1.5 CPUs: CPU-bound 2, blocking 3"
        + " (wait/compute 1), ForkJoinPool parallelism 2, common pool parallelism 1]");
    assertThat(ThreadPools.ofCpus(1).toString()).startsWith("ThreadPools[1 CPU: CPU-bound 1,");
  }

  @Test
  void poolBuildersCarryTheSizes() throws InterruptedException {
    var cpu = ThreadPools.ofCpus(3).cpuBoundPool("c").build();
    var io = ThreadPools.ofCpus(2).blockingPool("io", 4).build();
    try {
      assertThat(cpu.getCorePoolSize()).isEqualTo(3);
      assertThat(cpu.getMaximumPoolSize()).isEqualTo(3);
      assertThat(io.getMaximumPoolSize()).isEqualTo(10); // 2 * (1 + 4)
    } finally {
      cpu.shutdown();
      io.shutdown();
      assertThat(cpu.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void forkJoinPoolIsNamedAndSized() throws Exception {
    ForkJoinPool pool = ThreadPools.ofCpus(2.5).newForkJoinPool("fj");
    try {
      assertThat(pool.getParallelism()).isEqualTo(3);
      String name = pool.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
      assertThat(name).matches("fj-\\d+");
    } finally {
      pool.shutdown();
    }
  }

  // --- common pool: the decision logic with fake global state ---

  @Test
  void commonPoolAppliedWhenNotYetCreated() {
    Properties props = new Properties();
    AtomicInteger reads = new AtomicInteger();
    // a fake "JDK": the pool reads the property when first asked, as class initialization does
    var setting = ThreadPools.applyToCommonPool(3, props, () -> {
      reads.incrementAndGet();
      return Integer.parseInt(props.getProperty(ThreadPools.COMMON_POOL_PARALLELISM_PROPERTY, "7"));
    });
    assertThat(setting.status()).isEqualTo(Status.APPLIED);
    assertThat(setting.actualParallelism()).isEqualTo(3);
    assertThat(props.getProperty(ThreadPools.COMMON_POOL_PARALLELISM_PROPERTY)).isEqualTo("3");
    assertThat(reads).hasValue(1);
  }

  @Test
  void commonPoolTooLateWhenAlreadyCreated() {
    Properties props = new Properties();
    var setting = ThreadPools.applyToCommonPool(3, props, () -> 7); // created earlier with 7
    assertThat(setting.status()).isEqualTo(Status.TOO_LATE);
    assertThat(setting.requestedParallelism()).isEqualTo(3);
    assertThat(setting.actualParallelism()).isEqualTo(7);
    assertThat(setting.message()).contains("runs with 7 instead of 3", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=3");
    assertThat(props).doesNotContainKey(ThreadPools.COMMON_POOL_PARALLELISM_PROPERTY);
  }

  @Test
  void commonPoolLeavesAnExplicitPropertyAlone() {
    Properties props = new Properties();
    props.setProperty(ThreadPools.COMMON_POOL_PARALLELISM_PROPERTY, "5");
    var setting = ThreadPools.applyToCommonPool(3, props, () -> 5);
    assertThat(setting.status()).isEqualTo(Status.ALREADY_SET);
    assertThat(setting.actualParallelism()).isEqualTo(5);
    assertThat(props.getProperty(ThreadPools.COMMON_POOL_PARALLELISM_PROPERTY)).isEqualTo("5");
  }

  // --- common pool: the real JDK, in a fresh JVM each (the common pool is per JVM, once) ---

  @Test
  void realCommonPoolInAFreshJvm() throws Exception {
    // With -XX:ActiveProcessorCount=4 the JDK's own default would be 3; we ask for 2.
    assertThat(runProbe("fresh")).isEqualTo("APPLIED 2 2");
    assertThat(runProbe("touched")).isEqualTo("TOO_LATE 2 3");
  }

  private static String runProbe(String mode) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-XX:ActiveProcessorCount=4", "-cp",
            System.getProperty("java.class.path"), CommonPoolProbe.class.getName(), mode))
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** pids.max 64, 19 tasks now, reserve 12 (2 CPUs): 33 threads of headroom. */
  private static final ThreadHeadroom HEADROOM_33 = new ThreadHeadroom(33, dev.rightsize.Value.PIDS_LIMIT, 64,
      "/sys/fs/cgroup/pids/pod/pids.max", 19, 12);

  @Test
  void blockingSizesAreCappedByTheThreadHeadroomAndSayWhy() {
    ThreadPools p = ThreadPools.ofCpus(2).withThreadHeadroom(HEADROOM_33);
    assertThat(ThreadPools.ofCpus(2).blocking(99)).isEqualTo(200);
    assertThat(p.blocking(99)).isEqualTo(33);
    assertThat(p.blocking(0.5, 99)).isEqualTo(33);
    assertThat(p.blockingPool("io", 99).build()).satisfies(e -> {
      assertThat(((java.util.concurrent.ThreadPoolExecutor) e).getMaximumPoolSize()).isEqualTo(33);
      e.shutdown();
    });
    assertThat(p.blockingCap(99)).hasValueSatisfying(why -> assertThat(why)
        .isEqualTo("capped at 33 threads (200 from the CPUs) by the thread headroom: pids.max 64"
            + " (/sys/fs/cgroup/pids/pod/pids.max) - 19 tasks now - 12 reserved for the JVM's own threads = 33"));
    // below the headroom the CPUs decide, and nothing is said
    assertThat(p.blocking(9)).isEqualTo(20);
    assertThat(p.blockingCap(9)).isEmpty();
    assertThat(ThreadPools.ofCpus(2).blockingCap(99)).isEmpty();
    // CPU-bound sizes are not capped
    assertThat(p.cpuBound()).isEqualTo(2);
    assertThat(p.threadHeadroom()).hasValue(HEADROOM_33);
    assertThat(p).isNotEqualTo(ThreadPools.ofCpus(2)).hasToString("ThreadPools[2 CPUs: CPU-bound 2, blocking 4"
        + " (wait/compute 1), ForkJoinPool parallelism 2, common pool parallelism 1, thread headroom 33]");
  }

  @Test
  void aHeadroomOfZeroStillLeavesOneThread() {
    ThreadPools p = ThreadPools.ofCpus(4).withThreadHeadroom(
        new ThreadHeadroom(0, dev.rightsize.Value.RLIMIT_NPROC, 30, "/proc/self/limits", 25, 16));
    assertThat(p.blocking(9)).isEqualTo(1);
    assertThat(p.blockingCap(9)).hasValueSatisfying(w -> assertThat(w).startsWith("capped at 1 thread (40 from"));
  }

  @Test
  void detectedResourcesCarryTheirHeadroom() {
    dev.rightsize.ContainerResources r = TestResources.withLimits(TestResources.cpus(2, 2.0),
        new dev.rightsize.Pids(dev.rightsize.Limit.of(64), java.util.OptionalLong.of(19),
            java.util.OptionalLong.of(19)), TestResources.NO_RLIMITS, TestResources.KERNEL);
    ThreadPools p = ThreadPools.of(r);
    assertThat(p.threadHeadroom()).hasValueSatisfying(h -> assertThat(h.threads()).isEqualTo(33));
    assertThat(p.blocking(99)).isEqualTo(33);
    assertThat(ThreadPools.of(TestResources.cpus(2, 2.0)).threadHeadroom()).isEmpty();
  }
}
