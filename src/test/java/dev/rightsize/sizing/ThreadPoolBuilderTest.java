package dev.rightsize.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadPoolBuilderTest {

  private final List<ThreadPoolExecutor> pools = new java.util.ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  private ThreadPoolExecutor track(ThreadPoolExecutor e) {
    pools.add(e);
    return e;
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    release.countDown();
    for (ThreadPoolExecutor e : pools) {
      e.shutdownNow();
      assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void threadsAreNamedFromTheFormatAndAllRun() throws Exception {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("worker-%d").size(3).build());
    Set<String> names = ConcurrentHashMap.newKeySet();
    CyclicBarrier allThree = new CyclicBarrier(3); // forces three distinct threads to run at once
    List<Future<?>> fs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fs.add(e.submit(() -> {
        names.add(Thread.currentThread().getName());
        allThree.await(10, TimeUnit.SECONDS);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(names).containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2");
  }

  @Test
  void aPlainPrefixGetsANumber() throws Exception {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("io").size(1).build());
    assertThat(e.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS)).isEqualTo("io-0");
    ThreadPoolExecutor pct = track(ThreadPoolBuilder.named("100%").size(1).build());
    assertThat(pct.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS)).isEqualTo("100%-0");
  }

  @Test
  void daemonFlag() throws Exception {
    ThreadPoolExecutor daemon = track(ThreadPoolBuilder.named("d").size(1).daemon(true).build());
    ThreadPoolExecutor normal = track(ThreadPoolBuilder.named("n").size(1).build());
    assertThat(daemon.submit(() -> Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(normal.submit(() -> Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void uncaughtExceptionHandlerSeesExecuteFailures() throws InterruptedException {
    AtomicReference<String> seen = new AtomicReference<>();
    CountDownLatch handled = new CountDownLatch(1);
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("h-%d").size(1)
        .uncaughtExceptionHandler((t, ex) -> {
          seen.set(t.getName() + ": " + ex.getMessage());
          handled.countDown();
        })
        .build());
    e.execute(() -> {
      throw new IllegalStateException("boom");
    });
    assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.get()).isEqualTo("h-0: boom");
  }

  @Test
  void fullPoolAndQueueRejectByDefault() throws InterruptedException {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("r").size(1).queueCapacity(1).build());
    CountDownLatch started = new CountDownLatch(1);
    e.execute(() -> {
      started.countDown();
      await(release);
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    e.execute(() -> { }); // waits in the queue (capacity 1)
    assertThat(e.getQueue()).hasSize(1);
    assertThatThrownBy(() -> e.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void callerRunsPolicyRunsTheTaskOnTheSubmitter() throws InterruptedException {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("cr").size(1).queueCapacity(0)
        .rejectionPolicy(new ThreadPoolExecutor.CallerRunsPolicy()).build());
    CountDownLatch started = new CountDownLatch(1);
    e.execute(() -> {
      started.countDown();
      await(release);
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<String> ranOn = new AtomicReference<>();
    e.execute(() -> ranOn.set(Thread.currentThread().getName()));
    assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void threadsAboveCoreStartOnlyWhenTheQueueIsFull() throws InterruptedException {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("g").coreSize(1).maxSize(2).queueCapacity(1)
        .keepAlive(Duration.ofSeconds(1)).build());
    CountDownLatch twoRunning = new CountDownLatch(2);
    Runnable block = () -> {
      twoRunning.countDown();
      await(release);
    };
    e.execute(block); // core thread
    e.execute(block); // queued
    assertThat(e.getPoolSize()).isEqualTo(1);
    e.execute(block); // queue full -> second thread, which runs this task
    assertThat(e.getPoolSize()).isEqualTo(2);
    assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> e.execute(block)).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void coreThreadTimeOutLetsAnIdlePoolEmpty() throws Exception {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("t").size(2).keepAlive(Duration.ofMillis(50))
        .allowCoreThreadTimeOut(true).build());
    e.submit(() -> { }).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (e.getPoolSize() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(e.getPoolSize()).isZero();
    assertThat(e.allowsCoreThreadTimeOut()).isTrue();
  }

  @Test
  void defaults() {
    ThreadPoolExecutor e = track(ThreadPoolBuilder.named("x").size(4).build());
    assertThat(e.getCorePoolSize()).isEqualTo(4);
    assertThat(e.getMaximumPoolSize()).isEqualTo(4);
    assertThat(e.getQueue().remainingCapacity()).isEqualTo(ThreadPoolBuilder.DEFAULT_QUEUE_CAPACITY);
    assertThat(e.getRejectedExecutionHandler()).isInstanceOf(ThreadPoolExecutor.AbortPolicy.class);
    assertThat(e.getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(60);
    assertThat(e.allowsCoreThreadTimeOut()).isFalse();
  }

  @Test
  void invalidConfigurations() {
    assertThatThrownBy(() -> ThreadPoolBuilder.named("bad-%s-%d")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> ThreadPoolBuilder.named("x").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no pool size");
    assertThatThrownBy(() -> ThreadPoolBuilder.named("x").coreSize(3).maxSize(2).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("larger than maxSize");
    assertThatThrownBy(() -> ThreadPoolBuilder.named("x").maxSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ThreadPoolBuilder.named("x").queueCapacity(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ThreadPoolBuilder.named("x").keepAlive(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
