package dev.rightsize.internal;

import dev.rightsize.WarningCode;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads files of one root laid out like {@code /}, bounded in size, and with a deadline for files on
 * FUSE filesystems (LXCFS), whose reads block while the daemon is stopped.
 *
 * <p>Paths are given as the process sees them ({@code /proc/meminfo}); they are resolved under the
 * root and may not leave it. A read on a FUSE filesystem runs on a daemon thread; if it does not
 * finish within the deadline, the filesystem is marked stuck for the rest of this detection, and,
 * process-wide, no second thread is started for a file whose earlier read is still blocked: a stuck
 * daemon costs at most one parked thread per file, never the caller's time.
 *
 * <p>On the live root ({@code /}), files under {@code /proc} and {@code /sys} that are not on FUSE
 * (procfs, sysfs, cgroupfs: the kernel renders them afresh on every read from offset 0) are kept
 * open process-wide and re-read from offset 0, at most {@link #MAX_KEPT} at once. A kept descriptor
 * that fails (a removed cgroup answers ENODEV) is closed and the file opened afresh once; if that
 * fails too, the read fails: a value is never served from a stale descriptor. Files of any other
 * root are opened and closed on every read.
 *
 * <p>Reads use {@code java.io}, not NIO: the first NIO file read in a JVM costs about 10 ms of
 * initialisation, a {@code FileInputStream} about 1 ms, and detection's first call pays it.
 */
public final class ViewFs {
  /** Largest content read from one file; the rest is dropped with a warning. */
  public static final int MAX_BYTES = 1 << 20;

  /**
   * A kernel file (seq_file) read short of what was asked ends early only when its next record does
   * not fit the rest of a page; so a short read of less than this many bytes is the whole file,
   * since every record of the files read here (a cpuinfo processor, the largest, is about 1.6 KB) is
   * smaller than the 3 KB then left. It saves the second read that would only return 0.
   */
  static final int SHORT_READ_IS_ALL = 1024;

  /** Most descriptors kept open at once, process-wide; past it they are all closed and reopened as read. */
  public static final int MAX_KEPT = 64;

  /** Kept-open descriptors of the live root, by process-view path. */
  private static final Map<String, RandomAccessFile> KEPT = new ConcurrentHashMap<>();

  private final Path root;
  /** The root's path, without a trailing slash: empty for {@code /}. */
  private final String rootDir;
  private final boolean live;
  /** How long one read on a FUSE filesystem may take. */
  final long fuseTimeoutNanos;
  private final List<FuseMount> fuseMounts = new ArrayList<>();
  /** FUSE devices whose read timed out during this view's use: not read again. */
  final List<String> stuckDevices = new ArrayList<>();
  private final Set<String> keptUsed = new HashSet<>();
  private final Diagnostics diag;
  private final RawRead rawRead;
  private String rootReal;

  /** A FUSE mount point and its device, for deadlines. */
  record FuseMount(String mountPoint, String device) {}

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

  /**
   * Creates a view of a root, with no FUSE mounts registered.
   *
   * @param root the directory read as {@code /}
   * @param fuseTimeoutMillis how long one read on a FUSE filesystem may take, in milliseconds
   * @param diag where size warnings go
   */
  public ViewFs(Path root, long fuseTimeoutMillis, Diagnostics diag) {
    this(root, fuseTimeoutMillis, diag, null);
  }

  ViewFs(Path root, long fuseTimeoutMillis, Diagnostics diag, RawRead rawRead) {
    this(root, normalizedDir(root), rawRead == null && root.isAbsolute() && root.getNameCount() == 0,
        fuseTimeoutMillis, diag, rawRead);
  }

  private ViewFs(Path root, String rootDir, boolean live, long fuseTimeoutMillis, Diagnostics diag, RawRead rawRead) {
    this.root = root;
    this.rootDir = rootDir;
    this.live = live;
    this.fuseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(fuseTimeoutMillis);
    this.diag = diag;
    this.rawRead = rawRead;
  }

  /**
   * The view of this process's own {@code /}, built without touching NIO's file system.
   *
   * @param fuseTimeoutMillis how long one read on a FUSE filesystem may take, in milliseconds
   * @param diag where size warnings go
   * @return the view
   */
  public static ViewFs live(long fuseTimeoutMillis, Diagnostics diag) {
    return new ViewFs(null, "", true, fuseTimeoutMillis, diag, null);
  }

  private static String normalizedDir(Path root) {
    String s = root.toAbsolutePath().normalize().toString();
    return s.equals("/") ? "" : s;
  }

  /**
   * Whether this is the view of this process's own {@code /}.
   *
   * @return true for the live root
   */
  public boolean isLive() {
    return live;
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
   * @return the root, as given ({@code /} for the live view)
   */
  public Path root() {
    return root != null ? root : Path.of("/");
  }

  /**
   * The real path of a process-view path: normalised ({@code .} and {@code ..} resolved) and under
   * the root.
   *
   * @param file the path as the process sees it; a missing leading {@code /} is allowed
   * @return the path under the root
   * @throws IllegalArgumentException when the path would leave the root ({@code ..})
   */
  String realPath(String file) {
    String[] parts = Parse.splitChar(file, '/');
    List<String> out = new ArrayList<>(parts.length);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (out.isEmpty()) {
          throw new IllegalArgumentException("leaves the root: " + file);
        }
        out.remove(out.size() - 1);
      } else {
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      return rootDir.isEmpty() ? "/" : rootDir;
    }
    StringBuilder b = new StringBuilder(rootDir);
    for (String p : out) {
      b.append('/').append(p);
    }
    return b.toString();
  }

  /**
   * Resolves a process-view absolute path under the root.
   *
   * @param file the path as the process sees it; a missing leading {@code /} is allowed
   * @return the normalized path under the root
   * @throws IllegalArgumentException when the path would leave the root ({@code ..})
   */
  public Path resolve(String file) {
    return Path.of(realPath(file));
  }

  /**
   * Under a root other than {@code /} (tests, {@code --root}), a symbolic link may not lead out of
   * it: the real path must stay inside.
   */
  private void checkContained(String real) throws IOException {
    if (rootDir.isEmpty()) {
      return;
    }
    if (rootReal == null) {
      rootReal = new File(rootDir).getCanonicalPath();
    }
    String canonical = new File(real).getCanonicalPath();
    if (!canonical.equals(rootReal) && !canonical.startsWith(rootReal + "/")) {
      throw new IOException("a symbolic link leads out of the root");
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
      return new File(realPath(dir)).isDirectory();
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
      return new File(realPath(file)).exists();
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
    String real;
    try {
      real = realPath(file);
    } catch (RuntimeException e) {
      return FileRead.failed(file, "invalid path: " + e.getMessage());
    }
    FuseMount fuse = fuseMountOf(file);
    byte[] bytes;
    try {
      if (fuse == null && live && (file.startsWith("/proc/") || file.startsWith("/sys/"))) {
        keptUsed.add(file);
        bytes = readKept(file, real);
      } else {
        checkContained(real);
        bytes = fuse == null ? readRaw(real) : FuseRead.read(this, real, fuse);
      }
    } catch (FileNotFoundException e) {
      return notFound(file, real, e);
    } catch (IOException e) {
      String m = e.getMessage();
      return FileRead.failed(file, m == null ? e.getClass().getSimpleName() : m.replace(real, file));
    } catch (RuntimeException | Error e) {
      return FileRead.failed(file, e.toString());
    }
    if (bytes.length > MAX_BYTES) {
      diag.warn(WarningCode.FILE_TRUNCATED, "read only the first " + MAX_BYTES + " bytes of an oversized file", file);
      bytes = Arrays.copyOf(bytes, MAX_BYTES);
    }
    return FileRead.ok(file, new String(bytes, StandardCharsets.UTF_8));
  }

  /** java.io says "not found" for missing, denied and directory alike: tell them apart. */
  private FileRead notFound(String file, String real, FileNotFoundException e) {
    String m = e.getMessage();
    if (live && m != null && m.endsWith("(No such file or directory)")) {
      return FileRead.missing(file); // the common case on every call (e.g. stats_isolated): no stat calls
    }
    File f = new File(real);
    if (f.isDirectory()) {
      return FileRead.failed(file, "is a directory");
    }
    if (!f.exists()) {
      // A dangling link also "does not exist"; the live root's procfs, sysfs and cgroupfs paths
      // have none, so only other roots pay for NIO's look at the link itself.
      if (!live && Files.isSymbolicLink(Path.of(real))) {
        return FileRead.failed(file, "dangling symbolic link");
      }
      return FileRead.missing(file);
    }
    int open = m == null ? -1 : m.lastIndexOf('(');
    String reason = open >= 0 && m.endsWith(")") ? m.substring(open + 1, m.length() - 1) : String.valueOf(m);
    return FileRead.failed(file, reason.toLowerCase(java.util.Locale.ROOT));
  }

  byte[] readRaw(String real) throws IOException {
    return rawRead == null ? readBounded(real) : rawRead.read(Path.of(real));
  }

  /**
   * Reads at most MAX_BYTES + 1 bytes, so that oversize can be told. Only regular files are opened
   * (procfs, sysfs and cgroupfs files all are): opening a FIFO or a device could block for ever.
   */
  static byte[] readBounded(String real) throws IOException {
    File f = new File(real);
    if (!f.isFile()) {
      if (!f.exists()) {
        throw new FileNotFoundException(real + " (No such file or directory)");
      }
      throw new IOException(f.isDirectory() ? "is a directory" : "not a regular file");
    }
    try (InputStream in = new FileInputStream(f)) {
      return in.readNBytes(MAX_BYTES + 1);
    }
  }

  /**
   * A re-read from offset 0 of a kept-open descriptor; a failed one is reopened once. Reads of one
   * descriptor are serialised (seek and read are two calls); {@code java.io} reads are not
   * interruptible, so an interrupted caller cannot close a descriptor that every thread shares.
   */
  private static byte[] readKept(String file, String real) throws IOException {
    RandomAccessFile raf = KEPT.get(file);
    if (raf != null) {
      try {
        byte[] b = readAll(raf);
        if (b.length > 0) {
          return b;
        }
      } catch (IOException e) {
        // ENODEV (removed cgroup), ENOTCONN, closed by another thread: open afresh below.
      }
      KEPT.remove(file, raf);
      close(raf);
    }
    RandomAccessFile fresh = new RandomAccessFile(real, "r");
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
    if (KEPT.putIfAbsent(file, fresh) != null) {
      close(fresh);
    }
    return b;
  }

  private static byte[] readAll(RandomAccessFile raf) throws IOException {
    synchronized (raf) {
      raf.seek(0);
      byte[] buf = new byte[4096];
      int len = 0;
      while (true) {
        int asked = buf.length - len;
        int n = raf.read(buf, len, asked);
        if (n <= 0) {
          break;
        }
        len += n;
        if (n < asked && len < SHORT_READ_IS_ALL) {
          break; // see SHORT_READ_IS_ALL: no second read to learn it was the end
        }
        if (len == buf.length) {
          if (buf.length > MAX_BYTES) {
            break;
          }
          buf = Arrays.copyOf(buf, Math.min(MAX_BYTES + 1, buf.length * 4));
        }
      }
      return Arrays.copyOf(buf, len);
    }
  }

  private static void close(RandomAccessFile f) {
    try {
      f.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Closes every kept descriptor (they are reopened as read). */
  static void closeKept() {
    for (String k : KEPT.keySet()) {
      RandomAccessFile f = KEPT.remove(k);
      if (f != null) {
        close(f);
      }
    }
  }

  /** Closes the kept descriptors this view did not read: called once a detection is done. */
  void releaseUnused() {
    if (!live || KEPT.size() <= keptUsed.size()) {
      return;
    }
    for (String k : KEPT.keySet()) {
      if (!keptUsed.contains(k)) {
        RandomAccessFile f = KEPT.remove(k);
        if (f != null) {
          close(f);
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
}
