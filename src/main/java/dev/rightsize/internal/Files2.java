package dev.rightsize.internal;

import dev.rightsize.Limit;
import dev.rightsize.WarningCode;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reading helpers over a {@link ViewFs} that turn failures into warnings. One method per file
 * format, no functional parameters: this is detection's cold path, where lambdas cost a bootstrap.
 */
final class Files2 {
  /** v1 limit files: a number; page-rounded {@code LONG_MAX} or {@code -1} is unlimited. */
  static final boolean V1 = true;
  /** v2 limit files: a number or {@code max}. */
  static final boolean V2 = false;

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
        diag.warn(WarningCode.FILE_MISSING, "expected file is missing", file);
      }
      return null;
    }
    diag.warn(WarningCode.READ_FAILED, "could not read: " + r.error(), file);
    return null;
  }

  void garbage(String file, String text, RuntimeException e) {
    diag.warn(WarningCode.UNPARSABLE, "could not parse \"" + Diagnostics.cut(text) + "\": " + e.getMessage(), file);
  }

  /** A single integer; null when missing, unreadable or garbage. */
  Long longValue(String file, boolean required) {
    return number(file, required, false);
  }

  /** A non-negative integer; null when missing, unreadable, negative or garbage. */
  Long nonNegative(String file, boolean required) {
    return number(file, required, true);
  }

  private Long number(String file, boolean required, boolean nonNegative) {
    String text = text(file, required);
    if (text == null) {
      return null;
    }
    try {
      return nonNegative ? Parse.nonNegative(text) : Parse.singleLong(text);
    } catch (IllegalArgumentException e) {
      garbage(file, text, e);
      return null;
    }
  }

  /** The number of CPUs in a CPU list already read; null when the text is null or garbage. */
  Integer cpuCount(String file, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Parse.cpuCount(text);
    } catch (IllegalArgumentException e) {
      garbage(file, text, e);
      return null;
    }
  }

  /** A keyed stat file; null on failure. */
  Map<String, Long> keyed(String file, boolean required) {
    String text = text(file, required);
    return text == null ? null : Parse.keyed(text);
  }

  /**
   * A limit file's value.
   *
   * @return empty for unlimited, the limit, or null when missing, unreadable or garbage
   */
  OptionalLong limit(String file, String text, boolean v1) {
    if (text == null) {
      return null;
    }
    try {
      return v1 ? Parse.v1Limit(text) : Parse.v2Limit(text);
    } catch (IllegalArgumentException e) {
      garbage(file, text, e);
      return null;
    }
  }

  /**
   * The tightest limit along a chain of cgroup directories. A level whose file could not be read
   * (or is missing where {@code missingIsUnknown}) makes the result unknown, carrying the tightest
   * bound that was read.
   *
   * @param chain directories, leaf first
   * @param name the limit file's name
   * @param v1 how the file is written: {@link #V1} or {@link #V2}
   * @param missingIsUnknown whether a missing leaf file is a failed read (v1: every cgroup has the
   *     file) rather than a level without a limit (v2: the controller is not enabled there)
   * @return the tightest limit, where it was found
   */
  Found tightest(List<String> chain, String name, boolean v1, boolean missingIsUnknown) {
    Found best = null;
    boolean failed = false;
    for (int i = 0; i < chain.size(); i++) {
      String file = CgroupLayout.join(chain.get(i), name);
      FileRead r = fs.read(file);
      if (r.missing() && (!missingIsUnknown || i > 0)) {
        // No such file here: no limit at this level. (A real v1 kernel has the file at every level;
        // only the leaf's absence is taken as a failed read, as captured trees often omit ancestors.)
        continue;
      }
      String text = r.text();
      if (text == null) {
        if (r.missing()) {
          diag.warn(WarningCode.FILE_MISSING, "expected file is missing", file);
        } else {
          diag.warn(WarningCode.READ_FAILED, "could not read: " + r.error(), file);
        }
      }
      OptionalLong v = limit(file, text, v1);
      if (v == null) {
        failed = true;
        continue;
      }
      if (v.isPresent() && (best == null || v.getAsLong() < best.limit.value().getAsLong())) {
        best = new Found(Limit.of(v.getAsLong()), file, text.strip());
      }
    }
    if (failed) {
      return best == null ? Found.UNKNOWN : new Found(Limit.unknownAtMost(best.limit.value().getAsLong()),
          best.file, best.raw);
    }
    return best == null ? Found.UNLIMITED : best;
  }

  /**
   * A limit and where it came from.
   *
   * @param limit the limit (unknown carries the tightest bound read)
   * @param file the file that set the value, or null
   * @param raw its raw text, or null
   */
  record Found(Limit limit, String file, String raw) {
    static final Found UNLIMITED = new Found(Limit.unlimited(), null, null);
    static final Found UNKNOWN = new Found(Limit.unknown(), null, null);


    Found asUnknown() {
      if (!limit.isKnown()) {
        return this;
      }
      return limit.value().isPresent()
          ? new Found(Limit.unknownAtMost(limit.value().getAsLong()), file, raw) : UNKNOWN;
    }
  }
}
