package dev.rightsize.internal;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/** Reading helpers over a {@link ViewFs} that turn failures into warnings. */
final class Files2 {
  private final ViewFs fs;
  private final Diagnostics diag;

  Files2(ViewFs fs, Diagnostics diag) {
    this.fs = fs;
    this.diag = diag;
  }

  ViewFs fs() {
    return fs;
  }

  Diagnostics diag() {
    return diag;
  }

  /**
   * Reads a file. A missing file is silent unless {@code required}; any other failure is a
   * warning.
   *
   * @return the text or null
   */
  String text(String file, boolean required) {
    FileRead r = fs.read(file);
    if (r.isOk()) {
      return r.text();
    }
    if (r.missing()) {
      if (required) {
        diag.warn("file-missing", "expected file is missing", file);
      }
      return null;
    }
    diag.warn("read-failed", "could not read: " + r.error(), file);
    return null;
  }

  /** Parses with a parser; garbage becomes a warning and null. */
  <T> T parse(String file, String text, Function<String, T> parser) {
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      diag.warn("unparsable", "could not parse \"" + Diagnostics.cut(text) + "\": " + e.getMessage(), file);
      return null;
    }
  }

  /** Reads and parses; null when missing, unreadable or garbage. */
  <T> T value(String file, boolean required, Function<String, T> parser) {
    return parse(file, text(file, required), parser);
  }

  /** Reads a keyed stat file; null on failure. */
  Map<String, Long> keyed(String file, boolean required) {
    return value(file, required, Parse::keyed);
  }

  /**
   * The tightest limit along a chain of cgroup directories.
   *
   * @param chain directories, leaf first
   * @param name the limit file's name
   * @param parser text to limit, empty = unlimited
   * @param leafRequired whether the leaf's file must exist
   * @return the tightest limit, where it was found
   */
  Limit tightest(List<String> chain, String name, Function<String, OptionalLong> parser, boolean leafRequired) {
    Limit best = Limit.NONE;
    boolean anyRead = false;
    for (int i = 0; i < chain.size(); i++) {
      String file = CgroupLayout.join(chain.get(i), name);
      String text = text(file, leafRequired && i == 0);
      OptionalLong v = parse(file, text, parser);
      if (v == null) {
        continue;
      }
      anyRead = true;
      if (v.isPresent() && (best.value().isEmpty() || v.getAsLong() < best.value().getAsLong())) {
        best = new Limit(v, file, text.strip(), true);
      }
    }
    return best.value().isPresent() ? best : new Limit(OptionalLong.empty(), null, null, anyRead);
  }

  /**
   * A limit and where it came from.
   *
   * @param value the limit, empty when unlimited or unread
   * @param file the file that set it, or null
   * @param raw its raw text, or null
   * @param read whether any level could be read at all (false: unknown, not unlimited)
   */
  record Limit(OptionalLong value, String file, String raw, boolean read) {
    static final Limit NONE = new Limit(OptionalLong.empty(), null, null, false);
  }
}
