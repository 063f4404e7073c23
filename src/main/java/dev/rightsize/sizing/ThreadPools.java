package dev.rightsize.sizing;

import static java.util.Objects.requireNonNull;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntSupplier;

/**
 * Thread pool sizes for the CPUs a container really has, and executors built from them.
 *
 * <pre>{@code
 * ThreadPools pools = ThreadPools.of(ContainerResources.detect());
 * ExecutorService compute = pools.cpuBoundPool("compute").build();
 * ExecutorService io = pools.blockingPool("io", 4.0).queueCapacity(500).build();  // wait/compute = 4
 * }</pre>
 *
 * <p>Sizes are computed from a CPU count that may be fractional: a CFS quota of 1.5 CPUs is 1.5,
 * not 2. {@link #of(ContainerResources)} takes the tighter of the effective count and the quota;
 * {@link #ofCpus(double)} takes a number, so sizing is testable without detection.
 *
 * <p>Every size is clamped to at least 1 (a pool with no thread runs nothing, and
 * {@link java.util.concurrent.ThreadPoolExecutor} refuses a maximum of 0). CPU-bound sizes are
 * clamped to at most {@value #MAX_CPU_BOUND_THREADS}, {@link ForkJoinPool}'s own limit. Blocking
 * sizes are clamped to at most {@value #MAX_BLOCKING_THREADS}: each platform thread reserves a
 * stack ({@code -Xss}, 1 MiB by default), so more threads than that cost a GiB of address space
 * and, in a container, memory the limit counts as it is touched; past that point, virtual threads
 * or asynchronous I/O are the better tool. {@link JvmMemory.Builder#threadCount(int)} should
 * count the threads of every pool.
 *
 * <p>Blocking sizes are also capped by the {@linkplain ThreadHeadroom thread headroom} of the
 * resources they were made from: a pod with {@code pids.max} 100 cannot run a pool of 200, whatever
 * its CPUs say; past the headroom, {@code Thread.start()} fails with {@code OutOfMemoryError:
 * unable to create native thread}. {@link #blockingCap(double, double)} says when the cap applied
 * and why. The headroom is shared by every pool of the process: size the sum of them within it.
 * CPU-bound sizes are not capped (they are the CPU count, far below any workable headroom).
 *
 * <p>Instances are immutable; nothing here reads or keeps global state except
 * {@link #applyToCommonPool()}, whose whole purpose is to set a system property.
 */
public final class ThreadPools {

  /** The largest CPU-bound size: {@link ForkJoinPool}'s maximum parallelism (0x7fff). */
  public static final int MAX_CPU_BOUND_THREADS = 0x7fff;

  /** The largest blocking size: 1024 threads, 1 GiB of default-sized stacks. */
  public static final int MAX_BLOCKING_THREADS = 1024;

  /** The system property the JDK reads once, when {@link ForkJoinPool#commonPool()} is created. */
  public static final String COMMON_POOL_PARALLELISM_PROPERTY =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  private final double cpus;
  private final ThreadHeadroom headroom;

  private ThreadPools(double cpus, ThreadHeadroom headroom) {
    if (!(cpus > 0) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException("cpus must be positive and finite: " + cpus);
    }
    this.cpus = cpus;
    this.headroom = headroom;
  }

  /**
   * Sizes for detected resources: the effective CPU count, or the CFS quota where that is lower
   * (a quota of 1.5 with 4 CPUs in the cpuset gives 1.5); blocking sizes capped by their
   * {@linkplain ThreadHeadroom#of thread headroom}.
   *
   * @param resources detected resources
   * @return the sizes
   */
  public static ThreadPools of(ContainerResources resources) {
    Cpu cpu = resources.cpu();
    double limit = cpu.limit().orElse(Double.MAX_VALUE);
    return new ThreadPools(Math.min(cpu.effective(), limit > 0 ? limit : cpu.effective()),
        ThreadHeadroom.of(resources).orElse(null));
  }

  /**
   * Sizes for a given CPU count, with no thread headroom (see {@link #withThreadHeadroom}).
   *
   * @param cpus CPUs, fractional allowed (e.g. 0.5 for a half-CPU quota); positive and finite
   * @return the sizes
   * @throws IllegalArgumentException when cpus is not positive and finite
   */
  public static ThreadPools ofCpus(double cpus) {
    return new ThreadPools(cpus, null);
  }

  /**
   * The same CPUs with blocking sizes capped by a given thread headroom.
   *
   * @param headroom the threads the application can still start, and why
   * @return new sizes
   */
  public ThreadPools withThreadHeadroom(ThreadHeadroom headroom) {
    return new ThreadPools(cpus, requireNonNull(headroom, "headroom"));
  }

