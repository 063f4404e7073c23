package dev.rightsize.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads files of one root laid out like {@code /}, bounded in size, and with a deadline for files on
 * FUSE filesystems (LXCFS), whose reads block while the daemon is stopped.
 *
 * <p>Paths are given as the process sees them ({@code /proc/meminfo}); they are resolved under the
 * root. A read on a FUSE filesystem runs on a daemon thread; if it does not finish within the
 * deadline, the filesystem is marked stuck for the rest of this detection, and, process-wide, no
 * second thread is started for a file whose earlier read is still blocked: a stuck daemon costs at
 * most one parked thread per file, never the caller's time.
 *
 * <p>On the live root ({@code /}), files under {@code /proc} and {@code /sys} that are not on FUSE
 * (procfs, sysfs, cgroupfs: the kernel renders them afresh on every read from offset 0) are kept
 * open process-wide and re-read with a positional read, at most {@link #MAX_KEPT} at once. A kept
 * descriptor that fails (a removed cgroup answers ENODEV) is closed and the file opened afresh once;
 * if that fails too, the read fails: a value is never served from a stale descriptor. Files of any
 * other root are opened and closed on every read.
 */
public final class ViewFs {
  /** Largest content read from one file; the rest is dropped with a warning. */
  public static final int MAX_BYTES = 1 << 20;

  /** Most descriptors kept open at once, process-wide; past it they are all closed and reopened as read. */
  public static final int MAX_KEPT = 64;

  /** Kept-open descriptors of the live root, by process-view path. */
  private static final Map<String, FileChannel> KEPT = new ConcurrentHashMap<>();

  /** Reads still blocked on a FUSE file, process-wide, keyed by real path. */
  private static final Map<Path, FutureTask<byte[]>> BLOCKED = new ConcurrentHashMap<>();

  private final Path root;
  private final long fuseTimeoutNanos;
  private final List<FuseMount> fuseMounts = new ArrayList<>();
  private final List<String> stuckDevices = new ArrayList<>();
  private final Diagnostics diag;
  private Path rootReal;

  /** A FUSE mount point and its device, for deadlines. */
  record FuseMount(String mountPoint, String device) {}

  /**
   * Creates a view of a root, with no FUSE mounts registered.
   *
   * @param root the directory read as {@code /}
   * @param fuseTimeoutMillis how long one read on a FUSE filesystem may take, in milliseconds
   * @param diag where size warnings go
   */
  public ViewFs(Path root, long fuseTimeoutMillis, Diagnostics diag) {
    this(root, fuseTimeoutMillis, diag, BOUNDED);
  }

  private static final RawRead BOUNDED = new RawRead() {
    @Override
    public byte[] read(Path p) throws IOException {
      return readBounded(p);
    }
  };

  /** The raw read, a seam for tests that need a read which blocks like a stopped FUSE daemon. */
  @FunctionalInterface
  interface RawRead {
    /**
     * Reads a file's content.
     *
     * @param p the real path under the root
     * @return the bytes read (the default reads at most {@link ViewFs#MAX_BYTES} + 1)
     * @throws IOException when the file cannot be read
     */
    byte[] read(Path p) throws IOException;
  }

  private final RawRead rawRead;

  private final boolean live;
  private final java.util.Set<String> keptUsed = new java.util.HashSet<>();

  /** Closes the kept descriptors this view did not read: called once a detection is done. */
  void releaseUnused() {
    if (live) {
      retainKept(keptUsed);
    }
  }

  ViewFs(Path root, long fuseTimeoutMillis, Diagnostics diag, RawRead rawRead) {
    this.rawRead = rawRead;
    this.root = root;
    this.live = rawRead == BOUNDED && root.isAbsolute() && root.getNameCount() == 0;
    this.fuseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(fuseTimeoutMillis);
    this.diag = diag;
  }

  /**
   * Registers a FUSE mount so that reads below it get a deadline.
   *
   * @param mountPoint the mount point, as the process sees it
   * @param device its {@code major:minor}; a timed-out read marks every mount of the device stuck
   */
  public void addFuseMount(String mountPoint, String device) {
    fuseMounts.add(new FuseMount(mountPoint, device));
  }

  /**
   * The directory read as {@code /}.
   *
   * @return the root, as given
   */
  public Path root() {
    return root;
  }

  /**
   * Resolves a process-view absolute path under the root.
   *
   * @param file the path as the process sees it; a missing leading {@code /} is allowed
   * @return the normalized path under the root
   * @throws IllegalArgumentException when the path would leave the root ({@code ..})
   */
  public Path resolve(String file) {
    String rel = file.startsWith("/") ? file.substring(1) : file;
    Path base = root.normalize();
    Path p = rel.isEmpty() ? base : base.resolve(rel).normalize();
    if (!p.startsWith(base)) {
      throw new IllegalArgumentException("leaves the root: " + file);
    }
    return p;
  }

  /**
   * Under a root other than {@code /} (tests, {@code --root}), a symbolic link may not lead out of
   * it: the real path must stay inside.
   */
  private void checkContained(Path p) throws IOException {
    if (root.getNameCount() == 0) {
      return;
    }
    if (rootReal == null) {
      rootReal = root.toRealPath();
    }
    if (!p.toRealPath().startsWith(rootReal)) {
      throw new AccessDeniedException(p.toString(), null, "a symbolic link leads out of the root");
    }
  }

  /**
   * Whether the process-view path is an existing directory.
   *
   * @param dir the path as the process sees it
   * @return true when it is a directory; false also when the path would leave the root
   */
  public boolean isDirectory(String dir) {
    try {
      return Files.isDirectory(resolve(dir));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether the process-view path exists.
   *
   * @param file the path as the process sees it
   * @return true when it exists; false also when the path would leave the root
   */
  public boolean exists(String file) {
    try {
      return Files.exists(resolve(file));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Reads a file. Never throws.
   *
   * @param file the process-view path
   * @return the text, or why there is none
   */
  public FileRead read(String file) {
    Path p;
    try {
      p = resolve(file);
    } catch (RuntimeException e) {
      return FileRead.failed(file, "invalid path: " + e.getMessage());
    }
    FuseMount fuse = fuseMountOf(file);
    byte[] bytes;
    try {
      if (fuse == null && live && (file.startsWith("/proc/") || file.startsWith("/sys/"))) {
        keptUsed.add(file);
        bytes = readKept(file, p);
      } else {
        checkContained(p);
        bytes = fuse == null ? rawRead.read(p) : readWithDeadline(p, fuse);
      }
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(p)) {
        return FileRead.failed(file, "dangling symbolic link");
      }
      return FileRead.missing(file);
    } catch (AccessDeniedException e) {
      return FileRead.failed(file, e.getReason() != null ? e.getReason() : "permission denied");
    } catch (TimeoutException e) {
      return FileRead.failed(file, e.getMessage());
    } catch (IOException e) {
      String m = e.getMessage();
      return FileRead.failed(file, m == null ? e.getClass().getSimpleName() : m.replace(p.toString(), file));
    } catch (RuntimeException | Error e) {
      return FileRead.failed(file, e.toString());
    }
    if (bytes.length > MAX_BYTES) {
      diag.warn(dev.rightsize.WarningCode.FILE_TRUNCATED, "read only the first " + MAX_BYTES + " bytes of an oversized file", file);
      bytes = java.util.Arrays.copyOf(bytes, MAX_BYTES);
    }
    return FileRead.ok(file, new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * A positional re-read of a kept-open descriptor; a failed one is reopened once. The interrupt
   * flag is cleared around the read: an interrupted reader would otherwise close a descriptor that
   * every thread shares.
   */
  private static byte[] readKept(String file, Path p) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      FileChannel ch = KEPT.get(file);
      if (ch != null) {
        try {
          byte[] b = readAll(ch);
          if (b.length > 0) {
            return b;
          }
        } catch (IOException e) {
          // ENODEV (removed cgroup), ENOTCONN, closed by another thread: open afresh below.
        }
        KEPT.remove(file, ch);
        close(ch);
      }
      FileChannel fresh = FileChannel.open(p);
      byte[] b;
      try {
        b = readAll(fresh);
      } catch (IOException e) {
        close(fresh);
        throw e;
      }
      if (KEPT.size() >= MAX_KEPT) {
        closeKept();
      }
      FileChannel raced = KEPT.putIfAbsent(file, fresh);
      if (raced != null) {
        close(fresh);
      }
      return b;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(4096);
    long pos = 0;
    while (true) {
      int n = ch.read(bb, pos);
      if (n <= 0) {
        break;
      }
      pos += n;
      if (!bb.hasRemaining()) {
        if (bb.capacity() > MAX_BYTES) {
          break;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BYTES + 1, bb.capacity() * 4));
        bb.flip();
        bigger.put(bb);
        bb = bigger;
      }
    }
    return java.util.Arrays.copyOf(bb.array(), bb.position());
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Closes every kept descriptor (they are reopened as read). */
  static void closeKept() {
    for (String k : KEPT.keySet()) {
      FileChannel ch = KEPT.remove(k);
      if (ch != null) {
        close(ch);
      }
    }
  }

  /**
   * Closes the kept descriptors not in {@code used}: files of a cgroup the process left.
   *
   * @param used the process-view paths read by the last detection
   */
  static void retainKept(java.util.Set<String> used) {
    if (KEPT.size() <= used.size()) {
      return;
    }
    for (String k : KEPT.keySet()) {
      if (!used.contains(k)) {
        FileChannel ch = KEPT.remove(k);
        if (ch != null) {
          close(ch);
        }
      }
    }
  }

  /**
   * How many descriptors are kept open now, process-wide.
   *
   * @return at most {@link #MAX_KEPT}
   */
  public static int keptCount() {
    return KEPT.size();
  }

  private FuseMount fuseMountOf(String file) {
    FuseMount best = null;
    for (FuseMount m : fuseMounts) {
      String mp = m.mountPoint();
      boolean under = file.equals(mp) || mp.equals("/") || file.startsWith(mp.endsWith("/") ? mp : mp + "/");
      if (under && (best == null || mp.length() >= best.mountPoint().length())) {
        best = m;
      }
    }
    return best;
  }

  /**
   * Reads at most MAX_BYTES + 1 bytes, so that oversize can be told. Only regular files are opened
   * (procfs, sysfs and cgroupfs files all are): opening a FIFO or a device could block for ever.
   */
  static byte[] readBounded(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new IOException(a.isDirectory() ? "is a directory" : "not a regular file");
    }
    try (InputStream in = Files.newInputStream(p)) {
      return in.readNBytes(MAX_BYTES + 1);
    }
  }

  private byte[] readWithDeadline(Path p, FuseMount fuse) throws IOException, TimeoutException {
    if (stuckDevices.contains(fuse.device())) {
      throw new TimeoutException("not read: an earlier read on the same FUSE filesystem ("
          + fuse.mountPoint() + ") did not answer");
    }
    FutureTask<byte[]> earlier = BLOCKED.get(p);
    if (earlier != null && !earlier.isDone()) {
      stuckDevices.add(fuse.device());
      throw new TimeoutException("not read: an earlier read of this FUSE file is still blocked");
    }
    final RawRead raw = rawRead;
    FutureTask<byte[]> task = new FutureTask<>(new Callable<byte[]>() {
      @Override
      public byte[] call() throws IOException {
        return raw.read(p);
      }
    });
    Thread t = new Thread(task, "rightsize-fuse-read");
    t.setDaemon(true);
    t.start(); // registered only once it runs: a thread that never started blocks nothing
    BLOCKED.put(p, task);
    try {
      byte[] result = task.get(fuseTimeoutNanos, TimeUnit.NANOSECONDS);
      BLOCKED.remove(p, task);
      return result;
    } catch (TimeoutException e) {
      stuckDevices.add(fuse.device());
      throw new TimeoutException("read did not finish within "
          + TimeUnit.NANOSECONDS.toMillis(fuseTimeoutNanos) + " ms (FUSE daemon stuck?)");
    } catch (ExecutionException e) {
      BLOCKED.remove(p, task);
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(c), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted while reading");
    }
  }
}
