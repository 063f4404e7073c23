package dev.rightsize.monitor;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.Limit;
import dev.rightsize.Memory;
import dev.rightsize.Warning;
import dev.rightsize.internal.Detector;
import dev.rightsize.internal.LiveReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live memory and CPU usage of this process's container, read from kept-open cgroup files, and the
 * limits, re-detected at most once per {@linkplain Builder#limitRecheckPeriod recheck period} so
 * that an in-place resize is noticed.
 *
 * <pre>{@code
 * try (ResourceMonitor m = ResourceMonitor.builder().limitRecheckPeriod(Duration.ofSeconds(30)).build()) {
 *   m.addMemoryPressureListener(e -> log.warn("working set at {} of the limit", e.ratio()));
 *   m.startRefreshing(Duration.ofSeconds(5), scheduler);
 *   long ws = m.memoryWorkingSetBytes().orElse(-1);
 * }
 * }</pre>
 *
 * <p>Each polled file is opened once and re-read from offset 0 with a positional read into a reused
 * buffer; {@link #read(LiveValue, long)} allocates nothing. A file that fails is reopened once, then
 * reported as unavailable (an empty optional, a {@link #warnings() warning}) until the next limit
 * recheck tries again. Reads never throw. The files are those the detection names: a limit recheck
 * is one detection, whose cgroup layout the live reads then follow (a process moved to another
 * cgroup is read there from the next recheck on).
 *
 * <p>Thread-safe. The monitor has no thread of its own unless asked ({@link #startRefreshing},
 * {@link Builder#refreshEvery}); without one, limits are rechecked and listeners called on the
 * threads that read. Close it to release the files.
 */
public final class ResourceMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceMonitor.class);
  private static final int MAX_WARNINGS = 100;

  private final Path root;
  private final Ticker ticker;
  private final long recheckNanos;
  private final PressureTracker pressure;

  private final Object readLock = new Object();
  private final Object limitLock = new Object();

  // Guarded by readLock.
  private final LiveReader reader;
  private final long[] polled = new long[LiveReader.COUNT];
  private boolean closed;

  private volatile ContainerResources limits;
  private volatile long lastCheckNanos;
  private final Set<LiveValue> available;

  private final Set<Warning> warnings = new LinkedHashSet<>();
  private final List<LimitChangeListener> limitListeners = new CopyOnWriteArrayList<>();
  private final List<MemoryPressureListener> pressureListeners = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ownExecutor;

  private ResourceMonitor(Builder b) {
    this.root = b.root;
    this.ticker = b.ticker;
    this.recheckNanos = b.limitRecheckPeriod.toNanos();
    this.pressure = new PressureTracker(b.thresholds, b.hysteresis);
    Detector.Detection d = Detector.detect(root, Detector.FUSE_TIMEOUT_MILLIS);
    this.limits = d.resources();
    this.lastCheckNanos = ticker.read();
    Set<LiveValue> found = EnumSet.noneOf(LiveValue.class);
    synchronized (readLock) {
      reader = LiveReader.open(d, this::warn);
      reader.poll(polled);
      for (LiveValue v : LiveValue.values()) {
        if (polled[v.ordinal()] != LiveReader.NONE) {
          found.add(v);
        }
      }
    }
    this.available = found;
    if (b.refreshPeriod != null) {
      ownExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rightsize-monitor");
        t.setDaemon(true);
        return t;
      });
      startRefreshing(b.refreshPeriod, ownExecutor);
    } else {
      ownExecutor = null;
    }
  }

  /**
   * A builder with the defaults: root {@code /}, limits rechecked every 10 s, thresholds 0.8 and 0.9.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A monitor of this process's own container with the defaults.
   *
   * @return the monitor; close it to release its files
   */
  public static ResourceMonitor create() {
    return builder().build();
  }

  // --- live values -------------------------------------------------------------------------------

  /**
   * One live value, without allocating: the hot path for gauges and tight loops. Memory pressure
   * thresholds are not checked here (see {@link #memoryWorkingSetBytes()}).
   *
   * @param value the value
   * @param unavailable what to return when it cannot be read
   * @return the value (bytes, counts, or nanoseconds for CPU times), or {@code unavailable}
   */
  public long read(LiveValue value, long unavailable) {
    long v;
    synchronized (readLock) {
      v = readLocked(value);
    }
    return v == LiveReader.NONE ? unavailable : v;
  }

  private long readLocked(LiveValue value) {
    switch (value) {
      case MEMORY_USAGE:
        return reader.memoryUsage();
      case MEMORY_WORKING_SET:
        return reader.workingSet(reader.memoryUsage());
      case MEMORY_FAIL_COUNT:
        return reader.failCount();
      case OOM_KILLS:
        return reader.oomKills();
      case CPU_USAGE:
        return reader.cpuUsageNanos();
      case CPU_PERIODS:
        return reader.cpuStat(LiveReader.CPU_PERIODS);
      case CPU_THROTTLED_PERIODS:
        return reader.cpuStat(LiveReader.CPU_THROTTLED_PERIODS);
      case PIDS_CURRENT:
        return reader.pidsCurrent();
      default:
        return reader.cpuStat(LiveReader.CPU_THROTTLED_TIME);
    }
  }

  private OptionalLong opt(LiveValue value) {
    long v = read(value, LiveReader.NONE);
    return v == LiveReader.NONE ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /**
   * Bytes charged to the cgroup now, page cache included (v1 {@code memory.usage_in_bytes}, v2
   * {@code memory.current}).
   *
   * @return bytes; empty when not available
   */
  public OptionalLong memoryUsageBytes() {
    return opt(LiveValue.MEMORY_USAGE);
  }

  /**
   * Usage minus inactive file cache: what the OOM killer and kubelet look at. Checks the memory
   * pressure thresholds.
   *
   * @return bytes; empty when not available
   */
  public OptionalLong memoryWorkingSetBytes() {
    OptionalLong ws = opt(LiveValue.MEMORY_WORKING_SET);
    if (ws.isPresent()) {
      checkPressure(ws.getAsLong(), limits().memory().limitBytes());
    }
    return ws;
  }

  /**
   * Times the memory limit was hit (v1 {@code memory.failcnt}, v2 {@code memory.events max}).
   *
   * @return a cumulative count; empty when not available
   */
  public OptionalLong memoryFailCount() {
    return opt(LiveValue.MEMORY_FAIL_COUNT);
  }

  /**
   * OOM kills in the cgroup (v1 {@code memory.oom_control oom_kill}, Linux 4.13+; v2
   * {@code memory.events oom_kill}).
   *
   * @return a cumulative count; empty when not available
   */
  public OptionalLong oomKills() {
    return opt(LiveValue.OOM_KILLS);
  }

  /**
   * CPU time consumed by the cgroup (v1 {@code cpuacct.usage}, v2 {@code cpu.stat usage_usec}).
   *
   * @return cumulative nanoseconds; empty when not available
   */
  public OptionalLong cpuUsageNanos() {
    return opt(LiveValue.CPU_USAGE);
  }

  /**
   * CFS enforcement periods elapsed while the cgroup had runnable tasks ({@code cpu.stat nr_periods}).
   *
   * @return a cumulative count; empty when not available (no CPU controller, or v2 without it enabled)
   */
  public OptionalLong cpuPeriods() {
    return opt(LiveValue.CPU_PERIODS);
  }

  /**
   * CFS periods in which the cgroup was throttled ({@code cpu.stat nr_throttled}).
   *
   * @return a cumulative count; empty when not available
   */
  public OptionalLong cpuThrottledPeriods() {
    return opt(LiveValue.CPU_THROTTLED_PERIODS);
  }

  /**
   * Time the cgroup spent throttled (v1 {@code cpu.stat throttled_time}, v2 {@code throttled_usec}).
   *
   * @return cumulative nanoseconds; empty when not available
   */
  public OptionalLong cpuThrottledNanos() {
    return opt(LiveValue.CPU_THROTTLED_TIME);
  }

  /**
   * Polls every live value at once (each file read once) and checks the memory pressure thresholds.
   *
   * @return the readings and the current limits
   */
  public ResourceSnapshot snapshot() {
    ContainerResources now = limits();
    long[] v = new long[LiveReader.COUNT];
    synchronized (readLock) {
      reader.poll(v);
    }
    ResourceSnapshot s = new ResourceSnapshot(ticker.read(), of(v[LiveReader.MEMORY_USAGE]),
        of(v[LiveReader.MEMORY_WORKING_SET]), now.memory().limitBytes(), of(v[LiveReader.MEMORY_FAIL_COUNT]),
        of(v[LiveReader.OOM_KILLS]), of(v[LiveReader.CPU_USAGE]), of(v[LiveReader.CPU_PERIODS]),
        of(v[LiveReader.CPU_THROTTLED_PERIODS]), of(v[LiveReader.CPU_THROTTLED_TIME]), now.cpu().limit(),
        now.cpu().effective(), of(v[LiveReader.PIDS_CURRENT]), now.pids().limit());
    if (s.memoryWorkingSetBytes().isPresent()) {
      checkPressure(s.memoryWorkingSetBytes().getAsLong(), now.memory().limitBytes());
    }
    return s;
  }

  private static OptionalLong of(long v) {
    return v == LiveReader.NONE ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /**
   * What {@link #startRefreshing} runs: a {@link #snapshot()}, which rechecks limits when due and
   * fires listeners.
   *
   * @return the snapshot
   */
  public ResourceSnapshot refresh() {
    return snapshot();
  }

  // --- limits ------------------------------------------------------------------------------------

  /**
   * The limits: the last detection, redone first when the recheck period has passed (a changed
   * limit fires the {@link LimitChangeListener}s).
   *
   * @return the latest snapshot of limits; never null
   */
  public ContainerResources limits() {
    if (ticker.read() - lastCheckNanos >= recheckNanos) {
      recheck(false);
    }
    return limits;
  }

  /**
   * Re-detects the limits now, whatever the recheck period, and reopens polled files that were
   * replaced or had failed, or that now live elsewhere.
   *
   * @return the limits now
   */
  public ContainerResources recheckLimits() {
    recheck(true);
    return limits;
  }

  /**
   * The hard memory limit.
   *
   * @return set, absent or unknown
   */
  public Limit memoryLimitBytes() {
    return limits().memory().limitBytes();
  }

  /**
   * The CPU quota.
   *
   * @return quota/period in CPUs; empty when there is no quota or it could not be read
   */
  public OptionalDouble cpuLimit() {
    return limits().cpu().limit();
  }

  /**
   * CPUs a pool should assume.
   *
   * @return at least 1
   */
  public int effectiveCpus() {
    return limits().cpu().effective();
  }

  /**
   * The task limit: the tightest {@code pids.max} along the cgroup path.
   *
   * @return set, absent or unknown
   */
  public Limit pidsLimit() {
    return limits().pids().limit();
  }

  /**
   * Tasks counted against the task limit now ({@code pids.current} of the cgroup that sets it).
   *
   * @return tasks; empty when not available
   */
  public OptionalLong pidsCurrent() {
    return opt(LiveValue.PIDS_CURRENT);
  }

  private void recheck(boolean force) {
    ContainerResources previous;
    ContainerResources current;
    synchronized (limitLock) {
      long now = ticker.read();
      if (!force && now - lastCheckNanos < recheckNanos) {
        return;
      }
      lastCheckNanos = now;
      if (isClosed()) {
        return;
      }
      previous = limits;
      Detector.Detection d = Detector.detect(root, Detector.FUSE_TIMEOUT_MILLIS);
      current = d.resources();
      limits = current;
      synchronized (readLock) {
        if (!closed) {
          reader.retarget(d);
        }
      }
    }
    if (!sameLimits(previous, current)) {
      LOG.debug("container limits changed: {} -> {}", describe(previous), describe(current));
      for (LimitChangeListener l : limitListeners) {
        try {
          l.limitsChanged(previous, current);
        } catch (RuntimeException | LinkageError | AssertionError e) {
          // A listener's failure must not stop the monitor or the other listeners.
          LOG.warn("limit change listener {} failed", l, e);
        }
      }
    }
  }

  private static boolean sameLimits(ContainerResources a, ContainerResources b) {
    Cpu x = a.cpu();
    Cpu y = b.cpu();
    Memory m = a.memory();
    Memory n = b.memory();
    return x.effective() == y.effective() && x.quotaMicros().equals(y.quotaMicros())
        && x.periodMicros().equals(y.periodMicros()) && x.cpuset().equals(y.cpuset()) && x.shares().equals(y.shares())
        && m.limitBytes().equals(n.limitBytes()) && m.softLimitBytes().equals(n.softLimitBytes())
        && m.swapLimitBytes().equals(n.swapLimitBytes()) && a.pids().limit().equals(b.pids().limit());
  }

  private static String describe(ContainerResources r) {
    return "cpu.effective=" + r.cpu().effective() + " cpu.quotaMicros=" + r.cpu().quotaMicros()
        + " memory.limit=" + r.memory().limitBytes() + " memory.softLimit=" + r.memory().softLimitBytes()
        + " pids.limit=" + r.pids().limit();
  }

  // --- listeners ---------------------------------------------------------------------------------

  /**
   * Adds a listener for limit changes.
   *
   * @param listener called once per change noticed
   */
  public void addLimitChangeListener(LimitChangeListener listener) {
    limitListeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added with {@link #addLimitChangeListener}.
   *
   * @param listener the listener
   */
  public void removeLimitChangeListener(LimitChangeListener listener) {
    limitListeners.remove(listener);
  }

  /**
   * Adds a listener for memory pressure threshold crossings.
   *
   * @param listener called once per crossing
   */
  public void addMemoryPressureListener(MemoryPressureListener listener) {
    pressureListeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added with {@link #addMemoryPressureListener}.
   *
   * @param listener the listener
   */
  public void removeMemoryPressureListener(MemoryPressureListener listener) {
    pressureListeners.remove(listener);
  }

  private void checkPressure(long ws, Limit limit) {
    // Pressure needs a known limit: an unknown one is not a denominator.
    if (!limit.isLimited() || limit.value().getAsLong() <= 0) {
      return;
    }
    for (MemoryPressureEvent e : pressure.check(ws, limit.value().getAsLong())) {
      for (MemoryPressureListener l : pressureListeners) {
        try {
          l.pressureChanged(e);
        } catch (RuntimeException | LinkageError | AssertionError ex) {
          LOG.warn("memory pressure listener {} failed", l, ex);
        }
      }
    }
  }

  // --- scheduling and lifecycle ------------------------------------------------------------------

  /**
   * Calls {@link #refresh()} on an executor every {@code period}, so listeners fire without
   * readers. Cancelled by {@link #close()}.
   *
   * @param period the delay between the end of one refresh and the start of the next
   * @param executor the user's scheduler; the monitor does not shut it down
   * @return the scheduled task
   */
  public ScheduledFuture<?> startRefreshing(Duration period, ScheduledExecutorService executor) {
    long nanos = requireNonNull(period, "period").toNanos();
    if (nanos <= 0) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    if (isClosed()) {
      throw new IllegalStateException("the monitor is closed");
    }
    ScheduledFuture<?> f = executor.scheduleWithFixedDelay(() -> {
      try {
        refresh();
      } catch (RuntimeException | LinkageError | AssertionError e) {
        // An exception escaping here would silently cancel every later run.
        LOG.warn("scheduled refresh failed", e);
      }
    }, nanos, nanos, TimeUnit.NANOSECONDS);
    tasks.add(f);
    return f;
  }

  /**
   * Whether a value has a source here: its file was found and read when the monitor was built.
   * {@link dev.rightsize.micrometer} registers a meter only for these.
   *
   * @param value the value
   * @return true when it could be read at build time
   */
  public boolean isAvailable(LiveValue value) {
    return available.contains(value);
  }

  /**
   * The values that had a source when the monitor was built.
   *
   * @return a copy; empty when no cgroup file could be read
   */
  public Set<LiveValue> availableValues() {
    return available.isEmpty() ? EnumSet.noneOf(LiveValue.class) : EnumSet.copyOf(available);
  }

  /**
   * What could not be read: files that failed or could not be parsed. The limits' own warnings
   * are in {@link #limits()}.
   *
   * @return warnings in the order first seen (at most 100)
   */
  public List<Warning> warnings() {
    synchronized (warnings) {
      return List.copyOf(warnings);
    }
  }

  /**
   * The directory read as {@code /}.
   *
   * @return the root
   */
  public Path root() {
    return root;
  }

  /** Cancels scheduled refreshes, stops the monitor's own thread if it has one, and closes the files. */
  @Override
  public void close() {
    tasks.forEach(t -> t.cancel(false));
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
    synchronized (readLock) {
      closed = true;
      reader.close();
    }
  }

  private boolean isClosed() {
    synchronized (readLock) {
      return closed;
    }
  }

  private void warn(Warning w) {
    // Recorded, not logged: the library logs nothing unless asked (warnings() is the way to ask).
    synchronized (warnings) {
      if (warnings.size() < MAX_WARNINGS) {
        warnings.add(Objects.requireNonNull(w));
      }
    }
  }

  /** Configures a {@link ResourceMonitor}. */
  public static final class Builder {
    private Path root = Path.of("/");
    private Duration limitRecheckPeriod = Duration.ofSeconds(10);
    private Ticker ticker = Ticker.systemTicker();
    private double[] thresholds = {0.8, 0.9};
    private double hysteresis = 0.05;
    private Duration refreshPeriod;

    private Builder() {}

    /**
     * The directory read as {@code /} (default {@code /}); tests point it at a fake tree.
     *
     * @param root a directory laid out like {@code /}
     * @return this builder
     */
    public Builder root(Path root) {
      this.root = requireNonNull(root, "root");
      return this;
    }

    /**
     * How often, at most, limits are re-detected (default 10 s); zero rechecks on every read of limits.
     *
     * @param period not negative
     * @return this builder
     */
    public Builder limitRecheckPeriod(Duration period) {
      if (requireNonNull(period, "period").isNegative()) {
        throw new IllegalArgumentException("negative period: " + period);
      }
      this.limitRecheckPeriod = period;
      return this;
    }

    /**
     * The clock for the recheck period (default {@link Ticker#systemTicker()}).
     *
     * @param ticker the clock; tests pass a fake they advance by hand
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Working set / limit fractions whose crossing fires the {@link MemoryPressureListener}s
     * (default 0.8 and 0.9). None disables pressure events.
     *
     * @param fractions positive fractions of the memory limit
     * @return this builder
     */
    public Builder memoryPressureThresholds(double... fractions) {
      double[] t = requireNonNull(fractions, "fractions").clone();
      for (double d : t) {
        if (!(d > 0) || Double.isInfinite(d)) {
          throw new IllegalArgumentException("threshold must be a positive fraction: " + d);
        }
      }
      Arrays.sort(t);
      this.thresholds = Arrays.stream(t).distinct().toArray();
      return this;
    }

    /**
     * How far below a threshold the working set must fall before the threshold can fire again
     * (default 0.05, i.e. 5 % of the limit).
     *
     * @param fraction in [0, 1)
     * @return this builder
     */
    public Builder memoryPressureHysteresis(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("hysteresis must be in [0, 1): " + fraction);
      }
      this.hysteresis = fraction;
      return this;
    }

    /**
     * Refreshes on one daemon thread of the monitor's own ({@code rightsize-monitor}) every
     * {@code period}; stopped by {@link ResourceMonitor#close()}. Off by default.
     *
     * @param period positive
     * @return this builder
     */
    public Builder refreshEvery(Duration period) {
      if (requireNonNull(period, "period").isNegative() || period.isZero()) {
        throw new IllegalArgumentException("period must be positive: " + period);
      }
      this.refreshPeriod = period;
      return this;
    }

    /**
     * Detects the limits, resolves and opens the files. Never throws for unreadable files: they
     * become warnings.
     *
     * @return the monitor
     */
    public ResourceMonitor build() {
      return new ResourceMonitor(this);
    }
  }

  @Override
  public String toString() {
    return "ResourceMonitor[root=" + root + ", values=" + available + "]";
  }
}