  /**
   * The thread headroom blocking sizes are capped by.
   *
   * @return the headroom; empty when nothing limits the number of threads (or the limit is unknown)
   */
  public Optional<ThreadHeadroom> threadHeadroom() {
    return Optional.ofNullable(headroom);
  }

  /**
   * The CPU count the sizes are computed from.
   *
   * @return CPUs, possibly fractional
   */
  public double cpus() {
    return cpus;
  }

  /**
   * Threads for CPU-bound work: the CPUs rounded up, so a 1.5-CPU quota gets 2 threads that can
   * use all of it (the JDK's {@code availableProcessors()} rounds up the same way). Between 1 and
   * {@value #MAX_CPU_BOUND_THREADS}.
   *
   * @return threads
   */
  public int cpuBound() {
    return clamp(Math.ceil(cpus), MAX_CPU_BOUND_THREADS);
  }

  /**
   * {@link #cpuBound()} plus one: the extra thread keeps the CPUs busy while one thread is stalled
   * on a page fault or a short lock (Java Concurrency in Practice, 8.2).
   *
   * @return threads
   */
  public int cpuBoundPlusOne() {
    return Math.min(MAX_CPU_BOUND_THREADS, cpuBound() + 1);
  }

  /**
   * {@link #cpuBound()} minus the CPUs a concurrent collector (G1, ZGC, Shenandoah) takes during
   * marking, by HotSpot's own ergonomics: {@code ConcGCThreads = max((ParallelGCThreads + 2) / 4,
   * 1)} with {@code ParallelGCThreads = n} up to 8 CPUs and {@code 8 + (n - 8) x 5/8} above. With
   * 4 CPUs that leaves 3, with 8 leaves 6, with 16 leaves 13; never less than 1. Use it for pools
   * that should not fight the GC for CPU time under a quota, where losing that fight means
   * throttling. (JIT compiler threads are busy mostly during warm-up, so no CPU is set aside for
   * them.)
   *
   * @return threads
   */
  public int cpuBoundWithGcReserve() {
    int n = cpuBound();
    int parallelGcThreads = n <= 8 ? n : 8 + (n - 8) * 5 / 8;
    int concGcThreads = Math.max((parallelGcThreads + 2) / 4, 1);
    return Math.max(1, n - concGcThreads);
  }

  /**
   * Threads for work that blocks, at full CPU use: {@code cpus x (1 + wait/compute)}, rounded to
   * the nearest whole thread (halves up), between 1 and {@value #MAX_BLOCKING_THREADS}, and at most
   * the thread headroom (at least 1).
   *
   * @param waitToComputeRatio time a task waits (I/O, locks, remote calls) divided by the time it
   *     computes; 0 means CPU-bound. E.g. 50 ms waiting for 10 ms computing is 5.
   * @return threads
   * @throws IllegalArgumentException when the ratio is negative or not finite
   */
  public int blocking(double waitToComputeRatio) {
    return blocking(1.0, waitToComputeRatio);
  }

  /**
   * Threads for work that blocks, at a target CPU use: {@code cpus x utilization x (1 +
   * wait/compute)} (Java Concurrency in Practice, 8.2), rounded to the nearest whole thread (halves up),
   * between 1 and {@value #MAX_BLOCKING_THREADS}, and at most the thread headroom (at least 1).
   *
   * @param targetUtilization the fraction of the CPUs this pool may use, more than 0 and at most 1
   * @param waitToComputeRatio time a task waits divided by the time it computes, 0 or more
   * @return threads
   * @throws IllegalArgumentException when an argument is out of range
   */
  public int blocking(double targetUtilization, double waitToComputeRatio) {
    int uncapped = blockingFromCpus(targetUtilization, waitToComputeRatio);
    return headroom == null ? uncapped : Math.min(uncapped, Math.max(1, headroom.threads()));
  }

  /** The blocking size from the CPUs alone. */
  private int blockingFromCpus(double targetUtilization, double waitToComputeRatio) {
    if (!(targetUtilization > 0 && targetUtilization <= 1)) {
      throw new IllegalArgumentException("targetUtilization must be in (0, 1]: " + targetUtilization);
    }
    if (!(waitToComputeRatio >= 0) || Double.isInfinite(waitToComputeRatio)) {
      throw new IllegalArgumentException("waitToComputeRatio must be >= 0 and finite: " + waitToComputeRatio);
    }
    return clamp(Math.floor(cpus * targetUtilization * (1 + waitToComputeRatio) + 0.5), MAX_BLOCKING_THREADS);
  }

