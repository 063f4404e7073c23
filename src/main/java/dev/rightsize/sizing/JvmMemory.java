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
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A JVM memory layout that fits a total (a container's memory limit): heap, metaspace, code cache,
 * direct memory, thread stacks, the collector's own structures and native headroom, with the flags
 * that set and cap them.
 *
 * <pre>{@code
 * JvmMemory m = JvmMemory.builder().total(ContainerResources.detect())
 *     .threadCount(200).loadedClassCount(12_000).directMemoryBytes(64 << 20).calculate();
 * String javaOpts = m.flagsLine();   // "-XX:MaxDirectMemorySize=64M -Xmx... -Xss1M"
 * m.notes();                         // what was squeezed, if anything
 * }</pre>
 *
 * <h2>Two calculators</h2>
 *
 * <p>{@link Mode#WORKLOAD} (the default) budgets what the JVM <em>commits</em> for a described
 * workload; {@link Mode#PAKETO} is the Paketo / Cloud Foundry memory calculator's formula, kept for
 * compatibility. Both are pure functions of the {@link Inputs}.
 *
 * <h2>Workload mode</h2>
 *
 * <pre>
 * metaspace  = 4 MiB + 4.5 KiB x loaded classes, in whole MiB     -XX:MaxMetaspaceSize (cap)
 * code cache = total / 32, clamped to 10..240 MiB (unless given)  -XX:ReservedCodeCacheSize (cap)
 * direct     = 10 MiB (unless given)                              -XX:MaxDirectMemorySize (cap)
 * stacks     = threads x 256 KiB touched (not -Xss reserved)      -Xss 1 MiB (512 KiB when 1 MiB x threads &gt; total / 2)
 * native     = 10 MiB (JDK 20+: 13 MiB) + 128 KiB x threads + code cache / 8  (stack shadow zones, malloc, JIT arenas)
 *              + 20 MiB (JDK 20+: 24 MiB) for the JVM's own mapped files (libjvm, CDS archive, lib/modules)
 *              + G1's fixed cost 5 MiB (JDK 20+: 6 MiB)
 * collector  = heap x 1% (Serial), 1.5% (Parallel), 3% (G1; JDK 20+: 2%)    (card table, offsets, bitmaps, remsets)
 * heap       = (total - metaspace - code cache - direct - stacks - native - headroom) / (1 + collector share)
 * </pre>
 *
 * The coefficients come from bisecting {@code -Xmx} on a real cgroup v1 kernel until the kernel
 * OOM killer fired, for a light and a busy service on JDK 17 and 25 with Serial and G1
 * ({@code SizingMatrixIT}; the table is in the README). The collector is the one the JVM picks
 * (Serial below 2 CPUs or 1792 MiB, else G1) unless given; a given collector adds its flag. The
 * JDK version to size is an input too ({@link Builder#jdkFeatureVersion(int)}; 17 when unset;
 * {@link #forContainer} and the CLI use the running JVM's).
 * Defaults: threads {@code clamp(total / 4 MiB, 20, 250)}, loaded classes 15,000 (scaled below
 * 1 GiB as in Paketo mode), direct memory 10 MiB.
 *
 * <p><b>Never refused when the JVM can run.</b> When the full budget leaves less than a seventh of
 * the total (at least 16 MiB) for the heap, the capped regions are squeezed in turn, code cache
 * (to 10 MiB), direct memory (to a quarter, at least 2 MiB), metaspace (to 16 MiB + 2 KiB per
 * class), and each squeeze is listed in {@link #notes()}: the JVM then meets a JVM-level limit
 * (a full code cache, an {@code OutOfMemoryError}) instead of the kernel's OOM killer. Only a
 * total below {@link #MIN_WORKLOAD_TOTAL_BYTES} is refused.
 *
 * <h2>Paketo mode</h2>
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
 * ({@link InsufficientMemoryException}). It counts reserved memory as if committed, so it leaves
 * much of a container unused and refuses realistic applications below about 600 MiB.
 *
 * <p>Where Paketo mode differs from Paketo, and why:
 *
 * <ul>
 *   <li><b>Small containers are scaled, not refused.</b> Below {@link #SCALING_REFERENCE_BYTES}
 *       (1 GiB), the three estimates that are guesses rather than measurements, when not set,
 *       shrink in proportion to the total: code cache {@code 240 MiB x total / 1 GiB} rounded down
 *       to whole MiB (at least {@link #MIN_SCALED_RESERVED_CODE_CACHE_BYTES}), thread count
 *       {@code 250 x total / 1 GiB} (at least {@link #MIN_SCALED_THREAD_COUNT}), loaded classes
 *       {@code 15,000 x total / 1 GiB} (at least {@link #MIN_SCALED_LOADED_CLASS_COUNT}). From
 *       1 GiB up the result is exactly Paketo's. {@link Builder#scaleForSmallContainers(boolean)
 *       scaleForSmallContainers(false)} restores Paketo's behaviour everywhere.
 *   <li><b>Loaded class count has a fixed default</b> ({@value #DEFAULT_LOADED_CLASS_COUNT}):
 *       Paketo counts class files at build time; a library at run time has no such inventory.
 *   <li><b>A minimum heap.</b> A computed heap below {@link #MIN_HEAP_BYTES} is refused.
 *   <li><b>Pinned regions are printed</b>: {@link #flags()} always lists all five.
 * </ul>
 *
 * <p>Flags truncate each region to whole KiB (as Paketo's do), so the JVM is never given more than
 * the layout holds; the accessors return the exact bytes, which never add up to more than the
 * total.
 *
 * @param mode the calculator that made this layout
 * @param totalBytes the memory the layout fits in
 * @param heapBytes {@code -Xmx}
 * @param metaspaceBytes {@code -XX:MaxMetaspaceSize}
 * @param reservedCodeCacheBytes {@code -XX:ReservedCodeCacheSize}
 * @param directMemoryBytes {@code -XX:MaxDirectMemorySize}
 * @param threadStackBytes {@code -Xss}, per thread
 * @param threadStackUsedBytes stack budgeted per thread: what it touches (workload mode), or all
 *     of {@code -Xss} (Paketo mode)
 * @param threadCount threads budgeted for
 * @param loadedClassCount classes the metaspace was sized for (unused when it was pinned)
 * @param headroomPercent percentage of the total left to nothing
 * @param headroomBytes {@code totalBytes x headroomPercent / 100}, rounded down
 * @param gcOverheadBytes the collector's own structures, proportional to the heap (0 in Paketo mode)
 * @param nativeBytes memory outside the capped regions: malloc, JIT arenas, symbols, the JVM's own
 *     threads, and the pages of the JVM's own files it keeps mapped (libjvm, the CDS archive,
 *     lib/modules), which count against the limit on a node that never ran this JDK (0 in Paketo
 *     mode)
 * @param collector the collector budgeted for
 * @param collectorFlag whether {@link #flags()} names the collector (it was given, not predicted)
 * @param scaled true when at least one default was scaled down for a small total
 * @param notes what was squeezed or assumed, for a log or stderr; empty when the budget fits
 */
public record JvmMemory(
    Mode mode,
    long totalBytes,
    long heapBytes,
    long metaspaceBytes,
    long reservedCodeCacheBytes,
    long directMemoryBytes,
    long threadStackBytes,
    long threadStackUsedBytes,
    int threadCount,
    int loadedClassCount,
    int headroomPercent,
    long headroomBytes,
    long gcOverheadBytes,
    long nativeBytes,
    Collector collector,
    boolean collectorFlag,
    boolean scaled,
    List<String> notes) {

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
   * The smallest total the workload calculator sizes for: 48 MiB. A JVM with an 8 MiB heap, the
   * smallest code cache and metaspace and no application commits about 40 MiB.
   */
  public static final long MIN_WORKLOAD_TOTAL_BYTES = 48 * MIB;

  /**
   * Validates that the regions are non-negative and fit the total, and copies the notes.
   *
   * @param mode see {@link #mode()}
   * @param totalBytes see {@link #totalBytes()}
   * @param heapBytes see {@link #heapBytes()}
   * @param metaspaceBytes see {@link #metaspaceBytes()}
   * @param reservedCodeCacheBytes see {@link #reservedCodeCacheBytes()}
   * @param directMemoryBytes see {@link #directMemoryBytes()}
   * @param threadStackBytes see {@link #threadStackBytes()}
   * @param threadStackUsedBytes see {@link #threadStackUsedBytes()}
   * @param threadCount see {@link #threadCount()}
   * @param loadedClassCount see {@link #loadedClassCount()}
   * @param headroomPercent see {@link #headroomPercent()}
   * @param headroomBytes see {@link #headroomBytes()}
   * @param gcOverheadBytes see {@link #gcOverheadBytes()}
   * @param nativeBytes see {@link #nativeBytes()}
   * @param collector see {@link #collector()}
   * @param collectorFlag see {@link #collectorFlag()}
   * @param scaled see {@link #scaled()}
   * @param notes see {@link #notes()}
   */
  public JvmMemory {
    requireNonNull(mode, "mode");
    requireNonNull(collector, "collector");
    notes = List.copyOf(notes);
    if (totalBytes <= 0) {
      throw new IllegalArgumentException("totalBytes must be positive: " + totalBytes);
    }
    if (heapBytes < 0 || metaspaceBytes < 0 || reservedCodeCacheBytes < 0 || directMemoryBytes < 0
        || threadStackBytes <= 0 || threadStackUsedBytes < 0 || threadCount < 0 || loadedClassCount < 0
        || headroomBytes < 0 || gcOverheadBytes < 0 || nativeBytes < 0) {
      throw new IllegalArgumentException("negative region");
    }
    if (headroomPercent < 0 || headroomPercent > 99) {
      throw new IllegalArgumentException("headroomPercent must be 0..99: " + headroomPercent);
    }
    long sum = heapBytes + metaspaceBytes + reservedCodeCacheBytes + directMemoryBytes
        + Math.multiplyExact(threadStackUsedBytes, (long) threadCount) + headroomBytes + gcOverheadBytes + nativeBytes;
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
   * The workload-mode layout for a total with all defaults (CPUs unknown: G1 assumed).
   *
   * @param totalBytes the memory to fit in, e.g. the container's limit
   * @return the layout
   * @throws InsufficientMemoryException when the total is below {@link #MIN_WORKLOAD_TOTAL_BYTES}
   */
  public static JvmMemory forTotal(long totalBytes) {
    return builder().totalBytes(totalBytes).calculate();
  }

  /**
   * The layout for a detected container with all defaults: its memory limit, else (known to have
   * no limit) the memory an isolated view or the host shows; its effective CPUs predict the
   * collector; the running JVM's version is assumed for the JVM to be sized. Never from a guess: an
   * unknown limit is refused, not sized from the host's memory or a looser ancestor's limit.
   *
   * @param resources detected resources
   * @return the layout
   * @throws UnknownMemoryException when the memory limit is unknown, or there is none and no
   *     memory total could be read
   * @throws InsufficientMemoryException when the total is below {@link #MIN_WORKLOAD_TOTAL_BYTES}
   */
  public static JvmMemory forContainer(ContainerResources resources) {
    return builder().total(resources).cpuCount(resources.cpu().effective())
        .jdkFeatureVersion(Runtime.version().feature()).calculate();
  }

  /**
   * Computes the layout.
   *
   * @param in the inputs
   * @return the layout
   * @throws InsufficientMemoryException in workload mode only for a total below
   *     {@link #MIN_WORKLOAD_TOTAL_BYTES} or a pinned heap that cannot fit; in Paketo mode when the
   *     total cannot hold the fixed regions, the non-heap regions, all regions (with a pinned
   *     heap), or leaves less than {@link #MIN_HEAP_BYTES} for a computed heap; the message lists
   *     every region
   */
  public static JvmMemory calculate(Inputs in) {
    requireNonNull(in, "in");
    return in.mode() == Mode.PAKETO ? paketo(in) : WorkloadCalculator.calculate(in);
  }

  /** Paketo mode: the Paketo / Cloud Foundry memory calculator's formula. */
  private static JvmMemory paketo(Inputs in) {
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
    List<String> notes = new java.util.ArrayList<>();
    threads = capThreads(threads, in, notes);

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
    return new JvmMemory(Mode.PAKETO, total, heap, metaspace, codeCache, direct, stack, stack, threads, classes,
        in.headroomPercent(), headroom, 0, 0, in.collector().orElse(Collector.G1), in.collector().isPresent(),
        scaled, notes);
  }

  /**
   * The thread count capped at the inputs' thread headroom (at least 1), with a note when it applied.
   */
  static int capThreads(int threads, Inputs in, List<String> notes) {
    if (in.threadHeadroom().isEmpty()) {
      return threads;
    }
    int cap = Math.max(1, in.threadHeadroom().getAsInt());
    if (threads <= cap) {
      return threads;
    }
    notes.add("threads: " + threads + " asked, budgeted " + cap + ", the thread headroom (pids.max or ulimit -u,"
        + " minus the tasks now and the JVM's own threads): more fail with OutOfMemoryError: unable to create"
        + " native thread");
    return cap;
  }

  static long percentOf(long total, int percent) {
    // total * percent / 100 without overflow for any long total
    return total / 100 * percent + total % 100 * percent / 100;
  }

  /**
   * Bytes budgeted for all thread stacks: {@code threadStackUsedBytes x threadCount}.
   *
   * @return bytes
   */
  public long threadStacksBytes() {
    return threadStackUsedBytes * threadCount;
  }

  /**
   * Everything but the heap: direct memory, metaspace, code cache, thread stacks, headroom, the
   * collector's structures and native memory.
   *
   * @return bytes
   */
  public long nonHeapBytes() {
    return directMemoryBytes + metaspaceBytes + reservedCodeCacheBytes + threadStacksBytes() + headroomBytes
        + gcOverheadBytes + nativeBytes;
  }

  /**
   * The flags, in the order Paketo prints them: {@code -XX:MaxDirectMemorySize}, {@code -Xmx},
   * {@code -XX:MaxMetaspaceSize}, {@code -XX:ReservedCodeCacheSize}, {@code -Xss}, then the
   * collector's flag when it was given ({@link #collectorFlag()}). Values are truncated to whole
   * KiB and printed in the largest exact unit ({@code 10M}, {@code 776289K}).
   *
   * @return an unmodifiable list of five or six flags
   */
  public List<String> flags() {
    List<String> f = new ArrayList<>(6);
    f.add("-XX:MaxDirectMemorySize=" + Sizes.flagValue(directMemoryBytes));
    f.add("-Xmx" + Sizes.flagValue(heapBytes));
    f.add("-XX:MaxMetaspaceSize=" + Sizes.flagValue(metaspaceBytes));
    f.add("-XX:ReservedCodeCacheSize=" + Sizes.flagValue(reservedCodeCacheBytes));
    f.add("-Xss" + Sizes.flagValue(threadStackBytes));
    if (collectorFlag) {
      f.add(collector.flag());
    }
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
   *     (workload mode adds {@code , Collector: G1})
   */
  public String describe() {
    return "Total Memory: " + Sizes.flagValue(totalBytes) + ", Thread Count: " + threadCount
        + ", Loaded Class Count: " + loadedClassCount + ", Headroom: " + headroomPercent + "%"
        + (mode == Mode.WORKLOAD ? ", Collector: " + collector.displayName() : "")
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
   * @param mode the calculator
   * @param threadCount threads to budget stacks for; default {@value JvmMemory#DEFAULT_THREAD_COUNT}
   *     in Paketo mode, {@code clamp(total / 4 MiB, 20, 250)} in workload mode
   * @param loadedClassCount classes to size metaspace for; default
   *     {@value JvmMemory#DEFAULT_LOADED_CLASS_COUNT}
   * @param headroomPercent 0 to 99; default 0
   * @param heapBytes a pinned {@code -Xmx}; pinned regions are at least 1 KiB
   * @param metaspaceBytes a pinned {@code -XX:MaxMetaspaceSize}
   * @param reservedCodeCacheBytes a pinned {@code -XX:ReservedCodeCacheSize} (the code cache need)
   * @param directMemoryBytes a pinned {@code -XX:MaxDirectMemorySize}
   * @param threadStackBytes a pinned {@code -Xss}
   * @param threadStackUsedBytes stack each thread touches (workload mode; default 256 KiB)
   * @param collector the collector; empty: the one the JVM picks (predicted from
   *     {@code cpuCount} and the total)
   * @param cpuCount the CPUs the JVM sees, to predict its collector; empty: unknown (G1 assumed,
   *     the costlier)
   * @param jdkFeatureVersion the feature version of the JVM to be sized (17, 21, 25...): JDK 20
   *     and later commit less (one G1 mark bitmap, leaner native structures); empty: 17 assumed,
   *     the costlier
   * @param scaleForSmallContainers whether unpinned estimates shrink below 1 GiB (default true)
   * @param threadHeadroom the most threads the application can start (see {@link ThreadHeadroom});
   *     the thread count, given or default, never exceeds it (at least 1); empty: no cap
   */
  public record Inputs(
      long totalBytes,
      Mode mode,
      OptionalInt threadCount,
      OptionalInt loadedClassCount,
      int headroomPercent,
      OptionalLong heapBytes,
      OptionalLong metaspaceBytes,
      OptionalLong reservedCodeCacheBytes,
      OptionalLong directMemoryBytes,
      OptionalLong threadStackBytes,
      OptionalLong threadStackUsedBytes,
      Optional<Collector> collector,
      OptionalInt cpuCount,
      OptionalInt jdkFeatureVersion,
      boolean scaleForSmallContainers,
      OptionalInt threadHeadroom) {

    /**
     * Validates the ranges.
     *
     * @param totalBytes see {@link #totalBytes()}
     * @param mode see {@link #mode()}
     * @param threadCount see {@link #threadCount()}
     * @param loadedClassCount see {@link #loadedClassCount()}
     * @param headroomPercent see {@link #headroomPercent()}
     * @param heapBytes see {@link #heapBytes()}
     * @param metaspaceBytes see {@link #metaspaceBytes()}
     * @param reservedCodeCacheBytes see {@link #reservedCodeCacheBytes()}
     * @param directMemoryBytes see {@link #directMemoryBytes()}
     * @param threadStackBytes see {@link #threadStackBytes()}
     * @param threadStackUsedBytes see {@link #threadStackUsedBytes()}
     * @param collector see {@link #collector()}
     * @param cpuCount see {@link #cpuCount()}
     * @param jdkFeatureVersion see {@link #jdkFeatureVersion()}
     * @param scaleForSmallContainers see {@link #scaleForSmallContainers()}
     * @param threadHeadroom see {@link #threadHeadroom()}
     */
    public Inputs {
      requireNonNull(mode, "mode");
      requireNonNull(threadCount, "threadCount");
      requireNonNull(loadedClassCount, "loadedClassCount");
      requireNonNull(heapBytes, "heapBytes");
      requireNonNull(metaspaceBytes, "metaspaceBytes");
      requireNonNull(reservedCodeCacheBytes, "reservedCodeCacheBytes");
      requireNonNull(directMemoryBytes, "directMemoryBytes");
      requireNonNull(threadStackBytes, "threadStackBytes");
      requireNonNull(threadStackUsedBytes, "threadStackUsedBytes");
      requireNonNull(collector, "collector");
      requireNonNull(cpuCount, "cpuCount");
      requireNonNull(jdkFeatureVersion, "jdkFeatureVersion");
      requireNonNull(threadHeadroom, "threadHeadroom");
      if (threadHeadroom.orElse(0) < 0) {
        throw new IllegalArgumentException("threadHeadroom must not be negative: " + threadHeadroom.getAsInt());
      }
      if (totalBytes <= 0) {
        throw new IllegalArgumentException("totalBytes must be positive: " + totalBytes);
      }
      if (threadCount.orElse(0) < 0) {
        throw new IllegalArgumentException("threadCount must not be negative: " + threadCount.getAsInt());
      }
      if (loadedClassCount.orElse(0) < 0) {
        throw new IllegalArgumentException("loadedClassCount must not be negative: " + loadedClassCount.getAsInt());
      }
      if (cpuCount.orElse(1) < 1) {
        throw new IllegalArgumentException("cpuCount must be at least 1: " + cpuCount.getAsInt());
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
      if (threadStackUsedBytes.orElse(0) < 0) {
        throw new IllegalArgumentException("threadStackUsedBytes must not be negative");
      }
    }
  }

  /** Which calculator. */
  public enum Mode {
    /** The workload-driven calculator (the default): what the JVM commits for a described workload. */
    WORKLOAD,
    /** The Paketo / Cloud Foundry memory calculator's formula (compatibility). */
    PAKETO;

    /**
     * Parses {@code workload} or {@code paketo}, in any case.
     *
     * @param name the name
     * @return the mode
     * @throws IllegalArgumentException for any other name
     */
    public static Mode parse(String name) {
      return switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "workload" -> WORKLOAD;
        case "paketo" -> PAKETO;
        default -> throw new IllegalArgumentException("unknown mode '" + name + "' (workload or paketo)");
      };
    }
  }

  /** The garbage collector a layout budgets for; each has its own cost beside the heap. */
  public enum Collector {
    /** {@code -XX:+UseSerialGC}: card table and block offsets. */
    SERIAL("-XX:+UseSerialGC", "Serial"),
    /** {@code -XX:+UseParallelGC}: as Serial, plus its worker threads. */
    PARALLEL("-XX:+UseParallelGC", "Parallel"),
    /** {@code -XX:+UseG1GC}: card table, mark bitmap(s), remembered sets. */
    G1("-XX:+UseG1GC", "G1");

    private final String flag;
    private final String displayName;

    Collector(String flag, String displayName) {
      this.flag = flag;
      this.displayName = displayName;
    }

    /**
     * The flag that selects it.
     *
     * @return e.g. {@code -XX:+UseG1GC}
     */
    public String flag() {
      return flag;
    }

    /**
     * The name the JDK's logs use.
     *
     * @return e.g. {@code G1}
     */
    public String displayName() {
      return displayName;
    }

    /**
     * The collector HotSpot picks by itself (JDK 17 to 25): G1 on a "server class machine" (at
     * least 2 CPUs and 1792 MiB), else Serial.
     *
     * @param cpus the CPUs the JVM sees
     * @param totalBytes the memory the JVM sees
     * @return the collector
     */
    public static Collector ergonomic(int cpus, long totalBytes) {
      return cpus >= 2 && totalBytes >= 1792 * MIB ? G1 : SERIAL;
    }

    /**
     * Parses {@code serial}, {@code parallel} or {@code g1} (also the JDK's MXBean names such as
     * {@code "G1 Young Generation"}, {@code "Copy"}, {@code "PS Scavenge"}), in any case.
     *
     * @param name the name
     * @return the collector, or empty when the name is none of these (e.g. ZGC)
     */
    public static Optional<Collector> parse(String name) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (n.contains("g1")) {
        return Optional.of(G1);
      }
      if (n.contains("serial") || n.equals("copy") || n.contains("marksweepcompact")) {
        return Optional.of(SERIAL);
      }
      if (n.contains("parallel") || n.startsWith("ps ")) {
        return Optional.of(PARALLEL);
      }
      return Optional.empty();
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
    private OptionalLong threadStackUsedBytes = OptionalLong.empty();
    private Optional<Collector> collector = Optional.empty();
    private OptionalInt cpuCount = OptionalInt.empty();
    private OptionalInt jdkFeatureVersion = OptionalInt.empty();
    private Mode mode = Mode.WORKLOAD;
    private boolean scaleForSmallContainers = true;
    private OptionalInt threadHeadroom = OptionalInt.empty();

    private Builder() {}

    /**
     * Chooses the calculator (default {@link Mode#WORKLOAD}).
     *
     * @param mode the calculator
     * @return this builder
     */
    public Builder mode(Mode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the collector; its flag is then part of {@link JvmMemory#flags()}. Unset, the
     * collector the JVM will pick is predicted and no flag is added.
     *
     * @param collector the collector
     * @return this builder
     */
    public Builder collector(Collector collector) {
      this.collector = Optional.of(requireNonNull(collector, "collector"));
      return this;
    }

    /**
     * Sets the CPUs the JVM will see, to predict the collector it picks.
     *
     * @param cpus at least 1
     * @return this builder
     */
    public Builder cpuCount(int cpus) {
      this.cpuCount = OptionalInt.of(cpus);
      return this;
    }

    /**
     * Sets the feature version of the JVM to be sized (e.g. {@code Runtime.version().feature()}
     * when it is the running one). Unset, JDK 17 is assumed, the costlier.
     *
     * @param feature 8 or more
     * @return this builder
     */
    public Builder jdkFeatureVersion(int feature) {
      this.jdkFeatureVersion = OptionalInt.of(feature);
      return this;
    }

    /**
     * Sets the stack each thread touches at its deepest (workload mode; default 256 KiB). Only
     * touched stack is committed: {@code -Xss} reserves, it does not charge.
     *
     * @param bytes 0 or more
     * @return this builder
     */
    public Builder threadStackUsedBytes(long bytes) {
      this.threadStackUsedBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Takes the workload from a measured footprint of an earlier run: peak thread count, loaded
     * classes (plus 10%), direct and mapped buffers (plus 25%, at least 4 MiB), code cache (1.5 x
     * committed, at least 16 MiB) and its collector. Inputs set afterwards win.
     *
     * @param footprint the record of the earlier run
     * @return this builder
     */
    public Builder footprint(JvmFootprint footprint) {
      requireNonNull(footprint, "footprint");
      this.threadCount = OptionalInt.of(footprint.peakThreadCount());
      this.loadedClassCount = OptionalInt.of((int) Math.min(Integer.MAX_VALUE, footprint.loadedClassCount() * 11L / 10));
      long buffers = footprint.directBufferBytes() + footprint.mappedBufferBytes();
      this.directMemoryBytes = OptionalLong.of(roundUpMib(Math.max(4 * MIB, buffers + buffers / 4)));
      this.reservedCodeCacheBytes = OptionalLong.of(
          roundUpMib(Math.max(16 * MIB, footprint.codeCacheCommittedBytes() * 3 / 2)));
      footprint.collector().ifPresent(c -> this.collector = Optional.of(c));
      return this;
    }

    private static long roundUpMib(long bytes) {
      return (bytes + MIB - 1) / MIB * MIB;
    }

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
     * Also caps the thread count at the resources' {@linkplain ThreadHeadroom thread headroom},
     * where they have one (see {@link #threadHeadroom(int)}).
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
      ThreadHeadroom h = ThreadHeadroom.of(resources).orElse(null);
      this.threadHeadroom = h == null ? OptionalInt.empty() : OptionalInt.of(h.threads());
      return this;
    }

    /**
     * Caps the thread count (given, measured or default) at the threads the application can start
     * ({@link ThreadHeadroom#threads()}): more cannot run, so budgeting their stacks would only
     * take memory from the heap. {@link JvmMemory#notes()} says when it applied.
     *
     * @param threads 0 or more (a cap of 0 budgets 1 thread)
     * @return this builder
     */
    public Builder threadHeadroom(int threads) {
      this.threadHeadroom = OptionalInt.of(threads);
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
     * Sets the number of threads to budget stacks for: the most the application will run at once
     * (all its pools). Paketo mode counts the JVM's own (GC, JIT, about 20) in it; workload mode
     * budgets those in its native memory.
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
      return new Inputs(totalBytes, mode, threadCount, loadedClassCount, headroomPercent, heapBytes,
          metaspaceBytes, reservedCodeCacheBytes, directMemoryBytes, threadStackBytes, threadStackUsedBytes,
          collector, cpuCount, jdkFeatureVersion, scaleForSmallContainers, threadHeadroom);
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
