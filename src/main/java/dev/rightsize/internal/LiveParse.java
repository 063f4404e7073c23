package dev.rightsize.internal;

import java.nio.charset.StandardCharsets;

/**
 * Allocation-free parsers over raw bytes of cgroup files, for the live monitor's hot path. Every
 * method returns {@link #NONE} where the value is absent or does not parse; values are non-negative.
 */
public final class LiveParse {
  /** "No value": absent, garbled or out of range. */
  public static final long NONE = Long.MIN_VALUE;

  private LiveParse() {}

  /**
   * A file holding one non-negative decimal number, optionally followed by a newline.
   *
   * @param b the bytes
   * @param len how many are valid
   * @return the number or {@link #NONE}
   */
  public static long number(byte[] b, int len) {
    int end = len;
    while (end > 0 && isSpace(b[end - 1])) {
      end--;
    }
    int i = 0;
    while (i < end && isSpace(b[i])) {
      i++;
    }
    return digits(b, i, end);
  }

  /**
   * The value of a {@code key value} line (memory.stat, cpu.stat, memory.events, oom_control).
   *
   * @param b the bytes
   * @param len how many are valid
   * @param key the key, ASCII
   * @return the number or {@link #NONE} when no line has that key or its value is not a number
   */
  public static long keyed(byte[] b, int len, byte[] key) {
    int i = 0;
    while (i < len) {
      int lineEnd = i;
      while (lineEnd < len && b[lineEnd] != '\n') {
        lineEnd++;
      }
      if (lineEnd - i > key.length && startsWith(b, i, key) && isSpace(b[i + key.length])) {
        int v = i + key.length;
        while (v < lineEnd && isSpace(b[v])) {
          v++;
        }
        int e = lineEnd;
        while (e > v && isSpace(b[e - 1])) {
          e--;
        }
        return digits(b, v, e);
      }
      i = lineEnd + 1;
    }
    return NONE;
  }

  /**
   * The ASCII bytes of a key, for {@link #keyed}.
   *
   * @param key the key, e.g. {@code inactive_file}
   * @return its US-ASCII bytes (a non-ASCII character becomes {@code ?})
   */
  public static byte[] key(String key) {
    return key.getBytes(StandardCharsets.US_ASCII);
  }

  private static long digits(byte[] b, int from, int to) {
    if (from >= to || to - from > 19) {
      return NONE;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return NONE;
      }
      if (v > (Long.MAX_VALUE - d) / 10) {
        return NONE;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static boolean startsWith(byte[] b, int at, byte[] key) {
    for (int k = 0; k < key.length; k++) {
      if (b[at + k] != key[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
