package dev.rightsize;

import static java.util.Objects.requireNonNull;

/**
 * Where one reported value came from: the file and the raw text read from it.
 *
 * @param value the reported member, as named in the JSON report (e.g. {@code "memory.limit"})
 * @param file the file read, as an absolute path in the process's view (e.g.
 *     {@code /sys/fs/cgroup/memory/kubepods/memory.limit_in_bytes})
 * @param raw the raw text that decided the value, trimmed (e.g. {@code "1073741824"} or the one
 *     {@code MemTotal:} line); long content is cut to its first 200 characters
 */
public record Provenance(String value, String file, String raw) {

  /**
   * Validates that no component is null.
   *
   * @param value see {@link #value()}
   * @param file see {@link #file()}
   * @param raw see {@link #raw()}
   */
  public Provenance {
    requireNonNull(value, "value");
    requireNonNull(file, "file");
    requireNonNull(raw, "raw");
  }

  @Override
  public String toString() {
    return value + " <- " + file + " = " + raw;
  }
}
