package dev.rightsize.internal;

import java.util.Locale;

/** Byte constants and the two ways sizes are printed: as JVM flag values and for people. */
public final class Sizes {
  /** Bytes in a KiB. */
  public static final long KIB = 1024L;
  /** Bytes in a MiB. */
  public static final long MIB = 1024L * KIB;
  /** Bytes in a GiB. */
  public static final long GIB = 1024L * MIB;
  /** Bytes in a TiB. */
  public static final long TIB = 1024L * GIB;

  private Sizes() {}

  /**
   * A size as a JVM flag value, the way the Paketo calculator prints it: truncated to whole KiB,
   * then in the largest of T, G, M, K that divides it exactly ({@code 10M}, {@code 14238K}); zero
   * (or less than 1 KiB) prints as {@code 0}. Truncation means the JVM never gets more than the
   * region holds.
   *
   * @param bytes the size
   * @return e.g. {@code 10M}
   */
  public static String flagValue(long bytes) {
    long k = bytes / KIB;
    if (k == 0) {
      return "0";
    }
    if (k % GIB == 0) {
      return (k / GIB) + "T";
    }
    if (k % MIB == 0) {
      return (k / MIB) + "G";
    }
    if (k % KIB == 0) {
      return (k / KIB) + "M";
    }
    return k + "K";
  }

  /**
   * A size for people: {@code 256 MiB}, {@code 1.5 GiB}, {@code 512 KiB}, {@code 100 B}.
   *
   * @param bytes the size
   * @return the text
   */
  /**
   * A CPU count or ratio as a person writes it: {@code 2}, {@code 1.5}, {@code 0.333}.
   *
   * @param d the number
   * @return whole numbers without a fraction, else at most three decimals
   */
  public static String decimal(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(Math.round(d * 1000) / 1000.0);
  }

  public static String human(long bytes) {
    if (bytes >= 10 * GIB && bytes % GIB != 0) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
    if (bytes >= GIB && bytes % GIB == 0) {
      return (bytes / GIB) + " GiB";
    }
    if (bytes >= MIB) {
      return bytes % MIB == 0
          ? (bytes / MIB) + " MiB"
          : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
    if (bytes >= KIB) {
      return (bytes / KIB) + " KiB";
    }
    return bytes + " B";
  }
}
