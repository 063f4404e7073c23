package dev.rightsize.sizing;

import static dev.rightsize.internal.Sizes.KIB;
import static dev.rightsize.internal.Sizes.MIB;

import dev.rightsize.internal.Sizes;
import dev.rightsize.sizing.JvmMemory.Collector;
import dev.rightsize.sizing.JvmMemory.Inputs;
import dev.rightsize.sizing.JvmMemory.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Mode#WORKLOAD}: budgets what the JVM commits for a described workload, a pure function of
 * the inputs. The coefficients were fitted to the frontier measured by {@code SizingMatrixIT} (the
 * largest -Xmx the kernel did not OOM-kill, for a light and a busy service, JDK 17 and 25, Serial
 * and G1, 256 MiB to 2 GiB) and kept on the safe side of every measured cell.
 */
final class WorkloadCalculator {
  /** Stack a thread touches at its deepest, by default: 256 KiB (a deep framework call chain). */
  static final long DEFAULT_STACK_USED_BYTES = 256 * KIB;
  /** Default direct memory: 10 MiB, as Paketo. */
  static final long DEFAULT_DIRECT_BYTES = 10 * MIB;
  /** Metaspace independent of the classes: 4 MiB. */
  static final long METASPACE_BASE_BYTES = 4 * MIB;
  /** Committed metaspace per loaded class (class space and non-class space): 4.5 KiB. */
  static final long METASPACE_PER_CLASS_BYTES = 4608;
  /**
   * The JVM's native memory with no application: libjvm's data, symbol tables, the GC's and
   * compiler's threads, malloc arenas: 10 MiB (JDK 17), fitted to the measured frontier.
   */
  static final long NATIVE_BASE_BYTES = 10 * MIB;
  /**
   * The same from JDK 20 on: 13 MiB (at 256 MiB, JDK 25's frontier is about 3 MiB below JDK 17's
   * for the same work, with either collector).
   */
  static final long NATIVE_BASE_BYTES_JDK20 = 13 * MIB;
  /**
   * Memory per application thread beyond the stack it uses: the shadow zone HotSpot touches ahead
   * of the deepest frame, the JVM's thread structures, the kernel stack (16 KiB) and malloc:
   * 128 KiB. Measured (2026-11-29, three runs per probe, the JDK's files charged to the test JVM
   * that maps the same JDK, so not to the cell: their cost is {@link #JVM_FILES_BYTES}): 200 threads 256 KiB deep with 64 MiB direct memory and 11,000
   * classes survive a 49 MiB Serial heap in 256 MiB on JDK 17 and are OOM-killed at 53 MiB, which
   * leaves 31 to 35 MiB for the JVM's native memory: 10 MiB + 200 x 128 KiB + 1.25 MiB = 36.25 MiB
   * is on the safe side of it.
   */
  static final long NATIVE_PER_THREAD_BYTES = 128 * KIB;
  /** JIT arenas grow with what is compiled: an eighth of the code cache is budgeted for them. */
  static final int NATIVE_CODE_CACHE_DIVISOR = 8;
  /** The collector's own structures, in thousandths of the heap: Serial's card table and offsets. */
  static final int SERIAL_PERMILLE = 10;
  /** Parallel's: as Serial's, plus its worker threads' buffers. */
  static final int PARALLEL_PERMILLE = 15;
  /** G1's up to JDK 19: two mark bitmaps (1/64 of the heap each), card table, offsets, remembered sets. */
  static final int G1_PERMILLE = 30;
  /** G1's from JDK 20 on (JDK-8210708: one mark bitmap). */
  static final int G1_PERMILLE_JDK20 = 20;
  /**
   * G1's cost independent of the heap (task queues, mark stack, refinement buffers, its
   * concurrent threads): 5 MiB. Measured in 256 MiB with the busy workload and the JDK's files
   * warm: G1's frontier is 7 MiB of heap below Serial's on JDK 17 (42 vs 49 MiB) and on JDK 25.
   */
  static final long G1_FIXED_BYTES = 5 * MIB;
  /**
   * The same from JDK 20 on: 6 MiB (its files, which G1 keeps a little more of in use, are in
   * {@link #JVM_FILES_BYTES_JDK20}).
   */
  static final long G1_FIXED_BYTES_JDK20 = 6 * MIB;
  /**
   * The pages of the JVM's own files it keeps mapped (libjvm.so, the CDS archive, lib/modules):
   * 20 MiB on JDK 17. On a node that never ran this JDK (its own image layer: the usual case in
   * Kubernetes) they are read inside the container and charged to its memory limit; when they do
   * not fit beside the rest, the kernel re-reads them for minutes or OOM-kills the JVM. Measured
   * (2026-12-07, a private copy of the JDK, page cache dropped, 1 GiB cgroup): peak
   * {@code mapped_file} 18 MiB (Serial) and 19 MiB (G1), the same for the light and the busy
   * workload.
   */
  static final long JVM_FILES_BYTES = 20 * MIB;
  /** The same for Temurin 25: 24 MiB (measured 22 MiB with Serial, 22 to 23 MiB with G1). */
  static final long JVM_FILES_BYTES_JDK20 = 24 * MIB;
  /**
   * Share of the total left unassigned when the budget is squeezed: 5%. Measured: the busy service
   * squeezed into 256 MiB with none left free ran up to 70 s on Temurin 25, the kernel re-reading
   * the JVM's files at the limit, before its capped direct memory ran out.
   */
  static final int SQUEEZE_MARGIN_PERCENT = 5;
  /** Smallest code cache, by default and when squeezed: 10 MiB. */
  static final long MIN_CODE_CACHE_BYTES = 10 * MIB;
  /** Smallest squeezed direct memory: 2 MiB. */
  static final long MIN_DIRECT_BYTES = 2 * MIB;

