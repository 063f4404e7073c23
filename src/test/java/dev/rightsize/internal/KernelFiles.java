package dev.rightsize.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * Kernel files as {@link FileChannel} sees them, for what a regular file cannot show: a positional
 * read that returns less than asked without being at the end (seq_file hands out a page at a time),
 * a read that fails (ENODEV: the files of a removed cgroup). A {@link #path} opens the given
 * {@link Channel}s in turn (then: no such file) and reports {@link #key} as the file key; nothing
 * else of its file system answers.
 */
final class KernelFiles {
  private final Deque<Channel> channels;
  /** How many channels were opened. */
  int opens;
  /** The file key {@code Files.readAttributes} reports (the inode, on Linux). */
  Object key = "inode 1";

  KernelFiles(Channel... channels) {
    this.channels = new ArrayDeque<>(Arrays.asList(channels));
  }

  /**
   * The path, shown as {@code "/kernel" + shown}.
   *
   * @param shown the path as the process sees it
   * @return a path of this file system
   */
  Path path(String shown) {
    FileSystem fs = new Fs(new Provider(shown));
    return (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class},
        (self, method, args) -> switch (method.getName()) {
          case "getFileSystem" -> fs;
          case "toString" -> "/kernel" + shown;
          case "hashCode" -> System.identityHashCode(self);
          case "equals" -> self == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /**
   * One open of a kernel file: each positional read returns at most the next of the given sizes (the
   * last repeats), and -1 at the end (the JDK's answer to a pread of 0 bytes). A {@link #failure}
   * fails every read.
   */
  static final class Channel extends FileChannel {
    final byte[] content;
    final int[] sizes;
    /** Reads asked for, the one answered -1 included. */
    int reads;
    private int served;
    /** Thrown by every read when set. */
    IOException failure;

    Channel(String content, int... sizes) {
      this.content = content.getBytes(ISO_8859_1);
      this.sizes = sizes;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      if (position < 0) {
        throw new IllegalArgumentException("Negative position");
      }
      reads++;
      if (failure != null) {
        throw failure;
      }
      if (position >= content.length) {
        return -1;
      }
      int n = (int) Math.min(Math.min(dst.remaining(), sizes[Math.min(served, sizes.length - 1)]),
          content.length - position);
      served++;
      dst.put(content, (int) position, n);
      return n;
    }

    @Override
    protected void implCloseChannel() {}

    @Override
    public long size() {
      return 4096; // what a kernel file claims, whatever it holds
    }

    @Override
    public int read(ByteBuffer dst) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel position(long newPosition) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void force(boolean metaData) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }
  }

  private final class Provider extends FileSystemProvider {
    private final String shown;

    Provider(String shown) {
      this.shown = shown;
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
        throws IOException {
      Channel c = channels.poll();
      if (c == null) {
        throw new NoSuchFileException(shown);
      }
      opens++;
      return c;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) {
      Object k = key;
      return (A) Proxy.newProxyInstance(BasicFileAttributes.class.getClassLoader(),
          new Class<?>[] {BasicFileAttributes.class}, (self, method, args) -> {
            if (method.getName().equals("fileKey")) {
              return k;
            }
            throw new UnsupportedOperationException(method.getName());
          });
    }

    @Override
    public String getScheme() {
      return "kernel";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Path getPath(URI uri) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
        FileAttribute<?>... attrs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(Path path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isHidden(Path path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileStore getFileStore(Path path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
      throw new UnsupportedOperationException();
    }
  }

  private static final class Fs extends FileSystem {
    private final FileSystemProvider provider;

    Fs(FileSystemProvider provider) {
      this.provider = provider;
    }

    @Override
    public FileSystemProvider provider() {
      return provider;
    }

    @Override
    public void close() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean isReadOnly() {
      return true;
    }

    @Override
    public String getSeparator() {
      return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Iterable<FileStore> getFileStores() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
      return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
      throw new UnsupportedOperationException();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
      throw new UnsupportedOperationException();
    }

    @Override
    public WatchService newWatchService() {
      throw new UnsupportedOperationException();
    }
  }
}
