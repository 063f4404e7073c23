package dev.rightsize.monitor;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.Memory;
import dev.rightsize.Warning;
import dev.rightsize.internal.CgroupLayout.Version;
import dev.rightsize.internal.LiveFiles;
import dev.rightsize.internal.LiveFiles.Kind;
import dev.rightsize.internal.LiveFiles.LiveFile;
import dev.rightsize.internal.LiveParse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * buffer (about 1 µs, against about 8 µs for open/read/close). A file that fails is reopened once,
 * then reported as unavailable (an empty optional, a {@link #warnings() warning}) until the next
 * limit recheck tries again. Reads never throw.
 *
 * <p>Thread-safe. The monitor has no thread of its own unless asked ({@link #startRefreshing},
 * {@link Builder#refreshEvery}); without one, limits are rechecked and listeners called on the
 * threads that read. Close it to release the files.
 */
public final class ResourceMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceMonitor.class);
  private static final int MAX_WARNINGS = 100;
  private static final byte[] V1_INACTIVE = LiveParse.key("total_inactive_file");
  private static final byte[] INACTIVE = LiveParse.key("inactive_file");
  private static final byte[] USAGE_USEC = LiveParse.key("usage_usec");
  private static final byte[] NR_PERIODS = LiveParse.key("nr_periods");
  private static final byte[] NR_THROTTLED = LiveParse.key("nr_throttled");
  private static final byte[] THROTTLED_TIME = LiveParse.key("throttled_time");
  private static final byte[] THROTTLED_USEC = LiveParse.key("throttled_usec");
  private static final byte[] MAX = LiveParse.key("max");
  private static final byte[] OOM_KILL = LiveParse.key("oom_kill");

  private final Path root;
  private final Ticker ticker;
  private final long recheckNanos;
  private final double[] thresholds;
  private final double hysteresis;

  private final Object readLock = new Object();
  private final Object limitLock = new Object();
  private final Object pressureLock = new Object();

  // Guarded by readLock.
  private final Map<Kind, PolledFile> files = new EnumMap<>(Kind.class);
  private final PolledFile.Buffer buf = new PolledFile.Buffer();
  private LiveFiles live;
  private boolean closed;

  private volatile ContainerResources limits;
  private volatile long lastCheckNanos;
  private final Set<LiveValue> available;
  // Guarded by pressureLock.
  private final boolean[] above;

  private final Set<Warning> warnings = new LinkedHashSet<>();
  private final List<LimitChangeListener> limitListeners = new CopyOnWriteArrayList<>();
  private final List<MemoryPressureListener> pressureListeners = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ownExecutor;

  private ResourceMonitor(Builder b) {
    this.root = b.root;
    this.ticker = b.ticker;
    this.recheckNanos = b.limitRecheckPeriod.toNanos();
    this.thresholds = b.thresholds.clone();
    this.hysteresis = b.hysteresis;
    this.above = new boolean[thresholds.length];
    this.limits = ContainerResources.detect(root);
    this.lastCheckNanos = ticker.read();
    synchronized (readLock) {
      open(LiveFiles.resolve(root));
    }
    Set<LiveValue> found = EnumSet.noneOf(LiveValue.class);
    ResourceSnapshot s = poll(ticker.read(), false);
    addIf(found, LiveValue.MEMORY_USAGE, s.memoryUsageBytes());
    addIf(found, LiveValue.MEMORY_WORKING_SET, s.memoryWorkingSetBytes());
    addIf(found, LiveValue.MEMORY_FAIL_COUNT, s.memoryFailCount());
    addIf(found, LiveValue.OOM_KILLS, s.oomKills());
    addIf(found, LiveValue.CPU_USAGE, s.cpuUsageNanos());
    addIf(found, LiveValue.CPU_PERIODS, s.cpuPeriods());
    addIf(found, LiveValue.CPU_THROTTLED_PERIODS, s.cpuThrottledPeriods());
    addIf(found, LiveValue.CPU_THROTTLED_TIME, s.cpuThrottledNanos());
    this.available = EnumSet.copyOf(found.isEmpty() ? EnumSet.noneOf(LiveValue.class) : found);
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

  private static void addIf(Set<LiveValue> set, LiveValue v, OptionalLong value) {
    if (value.isPresent()) {
      set.add(v);
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
   * Bytes charged to the cgroup now, page cache included (v1 {@code memory.usage_in_bytes}, v2
   * {@code memory.current}).
   *
   * @return bytes; empty when not available
   */
  public OptionalLong memoryUsageBytes() {
    synchronized (readLock) {
      return opt(number(Kind.MEMORY_USAGE));
    }
  }

  /**
   * Usage minus inactive file cache: what the OOM killer and kubelet look at. Checks the memory
   * pressure thresholds.
   *
   * @return bytes; empty when not available
   */
  public OptionalLong memoryWorkingSetBytes() {
    long ws;
    synchronized (readLock) {
      ws = workingSet(number(Kind.MEMORY_USAGE));
    }
    checkPressure(ws, limits().memory().limitBytes());
    return opt(ws);
  }

  /**
   * Times the memory limit was hit (v1 {@code memory.failcnt}, v2 {@code memory.events max}).
   *
   * @return a cumulative count; empty when not available
   */
  public OptionalLong memoryFailCount() {
    synchronized (readLock) {
      return opt(failCount());
    }
  }

  /**
   * OOM kills in the cgroup (v1 {@code memory.oom_control oom_kill}, Linux 4.13+; v2
   * {@code memory.events oom_kill}).
   *
   * @return a cumulative count; empty when not available
   */
  public OptionalLong oomKills() {
    synchronized (readLock) {
      return opt(oomKillCount());
    }
  }

  /**
   * CPU time consumed by the cgroup (v1 {@code cpuacct.usage}, v2 {@code cpu.stat usage_usec}).
   *
   * @return cumulative nanoseconds; empty when not available
   */
  public OptionalLong cpuUsageNanos() {
    synchronized (readLock) {
      if (cpuV2()) {
        return opt(micros(keyed(Kind.CPU_STAT, USAGE_USEC)));
      }
      return opt(number(Kind.CPU_USAGE));
    }
  }

  /**
   * CFS enforcement periods elapsed while the cgroup had runnable tasks ({@code cpu.stat nr_periods}).
   *
   * @return a cumulative count; empty when not available (no CPU controller, or v2 without it enabled)
   */
  public OptionalLong cpuPeriods() {
    synchronized (readLock) {
      return opt(keyed(Kind.CPU_STAT, NR_PERIODS));
    }
  }

  /**
   * CFS periods in which the cgroup was throttled ({@code cpu.stat nr_throttled}).
   *
   * @return a cumulative count; empty when not available
   */
  public OptionalLong cpuThrottledPeriods() {
    synchronized (readLock) {
      return opt(keyed(Kind.CPU_STAT, NR_THROTTLED));
    }
  }

  /**
   * Time the cgroup spent throttled (v1 {@code cpu.stat throttled_time}, v2 {@code throttled_usec}).
   *
   * @return cumulative nanoseconds; empty when not available
   */
  public OptionalLong cpuThrottledNanos() {
    synchronized (readLock) {
      return opt(cpuV2() ? micros(keyed(Kind.CPU_STAT, THROTTLED_USEC)) : keyed(Kind.CPU_STAT, THROTTLED_TIME));
    }
  }

  /**
   * Polls every live value at once (each file read once) and checks the memory pressure thresholds.
   *
   * @return the readings and the current limits
   */
  public ResourceSnapshot snapshot() {
    ContainerResources now = limits();
    ResourceSnapshot s = poll(ticker.read(), true);
    s.memoryWorkingSetBytes().ifPresent(ws -> checkPressure(ws, now.memory().limitBytes()));
    return s;
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

  private ResourceSnapshot poll(long nowNanos, boolean withLimits) {
    long usage;
    long ws;
    long fail;
    long oom;
    long cpu;
    long periods;
    long throttled;
    long throttledNanos;
    synchronized (readLock) {
      usage = number(Kind.MEMORY_USAGE);
      ws = workingSet(usage);
      fail = failCount();
      oom = oomKillCount();
      boolean v2 = cpuV2();
      long usec = LiveParse.NONE;
      periods = throttled = throttledNanos = LiveParse.NONE;
      if (read(Kind.CPU_STAT)) {
        usec = v2 ? LiveParse.keyed(buf.bytes, buf.length, USAGE_USEC) : LiveParse.NONE;
        periods = LiveParse.keyed(buf.bytes, buf.length, NR_PERIODS);
        throttled = LiveParse.keyed(buf.bytes, buf.length, NR_THROTTLED);
        throttledNanos = v2 ? micros(LiveParse.keyed(buf.bytes, buf.length, THROTTLED_USEC))
            : LiveParse.keyed(buf.bytes, buf.length, THROTTLED_TIME);
      }
      cpu = v2 ? micros(usec) : number(Kind.CPU_USAGE);
    }
    ContainerResources r = withLimits ? limits : null;
    return new ResourceSnapshot(nowNanos, opt(usage), opt(ws),
        r == null ? OptionalLong.empty() : r.memory().limitBytes(), opt(fail), opt(oom), opt(cpu), opt(periods),
        opt(throttled), opt(throttledNanos), r == null ? OptionalDouble.empty() : r.cpu().limit(),
        r == null ? 1 : r.cpu().effective());
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
   * replaced or had failed.
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
   * @return bytes; empty when unlimited
   */
  public OptionalLong memoryLimitBytes() {
    return limits().memory().limitBytes();
  }

  /**
   * The CPU quota.
   *
   * @return quota/period in CPUs; empty when there is no quota
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
      current = ContainerResources.detect(root);
      limits = current;
      LiveFiles fresh = LiveFiles.resolve(root);
      synchronized (readLock) {
        if (!closed) {
          reopen(fresh);
        }
      }
    }
    if (!limitsOf(previous).equals(limitsOf(current))) {
      LOG.info("container limits changed: {} -> {}", limitsOf(previous), limitsOf(current));
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

  private static List<Object> limitsOf(ContainerResources r) {
    Cpu c = r.cpu();
    Memory m = r.memory();
    return List.of(c.effective(), c.limit(), c.quotaMicros(), c.periodMicros(), c.cpuset(), c.shares(),
        m.limitBytes(), m.softLimitBytes(), m.swapLimitBytes());
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

  private void checkPressure(long ws, OptionalLong limit) {
    if (ws == LiveParse.NONE || limit.isEmpty() || limit.getAsLong() <= 0) {
      return;
    }
    double ratio = (double) ws / limit.getAsLong();
    List<MemoryPressureEvent> events = null;
    synchronized (pressureLock) {
      for (int i = 0; i < thresholds.length; i++) {
        boolean fire = false;
        if (!above[i] && ratio >= thresholds[i]) {
          above[i] = true;
          fire = true;
        } else if (above[i] && ratio < thresholds[i] - hysteresis) {
          above[i] = false;
          fire = true;
        }
        if (fire) {
          if (events == null) {
            events = new ArrayList<>();
          }
          events.add(new MemoryPressureEvent(thresholds[i], above[i], ws, limit.getAsLong()));
        }
      }
    }
    if (events != null) {
      for (MemoryPressureEvent e : events) {
        for (MemoryPressureListener l : pressureListeners) {
          try {
            l.pressureChanged(e);
          } catch (RuntimeException | LinkageError | AssertionError ex) {
            LOG.warn("memory pressure listener {} failed", l, ex);
          }
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
   * What could not be read: files not found when resolving, reads that failed. The limits'
   * own warnings are in {@link #limits()}.
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
      files.values().forEach(PolledFile::close);
      files.clear();
    }
  }

  private boolean isClosed() {
    synchronized (readLock) {
      return closed;
    }
  }

  // --- reading (callers hold readLock) -----------------------------------------------------------

  private void open(LiveFiles lf) {
    live = lf;
    lf.warnings().forEach(this::warn);
    for (LiveFile f : lf.all().values()) {
      files.put(f.kind(), polled(f));
    }
  }

  /**
   * The slow-period file check: a file found at a new path (the process moved to another cgroup)
   * is opened afresh; every other kept file is revalidated (reopened when replaced, retried when it
   * had failed, given up when it disappeared).
   */
  private void reopen(LiveFiles fresh) {
    fresh.warnings().forEach(this::warn);
    for (LiveFile f : fresh.all().values()) {
      PolledFile old = files.get(f.kind());
      if (old != null && old.file.equals(f)) {
        continue;
      }
      if (old != null) {
        old.close();
      }
      files.put(f.kind(), polled(f));
    }
    files.values().forEach(PolledFile::revalidate);
    if (fresh.memoryVersion().isPresent() || fresh.cpuVersion().isPresent()) {
      live = fresh;
    }
  }

  private PolledFile polled(LiveFile f) {
    return new PolledFile(f, (code, msg) -> warn(Warning.of(code, msg, f.shown())));
  }

  private void warn(Warning w) {
    synchronized (warnings) {
      if (warnings.size() < MAX_WARNINGS && warnings.add(w)) {
        LOG.warn("{}", w);
      }
    }
  }

  private boolean read(Kind kind) {
    PolledFile f = files.get(kind);
    return f != null && f.read(buf);
  }

  private long number(Kind kind) {
    if (!read(kind)) {
      return LiveParse.NONE;
    }
    long v = LiveParse.number(buf.bytes, buf.length);
    if (v == LiveParse.NONE) {
      unparsable(kind);
    }
    return v;
  }

  private long keyed(Kind kind, byte[] key) {
    return read(kind) ? LiveParse.keyed(buf.bytes, buf.length, key) : LiveParse.NONE;
  }

  private void unparsable(Kind kind) {
    PolledFile f = files.get(kind);
    int n = Math.min(buf.length, 60);
    String head = new String(buf.bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    warn(Warning.of("unparsable", "not a number: \"" + head + "\"", f.file.shown()));
  }

  private long workingSet(long usage) {
    if (usage == LiveParse.NONE || !read(Kind.MEMORY_STAT)) {
      return LiveParse.NONE;
    }
    long inactive = LiveParse.NONE;
    if (memV1()) {
      inactive = LiveParse.keyed(buf.bytes, buf.length, V1_INACTIVE);
    }
    if (inactive == LiveParse.NONE) {
      inactive = LiveParse.keyed(buf.bytes, buf.length, INACTIVE);
    }
    return inactive == LiveParse.NONE ? LiveParse.NONE : Math.max(0, usage - inactive);
  }

  private long failCount() {
    return memV1() ? number(Kind.MEMORY_FAILCNT) : keyed(Kind.MEMORY_EVENTS, MAX);
  }

  private long oomKillCount() {
    return memV1() ? keyed(Kind.MEMORY_OOM_CONTROL, OOM_KILL) : keyed(Kind.MEMORY_EVENTS, OOM_KILL);
  }

  private boolean memV1() {
    return live.memoryVersion().orElse(Version.V2) == Version.V1;
  }

  private boolean cpuV2() {
    return live.cpuVersion().orElse(Version.V1) == Version.V2;
  }

  private static long micros(long usec) {
    return usec == LiveParse.NONE || usec > Long.MAX_VALUE / 1000 ? LiveParse.NONE : usec * 1000;
  }

  private static OptionalLong opt(long v) {
    return v == LiveParse.NONE ? OptionalLong.empty() : OptionalLong.of(v);
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
