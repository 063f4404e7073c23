package dev.rightsize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of fixture trees for tests that break files in them. */
public final class TestTrees {
  /** Where the fixture trees are. */
  public static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  private TestTrees() {}

  /**
   * Copies a directory tree.
   *
   * @param from the tree
   * @param to where the copy goes (created)
   * @return {@code to}
   * @throws IOException when a file cannot be copied
   */
  public static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }
}
