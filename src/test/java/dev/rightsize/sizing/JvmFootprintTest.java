package dev.rightsize.sizing;

import static dev.rightsize.sizing.TestResources.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rightsize.sizing.JvmMemory.Collector;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmFootprintTest {

  /** A file as a user would write it by hand (or an older version wrote it), comments and all. */
  private static final String HAND_WRITTEN = """
      # measured after the load test
      loadedClassCount=12000
      metaspaceUsedBytes=70000000
      metaspaceCommittedBytes=72000000
      codeCacheUsedBytes=30000000
      codeCacheCommittedBytes=33554432
      threadCount=150
      peakThreadCount=180
      directBufferBytes=50331648
      mappedBufferBytes=0
      heapCommittedBytes=500000000
      heapMaxBytes=536870912
      collector=G1
      someFutureKey=ignored
      """;

  @Test
  void parsesAHandWrittenFile() {
    JvmFootprint f = JvmFootprint.parse(HAND_WRITTEN);
    assertThat(f.loadedClassCount()).isEqualTo(12_000);
    assertThat(f.metaspaceCommittedBytes()).isEqualTo(72_000_000L);
    assertThat(f.codeCacheCommittedBytes()).isEqualTo(32 * MIB);
    assertThat(f.peakThreadCount()).isEqualTo(180);
    assertThat(f.directBufferBytes()).isEqualTo(48 * MIB);
    assertThat(f.heapMaxBytes()).isEqualTo(512 * MIB);
    assertThat(f.collector()).contains(Collector.G1);
  }

  @Test
  void writesAndReadsBack(@TempDir Path dir) throws Exception {
    JvmFootprint f = new JvmFootprint(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, Optional.of(Collector.SERIAL));
    Path file = dir.resolve("fp.properties");
    f.write(file);
    assertThat(Files.readString(file)).contains("loadedClassCount=1\n", "peakThreadCount=7\n", "collector=Serial\n");
    assertThat(JvmFootprint.read(file)).isEqualTo(f);
    JvmFootprint none = new JvmFootprint(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, Optional.empty());
    assertThat(JvmFootprint.parse(none.toProperties())).isEqualTo(none);
  }

  @Test
  void maxTakesTheLargerOfEachComponent() {
    JvmFootprint a = new JvmFootprint(10, 1, 30, 2, 50, 6, 70, 0, 90, 10, 11, Optional.empty());
    JvmFootprint b = new JvmFootprint(1, 20, 3, 40, 5, 60, 7, 80, 9, 100, 11, Optional.of(Collector.G1));
    assertThat(a.max(b)).isEqualTo(new JvmFootprint(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 11,
        Optional.of(Collector.G1)));
    assertThat(b.max(a).collector()).contains(Collector.G1);
  }

  @Test
  void recorderKeepsThePeakAndWritesIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fp.properties");
    JvmFootprint.Recorder r = JvmFootprint.writeAtExit(file);
    List<ByteBuffer> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(ByteBuffer.allocateDirect(1 << 20));
    }
    long busy = r.sample().directBufferBytes();
    assertThat(busy).isGreaterThanOrEqualTo(4L << 20);
    held.clear();
    r.write();
    JvmFootprint written = JvmFootprint.read(file);
    assertThat(written.directBufferBytes()).as("the peak, not what is held at the write").isEqualTo(busy);
    assertThat(written.loadedClassCount()).isGreaterThan(1000);
  }

  @Test
  void readsAsAPersonWritesIt() {
    assertThat(new JvmFootprint(12_000, 1, 62L << 20, 1, 18L << 20, 31, 40, 10L << 20, 0, 256L << 20, 1L << 30,
        Optional.of(Collector.G1)).toString()).isEqualTo("JvmFootprint[12000 classes, metaspace 62 MiB committed,"
        + " code cache 18 MiB committed, 31 threads (peak 40), direct 10 MiB, mapped 0 B, heap 256 MiB committed"
        + " of 1 GiB, GC G1]");
  }

  @Test
  void rejectsWhatIsNotAFootprint(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> JvmFootprint.parse(HAND_WRITTEN.replace("peakThreadCount=180\n", "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 'peakThreadCount'");
    assertThatThrownBy(() -> JvmFootprint.parse(HAND_WRITTEN.replace("=12000", "=12k")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'loadedClassCount' is not an integer");
    assertThatThrownBy(() -> JvmFootprint.parse(HAND_WRITTEN.replace("=12000", "=-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> JvmFootprint.parse(HAND_WRITTEN.replace("=12000", "=9999999999")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    Path big = dir.resolve("big");
    Files.write(big, new byte[100_000]);
    assertThatThrownBy(() -> JvmFootprint.read(big)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The live record sees what this test makes the JVM do: direct buffers, threads, classes. */
  @Test
  void currentSeesWhatTheTestAllocated() throws Exception {
    List<ByteBuffer> held = new ArrayList<>();
    long before = JvmFootprint.current().directBufferBytes();
    for (int i = 0; i < 3; i++) {
      held.add(ByteBuffer.allocateDirect(1 << 20));
    }
    CountDownLatch started = new CountDownLatch(6);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Thread t = new Thread(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      threads.add(t);
    }
    started.await();
    JvmFootprint f = JvmFootprint.current();
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(f.directBufferBytes() - before).isGreaterThanOrEqualTo(3 * MIB);
    // 6 parked threads plus this one (and the JVM's own Java threads)
    assertThat(f.threadCount()).isGreaterThanOrEqualTo(7);
    assertThat(f.peakThreadCount()).isGreaterThanOrEqualTo(f.threadCount());
    // the test framework alone loads thousands of classes; each takes metaspace
    assertThat(f.loadedClassCount()).isGreaterThan(1_000);
    assertThat(f.metaspaceCommittedBytes()).isGreaterThanOrEqualTo(f.metaspaceUsedBytes()).isGreaterThan(MIB);
    assertThat(f.codeCacheCommittedBytes()).isGreaterThanOrEqualTo(f.codeCacheUsedBytes()).isPositive();
    assertThat(f.heapMaxBytes()).isPositive();
    assertThat(f.collector()).isPresent();
    held.clear();
  }

  @Test
  void zeroIsAValidCountOrSizeAndNegativeIsNot() {
    long[] zeros = new long[11];
    assertThat(footprint(zeros).loadedClassCount()).isZero();
    for (int i = 0; i < zeros.length; i++) {
      long[] v = zeros.clone();
      v[i] = -1;
      int field = i;
      assertThatThrownBy(() -> footprint(v)).as("component %d", field).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("negative count or size in a footprint");
    }
  }

  private static JvmFootprint footprint(long[] v) {
    return new JvmFootprint((int) v[0], v[1], v[2], v[3], v[4], (int) v[5], (int) v[6], v[7], v[8], v[9], v[10],
        Optional.empty());
  }
}
