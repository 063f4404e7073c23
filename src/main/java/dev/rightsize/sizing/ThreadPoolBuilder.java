package dev.rightsize.sizing;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Builds a {@link ThreadPoolExecutor} with named threads and a bounded queue. Start from
 * {@link ThreadPools#cpuBoundPool(String)}, {@link ThreadPools#blockingPool(String, double)} or
 * {@link #named(String)}.
 *
 * <pre>{@code
 * ThreadPoolExecutor io = ThreadPools.of(resources).blockingPool("io", 4.0)
 *     .queueCapacity(200)
 *     .rejectionPolicy(new ThreadPoolExecutor.CallerRunsPolicy())
 *     .daemon(true)
 *     .build();
 * }</pre>
 *
 * <p>Defaults: not daemon, the JDK's uncaught-exception handling, a queue of
 * {@value #DEFAULT_QUEUE_CAPACITY} tasks, {@link ThreadPoolExecutor.AbortPolicy} (a full pool
 * throws {@link java.util.concurrent.RejectedExecutionException}), 60 s keep-alive for threads
 * above the core size. An unbounded queue is deliberately not offered: in a container, a backlog
 * that grows without limit ends in an OOM kill instead of an error the caller can see.
 *
 * <p>{@link ThreadPoolExecutor} starts threads above the core size only when the queue is full;
 * with a queue capacity of 0 (a {@link SynchronousQueue}) every task is handed to a thread or
 * rejected at once.
 *
 * <p>Not thread-safe; each {@link #build()} makes a new executor (thread numbering is per build).
 */
public final class ThreadPoolBuilder {

  /** The queue capacity used unless {@link #queueCapacity(int)} says otherwise. */
  public static final int DEFAULT_QUEUE_CAPACITY = 1024;

  private final String nameFormat;
  private int coreSize = -1;
  private int maxSize = -1;
  private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
  private Duration keepAlive = Duration.ofSeconds(60);
  private boolean allowCoreThreadTimeOut;
  private boolean daemon;
  private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
  private RejectedExecutionHandler rejectionPolicy = new ThreadPoolExecutor.AbortPolicy();

  private ThreadPoolBuilder(String nameFormat) {
    this.nameFormat = nameFormat;
  }

  /**
   * A builder whose threads are named from a format.
   *
   * @param nameFormat a {@link String#format} pattern with one {@code %d} for the thread number
   *     (from 0), e.g. {@code "io-%d"}; a string without {@code %d} is a prefix and gets
   *     {@code -%d} appended ({@code "io"} names threads {@code io-0}, {@code io-1}, ...)
   * @return the builder; set a size before {@link #build()}
   * @throws IllegalArgumentException when the format is invalid
   */
  public static ThreadPoolBuilder named(String nameFormat) {
    requireNonNull(nameFormat, "nameFormat");
    String format = nameFormat.contains("%d") ? nameFormat : nameFormat.replace("%", "%%") + "-%d";
    new ThreadFactoryBuilder().setNameFormat(format); // validates the format now, not at first task
    return new ThreadPoolBuilder(format);
  }

  /**
   * Sets core and maximum size to the same value: a fixed-size pool.
   *
   * @param threads 1 or more
   * @return this builder
   */
  public ThreadPoolBuilder size(int threads) {
    return coreSize(threads).maxSize(threads);
  }

  /**
   * Sets the number of threads kept even when idle (unless {@link #allowCoreThreadTimeOut(boolean)}).
   *
   * @param threads 0 or more, at most the maximum size
   * @return this builder
   */
  public ThreadPoolBuilder coreSize(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("coreSize must not be negative: " + threads);
    }
    this.coreSize = threads;
    return this;
  }

  /**
   * Sets the most threads the pool runs; more start only when the queue is full.
   *
   * @param threads 1 or more
   * @return this builder
   */
  public ThreadPoolBuilder maxSize(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1: " + threads);
    }
    this.maxSize = threads;
    return this;
  }

  /**
   * Sets how many tasks may wait for a thread; 0 hands each task straight to a thread.
   *
   * @param tasks 0 or more
   * @return this builder
   */
  public ThreadPoolBuilder queueCapacity(int tasks) {
    if (tasks < 0) {
      throw new IllegalArgumentException("queueCapacity must not be negative: " + tasks);
    }
    this.queueCapacity = tasks;
    return this;
  }

  /**
   * Sets how long a thread above the core size (or any, with core time-out) may idle.
   *
   * @param keepAlive positive
   * @return this builder
   */
  public ThreadPoolBuilder keepAlive(Duration keepAlive) {
    requireNonNull(keepAlive, "keepAlive");
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException("keepAlive must be positive: " + keepAlive);
    }
    this.keepAlive = keepAlive;
    return this;
  }

  /**
   * Lets core threads end after the keep-alive too, so an idle pool holds no threads.
   *
   * @param allow default false
   * @return this builder
   */
  public ThreadPoolBuilder allowCoreThreadTimeOut(boolean allow) {
    this.allowCoreThreadTimeOut = allow;
    return this;
  }

  /**
   * Makes the threads daemon threads, which do not keep the JVM alive.
   *
   * @param daemon default false
   * @return this builder
   */
  public ThreadPoolBuilder daemon(boolean daemon) {
    this.daemon = daemon;
    return this;
  }

  /**
   * Sets the handler for exceptions that escape a task run with {@code execute()}. Tasks given to
   * {@code submit()} never reach it: their exception is kept in the returned {@code Future}.
   *
   * @param handler the handler
   * @return this builder
   */
  public ThreadPoolBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
    this.uncaughtExceptionHandler = requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Sets what happens to a task when all threads are busy and the queue is full, e.g.
   * {@link ThreadPoolExecutor.CallerRunsPolicy} to slow the submitter down instead of failing.
   *
   * @param policy default {@link ThreadPoolExecutor.AbortPolicy}
   * @return this builder
   */
  public ThreadPoolBuilder rejectionPolicy(RejectedExecutionHandler policy) {
    this.rejectionPolicy = requireNonNull(policy, "policy");
    return this;
  }

  /**
   * The thread factory {@link #build()} uses: Guava's, with this builder's names, daemon flag and
   * handler.
   *
   * @return a new factory (numbering from 0)
   */
  public ThreadFactory threadFactory() {
    ThreadFactoryBuilder b = new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(daemon);
    if (uncaughtExceptionHandler != null) {
      b.setUncaughtExceptionHandler(uncaughtExceptionHandler);
    }
    return b.build();
  }

  /**
   * Builds the executor. Threads start as tasks arrive.
   *
   * @return a new executor; shut it down when done
   * @throws IllegalStateException when no size was set or the core size exceeds the maximum
   */
  public ThreadPoolExecutor build() {
    if (maxSize < 0) {
      throw new IllegalStateException("no pool size set: call size(...) or maxSize(...)");
    }
    int core = coreSize < 0 ? maxSize : coreSize;
    if (core > maxSize) {
      throw new IllegalStateException("coreSize " + core + " is larger than maxSize " + maxSize);
    }
    BlockingQueue<Runnable> queue =
        queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
    ThreadPoolExecutor executor = new ThreadPoolExecutor(core, maxSize, keepAlive.toNanos(),
        TimeUnit.NANOSECONDS, queue, threadFactory(), rejectionPolicy);
    if (allowCoreThreadTimeOut) {
      executor.allowCoreThreadTimeOut(true);
    }
    return executor;
  }
}
