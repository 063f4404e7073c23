package dev.rightsize.it.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal writer of the cpio "newc" format (what the Linux kernel unpacks as an initramfs), so
 * the test VM's initramfs needs no {@code cpio} binary. Entries are written in order: a directory
 * must precede the entries inside it.
 */
final class Cpio {
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;

  private final OutputStream out;
  private long written;
  private int nextIno = 1;

  Cpio(OutputStream out) {
    this.out = out;
  }

  void dir(String name) throws IOException {
    entry(name, S_IFDIR | 0755, 2, 0, 0, new byte[0]);
  }

  void file(String name, int perm, byte[] data) throws IOException {
    entry(name, S_IFREG | perm, 1, 0, 0, data);
  }

  void symlink(String name, String target) throws IOException {
    entry(name, S_IFLNK | 0777, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8));
  }

  void charDevice(String name, int perm, int major, int minor) throws IOException {
    entry(name, S_IFCHR | perm, 1, major, minor, new byte[0]);
  }

  /** Writes the trailer; the stream stays open. */
  void finish() throws IOException {
    entry("TRAILER!!!", 0, 1, 0, 0, new byte[0]);
    out.flush();
  }

  private void entry(String name, int mode, int nlink, int rdevMajor, int rdevMinor, byte[] data)
      throws IOException {
    byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream header = new ByteArrayOutputStream(128);
    header.writeBytes("070701".getBytes(StandardCharsets.US_ASCII));
    int ino = name.equals("TRAILER!!!") ? 0 : nextIno++;
    long[] fields = {
      ino, mode, 0 /* uid */, 0 /* gid */, nlink, 0 /* mtime */, data.length,
      0 /* devmajor */, 0 /* devminor */, rdevMajor, rdevMinor, nameBytes.length, 0 /* check */
    };
    for (long f : fields) {
      header.writeBytes(String.format("%08x", f).getBytes(StandardCharsets.US_ASCII));
    }
    write(header.toByteArray());
    write(nameBytes);
    pad();
    write(data);
    pad();
  }

  private void write(byte[] b) throws IOException {
    out.write(b);
    written += b.length;
  }

  private void pad() throws IOException {
    while (written % 4 != 0) {
      out.write(0);
      written++;
    }
  }
}
