package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Something detection could not read, or found inconsistent. Detection never throws; it records a
 * warning instead and goes on with the next source.
 *
 * @param code what the warning is about; {@link WarningCode#id()} is its stable identifier
 * @param message one line for a human, naming the values involved
 * @param file the file to blame, as an absolute path in the process's view ({@code /proc/...}), if any
 */
public record Warning(WarningCode code, String message, Optional<String> file) {

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
   * @param code what it is about
   * @param message one line for a human
   * @return the warning
   */
  public static Warning of(WarningCode code, String message) {
    return new Warning(code, message, Optional.empty());
  }

  /**
   * A warning that names the file to blame.
   *
   * @param code what it is about
   * @param message one line for a human
   * @param file the file, as seen by the process (e.g. {@code /proc/meminfo})
   * @return the warning
   */
  public static Warning of(WarningCode code, String message, String file) {
    return new Warning(code, message, Optional.of(file));
  }

  // equals/hashCode/toString written out: the record's generated ones bootstrap
  // java.lang.invoke on first use, which detection's cold path avoids.

  @Override
  public boolean equals(Object o) {
    return o instanceof Warning w && w.code == code && w.message.equals(message) && w.file.equals(file);
  }

  @Override
  public int hashCode() {
    return (code.hashCode() * 31 + message.hashCode()) * 31 + file.hashCode();
  }

  /**
   * A person's reading: {@code read-failed: could not read: ... [/proc/meminfo]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return file.isPresent() ? code.id() + ": " + message + " [" + file.get() + "]" : code.id() + ": " + message;
  }
}
