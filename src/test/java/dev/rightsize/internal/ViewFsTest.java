package dev.rightsize.internal;

import dev.rightsize.WarningCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewFsTest {
  @TempDir Path root;

  @Test
  void readsTextMissingAndUnreadable() throws IOException {
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\n");
    Files.createDirectories(root.resolve("proc/stat")); // a directory where a file should be
    Files.createSymbolicLink(root.resolve("proc/cpuinfo"), root.resolve("nowhere"));
    ViewFs fs = new ViewFs(root, 100, new Diagnostics());
    assertThat(fs.read("/proc/meminfo").text()).isEqualTo("MemTotal: 1 kB\n");
    assertThat(fs.read("/proc/nothing").missing()).isTrue();
    FileRead dir = fs.read("/proc/stat");
    assertThat(dir.isOk()).isFalse();
    assertThat(dir.missing()).isFalse();
    FileRead dangling = fs.read("/proc/cpuinfo");
    assertThat(dangling.missing()).isFalse();
    assertThat(dangling.error()).isEqualTo("dangling symbolic link");
  }

  @Test
  void hugeFileIsCutWithAWarning() throws IOException {
    Files.createDirectories(root.resolve("x"));
    byte[] big = new byte[ViewFs.MAX_BYTES * 3];
    java.util.Arrays.fill(big, (byte) 'a');
    Files.write(root.resolve("x/big"), big);
    Diagnostics d = new Diagnostics();
    FileRead r = new ViewFs(root, 100, d).read("/x/big");
    assertThat(r.text()).hasSize(ViewFs.MAX_BYTES);
    assertThat(d.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.FILE_TRUNCATED);
      assertThat(w.file()).contains("/x/big");
    });
  }

  @Test
  void fifoIsRefusedInsteadOfBlocking() throws Exception {
    // Opening a FIFO with no writer blocks for ever; only regular files are opened.
    Files.createDirectories(root.resolve("proc"));
    Path fifo = root.resolve("proc/meminfo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    FileRead r = assertTimeoutPreemptively(Duration.ofSeconds(3),
        () -> new ViewFs(root, 150, new Diagnostics()).read("/proc/meminfo"));
    assertThat(r.error()).isEqualTo("not a regular file");
  }

  @Test
  void blockedReadOnAFuseMountEndsAtTheDeadline() throws Exception {
    // A read that blocks until released, as a read from a stopped LXCFS daemon blocks.
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\n");
    Files.writeString(root.resolve("proc/cpuinfo"), "processor : 0\n");
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    ViewFs.RawRead stuck = p -> {
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ViewFs.readBounded(p.toString());
    };
    ViewFs fs = new ViewFs(root, 150, new Diagnostics(), stuck);
    fs.addFuseMount("/proc/meminfo", "0:41");
    fs.addFuseMount("/proc/cpuinfo", "0:41");
    long start = System.nanoTime();
    FileRead r = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> fs.read("/proc/meminfo"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.isOk()).isFalse();
    assertThat(r.error()).contains("did not finish within 150 ms");
    assertThat(ms).isBetween(140L, 1500L);
    // The same filesystem is now known to be stuck: the next read fails at once, no new thread.
    start = System.nanoTime();
    assertThat(fs.read("/proc/cpuinfo").error()).contains("did not answer");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100L);
    // A new detection must not park another thread on the same blocked file.
    ViewFs again = new ViewFs(root, 150, new Diagnostics(), stuck);
    again.addFuseMount("/proc/meminfo", "0:41");
    start = System.nanoTime();
    assertThat(again.read("/proc/meminfo").error()).contains("still blocked");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100L);
    assertThat(started.get()).isEqualTo(1);
    // Once the daemon answers again, reads succeed again.
    release.countDown();
    Thread.sleep(50);
    assertThat(new ViewFs(root, 150, new Diagnostics(), stuck).read("/proc/meminfo").text()).isEqualTo("MemTotal: 1 kB\n");
  }

  @Test
  void pathsNeverLeaveTheRoot() throws IOException {
    Path inside = root.resolve("r");
    Files.createDirectories(inside.resolve("sys"));
    Files.writeString(root.resolve("secret"), "12345678");
    Files.createSymbolicLink(inside.resolve("sys/memory.max"), root.resolve("secret"));
    ViewFs fs = new ViewFs(inside, 100, new Diagnostics());
    assertThat(fs.read("/../secret").isOk()).isFalse();
    assertThat(fs.read("/sys/../../secret").error()).startsWith("invalid path");
    FileRead viaLink = fs.read("/sys/memory.max");
    assertThat(viaLink.isOk()).isFalse();
    assertThat(viaLink.error()).isEqualTo("a symbolic link leads out of the root");
    assertThat(fs.exists("/../secret")).isFalse();
  }

  @Test
  void fastFuseReadSucceeds() throws IOException {
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/cpuinfo"), "processor : 0\n");
    ViewFs fs = new ViewFs(root, 500, new Diagnostics());
    fs.addFuseMount("/proc/cpuinfo", "0:41");
    assertThat(fs.read("/proc/cpuinfo").text()).isEqualTo("processor : 0\n");
  }

  /**
   * On the live root a /proc file is kept open and re-read from offset 0: 20 threads started
   * between two reads show in the second ("Threads:" of /proc/self/status), and are gone from a
   * third once they ended, through the same descriptor. (The JVM's own threads come and go by a few,
   * hence 20 and a margin.)
   */
  @Test
  void theLiveRootKeepsProcFilesOpenAndReadsThemAfresh() throws Exception {
    ViewFs fs = ViewFs.live(100, new Diagnostics());
    int before = threads(fs);
    int kept = ViewFs.keptCount();
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    java.util.List<Thread> extra = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Thread t = new Thread(() -> {
        try {
          stop.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      extra.add(t);
    }
    int during;
    try {
      during = threads(ViewFs.live(100, new Diagnostics()));
      assertThat(ViewFs.keptCount()).as("the same descriptor, not a second one").isEqualTo(kept);
    } finally {
      stop.countDown();
      for (Thread t : extra) {
        t.join();
      }
    }
    assertThat(during - before).as("threads started between two reads").isGreaterThanOrEqualTo(15);
    // A joined thread leaves /proc a moment after join() returns: re-read until it has.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    int after = threads(fs);
    while (during - after < 15 && System.nanoTime() < deadline) {
      Thread.sleep(10);
      after = threads(fs);
    }
    assertThat(during - after).as("threads ended, seen through the kept descriptor").isGreaterThanOrEqualTo(15);
    // An interrupted reader cannot close the shared descriptor (java.io reads are not interruptible).
    Thread.currentThread().interrupt();
    try {
      assertThat(fs.read("/proc/self/status").isOk()).isTrue();
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
    }
    assertThat(ViewFs.keptCount()).isEqualTo(kept);
  }

  private static int threads(ViewFs fs) {
    return Integer.parseInt(Parse.lineValue(fs.read("/proc/self/status").text(), "Threads:"));
  }

  @Test
  void aDetectionReleasesTheDescriptorsItNoLongerReads() {
    ViewFs first = ViewFs.live(100, new Diagnostics());
    assertThat(first.read("/proc/self/status").isOk()).isTrue();
    assertThat(first.read("/proc/self/limits").isOk()).isTrue();
    int kept = ViewFs.keptCount();
    ViewFs second = ViewFs.live(100, new Diagnostics());
    assertThat(second.read("/proc/self/status").isOk()).isTrue();
    second.releaseUnused(); // /proc/self/limits (and whatever else was kept) was not read this time
    assertThat(ViewFs.keptCount()).isLessThan(kept).isOne();
    assertThat(second.read("/proc/self/missing-file").missing()).isTrue();
    assertThat(ViewFs.keptCount()).isOne();
  }
}