  /**
   * Whether the thread headroom capped {@link #blocking(double)}, and why.
   *
   * @param waitToComputeRatio time a task waits divided by the time it computes
   * @return empty when the CPUs alone decided; else one line with both sizes and the headroom's
   *     derivation
   */
  public Optional<String> blockingCap(double waitToComputeRatio) {
    return blockingCap(1.0, waitToComputeRatio);
  }

  /**
   * Whether the thread headroom capped {@link #blocking(double, double)}, and why: e.g. {@code
   * capped at 33 threads (200 from the CPUs) by the thread headroom: pids.max 64 (...) - 19 tasks
   * now - 12 reserved for the JVM's own threads = 33}.
   *
   * @param targetUtilization the fraction of the CPUs this pool may use, more than 0 and at most 1
   * @param waitToComputeRatio time a task waits divided by the time it computes, 0 or more
   * @return empty when the CPUs alone decided; else one line saying so
   * @throws IllegalArgumentException when an argument is out of range
   */
  public Optional<String> blockingCap(double targetUtilization, double waitToComputeRatio) {
    int uncapped = blockingFromCpus(targetUtilization, waitToComputeRatio);
    int capped = blocking(targetUtilization, waitToComputeRatio);
    if (capped >= uncapped) {
      return Optional.empty();
    }
    return Optional.of("capped at " + capped + (capped == 1 ? " thread" : " threads") + " (" + uncapped
        + " from the CPUs) by the thread headroom: " + headroom.describe());
  }

  /**
   * Parallelism for a dedicated {@link ForkJoinPool} (or a parallel stream's pool): {@link #cpuBound()}.
   *
   * @return parallelism
   */
  public int forkJoinParallelism() {
    return cpuBound();
  }

  /**
   * Parallelism for {@link ForkJoinPool#commonPool()}: {@link #cpuBound()} minus one, at least 1.
   * The JDK uses the same rule with {@code availableProcessors()}, because the thread that calls
   * {@code join()} or runs a parallel stream works too.
   *
   * @return parallelism
   */
  public int commonPoolParallelism() {
    return Math.max(1, cpuBound() - 1);
  }

  /**
   * A pool builder for CPU-bound work: {@link #cpuBound()} threads, core and maximum.
   *
   * @param nameFormat thread names, e.g. {@code "compute-%d"}; a plain prefix gets {@code -%d}
   * @return a builder to adjust further
   */
  public ThreadPoolBuilder cpuBoundPool(String nameFormat) {
    return ThreadPoolBuilder.named(nameFormat).size(cpuBound());
  }

  /**
   * A pool builder for blocking work: {@link #blocking(double)} threads, core and maximum (capped by
   * the thread headroom; {@link #blockingCap(double)} says when).
   *
   * @param nameFormat thread names, e.g. {@code "io-%d"}; a plain prefix gets {@code -%d}
   * @param waitToComputeRatio time a task waits divided by the time it computes
   * @return a builder to adjust further
   */
  public ThreadPoolBuilder blockingPool(String nameFormat, double waitToComputeRatio) {
    return ThreadPoolBuilder.named(nameFormat).size(blocking(waitToComputeRatio));
  }

