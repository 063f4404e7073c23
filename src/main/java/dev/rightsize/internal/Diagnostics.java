package dev.rightsize.internal;

import dev.rightsize.Provenance;
import dev.rightsize.Value;
import dev.rightsize.Warning;
import dev.rightsize.WarningCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects warnings, provenance and unknown values during one detection. Not thread-safe; one per
 * detection. Written without lambdas or streams: it is on detection's cold path.
 */
public final class Diagnostics {
  private static final int MAX_RAW = 200;
  private final List<Warning> warnings = new ArrayList<>();
  // Arrays by ordinal rather than EnumMap/EnumSet, whose first use costs a reflective look-up.
  private static final Value[] VALUES = Value.values();
  private final Provenance[] provenance = new Provenance[VALUES.length];
  private final List<Value> provenanceOrder = new ArrayList<>();
  private final boolean[] unknown = new boolean[VALUES.length];

  /**
   * Records a warning naming a file; an equal warning already recorded is not added again.
   *
   * @param code what it is about
   * @param message one line for a human
   * @param file the file to blame, as the process sees it; not null
   */
  public void warn(WarningCode code, String message, String file) {
    add(Warning.of(code, message, file));
  }

  /**
   * Records a warning naming no file; an equal warning already recorded is not added again.
   *
   * @param code what it is about
   * @param message one line for a human
   */
  public void warn(WarningCode code, String message) {
    add(Warning.of(code, message));
  }

  /**
   * Records a warning unless an equal one is already recorded.
   *
   * @param w the warning
   */
  public void add(Warning w) {
    if (!warnings.contains(w)) {
      warnings.add(w);
    }
  }

  /**
   * Records (or replaces) where a reported value came from.
   *
   * @param value the reported value
   * @param file the file read, as the process sees it; not null
   * @param raw the text that decided the value; trimmed and shortened by {@link #cut}, null is empty
   */
  public void provenance(Value value, String file, String raw) {
    if (provenance[value.ordinal()] == null) {
      provenanceOrder.add(value);
    }
    provenance[value.ordinal()] = new Provenance(value, file, cut(raw));
  }

  /**
   * Marks a value as not determined.
   *
   * @param value the value
   */
  public void unknown(Value value) {
    unknown[value.ordinal()] = true;
  }


  /**
   * The provenance recorded for a value.
   *
   * @param value the reported value
   * @return its provenance, or null when none was recorded
   */
  public Provenance provenanceOf(Value value) {
    return provenance[value.ordinal()];
  }

  /**
   * The file recorded as the source of a value.
   *
   * @param value the reported value
   * @param orElse what to return when no provenance was recorded
   * @return the file, or {@code orElse}
   */
  public String fileOf(Value value, String orElse) {
    Provenance p = provenance[value.ordinal()];
    return p == null ? orElse : p.file();
  }

  /**
   * The file of the first failed read (missing, unreadable or garbled) below a directory.
   *
   * @param dir a directory as the process sees it
   * @return the file, or null when no read below it failed
   */
  public String firstFailureUnder(String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    for (Warning w : warnings) {
      WarningCode c = w.code();
      if ((c == WarningCode.READ_FAILED || c == WarningCode.UNPARSABLE || c == WarningCode.FILE_MISSING)
          && w.file().isPresent() && w.file().get().startsWith(prefix)) {
        return w.file().get();
      }
    }
    return null;
  }

  /**
   * The warnings so far.
   *
   * @return an unmodifiable copy, in the order recorded; empty when there are none
   */
  public List<Warning> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * The provenance so far.
   *
   * @return an unmodifiable copy, one per value, in the order first recorded
   */
  public List<Provenance> provenance() {
    List<Provenance> out = new ArrayList<>(provenanceOrder.size());
    for (Value v : provenanceOrder) {
      out.add(provenance[v.ordinal()]);
    }
    return List.copyOf(out);
  }

  /**
   * The values marked unknown.
   *
   * @return a new set, in the order of {@link Value}
   */
  public Set<Value> unknown() {
    Set<Value> out = new LinkedHashSet<>();
    for (Value v : VALUES) {
      if (unknown[v.ordinal()]) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Trims and shortens raw text for provenance and messages.
   *
   * @param raw the text, or null
   * @return the stripped text, cut to its first 200 characters plus {@code ...} when longer; empty
   *     for null
   */
  public static String cut(String raw) {
    if (raw == null) {
      return "";
    }
    String t = raw.strip();
    if (t.length() > MAX_RAW) {
      return t.substring(0, MAX_RAW) + "...";
    }
    return t;
  }
}
