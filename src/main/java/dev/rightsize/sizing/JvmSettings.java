package dev.rightsize.sizing;

import static java.util.Objects.requireNonNull;

import dev.rightsize.internal.Sizes;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the running JVM believes about its CPUs and memory: an immutable snapshot, compared with the
 * container by {@link dev.rightsize.report.JvmCheck}.
 *
 * <p>{@link #current()} reads the live JVM; {@link #builder()} makes one by hand, for tests. Flag
 * values come from {@code com.sun.management.HotSpotDiagnosticMXBean}; on a JVM without it (not
 * HotSpot, or a runtime image without {@code jdk.management}) they are empty and
 * {@link #flagsReadable()} is false.
 *
 * @param availableProcessors {@code Runtime.availableProcessors()}
 * @param maxMemoryBytes {@code Runtime.maxMemory()}; empty when the JVM reports no limit
 *     ({@code Long.MAX_VALUE})
 * @param garbageCollectors the names of the garbage collector MXBeans, e.g. {@code "G1 Young
 *     Generation"}, {@code "G1 Old Generation"}; SerialGC shows {@code "Copy"} and
 *     {@code "MarkSweepCompact"}
 * @param activeProcessorCount {@code -XX:ActiveProcessorCount}; empty when not set (the flag's -1)
 *     or unreadable
 * @param maxRamPercentage {@code -XX:MaxRAMPercentage}; empty when unreadable
 * @param maxRamPercentageExplicit true when {@code MaxRAMPercentage} was set (command line,
 *     {@code JAVA_TOOL_OPTIONS}, a flags file), not left at its default
 * @param maxHeapSizeBytes {@code -XX:MaxHeapSize} (what {@code -Xmx} sets); empty when unreadable
 * @param maxHeapSizeExplicit true when the heap size was set ({@code -Xmx} or
 *     {@code -XX:MaxHeapSize}) rather than chosen by ergonomics
 * @param maxDirectMemorySizeBytes {@code -XX:MaxDirectMemorySize}; empty when not set (the flag's
 *     0, meaning "as large as the heap") or unreadable
 * @param reservedCodeCacheSizeBytes {@code -XX:ReservedCodeCacheSize}; empty when unreadable
 * @param maxMetaspaceSizeBytes {@code -XX:MaxMetaspaceSize}; empty when unlimited (the default) or
 *     unreadable
 * @param threadStackSizeBytes {@code -Xss} ({@code ThreadStackSize}, which HotSpot keeps in KiB),
 *     in bytes; empty when unreadable
 * @param useContainerSupport {@code -XX:+UseContainerSupport}; empty when unreadable
 * @param flagsReadable whether the HotSpot diagnostic MXBean answered
 */
public record JvmSettings(
    int availableProcessors,
    OptionalLong maxMemoryBytes,
    List<String> garbageCollectors,
    OptionalInt activeProcessorCount,
    OptionalDouble maxRamPercentage,
    boolean maxRamPercentageExplicit,
    OptionalLong maxHeapSizeBytes,
    boolean maxHeapSizeExplicit,
    OptionalLong maxDirectMemorySizeBytes,
    OptionalLong reservedCodeCacheSizeBytes,
    OptionalLong maxMetaspaceSizeBytes,
    OptionalLong threadStackSizeBytes,
    Optional<Boolean> useContainerSupport,
    boolean flagsReadable) {

  /**
   * Validates the components and copies the list.
   *
   * @param availableProcessors see {@link #availableProcessors()}
   * @param maxMemoryBytes see {@link #maxMemoryBytes()}
   * @param garbageCollectors see {@link #garbageCollectors()}
   * @param activeProcessorCount see {@link #activeProcessorCount()}
   * @param maxRamPercentage see {@link #maxRamPercentage()}
   * @param maxRamPercentageExplicit see {@link #maxRamPercentageExplicit()}
   * @param maxHeapSizeBytes see {@link #maxHeapSizeBytes()}
   * @param maxHeapSizeExplicit see {@link #maxHeapSizeExplicit()}
   * @param maxDirectMemorySizeBytes see {@link #maxDirectMemorySizeBytes()}
   * @param reservedCodeCacheSizeBytes see {@link #reservedCodeCacheSizeBytes()}
   * @param maxMetaspaceSizeBytes see {@link #maxMetaspaceSizeBytes()}
   * @param threadStackSizeBytes see {@link #threadStackSizeBytes()}
   * @param useContainerSupport see {@link #useContainerSupport()}
   * @param flagsReadable see {@link #flagsReadable()}
   */
  public JvmSettings {
    if (availableProcessors < 1) {
      throw new IllegalArgumentException("availableProcessors < 1: " + availableProcessors);
    }
    requireNonNull(maxMemoryBytes, "maxMemoryBytes");
    garbageCollectors = List.copyOf(garbageCollectors);
    requireNonNull(activeProcessorCount, "activeProcessorCount");
    requireNonNull(maxRamPercentage, "maxRamPercentage");
    requireNonNull(maxHeapSizeBytes, "maxHeapSizeBytes");
    requireNonNull(maxDirectMemorySizeBytes, "maxDirectMemorySizeBytes");
    requireNonNull(reservedCodeCacheSizeBytes, "reservedCodeCacheSizeBytes");
    requireNonNull(maxMetaspaceSizeBytes, "maxMetaspaceSizeBytes");
    requireNonNull(threadStackSizeBytes, "threadStackSizeBytes");
    requireNonNull(useContainerSupport, "useContainerSupport");
  }

  /**
   * The largest heap the JVM will grow to: {@code MaxHeapSize} where readable, else
   * {@code Runtime.maxMemory()} (which can be a survivor space smaller).
   *
   * @return bytes; empty when neither is known
   */
  public OptionalLong heapLimitBytes() {
    return maxHeapSizeBytes.isPresent() ? maxHeapSizeBytes : maxMemoryBytes;
  }

  /**
   * The collector's common name, from the MXBean names: {@code Serial} ({@code Copy},
   * {@code MarkSweepCompact}), {@code Parallel} ({@code PS Scavenge}, {@code PS MarkSweep}),
   * {@code G1}, {@code ZGC}, {@code Shenandoah}, {@code CMS} ({@code ParNew},
   * {@code ConcurrentMarkSweep}) or {@code Epsilon}; the MXBean names joined with {@code ", "} when
   * none of these matches.
   *
   * @return the name; empty when the JVM reported no collector
   */
  public String collectorName() {
    String found = null;
    for (String n : garbageCollectors) {
      String c = n.equals("Copy") || n.equals("MarkSweepCompact") ? "Serial"
          : n.startsWith("PS ") ? "Parallel"
          : n.startsWith("G1 ") ? "G1"
          : n.startsWith("ZGC") ? "ZGC"
          : n.startsWith("Shenandoah") ? "Shenandoah"
          : n.equals("ParNew") || n.equals("ConcurrentMarkSweep") ? "CMS"
          : n.startsWith("Epsilon") ? "Epsilon" : null;
      if (c == null || found != null && !found.equals(c)) {
        return String.join(", ", garbageCollectors);
      }
      found = c;
    }
    return found == null ? "" : found;
  }

  /**
   * Reads the running JVM. Never throws: what cannot be read is empty.
   *
   * @return the snapshot
   */
  public static JvmSettings current() {
    Runtime rt = Runtime.getRuntime();
    Builder b = builder().availableProcessors(rt.availableProcessors());
    long max = rt.maxMemory();
    if (max != Long.MAX_VALUE) {
      b.maxMemoryBytes(max);
    }
    List<String> gcs = new ArrayList<>();
    try {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        gcs.add(gc.getName());
      }
    } catch (RuntimeException | LinkageError e) {
      // no management support: leave the list empty
    }
    b.garbageCollectors(gcs);
    try {
      HotSpotFlags.read(b);
    } catch (RuntimeException | LinkageError e) {
      // not HotSpot, or jdk.management absent: flags stay empty, flagsReadable false
    }
    return b.build();
  }

  /**
   * A builder for tests and for snapshots taken elsewhere; starts with 1 processor and nothing
   * else known.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Reads HotSpot flags; a separate class so {@link JvmSettings} loads without jdk.management. */
  private static final class HotSpotFlags {
    private HotSpotFlags() {}

    static void read(Builder b) {
      com.sun.management.HotSpotDiagnosticMXBean hs =
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      if (hs == null) {
        return;
      }
      b.flagsReadable(true);
      option(hs, "ActiveProcessorCount").ifPresent(o -> {
        int n = Integer.parseInt(o.getValue().strip());
        if (n > 0) {
          b.activeProcessorCount(n);
        }
      });
      option(hs, "MaxRAMPercentage").ifPresent(o -> {
        b.maxRamPercentage(Double.parseDouble(o.getValue().strip()));
        b.maxRamPercentageExplicit(explicit(o));
      });
      option(hs, "MaxHeapSize").ifPresent(o -> {
        unsigned(o.getValue()).ifPresent(b::maxHeapSizeBytes);
        b.maxHeapSizeExplicit(explicit(o));
      });
      option(hs, "MaxDirectMemorySize").ifPresent(o ->
          unsigned(o.getValue()).ifPresent(v -> {
            if (v > 0) {
              b.maxDirectMemorySizeBytes(v);
            }
          }));
      option(hs, "ReservedCodeCacheSize").ifPresent(o -> unsigned(o.getValue()).ifPresent(b::reservedCodeCacheSizeBytes));
      option(hs, "MaxMetaspaceSize").ifPresent(o -> unsigned(o.getValue()).ifPresent(b::maxMetaspaceSizeBytes));
      option(hs, "ThreadStackSize").ifPresent(o -> unsigned(o.getValue()).ifPresent(k -> b.threadStackSizeBytes(k * 1024)));
      option(hs, "UseContainerSupport").ifPresent(o -> b.useContainerSupport(Boolean.parseBoolean(o.getValue().strip())));
    }

    private static Optional<com.sun.management.VMOption> option(
        com.sun.management.HotSpotDiagnosticMXBean hs, String name) {
      try {
        return Optional.of(hs.getVMOption(name));
      } catch (IllegalArgumentException e) {
        return Optional.empty(); // no such flag in this JVM
      }
    }

    private static boolean explicit(com.sun.management.VMOption o) {
      com.sun.management.VMOption.Origin origin = o.getOrigin();
      return origin != com.sun.management.VMOption.Origin.DEFAULT
          && origin != com.sun.management.VMOption.Origin.ERGONOMIC;
    }

    /** An unsigned flag value; empty when it does not fit a positive long (HotSpot's "unlimited"). */
    private static OptionalLong unsigned(String value) {
      try {
        long v = Long.parseUnsignedLong(value.strip());
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
  }

  /**
   * A person's reading, unread values left out: {@code JvmSettings[2 processors, max heap 256 MiB
   * (MaxRAMPercentage 25.0), GC G1, -Xss 1 MiB, container support on]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("JvmSettings[").append(availableProcessors)
        .append(availableProcessors == 1 ? " processor" : " processors");
    if (activeProcessorCount.isPresent()) {
      b.append(" (-XX:ActiveProcessorCount=").append(activeProcessorCount.getAsInt()).append(')');
    }
    if (heapLimitBytes().isPresent()) {
      b.append(", max heap ").append(Sizes.human(heapLimitBytes().getAsLong()));
      if (maxHeapSizeExplicit) {
        b.append(" (-Xmx)");
      } else if (maxRamPercentage.isPresent()) {
        b.append(" (MaxRAMPercentage ").append(maxRamPercentage.getAsDouble()).append(')');
      }
    }
    String gc = collectorName();
    if (!gc.isEmpty()) {
      b.append(", GC ").append(gc);
    }
    bytes(b, "MaxDirectMemorySize", maxDirectMemorySizeBytes);
    bytes(b, "ReservedCodeCacheSize", reservedCodeCacheSizeBytes);
    bytes(b, "MaxMetaspaceSize", maxMetaspaceSizeBytes);
    bytes(b, "-Xss", threadStackSizeBytes);
    if (useContainerSupport.isPresent()) {
      b.append(", container support ").append(useContainerSupport.get() ? "on" : "off");
    }
    return b.append(']').toString();
  }

  private static void bytes(StringBuilder b, String name, OptionalLong v) {
    if (v.isPresent()) {
      b.append(", ").append(name).append(' ').append(Sizes.human(v.getAsLong()));
    }
  }

  /** Builds a {@link JvmSettings}; every value not set is unknown (empty, or false). */
  public static final class Builder {
    private int availableProcessors = 1;
    private OptionalLong maxMemoryBytes = OptionalLong.empty();
    private List<String> garbageCollectors = List.of();
    private OptionalInt activeProcessorCount = OptionalInt.empty();
    private OptionalDouble maxRamPercentage = OptionalDouble.empty();
    private boolean maxRamPercentageExplicit;
    private OptionalLong maxHeapSizeBytes = OptionalLong.empty();
    private boolean maxHeapSizeExplicit;
    private OptionalLong maxDirectMemorySizeBytes = OptionalLong.empty();
    private OptionalLong reservedCodeCacheSizeBytes = OptionalLong.empty();
    private OptionalLong maxMetaspaceSizeBytes = OptionalLong.empty();
    private OptionalLong threadStackSizeBytes = OptionalLong.empty();
    private Optional<Boolean> useContainerSupport = Optional.empty();
    private boolean flagsReadable;

    private Builder() {}

    /**
     * Sets {@code Runtime.availableProcessors()}.
     *
     * @param n {@code Runtime.availableProcessors()}
     * @return this builder
     */
    public Builder availableProcessors(int n) {
      this.availableProcessors = n;
      return this;
    }

    /**
     * Sets {@code Runtime.maxMemory()}.
     *
     * @param bytes {@code Runtime.maxMemory()}
     * @return this builder
     */
    public Builder maxMemoryBytes(long bytes) {
      this.maxMemoryBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Sets garbage collector MXBean names.
     *
     * @param names garbage collector MXBean names
     * @return this builder
     */
    public Builder garbageCollectors(List<String> names) {
      this.garbageCollectors = List.copyOf(names);
      return this;
    }

    /**
     * Sets {@code -XX:ActiveProcessorCount}, as set explicitly.
     *
     * @param n {@code -XX:ActiveProcessorCount}, as set explicitly
     * @return this builder
     */
    public Builder activeProcessorCount(int n) {
      this.activeProcessorCount = OptionalInt.of(n);
      return this;
    }

    /**
     * Sets {@code -XX:MaxRAMPercentage}.
     *
     * @param percent {@code -XX:MaxRAMPercentage}
     * @return this builder
     */
    public Builder maxRamPercentage(double percent) {
      this.maxRamPercentage = OptionalDouble.of(percent);
      return this;
    }

    /**
     * Sets whether {@code MaxRAMPercentage} was set rather than defaulted.
     *
     * @param explicit whether {@code MaxRAMPercentage} was set rather than defaulted
     * @return this builder
     */
    public Builder maxRamPercentageExplicit(boolean explicit) {
      this.maxRamPercentageExplicit = explicit;
      return this;
    }

    /**
     * Sets {@code -XX:MaxHeapSize}.
     *
     * @param bytes {@code -XX:MaxHeapSize}
     * @return this builder
     */
    public Builder maxHeapSizeBytes(long bytes) {
      this.maxHeapSizeBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Sets whether the heap size was set ({@code -Xmx}).
     *
     * @param explicit whether the heap size was set ({@code -Xmx})
     * @return this builder
     */
    public Builder maxHeapSizeExplicit(boolean explicit) {
      this.maxHeapSizeExplicit = explicit;
      return this;
    }

    /**
     * Sets {@code -XX:MaxDirectMemorySize}, when set.
     *
     * @param bytes {@code -XX:MaxDirectMemorySize}, when set
     * @return this builder
     */
    public Builder maxDirectMemorySizeBytes(long bytes) {
      this.maxDirectMemorySizeBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Sets {@code -XX:ReservedCodeCacheSize}.
     *
     * @param bytes {@code -XX:ReservedCodeCacheSize}
     * @return this builder
     */
    public Builder reservedCodeCacheSizeBytes(long bytes) {
      this.reservedCodeCacheSizeBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Sets {@code -XX:MaxMetaspaceSize}, when limited.
     *
     * @param bytes {@code -XX:MaxMetaspaceSize}, when limited
     * @return this builder
     */
    public Builder maxMetaspaceSizeBytes(long bytes) {
      this.maxMetaspaceSizeBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Sets {@code -Xss} in bytes.
     *
     * @param bytes {@code -Xss} in bytes
     * @return this builder
     */
    public Builder threadStackSizeBytes(long bytes) {
      this.threadStackSizeBytes = OptionalLong.of(bytes);
      return this;
    }

    /**
     * Sets {@code UseContainerSupport}.
     *
     * @param on {@code UseContainerSupport}
     * @return this builder
     */
    public Builder useContainerSupport(boolean on) {
      this.useContainerSupport = Optional.of(on);
      return this;
    }

    /**
     * Sets whether the HotSpot flags could be read.
     *
     * @param readable whether the HotSpot flags could be read
     * @return this builder
     */
    public Builder flagsReadable(boolean readable) {
      this.flagsReadable = readable;
      return this;
    }

    /**
     * The snapshot.
     *
     * @return the snapshot
     * @throws IllegalArgumentException when availableProcessors is below 1
     */
    public JvmSettings build() {
      return new JvmSettings(availableProcessors, maxMemoryBytes, garbageCollectors, activeProcessorCount,
          maxRamPercentage, maxRamPercentageExplicit, maxHeapSizeBytes, maxHeapSizeExplicit,
          maxDirectMemorySizeBytes, reservedCodeCacheSizeBytes, maxMetaspaceSizeBytes,
          threadStackSizeBytes, useContainerSupport, flagsReadable);
    }
  }
}
