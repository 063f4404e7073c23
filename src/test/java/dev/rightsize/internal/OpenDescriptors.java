package dev.rightsize.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This JVM's open file descriptors, as Linux lists them in {@code /proc/self/fd}: what a kept-open
 * file really holds. A deleted file still held open shows with a {@code " (deleted)"} suffix.
 */
final class OpenDescriptors {
  private static final Path FDS = Path.of("/proc/self/fd");

  private OpenDescriptors() {}

  /**
   * The files under a directory this process holds open, one entry per descriptor.
   *
   * @param dir the directory
   * @return the paths relative to {@code dir}, sorted
   */
  static List<String> under(Path dir) {
    assumeTrue(Files.isDirectory(FDS), "needs Linux /proc/self/fd");
    List<String> out = new ArrayList<>();
    try {
      String prefix = dir.toRealPath() + "/";
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
        for (Path fd : fds) {
          String target;
          try {
            target = Files.readSymbolicLink(fd).toString();
          } catch (IOException e) {
            continue; // closed since the listing (the listing's own descriptor, another thread's)
          }
          if (target.startsWith(prefix)) {
            out.add(target.substring(prefix.length()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }
}
