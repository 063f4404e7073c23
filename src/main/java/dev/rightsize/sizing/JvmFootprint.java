package dev.rightsize.sizing;

import static java.util.Objects.requireNonNull;

import dev.rightsize.internal.Sizes;
import dev.rightsize.sizing.JvmMemory.Collector;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the running application's JVM commits outside the heap, measured from its MXBeans: an
 * immutable record that can be written to a small {@code key=value} file and fed to the
 * calculator of a later run ({@link JvmMemory.Builder#footprint(JvmFootprint)}, or
 * {@code --jvm-flags --profile FILE}).
 *
 * <pre>{@code
 * // at the end of a warmed-up run (a load test, a canary)
 * JvmFootprint.current().write(Path.of("/data/footprint.properties"));
 * // at the next start
 * java -jar rightsize-cli.jar --jvm-flags --profile /data/footprint.properties
 * }</pre>
 *
 * All byte values are <em>committed</em> (what the kernel charges), not reserved.
 *
 * @param loadedClassCount classes loaded now
 * @param metaspaceUsedBytes {@code Metaspace} pool used
 * @param metaspaceCommittedBytes {@code Metaspace} pool committed (class space included)
 * @param codeCacheUsedBytes code heaps ({@code CodeHeap '...'} or {@code CodeCache}) used, summed
 * @param codeCacheCommittedBytes code heaps committed, summed
 * @param threadCount live threads now
 * @param peakThreadCount the most threads alive at once since the JVM started
 * @param directBufferBytes the {@code direct} buffer pool's memory used
 * @param mappedBufferBytes the {@code mapped} buffer pools' memory used (file mappings; charged as
 *     page cache while resident)
 * @param heapCommittedBytes heap committed now
 * @param heapMaxBytes the heap's maximum ({@code -Xmx}); 0 when undefined
 * @param collector the collector, from the garbage collector MXBeans; empty when not one the
 *     calculator models (ZGC, Shenandoah, Epsilon)
 */