  private WorkloadCalculator() {}

  static JvmMemory calculate(Inputs in) {
    long total = in.totalBytes();
    if (total < JvmMemory.MIN_WORKLOAD_TOTAL_BYTES) {
      throw new InsufficientMemoryException("a total of " + Sizes.flagValue(total) + " is below the "
          + Sizes.flagValue(JvmMemory.MIN_WORKLOAD_TOTAL_BYTES) + " a JVM needs to run at all (8M heap, the"
          + " smallest code cache and metaspace); raise the memory limit", JvmMemory.MIN_WORKLOAD_TOTAL_BYTES, total);
    }
    List<String> notes = new ArrayList<>();
    boolean scaled = false;

    int threads = JvmMemory.capThreads(in.threadCount().isPresent() ? in.threadCount().getAsInt()
        : defaultThreads(total), in, notes);
    int classes;
    if (in.loadedClassCount().isPresent()) {
      classes = in.loadedClassCount().getAsInt();
    } else if (in.scaleForSmallContainers() && total < JvmMemory.SCALING_REFERENCE_BYTES) {
      classes = (int) Math.max(JvmMemory.MIN_SCALED_LOADED_CLASS_COUNT,
          JvmMemory.DEFAULT_LOADED_CLASS_COUNT * total / JvmMemory.SCALING_REFERENCE_BYTES);
      scaled = classes != JvmMemory.DEFAULT_LOADED_CLASS_COUNT;
    } else {
      classes = JvmMemory.DEFAULT_LOADED_CLASS_COUNT;
    }
    Collector collector = in.collector().orElseGet(() -> in.cpuCount().isPresent()
        ? Collector.ergonomic(in.cpuCount().getAsInt(), total) : Collector.G1);
    boolean jdk20 = in.jdkFeatureVersion().orElse(17) >= 20;
    int gcPermille = switch (collector) {
      case SERIAL -> SERIAL_PERMILLE;
      case PARALLEL -> PARALLEL_PERMILLE;
      case G1 -> jdk20 ? G1_PERMILLE_JDK20 : G1_PERMILLE;
    };
    boolean g1 = collector == Collector.G1;
    long nativeBase = jdk20
        ? NATIVE_BASE_BYTES_JDK20 + JVM_FILES_BYTES_JDK20 + (g1 ? G1_FIXED_BYTES_JDK20 : 0)
        : NATIVE_BASE_BYTES + JVM_FILES_BYTES + (g1 ? G1_FIXED_BYTES : 0);

    long stackUsed = in.threadStackUsedBytes().orElse(DEFAULT_STACK_USED_BYTES);
    long xss;
    if (in.threadStackBytes().isPresent()) {
      xss = in.threadStackBytes().getAsLong();
    } else {
      long base = (long) threads * MIB <= total / 2 ? MIB : 512 * KIB;
      xss = Math.max(base, roundUp(stackUsed + 64 * KIB, 64 * KIB));
    }
    stackUsed = Math.min(stackUsed, xss);

    long code = in.reservedCodeCacheBytes().orElse(defaultCodeCache(total));
    long direct = in.directMemoryBytes().orElse(DEFAULT_DIRECT_BYTES);
    long metaspace = in.metaspaceBytes().orElse(roundUp(METASPACE_BASE_BYTES
        + METASPACE_PER_CLASS_BYTES * classes, MIB));
    long stacks = Math.multiplyExact(stackUsed, (long) threads);
    long headroom = JvmMemory.percentOf(total, in.headroomPercent());

    long heap;
    long nativeBytes = nativeBytes(nativeBase, threads, code);
    long fixed = metaspace + code + direct + stacks + nativeBytes + headroom;
    if (in.heapBytes().isPresent()) {
      heap = in.heapBytes().getAsLong();
      long gc = heap / 1000 * gcPermille;
      if (Math.addExact(fixed, heap + gc) > total) {
        throw new InsufficientMemoryException("all memory regions require " + Sizes.flagValue(fixed + heap + gc)
            + " which is greater than " + Sizes.flagValue(total) + " available for allocation: -Xmx"
            + Sizes.flagValue(heap) + ", " + describe(metaspace, code, direct, threads, stackUsed, nativeBytes, gc),
            fixed + heap + gc, total);
      }
    } else {
      long floor = Math.max(16 * MIB, total / 7);
      heap = heapFor(total - fixed, gcPermille);
      if (heap < floor) {
        // A workload that does not fit its full budget fills every cap it is given: whatever the
        // model misses then lands on the kernel's limit. A share of the total is kept free so that
        // the JVM's own limits bind first.
        long margin = roundDown(total / 100 * SQUEEZE_MARGIN_PERCENT, MIB);
        long need = floor + floor / 1000 * gcPermille - (total - fixed) + margin;
        // squeeze what the JVM can cap, in the order that hurts least
        long c = Math.max(MIN_CODE_CACHE_BYTES, roundDown(code - need, MIB));
        if (c < code) {
          long saved = (code - c) + (nativeBytes - nativeBytes(nativeBase, threads, c));
          notes.add("squeezed: code cache " + Sizes.flagValue(code) + " -> " + Sizes.flagValue(c)
              + " (the JIT stops compiling when it is full)");
          need -= saved;
          code = c;
          nativeBytes = nativeBytes(nativeBase, threads, code);
        }
        if (need > 0) {
          long d = Math.max(Math.min(direct, Math.max(MIN_DIRECT_BYTES, roundDown(direct / 4, MIB))),
              roundDown(direct - need, MIB));
          if (d < direct) {
            notes.add("squeezed: direct memory " + Sizes.flagValue(direct) + " -> " + Sizes.flagValue(d)
                + " (beyond it, OutOfMemoryError: Cannot reserve direct buffer memory)");
            need -= direct - d;
            direct = d;
          }
        }
        if (need > 0 && in.metaspaceBytes().isEmpty()) {
          long m = Math.max(Math.min(metaspace, roundUp(16 * MIB + 2 * KIB * classes, MIB)),
              roundDown(metaspace - need, MIB));
          if (m < metaspace) {
            notes.add("squeezed: metaspace " + Sizes.flagValue(metaspace) + " -> " + Sizes.flagValue(m)
                + " for " + classes + " classes (beyond it, OutOfMemoryError: Metaspace)");
            need -= metaspace - m;
            metaspace = m;
          }
        }
        fixed = metaspace + code + direct + stacks + nativeBytes + headroom;
        heap = heapFor(total - fixed - margin, gcPermille);
        notes.add("squeezed: " + Sizes.flagValue(margin) + " of the total left unassigned (a squeezed workload"
            + " fills every cap; the JVM's own limits must bind before the kernel's)");
        if (heap < floor) {
          notes.add("squeezed: heap " + Sizes.flagValue(Math.max(0, heap)) + " is below the " + Sizes.flagValue(floor)
              + " wanted for " + Sizes.flagValue(total) + ": the workload as described does not fit; lower the"
              + " thread count (" + threads + ") or class count (" + classes + "), or raise the memory limit");
        }
        if (heap < JvmMemory.MIN_HEAP_BYTES) {
          // Last resort: the minimum heap, with the uncappable budgets (stacks, native) scaled down to fit.
          heap = JvmMemory.MIN_HEAP_BYTES;
          long rest = total - headroom - margin - code - direct - heap - heap / 1000 * gcPermille;
          if (in.metaspaceBytes().isEmpty() && metaspace > rest / 2) {
            // metaspace takes at most half of what is left, at least 16 MiB
            long m = Math.max(16 * MIB, roundDown(rest / 2, MIB));
            if (m < metaspace) {
              notes.add("squeezed: metaspace " + Sizes.flagValue(metaspace) + " -> " + Sizes.flagValue(m)
                  + " for " + classes + " classes (beyond it, OutOfMemoryError: Metaspace)");
              metaspace = m;
            }
          }
          long room = rest - metaspace;
          long want = stacks + nativeBytes;
          if (room <= 0) {
            throw new InsufficientMemoryException("memory regions require " + Sizes.flagValue(total - room + want)
                + " which is greater than " + Sizes.flagValue(total) + " available for allocation: -Xmx"
                + Sizes.flagValue(heap) + ", " + describe(metaspace, code, direct, threads, stackUsed, nativeBytes, 0),
                total - room + want, total);
          }
          // both rounded down: threads x stack + native <= f x want <= room
          double f = Math.min(1.0, (double) room / want);
          stackUsed = (long) (stackUsed * f);
          nativeBytes = (long) (nativeBytes * f);
          notes.add("squeezed: thread stacks and native memory budgeted at " + (int) (f * 100)
              + "% of the model; an OOM kill is possible under full load");
        }
      }
    }
    if (in.heapBytes().isEmpty() && heap < total / 4) {
      notes.add("tight: the heap is under a quarter of " + Sizes.flagValue(total) + "; what the inputs leave out"
          + " (more threads or classes than given, a native library, malloc growth) has no room: measure the"
          + " application (JvmFootprint) and size from its record (--profile)");
    }
    long gc = heap / 1000 * gcPermille;
    return new JvmMemory(Mode.WORKLOAD, total, heap, metaspace, code, direct, xss, stackUsed, threads, classes,
        in.headroomPercent(), headroom, gc, nativeBytes, collector, in.collector().isPresent(), scaled, notes);
  }

