package dev.rightsize;

import static java.util.Objects.requireNonNull;

/**
 * Where one reported value came from: the file and the raw text read from it.
 *
 * @param value the reported value
 * @param file the file read, as an absolute path in the process's view (e.g.
 *     {@code /sys/fs/cgroup/memory/kubepods/memory.limit_in_bytes})
 * @param raw the raw text that decided the value, trimmed (e.g. {@code "1073741824"} or the one
 *     {@code MemTotal:} line); long content is cut to its first 200 characters
 */
public record Provenance(Value value, String file, String raw) {

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

  /**
   * A person's reading: {@code memory.limit <- /sys/fs/cgroup/.../memory.max = 536870912}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return value.key() + " <- " + file + " = " + raw;
  }
}
