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

  /** Records a warning naming a file. */
  public void warn(String code, String message, String file) {
    Warning w = Warning.of(code, message, file);
    if (!warnings.contains(w)) {
      warnings.add(w);
    }
  }

  /** Records a warning naming no file. */
  public void warn(String code, String message) {
    Warning w = Warning.of(code, message);
    if (!warnings.contains(w)) {
      warnings.add(w);
    }
  }

  /** Records (or replaces) where a reported value came from. */
  public void provenance(String value, String file, String raw) {
    provenance.put(value, new Provenance(value, file, cut(raw)));
  }

  /** Drops the provenance of a value that ends up not reported. */
  public void forget(String value) {
    provenance.remove(value);
  }

  /** The warnings so far. */
  public List<Warning> warnings() {
    return List.copyOf(warnings);
  }

  /** The provenance so far, in the order first recorded. */
  public List<Provenance> provenance() {
    return List.copyOf(provenance.values());
  }

  /** Trims and shortens raw text for provenance and messages. */
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