  /**
   * A new {@link ForkJoinPool} with {@link #forkJoinParallelism()} and named worker threads
   * ({@code prefix-0}, {@code prefix-1}, ...). Shut it down when done.
   *
   * @param namePrefix worker thread name prefix
   * @return the pool
   */
  public ForkJoinPool newForkJoinPool(String namePrefix) {
    requireNonNull(namePrefix, "namePrefix");
    return new ForkJoinPool(forkJoinParallelism(), pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName(namePrefix + "-" + t.getPoolIndex());
      return t;
    }, null, false);
  }

  /**
   * Sets {@link ForkJoinPool#commonPool()}'s parallelism to {@link #commonPoolParallelism()}, if
   * that is still possible. See {@link #applyToCommonPool(int)}.
   *
   * @return what happened
   */
  public CommonPoolSetting applyToCommonPool() {
    return applyToCommonPool(commonPoolParallelism());
  }

  /**
   * Sets the system property {@value #COMMON_POOL_PARALLELISM_PROPERTY} and creates the common
   * pool, so it starts with that parallelism. Call it first thing in {@code main}: the JDK reads the
   * property once, when the {@link ForkJoinPool} class is initialized, which any parallel stream,
   * {@code CompletableFuture.*Async} without an executor, or {@code new ForkJoinPool(...)} (virtual
   * threads' scheduler included) does. Outcomes:
   *
   * <ul>
   *   <li>{@link CommonPoolSetting.Status#APPLIED}: the pool now has the requested parallelism
   *       (also reported when it already had that value, which has the same effect);
   *   <li>{@link CommonPoolSetting.Status#ALREADY_SET}: the property was already set (e.g. with
   *       {@code -D} on the command line); it is left alone, since an explicit choice wins;
   *   <li>{@link CommonPoolSetting.Status#TOO_LATE}: the pool existed already with another
   *       parallelism; the property is removed again so it does not claim a value nobody uses.
   * </ul>
   *
   * @param parallelism the parallelism wanted, 1 to {@value #MAX_CPU_BOUND_THREADS}
   * @return what happened, with the common pool's parallelism afterwards
   * @throws IllegalArgumentException when parallelism is out of range
   */
  public static CommonPoolSetting applyToCommonPool(int parallelism) {
    return applyToCommonPool(parallelism, System.getProperties(), ForkJoinPool::getCommonPoolParallelism);
  }

  /** The logic of {@link #applyToCommonPool(int)}, with the global state passed in for tests. */
  static CommonPoolSetting applyToCommonPool(int parallelism, Properties properties, IntSupplier commonPoolParallelism) {
    if (parallelism < 1 || parallelism > MAX_CPU_BOUND_THREADS) {
      throw new IllegalArgumentException("parallelism must be 1.." + MAX_CPU_BOUND_THREADS + ": " + parallelism);
    }
    synchronized (properties) {
      String existing = properties.getProperty(COMMON_POOL_PARALLELISM_PROPERTY);
      if (existing != null) {
        int actual = commonPoolParallelism.getAsInt();
        return new CommonPoolSetting(CommonPoolSetting.Status.ALREADY_SET, parallelism, actual,
            COMMON_POOL_PARALLELISM_PROPERTY + " is already set to " + existing.strip()
                + "; left alone (common pool parallelism " + actual + ", " + parallelism + " suggested)");
      }
      properties.setProperty(COMMON_POOL_PARALLELISM_PROPERTY, Integer.toString(parallelism));
      // Creates the common pool if it does not exist yet, reading the property just set.
      int actual = commonPoolParallelism.getAsInt();
      if (actual == parallelism) {
        return new CommonPoolSetting(CommonPoolSetting.Status.APPLIED, parallelism, actual,
            "common pool parallelism set to " + parallelism);
      }
      properties.remove(COMMON_POOL_PARALLELISM_PROPERTY);
      return new CommonPoolSetting(CommonPoolSetting.Status.TOO_LATE, parallelism, actual,
          "the common pool was created before its parallelism could be set: it runs with " + actual
              + " instead of " + parallelism + "; call applyToCommonPool() first in main, or pass -D"
              + COMMON_POOL_PARALLELISM_PROPERTY + "=" + parallelism);
    }
  }

  private static int clamp(double value, int max) {
    if (value < 1) {
      return 1;
    }
    return value > max ? max : (int) value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ThreadPools other && Double.compare(cpus, other.cpus) == 0
        && Objects.equals(headroom, other.headroom);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(cpus) * 31 + Objects.hashCode(headroom);
  }

  @Override
  public String toString() {
    String n = cpus == Math.rint(cpus) ? String.valueOf((long) cpus) : String.valueOf(cpus);
    return "ThreadPools[" + n + (cpus == 1 ? " CPU" : " CPUs") + ": CPU-bound " + cpuBound()
        + ", blocking " + blocking(1.0) + " (wait/compute 1), ForkJoinPool parallelism " + forkJoinParallelism()
        + ", common pool parallelism " + commonPoolParallelism()
        + (headroom == null ? "" : ", thread headroom " + headroom.threads()) + "]";
  }

  /**
   * The outcome of {@link ThreadPools#applyToCommonPool(int)}.
   *
   * @param status what happened
   * @param requestedParallelism the parallelism asked for
   * @param actualParallelism {@link ForkJoinPool#getCommonPoolParallelism()} afterwards
   * @param message one line saying what happened, for a log
   */
  public record CommonPoolSetting(Status status, int requestedParallelism, int actualParallelism, String message) {

    /**
     * Validates that no component is null.
     *
     * @param status see {@link #status()}
     * @param requestedParallelism see {@link #requestedParallelism()}
     * @param actualParallelism see {@link #actualParallelism()}
     * @param message see {@link #message()}
     */
    public CommonPoolSetting {
      requireNonNull(status, "status");
      requireNonNull(message, "message");
    }

    /** What {@link ThreadPools#applyToCommonPool(int)} did. */
    public enum Status {
      /** The common pool has the requested parallelism. */
      APPLIED,
      /** The property was set before (e.g. {@code -D}); left alone. */
      ALREADY_SET,
      /** The common pool had been created with another parallelism; nothing changed. */
      TOO_LATE
    }
  }
}
