package dev.rightsize.internal;

import dev.rightsize.Warning;
import dev.rightsize.WarningCode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * One kept-open file, re-read from offset 0 with a positional read. Not thread-safe: the monitor
 * guards it (and the shared buffer) with its read lock.
 *
 * <p>cgroupfs files are never replaced and regenerate their content on each read from offset 0,
 * so the channel stays valid for the life of the cgroup. A regular file (a test tree, a copied
 * fixture) may be replaced (new inode): {@link #revalidate} reopens it when its file key changed,
 * and a read that fails or returns nothing reopens once before giving up.
 */
final class PolledFile implements AutoCloseable {
  /** Reusable read buffer, grown as needed (to {@link ViewFs#MAX_BYTES}). */
  static final class Buffer {
    byte[] bytes = new byte[8192];
    ByteBuffer bb = ByteBuffer.wrap(bytes);
    int length;
  }

  /** The path as the process sees it, for warnings. */
  final String shown;
  /** The path under the root, to open. */
  final Path path;
  private final LiveReader.Sink sink;
  private FileChannel channel;
  private Object fileKey;
  private boolean unavailable;

  PolledFile(String shown, Path path, LiveReader.Sink sink) {
    this.shown = shown;
    this.path = path;
    this.sink = sink;
    open();
  }

  private void warn(String message) {
    sink.warn(Warning.of(WarningCode.READ_FAILED, message, shown));
  }

  /** Whether the file can still be read (a failed reopen gives up until {@link #revalidate}). */
  boolean available() {
    return !unavailable;
  }

  /**
   * Reads the whole file into the buffer. Never throws.
   *
   * @return true when {@code buf.length} bytes (at least one) were read
   */
  boolean read(Buffer buf) {
    if (unavailable) {
      return false;
    }
    // FileChannel reads are interruptible: on a thread with its interrupt flag set (a cancelled
    // task, a scrape thread) a read would close the shared channel. Read with the flag cleared and
    // restore it afterwards, so one interrupted caller cannot disable the file for everyone.
    boolean interrupted = Thread.interrupted();
    try {
      return readUninterrupted(buf);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean readUninterrupted(Buffer buf) {
    String why = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      if (channel == null && !open()) {
        return false;
      }
      try {
        if (readFully(buf) > 0) {
          return true;
        }
        why = "the file read empty";
        if (attempt == 1) {
          // The file exists and opens: report this read as unavailable, keep the channel.
          warn(why);
          return false;
        }
      } catch (IOException | RuntimeException e) {
        why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      closeChannel();
    }
    unavailable = true;
    warn("read failed after reopening (" + why + "); reported as unavailable");
    return false;
  }

  private int readFully(Buffer buf) throws IOException {
    while (true) {
      buf.bb.clear();
      long pos = 0;
      int n;
      while (buf.bb.hasRemaining()) {
        int asked = buf.bb.remaining();
        n = channel.read(buf.bb, pos);
        if (n <= 0) {
          break;
        }
        pos += n;
        if (n < asked && pos < ViewFs.SHORT_READ_IS_ALL) {
          break; // the whole file: no second read to learn it was the end
        }
      }
      if (buf.bb.hasRemaining() || buf.bytes.length >= ViewFs.MAX_BYTES) {
        buf.length = buf.bb.position();
        return buf.length;
      }
      buf.bytes = new byte[Math.min(ViewFs.MAX_BYTES, buf.bytes.length * 2)];
      buf.bb = ByteBuffer.wrap(buf.bytes);
    }
  }

  private boolean open() {
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      fileKey = keyOf();
      unavailable = false;
      return true;
    } catch (NoSuchFileException e) {
      fail("the file disappeared");
    } catch (IOException | RuntimeException e) {
      fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace(path.toString(),
          shown));
    }
    return false;
  }

  // No channel to close: open() runs only without one (the constructor; a read after closing it;
  // revalidate after closing it or when unavailable, which a closed channel always comes with).
  private void fail(String why) {
    unavailable = true;
    warn("cannot open (" + why + "); reported as unavailable");
  }

  private Object keyOf() {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The slow-period check: reopens a file that was replaced (new inode) or had failed. Never throws.
   */
  void revalidate() {
    if (unavailable || channel == null) {
      open();
      return;
    }
    Object now = keyOf();
    if (now == null || !Objects.equals(now, fileKey)) {
      closeChannel();
      open();
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException | RuntimeException e) {
        // nothing to do
      }
      channel = null;
    }
  }

  @Override
  public void close() {
    closeChannel();
    unavailable = true;
  }
}