  /**
   * The largest heap h, a multiple of 1000 B, with h + h / 1000 x permille within room: whole
   * thousands of (1000 + permille) B; room itself when it is not positive.
   */
  private static long heapFor(long room, int permille) {
    return room <= 0 ? room : room / (1000 + permille) * 1000;
  }

  static int defaultThreads(long total) {
    return (int) Math.max(20, Math.min(250, total / (4 * MIB)));
  }

  /** Default code cache: total / 32 in whole MiB, clamped to 12..240 MiB (240 MiB is HotSpot's own default). */
  static long defaultCodeCache(long total) {
    return Math.max(MIN_CODE_CACHE_BYTES, Math.min(JvmMemory.DEFAULT_RESERVED_CODE_CACHE_BYTES, total / 32 / MIB * MIB));
  }

  static long nativeBytes(long base, int threads, long codeCache) {
    return base + NATIVE_PER_THREAD_BYTES * threads + codeCache / NATIVE_CODE_CACHE_DIVISOR;
  }

  private static long roundDown(long v, long unit) {
    return Math.floorDiv(v, unit) * unit;
  }

  private static long roundUp(long v, long unit) {
    return (v + unit - 1) / unit * unit;
  }

  private static String describe(long metaspace, long code, long direct, int threads, long stackUsed, long nativeBytes,
      long gc) {
    return "-XX:MaxMetaspaceSize=" + Sizes.flagValue(metaspace) + ", -XX:ReservedCodeCacheSize=" + Sizes.flagValue(code)
        + ", -XX:MaxDirectMemorySize=" + Sizes.flagValue(direct) + ", " + threads + " threads x "
        + Sizes.flagValue(stackUsed) + " stack, " + Sizes.flagValue(nativeBytes) + " native, "
        + Sizes.flagValue(gc) + " collector";
  }
}