public record JvmFootprint(
    int loadedClassCount,
    long metaspaceUsedBytes,
    long metaspaceCommittedBytes,
    long codeCacheUsedBytes,
    long codeCacheCommittedBytes,
    int threadCount,
    int peakThreadCount,
    long directBufferBytes,
    long mappedBufferBytes,
    long heapCommittedBytes,
    long heapMaxBytes,
    Optional<Collector> collector) {

  private static final List<String> KEYS = List.of("loadedClassCount", "metaspaceUsedBytes",
      "metaspaceCommittedBytes", "codeCacheUsedBytes", "codeCacheCommittedBytes", "threadCount", "peakThreadCount",
      "directBufferBytes", "mappedBufferBytes", "heapCommittedBytes", "heapMaxBytes");

  /**
   * A person's reading: {@code JvmFootprint[12,034 classes, metaspace 61.2 MiB committed, code cache
   * 18.4 MiB committed, 31 threads (peak 40), direct 10 MiB, mapped 0 B, heap 256 MiB committed of
   * 1 GiB, GC G1]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return "JvmFootprint[" + loadedClassCount + " classes, metaspace " + Sizes.human(metaspaceCommittedBytes)
        + " committed, code cache " + Sizes.human(codeCacheCommittedBytes) + " committed, " + threadCount
        + " threads (peak " + peakThreadCount + "), direct " + Sizes.human(directBufferBytes) + ", mapped "
        + Sizes.human(mappedBufferBytes) + ", heap " + Sizes.human(heapCommittedBytes) + " committed of "
        + Sizes.human(heapMaxBytes) + (collector.isPresent() ? ", GC " + collector.get().displayName() : "") + "]";
  }

  /**
   * Validates that counts and sizes are not negative.
   *
   * @param loadedClassCount see {@link #loadedClassCount()}
   * @param metaspaceUsedBytes see {@link #metaspaceUsedBytes()}
   * @param metaspaceCommittedBytes see {@link #metaspaceCommittedBytes()}
   * @param codeCacheUsedBytes see {@link #codeCacheUsedBytes()}
   * @param codeCacheCommittedBytes see {@link #codeCacheCommittedBytes()}
   * @param threadCount see {@link #threadCount()}
   * @param peakThreadCount see {@link #peakThreadCount()}
   * @param directBufferBytes see {@link #directBufferBytes()}
   * @param mappedBufferBytes see {@link #mappedBufferBytes()}
   * @param heapCommittedBytes see {@link #heapCommittedBytes()}
   * @param heapMaxBytes see {@link #heapMaxBytes()}
   * @param collector see {@link #collector()}
   */
  public JvmFootprint {
    requireNonNull(collector, "collector");
    if (loadedClassCount < 0 || metaspaceUsedBytes < 0 || metaspaceCommittedBytes < 0 || codeCacheUsedBytes < 0
        || codeCacheCommittedBytes < 0 || threadCount < 0 || peakThreadCount < 0 || directBufferBytes < 0
        || mappedBufferBytes < 0 || heapCommittedBytes < 0 || heapMaxBytes < 0) {
      throw new IllegalArgumentException("negative count or size in a footprint");
    }
  }

  /**
   * Measures the running JVM.
   *
   * @return its footprint now
   */
  public static JvmFootprint current() {
    long metaUsed = 0;
    long metaCommitted = 0;
    long codeUsed = 0;
    long codeCommitted = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() != MemoryType.NON_HEAP || !p.isValid()) {
        continue;
      }
      MemoryUsage u = p.getUsage();
      String n = p.getName();
      if (n.equals("Metaspace")) {
        // "Compressed Class Space" is a part of Metaspace's figures; it is not added again
        metaUsed += u.getUsed();
        metaCommitted += u.getCommitted();
      } else if (n.startsWith("CodeHeap") || n.equals("CodeCache")) {
        codeUsed += u.getUsed();
        codeCommitted += u.getCommitted();
      }
    }
    long direct = 0;
    long mapped = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        direct += b.getMemoryUsed();
      } else if (b.getName().startsWith("mapped")) {
        mapped += b.getMemoryUsed();
      }
    }
    Optional<Collector> gc = Optional.empty();
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc = Collector.parse(g.getName());
      if (gc.isPresent()) {
        break;
      }
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    var threads = ManagementFactory.getThreadMXBean();
    return new JvmFootprint(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), metaUsed, metaCommitted,
        codeUsed, codeCommitted, threads.getThreadCount(), threads.getPeakThreadCount(), Math.max(0, direct),
        Math.max(0, mapped), heap.getCommitted(), Math.max(0, heap.getMax()), gc);
  }

  /**
   * This record as {@code key=value} lines, one per component, in component order ({@code collector}
   * is {@code Serial}, {@code Parallel}, {@code G1} or empty).
   *
   * @return the text, ending with a newline
   */
  public String toProperties() {
    long[] v = values();
    StringBuilder sb = new StringBuilder("# rightsize JVM footprint (committed bytes, counts)\n");
    for (int i = 0; i < KEYS.size(); i++) {
      sb.append(KEYS.get(i)).append('=').append(v[i]).append('\n');
    }
    sb.append("collector=").append(collector.map(Collector::displayName).orElse("")).append('\n');
    return sb.toString();
  }

  /**
   * Parses {@link #toProperties()}'s format (any {@link Properties} syntax; unknown keys ignored).
   *
   * @param text the file's text
   * @return the footprint
   * @throws IllegalArgumentException when a key is missing or a value is not a non-negative integer
   */
  public static JvmFootprint parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a properties file: " + e.getMessage(), e);
    }
    List<Long> v = new ArrayList<>();
    for (String k : KEYS) {
      String s = p.getProperty(k);
      if (s == null) {
        throw new IllegalArgumentException("footprint has no '" + k + "'");
      }
      try {
        v.add(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("footprint '" + k + "' is not an integer: " + s);
      }
    }
    for (int i : new int[] {0, 5, 6}) {
      if (v.get(i) > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("footprint '" + KEYS.get(i) + "' is out of range: " + v.get(i));
      }
    }
    String gc = p.getProperty("collector", "").trim();
    return new JvmFootprint(v.get(0).intValue(), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5).intValue(),
        v.get(6).intValue(), v.get(7), v.get(8), v.get(9), v.get(10), gc.isEmpty() ? Optional.empty()
            : Collector.parse(gc));
  }

  /**
   * Writes {@link #toProperties()} to a file (replacing it).
   *
   * @param file where
   * @throws IOException when it cannot be written
   */
  public void write(Path file) throws IOException {
    Files.writeString(file, toProperties(), StandardCharsets.UTF_8);
  }

  /**
   * The larger of each component of this footprint and another (the collector is this one's, else
   * the other's): the peak over several measurements of one run, e.g. one per refresh.
   *
   * @param other another measurement
   * @return the component-wise maximum
   */
  public JvmFootprint max(JvmFootprint other) {
    requireNonNull(other, "other");
    return new JvmFootprint(Math.max(loadedClassCount, other.loadedClassCount),
        Math.max(metaspaceUsedBytes, other.metaspaceUsedBytes),
        Math.max(metaspaceCommittedBytes, other.metaspaceCommittedBytes),
        Math.max(codeCacheUsedBytes, other.codeCacheUsedBytes),
        Math.max(codeCacheCommittedBytes, other.codeCacheCommittedBytes), Math.max(threadCount, other.threadCount),
        Math.max(peakThreadCount, other.peakThreadCount), Math.max(directBufferBytes, other.directBufferBytes),
        Math.max(mappedBufferBytes, other.mappedBufferBytes), Math.max(heapCommittedBytes, other.heapCommittedBytes),
        Math.max(heapMaxBytes, other.heapMaxBytes), collector.isPresent() ? collector : other.collector);
  }

  /**
   * Writes this JVM's footprint to a file when the JVM exits normally (a shutdown hook: exit,
   * SIGTERM, the last non-daemon thread ending; not SIGKILL or an OOM kill), for the next start's
   * {@code --jvm-flags --profile FILE}. The file gets the peak of {@link #current()} at exit and
   * of every {@code current()} passed to the returned recorder's {@link Recorder#sample()} before.
   * A write failure is logged at WARN (logger {@code dev.rightsize}), never thrown.
   *
   * <pre>{@code
   * JvmFootprint.Recorder r = JvmFootprint.writeAtExit(Path.of("/data/footprint.properties"));
   * // optionally, at busy moments (direct buffers have no peak of their own):
   * r.sample();
   * }</pre>
   *
   * @param file where to write
   * @return the recorder, to sample busy moments or to write now
   */
  public static Recorder writeAtExit(Path file) {
    Recorder r = new Recorder(requireNonNull(file, "file"));
    Runtime.getRuntime().addShutdownHook(new Thread(r::writeQuietly, "rightsize-footprint-at-exit"));
    return r;
  }

  /** Keeps the peak footprint of one run and writes it; thread-safe. */
  public static final class Recorder {
    private final Path file;
    private JvmFootprint peak;

    private Recorder(Path file) {
      this.file = file;
    }

    /**
     * Measures now and keeps the peak.
     *
     * @return the peak so far
     */
    public synchronized JvmFootprint sample() {
      JvmFootprint now = current();
      peak = peak == null ? now : peak.max(now);
      return peak;
    }

    /**
     * Samples, then writes the peak to the file.
     *
     * @throws IOException when it cannot be written
     */
    public void write() throws IOException {
      sample().write(file);
    }

    void writeQuietly() {
      try {
        write();
      } catch (IOException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger("dev.rightsize").warn("could not write the JVM footprint to {}: {}",
            file, e.toString());
      }
    }
  }

  /**
   * Reads a file written by {@link #write(Path)}.
   *
   * @param file the file
   * @return the footprint
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it is not a footprint
   */
  public static JvmFootprint read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > 1 << 16) {
      throw new IllegalArgumentException(file + " is " + size + " bytes: not a footprint");
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  private long[] values() {
    return new long[] {loadedClassCount, metaspaceUsedBytes, metaspaceCommittedBytes, codeCacheUsedBytes,
        codeCacheCommittedBytes, threadCount, peakThreadCount, directBufferBytes, mappedBufferBytes,
        heapCommittedBytes, heapMaxBytes};
  }
}
