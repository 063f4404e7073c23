package dev.rightsize.internal;

import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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
    assertThat(openFiles()).as("the released descriptor is closed, not only forgotten")
        .doesNotContain("/proc/" + ProcessHandle.current().pid() + "/limits");
    assertThat(second.read("/proc/self/missing-file").missing()).isTrue();
    assertThat(ViewFs.keptCount()).isOne();
    // The one kept is the one read: reading it again opens nothing new.
    assertThat(second.read("/proc/self/status").isOk()).isTrue();
    assertThat(ViewFs.keptCount()).isOne();
  }

  /** Where this process's open descriptors lead, as the kernel tells (the links of /proc/self/fd). */
  private static java.util.Set<String> openFiles() {
    java.util.Set<String> out = new java.util.HashSet<>();
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          out.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // the listing's own descriptor, closed by now
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void onlyTheLiveViewIsLive() {
    assertThat(ViewFs.live(100, new Diagnostics()).isLive()).isTrue();
    assertThat(new ViewFs(Path.of("/"), 100, new Diagnostics()).isLive()).isTrue();
    assertThat(new ViewFs(root, 100, new Diagnostics()).isLive()).isFalse();
    // A raw-read seam is a test's view, never the live one, even of "/".
    assertThat(new ViewFs(Path.of("/"), 100, new Diagnostics(), p -> new byte[0]).isLive()).isFalse();
  }

  @Test
  void theRootIsTheDirectoryReadAsSlash() {
    assertThat(ViewFs.live(100, new Diagnostics()).root()).isEqualTo(Path.of("/"));
    assertThat(new ViewFs(root, 100, new Diagnostics()).root()).isEqualTo(root);
    ViewFs fs = new ViewFs(root, 100, new Diagnostics());
    assertThat(fs.resolve("/")).isEqualTo(root.toAbsolutePath().normalize());
    assertThat(fs.resolve("/sys/fs/../../proc/./meminfo")).isEqualTo(root.resolve("proc/meminfo"));
    assertThat(fs.resolve("proc/meminfo")).isEqualTo(root.resolve("proc/meminfo"));
    assertThat(ViewFs.live(100, new Diagnostics()).resolve("/proc/..")).isEqualTo(Path.of("/"));
    assertThat(ViewFs.live(100, new Diagnostics()).resolve("/sys/fs/cgroup/../cgroup/cpu.max"))
        .isEqualTo(Path.of("/sys/fs/cgroup/cpu.max"));
  }

  @Test
  void aPathLeavingTheRootIsNoDirectory() throws IOException {
    Path inside = root.resolve("r");
    Files.createDirectories(inside.resolve("sys"));
    ViewFs fs = new ViewFs(inside, 100, new Diagnostics());
    assertThat(fs.isDirectory("/sys")).isTrue();
    assertThat(Files.isDirectory(inside.resolve("../r"))).isTrue();
    assertThat(fs.isDirectory("/../r")).isFalse();
  }

  @Test
  void aFileOfExactlyTheLimitIsWholeAndNoWarning() throws IOException {
    Files.createDirectories(root.resolve("x"));
    byte[] full = new byte[ViewFs.MAX_BYTES];
    java.util.Arrays.fill(full, (byte) 'a');
    Files.write(root.resolve("x/full"), full);
    Diagnostics d = new Diagnostics();
    assertThat(new ViewFs(root, 100, d).read("/x/full").text()).hasSize(ViewFs.MAX_BYTES);
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void aReadThatThrowsIsAFailureNotAnException() throws IOException {
    // Detection never throws: whatever the read throws becomes the file's error.
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\n");
    ViewFs fs = new ViewFs(root, 100, new Diagnostics(), p -> {
      throw new IllegalStateException("broken read");
    });
    FileRead r = fs.read("/proc/meminfo");
    assertThat(r.isOk()).isFalse();
    assertThat(r.missing()).isFalse();
    assertThat(r.error()).isEqualTo("java.lang.IllegalStateException: broken read");
  }

  @Test
  void aFileOutsideProcAndSysOfTheLiveRootIsReadAndNotKept() throws IOException {
    Path tmp = Files.createTempFile("rightsize-viewfs", ".txt");
    try {
      Files.writeString(tmp, "max 100000\n");
      int kept = ViewFs.keptCount();
      FileRead r = ViewFs.live(100, new Diagnostics()).read(tmp.toString());
      assertThat(r.text()).isEqualTo(Files.readString(tmp));
      assertThat(ViewFs.keptCount()).isEqualTo(kept);
      assertThat(openFiles()).doesNotContain(tmp.toString());
    } finally {
      Files.delete(tmp);
    }
  }

  @Test
  void aSysFileOfTheLiveRootIsKeptOpen() throws IOException {
    String file = "/sys/devices/system/cpu/online";
    Assumptions.assumeTrue(Files.isReadable(Path.of(file)), "no " + file + " here");
    ViewFs.closeKept();
    FileRead r = ViewFs.live(100, new Diagnostics()).read(file);
    assertThat(r.text()).isEqualTo(Files.readString(Path.of(file)));
    assertThat(openFiles()).contains(file);
    ViewFs.closeKept();
    assertThat(openFiles()).doesNotContain(file);
  }

  @Test
  void aProcFileOnAFuseMountOfTheLiveRootIsNotKept() {
    // LXCFS mounts over /proc files; a FUSE file is read on a deadline thread, never kept open.
    ViewFs.closeKept();
    ViewFs fs = ViewFs.live(1000, new Diagnostics());
    fs.addFuseMount("/proc/self/limits", "0:41");
    FileRead r = fs.read("/proc/self/limits");
    assertThat(r.text()).startsWith("Limit ");
    assertThat(openFiles()).doesNotContain("/proc/" + ProcessHandle.current().pid() + "/limits");
  }

  /**
   * /proc/kallsyms is larger than the read limit (several MB) and the kernel hands it out in reads
   * a few bytes short of what was asked: the kept descriptor's read must go on past short reads and
   * grow its buffer to the limit, then stop with a warning.
   */
  @Test
  void aLargeKeptProcFileIsReadWholeUpToTheLimit() throws IOException {
    Path kallsyms = Path.of("/proc/kallsyms");
    Assumptions.assumeTrue(Files.isReadable(kallsyms), "no readable /proc/kallsyms here");
    byte[] first;
    try (java.io.InputStream in = Files.newInputStream(kallsyms)) {
      first = in.readNBytes(ViewFs.MAX_BYTES + 1);
    }
    Assumptions.assumeTrue(first.length > ViewFs.MAX_BYTES, "/proc/kallsyms is small here");
    Diagnostics d = new Diagnostics();
    FileRead r = ViewFs.live(100, d).read("/proc/kallsyms");
    assertThat(r.text()).isEqualTo(new String(first, 0, ViewFs.MAX_BYTES, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(d.warnings()).containsExactly(Warning.of(WarningCode.FILE_TRUNCATED,
        "read only the first " + ViewFs.MAX_BYTES + " bytes of an oversized file", "/proc/kallsyms"));
    ViewFs.closeKept();
  }

  @Test
  void procFilesOfTheLiveRootAreReadAsTheKernelWritesThem() throws IOException {
    ViewFs fs = ViewFs.live(100, new Diagnostics());
    for (String f : new String[] {"/proc/self/mountinfo", "/proc/self/cgroup", "/proc/self/limits", "/proc/filesystems"}) {
      assertThat(fs.read(f).text()).as(f).isEqualTo(Files.readString(Path.of(f)));
      assertThat(fs.read(f).text()).as(f + " again, through the kept descriptor").isEqualTo(Files.readString(Path.of(f)));
    }
  }

  /** Past MAX_KEPT descriptors all are closed: a stuck process never holds more than that. */
  @Test
  void atMostMaxKeptDescriptorsAreKeptOpen() throws IOException {
    List<String> readable = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> s = Files.list(Path.of("/proc/sys/kernel"))) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        if (Files.isRegularFile(p) && Files.isReadable(p)) {
          readable.add(p.toString());
        }
      }
    }
    ViewFs.closeKept();
    ViewFs fs = ViewFs.live(100, new Diagnostics());
    List<String> kept = new java.util.ArrayList<>();
    for (String f : readable) {
      if (kept.size() == ViewFs.MAX_KEPT) {
        break;
      }
      if (fs.read(f).isOk()) {
        kept.add(f);
      }
    }
    Assumptions.assumeTrue(kept.size() == ViewFs.MAX_KEPT, "too few readable files in /proc/sys/kernel");
    assertThat(openFiles()).as("all kept open").containsAll(kept);
    assertThat(ViewFs.keptCount()).isEqualTo(ViewFs.MAX_KEPT);
    // One more: the 64 are closed, and only the new one is kept.
    assertThat(fs.read("/proc/self/status").isOk()).isTrue();
    assertThat(ViewFs.keptCount()).isLessThanOrEqualTo(ViewFs.MAX_KEPT);
    assertThat(openFiles()).as("all closed").doesNotContainAnyElementsOf(kept)
        .contains("/proc/" + ProcessHandle.current().pid() + "/status");
    ViewFs.closeKept();
  }

  /**
   * A kept descriptor of a file that went away (here a thread's status, as a removed cgroup's
   * files answer ENODEV) is never served stale: the file is opened afresh, and is missing.
   */
  @Test
  void aKeptFileThatWentAwayIsMissingNotStale() throws Exception {
    java.util.concurrent.CompletableFuture<String> tid = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        // /proc/thread-self links to <pid>/task/<tid> of the thread that looks
        tid.complete(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        stop.await();
      } catch (IOException | InterruptedException e) {
        tid.completeExceptionally(e);
      }
    });
    t.start();
    String file = "/proc/self/task/" + tid.get() + "/status";
    ViewFs fs = ViewFs.live(100, new Diagnostics());
    int kept;
    try {
      assertThat(Parse.lineValue(fs.read(file).text(), "Pid:")).isEqualTo(tid.get());
      kept = ViewFs.keptCount();
    } finally {
      stop.countDown();
      t.join();
    }
    Path dir = Path.of("/proc/self/task/" + tid.get());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (Files.exists(dir) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    FileRead r = fs.read(file);
    assertThat(r.isOk()).isFalse();
    assertThat(r.missing()).isTrue();
    assertThat(ViewFs.keptCount()).as("the failed descriptor is dropped").isEqualTo(kept - 1);
    assertThat(openFiles()).noneMatch(f -> f.contains("/task/" + tid.getNow("") + "/"));
  }

  @Test
  void aDirectoryOfTheLiveRootIsNoFile() {
    FileRead r = ViewFs.live(100, new Diagnostics()).read("/proc/self/fd");
    assertThat(r.missing()).isFalse();
    assertThat(r.error()).isEqualTo("is a directory");
  }

  /**
   * /proc/self/mem opens, but a read at offset 0 (never mapped) fails with EIO: the read fails with
   * the kernel's reason, and the descriptor just opened is closed, not kept.
   */
  @Test
  void aProcFileThatOpensButCannotBeReadIsAFailureAndNotLeftOpen() {
    int kept = ViewFs.keptCount();
    FileRead r = ViewFs.live(100, new Diagnostics()).read("/proc/self/mem");
    assertThat(r.missing()).isFalse();
    assertThat(r.error()).isEqualTo("Input/output error");
    assertThat(ViewFs.keptCount()).isEqualTo(kept);
    assertThat(openFiles()).doesNotContain("/proc/" + ProcessHandle.current().pid() + "/mem");
  }

  @Test
  void existsAndIsDirectoryTellFilesDirectoriesAndNothing() throws IOException {
    Files.createDirectories(root.resolve("sys/fs/cgroup"));
    Files.writeString(root.resolve("sys/fs/cgroup/cpu.max"), "max 100000\n");
    ViewFs fs = new ViewFs(root, 100, new Diagnostics());
    assertThat(fs.exists("/sys/fs/cgroup/cpu.max")).isTrue();
    assertThat(fs.exists("/sys/fs/cgroup")).isTrue();
    assertThat(fs.exists("/sys/fs/cgroup/memory.max")).isFalse();
    assertThat(fs.isDirectory("/sys/fs/cgroup")).isTrue();
    assertThat(fs.isDirectory("/sys/fs/cgroup/cpu.max")).isFalse();
    assertThat(fs.isDirectory("/sys/fs/cgroup/memory.max")).isFalse();
  }

  @Test
  void aMissingProcFileOfTheLiveRootIsMissing() {
    FileRead r = ViewFs.live(100, new Diagnostics()).read("/proc/self/no-such-file");
    assertThat(r.missing()).isTrue();
    assertThat(r.error()).isEqualTo("no such file");
  }

  /** sysfs refuses to open a write-only attribute for reading, even to root (EACCES). */
  @Test
  void aDeniedFileOfTheLiveRootSaysWhy() {
    String file = "/sys/bus/cpu/drivers_probe";
    Assumptions.assumeTrue(Files.exists(Path.of(file)), "no " + file + " here");
    FileRead r = ViewFs.live(100, new Diagnostics()).read(file);
    assertThat(r.missing()).isFalse();
    assertThat(r.error()).isEqualTo("permission denied");
  }

  @Test
  void aMissingFileOnAFuseMountIsMissing() throws IOException {
    Files.createDirectories(root.resolve("proc"));
    ViewFs fs = new ViewFs(root, 500, new Diagnostics());
    fs.addFuseMount("/proc/meminfo", "0:41");
    FileRead r = fs.read("/proc/meminfo");
    assertThat(r.missing()).isTrue();
    assertThat(fs.stuckDevices).isEmpty();
  }

  @Test
  void theFuseReadRunsOnADaemonThread() throws IOException {
    // A read left blocked by a stopped daemon must not keep the JVM from exiting.
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\n");
    java.util.List<Thread> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
    ViewFs fs = new ViewFs(root, 500, new Diagnostics(), p -> {
      readers.add(Thread.currentThread());
      return ViewFs.readBounded(p.toString());
    });
    fs.addFuseMount("/proc", "0:41");
    assertThat(fs.read("/proc/meminfo").text()).isEqualTo("MemTotal: 1 kB\n");
    assertThat(readers).singleElement().satisfies(t -> {
      assertThat(t).isNotSameAs(Thread.currentThread());
      assertThat(t.isDaemon()).isTrue();
    });
  }

  @Test
  void anInterruptedCallerGetsAFailureAndKeepsItsInterrupt() throws IOException {
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\n");
    // The read is held until the caller has given up, so that the wait, not the read, is interrupted.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    ViewFs fs = new ViewFs(root, 500, new Diagnostics(), p -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ViewFs.readBounded(p.toString());
    });
    fs.addFuseMount("/proc", "0:41");
    Thread.currentThread().interrupt();
    FileRead r;
    try {
      r = fs.read("/proc/meminfo");
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
      release.countDown();
    }
    assertThat(r.error()).isEqualTo("interrupted while reading");
    assertThat(fs.stuckDevices).isEmpty();
  }

  @Test
  void theLongestFuseMountAboveAFileIsItsMount() throws IOException {
    // /proc is on one FUSE device, /proc/meminfo (as LXCFS mounts it) on another that is stuck.
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 1 kB\n");
    Files.writeString(root.resolve("proc/cpuinfo"), "processor : 0\n");
    Files.writeString(root.resolve("procfs"), "not under /proc\n");
    ViewFs fs = new ViewFs(root, 500, new Diagnostics());
    fs.addFuseMount("/", "0:40");
    fs.addFuseMount("/proc/meminfo", "0:42");
    fs.addFuseMount("/proc", "0:41");
    fs.addFuseMount("/proc/", "0:43");
    fs.stuckDevices.add("0:42");
    assertThat(fs.read("/proc/meminfo").error()).contains("(/proc/meminfo) did not answer");
    fs.stuckDevices.add("0:43");
    assertThat(fs.read("/proc/cpuinfo").error()).contains("(/proc/) did not answer");
    assertThat(fs.read("/procfs").text()).isEqualTo("not under /proc\n");
    fs.stuckDevices.add("0:40");
    assertThat(fs.read("/procfs").error()).contains("(/) did not answer");
  }

  @Test
  void aLaterMountOnTheSameMountPointHidesTheEarlier() throws IOException {
    // As in mountinfo, a second mount on the same point is the one the path shows.
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/cpuinfo"), "processor : 0\n");
    ViewFs fs = new ViewFs(root, 500, new Diagnostics());
    fs.addFuseMount("/proc/cpuinfo", "0:44");
    fs.addFuseMount("/proc/cpuinfo", "0:45");
    fs.stuckDevices.add("0:44");
    assertThat(fs.read("/proc/cpuinfo").text()).isEqualTo("processor : 0\n");
    fs.stuckDevices.add("0:45");
    assertThat(fs.read("/proc/cpuinfo").error()).contains("did not answer");
  }
}
