package dev.rightsize.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kept-open file of the live monitor: re-read from offset 0 into a reused buffer, reopened when
 * replaced, failed or emptied, given up (with one warning naming the file as the process sees it)
 * until the slow-period {@link PolledFile#revalidate}. Regular files in a temp directory play the
 * cgroup files; {@link OpenDescriptors} shows what is really held open. Where only a kernel file
 * behaves so (a read shorter than asked that is not the end, a read failing with ENODEV), a
 * {@link KernelFiles} channel plays it.
 */
class PolledFileTest {
  static final String SHOWN = "/sys/fs/cgroup/app/memory.current";

  @TempDir Path dir;
  final List<Warning> warnings = new ArrayList<>();
  final PolledFile.Buffer buf = new PolledFile.Buffer();

  Path file() {
    return dir.resolve("memory.current");
  }

  PolledFile open() {
    return new PolledFile(SHOWN, file(), warnings::add);
  }

  void write(String content) throws IOException {
    Files.writeString(file(), content, ISO_8859_1); // truncates in place: same inode, as cgroupfs
  }

  /** Swaps a new inode in at the path, as {@code mv} does. */
  void replace(String content) throws IOException {
    Path tmp = dir.resolve("memory.current.tmp");
    Files.writeString(tmp, content, ISO_8859_1);
    Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads, expecting success, and returns exactly the bytes the buffer says were read. */
  String read(PolledFile f) {
    assertThat(f.read(buf)).as("read").isTrue();
    return new String(buf.bytes, 0, buf.length, ISO_8859_1);
  }

  static Warning readFailed(String message) {
    return Warning.of(WarningCode.READ_FAILED, message, SHOWN);
  }

  /** {@code n} bytes of lines {@code "k<i> <i>\n"}, so that any misplaced byte shows. */
  static String lines(int n) {
    StringBuilder b = new StringBuilder(n + 32);
    for (int i = 0; b.length() < n; i++) {
      b.append('k').append(i).append(' ').append(i).append('\n');
    }
    b.setLength(n);
    return b.toString();
  }

  @Test
  void readsTheWholeFileAgainAfterEachRewriteInPlace() throws IOException {
    write("314572800\n");
    try (PolledFile f = open()) {
      assertThat(read(f)).isEqualTo("314572800\n");
      write("5368709120\n");
      assertThat(read(f)).isEqualTo("5368709120\n");
      write("7\n"); // shorter: nothing of the longer read before may show
      assertThat(read(f)).isEqualTo("7\n");
      assertThat(buf.length).isEqualTo(2);
      assertThat(f.available()).isTrue();
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theBufferIsReusedAndGrowsOnlyForAFileThatDoesNotFit() throws IOException {
    byte[] initial = buf.bytes;
    assertThat(initial).hasSize(8192);
    write("anon 2000\nfile 1000\ninactive_file 104857600\n");
    try (PolledFile f = open()) {
      read(f);
      read(f);
      assertThat(buf.bytes).as("a file that fits allocates nothing").isSameAs(initial);

      // 2000 bytes: more than a short read is trusted to be whole (1024), less than the buffer.
      String mid = lines(2000);
      write(mid);
      assertThat(read(f)).isEqualTo(mid);
      assertThat(buf.bytes).isSameAs(initial);

      // 20000 bytes: the buffer doubles until it has room to spare, 8192 -> 16384 -> 32768.
      String big = lines(20_000);
      write(big);
      assertThat(read(f)).isEqualTo(big);
      assertThat(buf.bytes).hasSize(32768);

      // Exactly a buffer's worth fills it with nothing to spare: it doubles once more to learn the end.
      String full = lines(32768);
      write(full);
      assertThat(read(f)).isEqualTo(full);
      assertThat(buf.bytes).hasSize(65536);

      write("7\n");
      assertThat(read(f)).isEqualTo("7\n");
      assertThat(buf.bytes).as("never shrinks").hasSize(65536);
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aFileOverMaxBytesIsCutAtMaxBytes() throws IOException {
    int max = ViewFs.MAX_BYTES; // 1 MiB
    String exact = lines(max);
    write(exact);
    try (PolledFile f = open()) {
      assertThat(read(f)).isEqualTo(exact);
      assertThat(buf.bytes).hasSize(max);
      write(exact + "overflow 1\n");
      assertThat(read(f)).isEqualTo(exact);
      assertThat(buf.length).isEqualTo(max);
      assertThat(buf.bytes).as("never past MAX_BYTES").hasSize(max);
    }
  }

  @Test
  void anEmptyReadIsUnavailableForThatReadOnly() throws IOException {
    write("42\n");
    try (PolledFile f = open()) {
      write("");
      assertThat(f.read(buf)).isFalse();
      assertThat(warnings).containsExactly(readFailed("the file read empty"));
      assertThat(f.available()).as("the file exists and opens: not given up").isTrue();
      write("43\n");
      assertThat(read(f)).isEqualTo("43\n");
    }
    assertThat(warnings).hasSize(1);
  }

  @Test
  void anEmptyReadReopensSoAFileEmptiedAndReplacedIsReadAtOnce() throws IOException {
    write("42\n");
    try (PolledFile f = open()) {
      write(""); // the old inode, still held open, reads empty ...
      replace("43\n"); // ... and a new one holds the value
      assertThat(read(f)).isEqualTo("43\n");
      assertThat(OpenDescriptors.under(dir)).containsExactly("memory.current");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aReplacedFileIsReadFromTheOldInodeUntilRevalidatedThenFromTheNewOne() throws IOException {
    write("314572800\n");
    try (PolledFile f = open()) {
      replace("629145600\n");
      assertThat(read(f)).isEqualTo("314572800\n");
      assertThat(OpenDescriptors.under(dir)).containsExactly("memory.current (deleted)");
      f.revalidate();
      assertThat(read(f)).isEqualTo("629145600\n");
      assertThat(OpenDescriptors.under(dir)).as("the old inode let go").containsExactly("memory.current");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void revalidatingAnUnchangedFileKeepsItsOneDescriptor() throws IOException {
    write("17\n");
    try (PolledFile f = open()) {
      f.revalidate();
      f.revalidate();
      assertThat(OpenDescriptors.under(dir)).containsExactly("memory.current");
      write("18\n");
      assertThat(read(f)).isEqualTo("18\n");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aDeletedFileIsUnavailableFromTheRevalidateUntilItComesBackAndTheNextRevalidate() throws IOException {
    write("17\n");
    try (PolledFile f = open()) {
      Files.delete(file());
      assertThat(read(f)).as("a regular file's open inode outlives its name").isEqualTo("17\n");
      f.revalidate();
      assertThat(warnings).containsExactly(readFailed("cannot open (the file disappeared); reported as unavailable"));
      assertThat(f.available()).isFalse();
      assertThat(f.read(buf)).isFalse();
      assertThat(OpenDescriptors.under(dir)).isEmpty();

      write("42\n");
      assertThat(f.read(buf)).as("given up until the next revalidate").isFalse();
      assertThat(f.available()).isFalse();
      f.revalidate();
      assertThat(f.available()).isTrue();
      assertThat(read(f)).isEqualTo("42\n");
    }
    assertThat(warnings).as("one warning for the whole outage").hasSize(1);
  }

  @Test
  void aReadFailingAfterTheReopenIsReportedOnceAndGivenUp() throws IOException {
    Files.createDirectory(file()); // opens; every read fails with EISDIR
    try (PolledFile f = open()) {
      assertThat(warnings).isEmpty();
      assertThat(f.read(buf)).isFalse();
      assertThat(warnings).containsExactly(
          readFailed("read failed after reopening (Is a directory); reported as unavailable"));
      assertThat(f.available()).isFalse();
      assertThat(OpenDescriptors.under(dir)).isEmpty();
      assertThat(f.read(buf)).isFalse();
    }
    assertThat(warnings).hasSize(1);
  }

  @Test
  void aReadThatFailsIsRetriedOnAFreshOpen() throws IOException {
    Files.createDirectory(file());
    try (PolledFile f = open()) {
      Files.delete(file());
      write("42\n"); // the held channel is still the directory's; the path is now a file
      assertThat(read(f)).isEqualTo("42\n");
      assertThat(OpenDescriptors.under(dir)).containsExactly("memory.current");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aReadThatFailsWhereTheFileIsGoneGivesUpWithTheOpenFailure() throws IOException {
    Files.createDirectory(file());
    try (PolledFile f = open()) {
      Files.delete(file());
      assertThat(f.read(buf)).isFalse();
      assertThat(warnings).containsExactly(readFailed("cannot open (the file disappeared); reported as unavailable"));
      assertThat(f.available()).isFalse();
      assertThat(OpenDescriptors.under(dir)).isEmpty();
    }
  }

  @Test
  void aFailedOpenNamesTheFileAsTheProcessSeesItNotTheRootPath() throws IOException {
    Path notADirectory = dir.resolve("app");
    Files.writeString(notADirectory, "");
    try (PolledFile f = new PolledFile(SHOWN, notADirectory.resolve("memory.current"), warnings::add)) {
      assertThat(f.available()).isFalse();
      assertThat(f.read(buf)).isFalse();
    }
    // ENOTDIR: the JDK's message is "<path>: Not a directory"; the path is the process's, not the test root's.
    assertThat(warnings).containsExactly(
        readFailed("cannot open (" + SHOWN + ": Not a directory); reported as unavailable"));
  }

  @Test
  void anInterruptedCallerStillReadsAndKeepsItsInterruptFlag() throws IOException {
    write("17\n");
    try (PolledFile f = open()) {
      Thread.currentThread().interrupt();
      try {
        assertThat(read(f)).isEqualTo("17\n");
      } finally {
        assertThat(Thread.interrupted()).as("the flag is restored (and cleared here)").isTrue();
      }
      write("18\n");
      assertThat(read(f)).as("the interrupt did not close the shared channel").isEqualTo("18\n");
      assertThat(OpenDescriptors.under(dir)).containsExactly("memory.current");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void closeLetsGoOfTheFileAndLaterReadsFail() throws IOException {
    write("17\n");
    PolledFile f = open();
    assertThat(read(f)).isEqualTo("17\n");
    assertThat(OpenDescriptors.under(dir)).containsExactly("memory.current");
    f.close();
    assertThat(OpenDescriptors.under(dir)).isEmpty();
    assertThat(f.available()).isFalse();
    assertThat(f.read(buf)).isFalse();
    assertThat(warnings).isEmpty();
  }

  // --- Kernel files: what a regular file cannot show ---------------------------------------------

  @Test
  void aKernelFileReadShortOfItsEndIsReadOnToTheEnd() {
    // seq_file fills at most a page per read: 10000 bytes come as 4096 + 4096 + 1808.
    String content = lines(10_000);
    KernelFiles.Channel k = new KernelFiles.Channel(content, 4096);
    try (PolledFile f = new PolledFile(SHOWN, new KernelFiles(k).path(SHOWN), warnings::add)) {
      assertThat(read(f)).isEqualTo(content);
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aShortReadOfFewerThan1024BytesIsTheWholeFileWithoutASecondRead() {
    String cpuStat = "usage_usec 5000000\nuser_usec 4000000\nsystem_usec 1000000\n"
        + "nr_periods 100\nnr_throttled 7\nthrottled_usec 123456\n";
    KernelFiles.Channel k = new KernelFiles.Channel(cpuStat, 4096);
    try (PolledFile f = new PolledFile(SHOWN, new KernelFiles(k).path(SHOWN), warnings::add)) {
      assertThat(read(f)).isEqualTo(cpuStat);
      assertThat(k.reads).as("no second read only to learn it was the end").isEqualTo(1);
    }
  }

  @Test
  void aShortReadOfExactly1024BytesIsNotTakenAsTheEnd() {
    // A first record that ends at byte 1024 and a second too large for the rest of the page.
    String content = lines(1500);
    KernelFiles.Channel k = new KernelFiles.Channel(content, 1024, 4096);
    try (PolledFile f = new PolledFile(SHOWN, new KernelFiles(k).path(SHOWN), warnings::add)) {
      assertThat(read(f)).isEqualTo(content);
    }
  }

  @Test
  void revalidateReopensOnlyWhenTheFileKeyChanged() {
    KernelFiles.Channel first = new KernelFiles.Channel("1\n", 4096);
    KernelFiles.Channel second = new KernelFiles.Channel("2\n", 4096);
    KernelFiles fs = new KernelFiles(first, second);
    try (PolledFile f = new PolledFile(SHOWN, fs.path(SHOWN), warnings::add)) {
      f.revalidate();
      f.revalidate();
      assertThat(fs.opens).as("same file key: the channel is kept").isEqualTo(1);
      assertThat(read(f)).isEqualTo("1\n");
      fs.key = "inode 2";
      f.revalidate();
      assertThat(fs.opens).isEqualTo(2);
      assertThat(first.isOpen()).isFalse();
      assertThat(read(f)).isEqualTo("2\n");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aReadFailingAgainOnTheReopenedFileGivesUpUntilRevalidate() {
    // A removed cgroup's files fail every read with ENODEV; one made again at the path reads.
    KernelFiles.Channel removed = new KernelFiles.Channel("1\n", 4096);
    removed.failure = new IOException("No such device");
    KernelFiles.Channel stillRemoved = new KernelFiles.Channel("1\n", 4096);
    stillRemoved.failure = new IOException("No such device");
    KernelFiles.Channel remade = new KernelFiles.Channel("2\n", 4096);
    KernelFiles fs = new KernelFiles(removed, stillRemoved, remade);
    try (PolledFile f = new PolledFile(SHOWN, fs.path(SHOWN), warnings::add)) {
      assertThat(f.read(buf)).isFalse();
      assertThat(fs.opens).as("reopened once, not more").isEqualTo(2);
      assertThat(removed.isOpen()).isFalse();
      assertThat(stillRemoved.isOpen()).isFalse();
      assertThat(warnings).containsExactly(
          readFailed("read failed after reopening (No such device); reported as unavailable"));
      assertThat(f.read(buf)).isFalse();
      assertThat(fs.opens).isEqualTo(2);
      f.revalidate();
      assertThat(read(f)).isEqualTo("2\n");
    }
    assertThat(warnings).hasSize(1);
  }
}
