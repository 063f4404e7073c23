package dev.rightsize.sizing;

import static dev.rightsize.internal.Sizes.GIB;
import static dev.rightsize.internal.Sizes.MIB;
import static java.util.Objects.requireNonNull;

import dev.rightsize.internal.Sizes;
import dev.rightsize.ContainerResources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A JVM memory layout that fits a total (a container's memory limit): heap, metaspace, reserved
 * code cache, direct memory, thread stacks and headroom, with the flags that set them.
 *
 * <pre>{@code
 * JvmMemory m = JvmMemory.builder().total(ContainerResources.detect()).threadCount(100).calculate();
 * String javaOpts = m.flagsLine();   // "-XX:MaxDirectMemorySize=10M -Xmx... -Xss1M"
 * }</pre>
 *
 * <h2>Formula (the Paketo / Cloud Foundry memory calculator's)</h2>
 *
 * <pre>
 * metaspace = 14,000,000 B + 5,800 B x loaded classes        (unless pinned)
 * fixed     = direct memory + metaspace + reserved code cache + -Xss x threads
 * headroom  = total x headroom% / 100
 * heap      = total - fixed - headroom                        (unless pinned)
 * </pre>
 *
 * Defaults are the calculator's ({@code paketo-buildpacks/libjvm} {@code calc/} and
 * {@code helper/memory_calculator.go}): direct memory 10 MiB, reserved code cache 240 MiB (HotSpot's
 * own default with tiered compilation), {@code -Xss} 1 MiB, 250 threads (Tomcat's 200 workers plus
 * the JVM's own and some slack), headroom 0%. Every region is checked in the calculator's order
 * and a total that cannot hold them is refused with the calculator's message, listing each region
 * ({@link InsufficientMemoryException}).
 *
 * <h2>Where this differs from Paketo, and why</h2>
 *
 * <ul>
 *   <li><b>Small containers are scaled, not refused.</b> Paketo assumes at least 1 GiB: with its
 *       defaults, 240 MiB of code cache and 250 MiB of stacks alone exceed 512 MiB, and users ask
 *       for smaller defaults (cloudfoundry/java-buildpack#1052, java-buildpack-memory-calculator#24
 *       and #28, Paketo RFC "low-profile mode"). Below {@link #SCALING_REFERENCE_BYTES} (1 GiB),
 *       the three estimates that are guesses rather than measurements, when not set, shrink in
 *       proportion to the total: code cache {@code 240 MiB x total / 1 GiB} rounded down to whole
 *       MiB (at least {@link #MIN_SCALED_RESERVED_CODE_CACHE_BYTES}), thread count {@code 250 x
 *       total / 1 GiB} (at least {@link #MIN_SCALED_THREAD_COUNT}), loaded classes {@code 15,000 x
 *       total / 1 GiB} (at least {@link #MIN_SCALED_LOADED_CLASS_COUNT}, a minimal Spring Boot
 *       application's count, because running out of metaspace is the calculator's most reported
 *       failure). From 1 GiB up the result is exactly Paketo's. {@link
 *       Builder#scaleForSmallContainers(boolean) scaleForSmallContainers(false)} restores
 *       Paketo's behaviour everywhere.
 *   <li><b>Loaded class count has a fixed default</b> ({@value #DEFAULT_LOADED_CLASS_COUNT}).
 *       Paketo counts the class files of the JDK and the application at build time and takes 35%;
 *       a library at run time has no such inventory. 15,000 gives a 96 MiB metaspace, the middle
 *       of the 80-120 MiB Paketo calls typical. Set {@link Builder#loadedClassCount(int)} from
 *       {@code jcmd <pid> VM.classloader_stats} or {@code -Xlog:class+load} of a warmed-up run.
 *   <li><b>A minimum heap.</b> Paketo happily prints {@code -Xmx0}; here a computed heap below
 *       {@link #MIN_HEAP_BYTES} is refused like any other misfit.
 *   <li><b>Pinned regions are printed.</b> Paketo leaves out flags the user already put in
 *       {@code JAVA_TOOL_OPTIONS}; here a pinned region is an input to the builder, not an option
 *       already on the command line, so {@link #flags()} always lists all five.
 * </ul>
 *
 * <p>Flags truncate each region to whole KiB (as Paketo's do), so the JVM is never given more than
 * the layout holds; the accessors return the exact bytes, which never add up to more than the
 * total. For totals of 1 GiB and more, the heap grows byte for byte with the total. Below 1 GiB
 * the scaled estimates move in whole MiB and whole threads, so the heap grows with the total in
 * steps: with the default {@code -Xss} it never shrinks between two totals at least 5 MiB apart,
 * and dips by at most about 2 MiB between closer ones.
 *
 * @param totalBytes the memory the layout fits in
 * @param heapBytes {@code -Xmx}
 * @param metaspaceBytes {@code -XX:MaxMetaspaceSize}
 * @param reservedCodeCacheBytes {@code -XX:ReservedCodeCacheSize}
 * @param directMemoryBytes {@code -XX:MaxDirectMemorySize}
 * @param threadStackBytes {@code -Xss}, per thread
 * @param threadCount threads budgeted for, each with {@code threadStackBytes}
 * @param loadedClassCount classes the metaspace was sized for (unused when it was pinned)
 * @param headroomPercent percentage of the total left to nothing (native allocations, GC and JIT
 *     arenas, malloc fragmentation)
 * @param headroomBytes {@code totalBytes x headroomPercent / 100}, rounded down
 * @param scaled true when at least one default was scaled down for a total below 1 GiB
 */
public record JvmMemory(
    long totalBytes,
    long heapBytes,
    long metaspaceBytes,
    long reservedCodeCacheBytes,
    long directMemoryBytes,
    long threadStackBytes,
    int threadCount,
    int loadedClassCount,
    int headroomPercent,
    long headroomBytes,
    boolean scaled) {

  /** Paketo's default {@code -XX:MaxDirectMemorySize}: 10 MiB, "in the absence of any reasonable heuristic". */
  public static final long DEFAULT_DIRECT_MEMORY_BYTES = 10 * MIB;

  /** Paketo's default {@code -XX:ReservedCodeCacheSize}: 240 MiB, HotSpot's default with tiered compilation. */
  public static final long DEFAULT_RESERVED_CODE_CACHE_BYTES = 240 * MIB;

  /** Paketo's default {@code -Xss}: 1 MiB, HotSpot's default on Linux x64 and aarch64. */
  public static final long DEFAULT_THREAD_STACK_BYTES = MIB;

  /** Paketo's default thread count (its {@code DefaultThreadCount}). */
  public static final int DEFAULT_THREAD_COUNT = 250;

  /** This library's default loaded class count (Paketo computes one per application at build time). */
  public static final int DEFAULT_LOADED_CLASS_COUNT = 15_000;

  /** Metaspace per loaded class, Paketo's {@code ClassSize}. */
  public static final long METASPACE_BYTES_PER_CLASS = 5_800;

  /** Metaspace independent of the class count, Paketo's {@code ClassOverhead}. */
  public static final long METASPACE_OVERHEAD_BYTES = 14_000_000;

  /** Below this total, unpinned estimates are scaled down (1 GiB, the total Paketo assumes). */
  public static final long SCALING_REFERENCE_BYTES = GIB;

  /** The smallest scaled code cache: 16 MiB (HotSpot's minimum is a few MiB; less starves the JIT). */
  public static final long MIN_SCALED_RESERVED_CODE_CACHE_BYTES = 16 * MIB;

  /** The smallest scaled thread count: about what an idle JVM runs (GC, JIT, signal, finalizer). */
  public static final int MIN_SCALED_THREAD_COUNT = 20;

  /** The smallest scaled class count: a minimal Spring Boot application loads about 8,000. */
  public static final int MIN_SCALED_LOADED_CLASS_COUNT = 8_000;

  /** The smallest heap worth starting a JVM with: 8 MiB. */
  public static final long MIN_HEAP_BYTES = 8 * MIB;

  /**
   * Validates that the regions are non-negative and fit the total.
   *
   * @param totalBytes see {@link #totalBytes()}
   * @param heapBytes see {@link #heapBytes()}
   * @param metaspaceBytes see {@link #metaspaceBytes()}
   * @param reservedCodeCacheBytes see {@link #reservedCodeCacheBytes()}
   * @param directMemoryBytes see {@link #directMemoryBytes()}
   * @param threadStackBytes see {@link #threadStackBytes()}
   * @param threadCount see {@link #threadCount()}
   * @param loadedClassCount see {@link #loadedClassCount()}
   * @param headroomPercent see {@link #headroomPercent()}
   * @param headroomBytes see {@link #headroomBytes()}
   * @param scaled see {@link #scaled()}
   */
  public JvmMemory {
    if (totalBytes <= 0) {
      throw new IllegalArgumentException("totalBytes must be positive: " + totalBytes);
    }
    if (heapBytes < 0 || metaspaceBytes < 0 || reservedCodeCacheBytes < 0 || directMemoryBytes < 0
        || threadStackBytes <= 0 || threadCount < 0 || loadedClassCount < 0 || headroomBytes < 0) {
      throw new IllegalArgumentException("negative region");
    }
    if (headroomPercent < 0 || headroomPercent > 99) {
      throw new IllegalArgumentException("headroomPercent must be 0..99: " + headroomPercent);
    }
    long sum = heapBytes + metaspaceBytes + reservedCodeCacheBytes + directMemoryBytes
        + Math.multiplyExact(threadStackBytes, (long) threadCount) + headroomBytes;
    if (sum > totalBytes) {
      throw new IllegalArgumentException("regions add up to " + sum + " B, more than the total " + totalBytes + " B");
    }
  }

  /**
   * Starts a set of inputs; set the total with {@link Builder#totalBytes(long)} or
   * {@link Builder#total(ContainerResources)}.
   *
   * @return a builder with every other input at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The layout for a total with all defaults.
   *
   * @param totalBytes the memory to fit in, e.g. the container's limit
   * @return the layout
   * @throws InsufficientMemoryException when the total cannot hold the fixed regions and a minimal heap
   */
  public static JvmMemory forTotal(long totalBytes) {
    return builder().totalBytes(totalBytes).calculate();
  }

  /**
   * The layout for a detected container with all defaults: its memory limit, else (known to have
   * no limit) the memory an isolated view or the host shows. Never from a guess: an unknown limit
   * is refused, not sized from the host's memory or a looser ancestor's limit.
   *
   * @param resources detected resources
   * @return the layout
   * @throws UnknownMemoryException when the memory limit is unknown, or there is none and no
   *     memory total could be read
   * @throws InsufficientMemoryException when the total cannot hold the fixed regions and a minimal heap
   */
  public static JvmMemory forContainer(ContainerResources resources) {
    return builder().total(resources).calculate();
  }

  /**
   * Computes the layout.
   *
   * @param in the inputs
   * @return the layout
   * @throws InsufficientMemoryException when the total cannot hold the fixed regions, the non-heap
   *     regions, all regions (with a pinned heap), or leaves less than {@link #MIN_HEAP_BYTES} for
   *     a computed heap; the message lists every region
   */
  public static JvmMemory calculate(Inputs in) {
    requireNonNull(in, "in");
    long total = in.totalBytes();
    boolean scale = in.scaleForSmallContainers() && total < SCALING_REFERENCE_BYTES;
    boolean scaled = false;

    int threads;
    if (in.threadCount().isPresent()) {
      threads = in.threadCount().getAsInt();
    } else if (scale) {
      threads = (int) Math.max(MIN_SCALED_THREAD_COUNT, DEFAULT_THREAD_COUNT * total / SCALING_REFERENCE_BYTES);
      scaled |= threads != DEFAULT_THREAD_COUNT;
    } else {
      threads = DEFAULT_THREAD_COUNT;
    }

    int classes;
    if (in.loadedClassCount().isPresent()) {
      classes = in.loadedClassCount().getAsInt();
    } else if (scale && in.metaspaceBytes().isEmpty()) {
      classes = (int) Math.max(MIN_SCALED_LOADED_CLASS_COUNT,
          DEFAULT_LOADED_CLASS_COUNT * total / SCALING_REFERENCE_BYTES);
      scaled |= classes != DEFAULT_LOADED_CLASS_COUNT;
    } else {
      classes = DEFAULT_LOADED_CLASS_COUNT;
    }

    long codeCache;
    if (in.reservedCodeCacheBytes().isPresent()) {
      codeCache = in.reservedCodeCacheBytes().getAsLong();
    } else if (scale) {
      long proportional = DEFAULT_RESERVED_CODE_CACHE_BYTES * total / SCALING_REFERENCE_BYTES;
      codeCache = Math.max(MIN_SCALED_RESERVED_CODE_CACHE_BYTES, proportional / MIB * MIB);
      scaled |= codeCache != DEFAULT_RESERVED_CODE_CACHE_BYTES;
    } else {
      codeCache = DEFAULT_RESERVED_CODE_CACHE_BYTES;
    }

    long direct = in.directMemoryBytes().orElse(DEFAULT_DIRECT_MEMORY_BYTES);
    long stack = in.threadStackBytes().orElse(DEFAULT_THREAD_STACK_BYTES);
    long metaspace = in.metaspaceBytes().orElse(METASPACE_OVERHEAD_BYTES + METASPACE_BYTES_PER_CLASS * classes);
    long stacks;
    long fixed;
    try {
      stacks = Math.multiplyExact(stack, (long) threads);
      fixed = Math.addExact(Math.addExact(Math.addExact(direct, metaspace), codeCache), stacks);
    } catch (ArithmeticException e) {
      throw new InsufficientMemoryException("fixed memory regions overflow 64 bits (-Xss" + Sizes.flagValue(stack)
          + " * " + threads + " threads, metaspace " + metaspace + " bytes): no memory can hold them",
          Long.MAX_VALUE, total);
    }

    String fixedList = "-XX:MaxDirectMemorySize=" + Sizes.flagValue(direct)
        + ", -XX:MaxMetaspaceSize=" + Sizes.flagValue(metaspace)
        + ", -XX:ReservedCodeCacheSize=" + Sizes.flagValue(codeCache)
        + ", -Xss" + Sizes.flagValue(stack) + " * " + threads + " threads";
    String hint = "; to fit, lower the thread count (" + threads + ") or the loaded class count ("
        + classes + "), pin smaller regions, or raise the memory limit";

    if (fixed > total) {
      throw new InsufficientMemoryException(
          "fixed memory regions require " + Sizes.flagValue(fixed) + " which is greater than "
              + Sizes.flagValue(total) + " available for allocation: " + fixedList + hint,
          fixed, total);
    }

    long headroom = percentOf(total, in.headroomPercent());
    long nonHeap = fixed + headroom;
    String nonHeapList = Sizes.flagValue(headroom) + " headroom, " + fixedList;
    if (nonHeap > total) {
      throw new InsufficientMemoryException(
          "non-heap memory regions require " + Sizes.flagValue(nonHeap) + " which is greater than "
              + Sizes.flagValue(total) + " available for allocation: " + nonHeapList + hint,
          nonHeap, total);
    }

    long heap;
    if (in.heapBytes().isPresent()) {
      heap = in.heapBytes().getAsLong();
      long all = Math.addExact(nonHeap, heap);
      if (all > total) {
        throw new InsufficientMemoryException(
            "all memory regions require " + Sizes.flagValue(all) + " which is greater than "
                + Sizes.flagValue(total) + " available for allocation: -Xmx" + Sizes.flagValue(heap)
                + ", " + nonHeapList + hint,
            all, total);
      }
    } else {
      heap = total - nonHeap;
      if (heap < MIN_HEAP_BYTES) {
        throw new InsufficientMemoryException(
            "memory regions leave " + Sizes.flagValue(heap) + " for the heap, less than the "
                + Sizes.flagValue(MIN_HEAP_BYTES) + " minimum, of " + Sizes.flagValue(total)
                + " available for allocation: " + nonHeapList + hint,
            nonHeap + MIN_HEAP_BYTES, total);
      }
    }
    return new JvmMemory(total, heap, metaspace, codeCache, direct, stack, threads, classes,
        in.headroomPercent(), headroom, scaled);
  }

  private static long percentOf(long total, int percent) {
    // total * percent / 100 without overflow for any long total
    return total / 100 * percent + total % 100 * percent / 100;
  }

  /**
   * Bytes of all thread stacks: {@code threadStackBytes x threadCount}.
   *
   * @return bytes
   */
  public long threadStacksBytes() {
    return threadStackBytes * threadCount;
  }

  /**
   * Everything but the heap: direct memory, metaspace, code cache, thread stacks and headroom.
   *
   * @return bytes
   */
  public long nonHeapBytes() {
    return directMemoryBytes + metaspaceBytes + reservedCodeCacheBytes + threadStacksBytes() + headroomBytes;
  }

  /**
   * The flags, in the order Paketo prints them: {@code -XX:MaxDirectMemorySize}, {@code -Xmx},
   * {@code -XX:MaxMetaspaceSize}, {@code -XX:ReservedCodeCacheSize}, {@code -Xss}. Values are
   * truncated to whole KiB and printed in the largest exact unit ({@code 10M}, {@code 776289K}).
   *
   * @return an unmodifiable list of five flags
   */
  public List<String> flags() {
    List<String> f = new ArrayList<>(5);
    f.add("-XX:MaxDirectMemorySize=" + Sizes.flagValue(directMemoryBytes));
    f.add("-Xmx" + Sizes.flagValue(heapBytes));
    f.add("-XX:MaxMetaspaceSize=" + Sizes.flagValue(metaspaceBytes));
    f.add("-XX:ReservedCodeCacheSize=" + Sizes.flagValue(reservedCodeCacheBytes));
    f.add("-Xss" + Sizes.flagValue(threadStackBytes));
    return List.copyOf(f);
  }

  /**
   * The flags on one line, separated by single spaces, for {@code JAVA_OPTS} or
   * {@code JAVA_TOOL_OPTIONS}. The values contain no characters a shell would split or expand.
   *
   * @return e.g. {@code -XX:MaxDirectMemorySize=10M -Xmx438006K -XX:MaxMetaspaceSize=98632K
   *     -XX:ReservedCodeCacheSize=240M -Xss1M}
   */
  public String flagsLine() {
    return String.join(" ", flags());
  }

  /**
   * The heap as a percentage of the total, rounded down to one decimal: what
   * {@code -XX:MaxRAMPercentage} would need to be for the JVM to pick (at most) this heap by itself
   * from the same limit. The JVM ignores {@code MaxRAMPercentage} when {@code -Xmx} is given.
   *
   * @return percent, 0.0 to 100.0
   */
  public double maxRamPercentage() {
    return BigDecimal.valueOf(heapBytes).multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(totalBytes), 1, RoundingMode.DOWN).doubleValue();
  }

  /**
   * {@link #maxRamPercentage()} as a flag.
   *
   * @return e.g. {@code -XX:MaxRAMPercentage=41.7}
   */
  public String maxRamPercentageFlag() {
    return "-XX:MaxRAMPercentage=" + BigDecimal.valueOf(maxRamPercentage()).setScale(1, RoundingMode.DOWN).toPlainString();
  }

  /**
   * One line on what the layout assumed, in the style of Paketo's log line.
   *
   * @return e.g. {@code Total Memory: 1G, Thread Count: 250, Loaded Class Count: 15000, Headroom: 0%}
   */
  public String describe() {
    return "Total Memory: " + Sizes.flagValue(totalBytes) + ", Thread Count: " + threadCount
        + ", Loaded Class Count: " + loadedClassCount + ", Headroom: " + headroomPercent + "%"
        + (scaled ? " (defaults scaled for a total below 1G)" : "");
  }

  @Override
  public String toString() {
    return flagsLine() + " (" + describe() + ")";
  }

  /**
   * What a layout is computed from. Empty optionals mean "use the default" (and, below 1 GiB,
   * "scale the default" where {@link #scaleForSmallContainers()} allows).
   *
   * @param totalBytes the memory to fit in, positive
   * @param threadCount threads to budget stacks for; default {@value JvmMemory#DEFAULT_THREAD_COUNT}
   * @param loadedClassCount classes to size metaspace for; default
   *     {@value JvmMemory#DEFAULT_LOADED_CLASS_COUNT}
   * @param headroomPercent 0 to 99; default 0
   * @param heapBytes a pinned {@code -Xmx}; pinned regions are at least 1 KiB
   * @param metaspaceBytes a pinned {@code -XX:MaxMetaspaceSize}
   * @param reservedCodeCacheBytes a pinned {@code -XX:ReservedCodeCacheSize}
   * @param directMemoryBytes a pinned {@code -XX:MaxDirectMemorySize}
   * @param threadStackBytes a pinned {@code -Xss}
   * @param scaleForSmallContainers whether unpinned estimates shrink below 1 GiB (default true)
   */
  public record Inputs(
      long totalBytes,
      OptionalInt threadCount,
      OptionalInt loadedClassCount,
      int headroomPercent,
      OptionalLong heapBytes,
      OptionalLong metaspaceBytes,
      OptionalLong reservedCodeCacheBytes,
      OptionalLong directMemoryBytes,
      OptionalLong threadStackBytes,
      boolean scaleForSmallContainers) {

    /**
     * Validates the ranges.
     *
     * @param totalBytes see {@link #totalBytes()}
     * @param threadCount see {@link #threadCount()}
     * @param loadedClassCount see {@link #loadedClassCount()}
     * @param headroomPercent see {@link #headroomPercent()}
     * @param heapBytes see {@link #heapBytes()}
     * @param metaspaceBytes see {@link #metaspaceBytes()}
     * @param reservedCodeCacheBytes see {@link #reservedCodeCacheBytes()}
     * @param directMemoryBytes see {@link #directMemoryBytes()}
     * @param threadStackBytes see {@link #threadStackBytes()}
     * @param scaleForSmallContainers see {@link #scaleForSmallContainers()}
     */
    public Inputs {
      requireNonNull(threadCount, "threadCount");
      requireNonNull(loadedClassCount, "loadedClassCount");
      requireNonNull(heapBytes, "heapBytes");
      requireNonNull(metaspaceBytes, "metaspaceBytes");
      requireNonNull(reservedCodeCacheBytes, "reservedCodeCacheBytes");
      requireNonNull(directMemoryBytes, "directMemoryBytes");
      requireNonNull(threadStackBytes, "threadStackBytes");
      if (totalBytes <= 0) {
        throw new IllegalArgumentException("totalBytes must be positive: " + totalBytes);
      }
      if (threadCount.orElse(0) < 0) {
        throw new IllegalArgumentException("threadCount must not be negative: " + threadCount.getAsInt());
      }
      if (loadedClassCount.orElse(0) < 0) {
        throw new IllegalArgumentException("loadedClassCount must not be negative: " + loadedClassCount.getAsInt());
      }
      if (headroomPercent < 0 || headroomPercent > 99) {
        throw new IllegalArgumentException("headroomPercent must be 0..99: " + headroomPercent);
      }
      // Flags print whole KiB, and HotSpot reads 0 as "use the default" for several of these
      // (-XX:MaxDirectMemorySize=0 means "as large as the heap"), so a pinned region is at least 1 KiB.
      for (OptionalLong pinned : List.of(heapBytes, metaspaceBytes, reservedCodeCacheBytes, directMemoryBytes,
          threadStackBytes)) {
        if (pinned.isPresent() && pinned.getAsLong() < Sizes.KIB) {
          throw new IllegalArgumentException("a pinned region must be at least 1 KiB: " + pinned.getAsLong());
        }
      }

    }
  }

  /** Builds {@link Inputs}; not thread-safe, reusable. */
  public static final class Builder {
    private long totalBytes = -1;
    private OptionalInt threadCount = OptionalInt.empty();
    private OptionalInt loadedClassCount = OptionalInt.empty();
    private int headroomPercent;
    private OptionalLong heapBytes = OptionalLong.empty();
    private OptionalLong metaspaceBytes = OptionalLong.empty();
    private OptionalLong reservedCodeCacheBytes = OptionalLong.empty();
    private OptionalLong directMemoryBytes = OptionalLong.empty();
    private OptionalLong threadStackBytes = OptionalLong.empty();
    private boolean scaleForSmallContainers = true;

    private Builder() {}

    /**
     * Sets the total to fit in.
     *
     * @param bytes positive
     * @return this builder
     */
    public Builder totalBytes(long bytes) {
      this.totalBytes = bytes;
      return this;
    }

    /**
     * Sets the total from detected resources: the memory limit, else (known to have no limit) the
     * memory an isolated view or the host shows ({@link dev.rightsize.Memory#availableBytes()}).
     *
     * @param resources detected resources
     * @return this builder
     * @throws UnknownMemoryException when the memory limit is unknown, or there is none and no
     *     memory total could be read
     */
    public Builder total(ContainerResources resources) {
      dev.rightsize.Limit limit = resources.memory().limitBytes();
      if (!limit.isKnown()) {
        throw new UnknownMemoryException("the memory limit is unknown ("
            + (limit.value().isPresent() ? "at most " + Sizes.human(limit.value().getAsLong()) + " was read, the real"
                + " limit may be lower" : "no limit file could be read")
            + "); not sizing from a guess: " + firstFile(resources));
      }
      OptionalLong total = resources.memory().availableBytes();
      if (total.isEmpty()) {
        throw new UnknownMemoryException("no memory limit is set and no memory total could be read: "
            + firstFile(resources));
      }
      this.totalBytes = total.getAsLong();
      return this;
    }

    private static String firstFile(ContainerResources r) {
      for (dev.rightsize.Warning w : r.warnings()) {
        if (w.file().isPresent() && w.code() != dev.rightsize.WarningCode.LIMIT_UNKNOWN) {
          return w.code().id() + " " + w.file().get();
        }
      }
      return r.warnings().isEmpty() ? "no warning recorded" : r.warnings().get(0).toString();
    }

    /**
     * Sets the number of threads to budget stacks for: the most the application will run at once,
     * pools and the JVM's own (GC, JIT, ~20 at idle) included.
     *
     * @param count 0 or more
     * @return this builder
     */
    public Builder threadCount(int count) {
      this.threadCount = OptionalInt.of(count);
      return this;
    }

    /**
     * Sets the number of classes the application loads, to size metaspace.
     *
     * @param count 0 or more
     * @return this builder
     */
    public Builder loadedClassCount(int count) {
      this.loadedClassCount = OptionalInt.of(count);
      return this;
    }

    /**
     * Sets the percentage of the total left unassigned, for native memory the regions do not
     * cover (GC and JIT structures, malloc arenas, mapped files). Paketo's default is 0; 5 to 10
     * is a common choice for G1 heaps of several GiB.
     *
     * @param percent 0 to 99
     * @return this builder
     */
    public Builder headroomPercent(int percent) {
      this.headroomPercent = percent;
      return this;
    }

    /**
     * Pins the heap ({@code -Xmx}); the other regions must then fit beside it.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     */
    public Builder heapBytes(long bytes) {
      this.heapBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Pins metaspace ({@code -XX:MaxMetaspaceSize}); the class count is then unused.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     */
    public Builder metaspaceBytes(long bytes) {
      this.metaspaceBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Pins the reserved code cache ({@code -XX:ReservedCodeCacheSize}).
     *
     * @param bytes at least 1 KiB
     * @return this builder
     */
    public Builder reservedCodeCacheBytes(long bytes) {
      this.reservedCodeCacheBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Pins direct memory ({@code -XX:MaxDirectMemorySize}).
     *
     * @param bytes at least 1 KiB
     * @return this builder
     */
    public Builder directMemoryBytes(long bytes) {
      this.directMemoryBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Pins the stack size per thread ({@code -Xss}).
     *
     * @param bytes at least 1 KiB
     * @return this builder
     */
    public Builder threadStackBytes(long bytes) {
      this.threadStackBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Whether unpinned estimates (code cache, thread count, class count) shrink for totals below
     * 1 GiB. {@code false} gives exactly the Paketo calculator's result, which refuses most totals
     * below about 700 MiB.
     *
     * @param scale default true
     * @return this builder
     */
    public Builder scaleForSmallContainers(boolean scale) {
      this.scaleForSmallContainers = scale;
      return this;
    }

    /**
     * The inputs.
     *
     * @return the inputs
     * @throws IllegalArgumentException when the total is unset or an input is out of range
     */
    public Inputs build() {
      if (totalBytes < 0) {
        throw new IllegalArgumentException("total not set: call totalBytes(...) or total(...)");
      }
      return new Inputs(totalBytes, threadCount, loadedClassCount, headroomPercent, heapBytes,
          metaspaceBytes, reservedCodeCacheBytes, directMemoryBytes, threadStackBytes, scaleForSmallContainers);
    }

    /**
     * Shorthand for {@code JvmMemory.calculate(build())}.
     *
     * @return the layout
     * @throws InsufficientMemoryException when the total cannot hold the regions
     */
    public JvmMemory calculate() {
      return JvmMemory.calculate(build());
    }
  }
}
