package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Something detection could not read, or found inconsistent. Detection never throws; it records a
 * warning instead and goes on with the next source.
 *
 * @param code stable, machine-readable identifier such as {@code "read-failed"}; see the README's table
 * @param message one line for a human, naming the values involved
 * @param file the file to blame, as an absolute path in the process's view ({@code /proc/...}), if any
 */
public record Warning(String code, String message, Optional<String> file) {

  /**
   * Validates that no component is null.
   *
   * @param code see {@link #code()}
   * @param message see {@link #message()}
   * @param file see {@link #file()}
   */
  public Warning {
    requireNonNull(code, "code");
    requireNonNull(message, "message");
    requireNonNull(file, "file");
  }

  /**
   * A warning that names no file.
   *
   * @param code stable identifier
   * @param message one line for a human
   * @return the warning
   */
  public static Warning of(String code, String message) {
    return new Warning(code, message, Optional.empty());
  }

  /**
   * A warning that names the file to blame.
   *
   * @param code stable identifier
   * @param message one line for a human
   * @param file the file, as seen by the process (e.g. {@code /proc/meminfo})
   * @return the warning
   */
  public static Warning of(String code, String message, String file) {
    return new Warning(code, message, Optional.of(file));
  }

  @Override
  public String toString() {
    return code + ": " + message + file.map(f -> " [" + f + "]").orElse("");
  }
}
