package dev.rightsize.report;

import static java.util.Objects.requireNonNull;

/**
 * One thing a check noticed about how the running JVM fits its container, with the numbers and a
 * fix. Produced by {@link JvmCheck}; printed by the startup report.
 *
 * @param code stable, machine-readable identifier such as {@code "heap-exceeds-limit"}; see the
 *     README's table. Codes are never renamed.
 * @param severity how much it matters
 * @param message one line for a human, with the values involved (e.g. "max heap 2048 MiB is above
 *     the 1024 MiB memory limit")
 * @param fix one line saying what to change
 */
public record Finding(String code, Severity severity, String message, String fix) {

  /** How much a finding matters. */
  public enum Severity {
    /** Wasted resources or a setting worth a look; nothing breaks. */
    INFO,
    /** A likely cause of OOM kills, CPU throttling or badly sized pools. */
    WARN
  }

  /**
   * Validates that no component is null or blank.
   *
   * @param code see {@link #code()}
   * @param severity see {@link #severity()}
   * @param message see {@link #message()}
   * @param fix see {@link #fix()}
   */
  public Finding {
    requireNonNull(code, "code");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    requireNonNull(fix, "fix");
    if (code.isBlank()) {
      throw new IllegalArgumentException("blank code");
    }
  }

  @Override
  public String toString() {
    return severity + " " + code + ": " + message + " Fix: " + fix;
  }
}
