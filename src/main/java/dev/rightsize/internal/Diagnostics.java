package dev.rightsize.internal;

import dev.rightsize.Provenance;
import dev.rightsize.Warning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects warnings and provenance during one detection. Not thread-safe; one per detection. */
public final class Diagnostics {
  private static final int MAX_RAW = 200;
  private final List<Warning> warnings = new ArrayList<>();
  private final Map<String, Provenance> provenance = new LinkedHashMap<>();

  /**
   * Records a warning naming a file; an equal warning already recorded is not added again.
   *
   * @param code stable identifier, e.g. {@code read-failed}
   * @param message one line for a human
   * @param file the file to blame, as the process sees it; not null
   */
  public void warn(String code, String message, String file) {
    Warning w = Warning.of(code, message, file);
    if (!warnings.contains(w)) {
      warnings.add(w);
    }
  }

  /**
   * Records a warning naming no file; an equal warning already recorded is not added again.
   *
   * @param code stable identifier, e.g. {@code internal-error}
   * @param message one line for a human
   */
  public void warn(String code, String message) {
    Warning w = Warning.of(code, message);
    if (!warnings.contains(w)) {
      warnings.add(w);
    }
  }

  /**
   * Records (or replaces) where a reported value came from.
   *
   * @param value the reported member, as named in the JSON report (e.g. {@code memory.limit})
   * @param file the file read, as the process sees it; not null
   * @param raw the text that decided the value; trimmed and shortened by {@link #cut}, null is empty
   */
  public void provenance(String value, String file, String raw) {
    provenance.put(value, new Provenance(value, file, cut(raw)));
  }

  /**
   * The provenance recorded for a value.
   *
   * @param value the reported member, as named in the JSON report
   * @return its provenance, if one was recorded
   */
  public java.util.Optional<Provenance> provenanceOf(String value) {
    return java.util.Optional.ofNullable(provenance.get(value));
  }

  /**
   * The file recorded as the source of a value.
   *
   * @param value the reported member, as named in the JSON report
   * @return the file, if a provenance was recorded
   */
  public java.util.Optional<String> fileOf(String value) {
    return provenanceOf(value).map(Provenance::file);
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
    return List.copyOf(provenance.values());
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
