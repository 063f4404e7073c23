package dev.rightsize.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Pure parsers of kernel file formats: text in, value out, {@code IllegalArgumentException} on garbage. */
public final class Parse {
  /** Highest CPU number accepted in a CPU list (the kernel's NR_CPUS maximum is 8192). */
  public static final int MAX_CPU_ID = 65_535;

  /**
   * Values at or above this are v1's "unlimited": {@code LONG_MAX} rounded down to the page size,
   * whatever the page size (the JDK's {@code UNLIMITED_MIN}).
   */
  public static final long V1_UNLIMITED_MIN = 0x7FFFFFFFFF000000L;

  private Parse() {}

  /**
   * Parses a single decimal integer (the whole trimmed content).
   *
   * @param text the content
   * @return the value; {@link Long#MAX_VALUE} for an unsigned value of up to 20 digits too large for
   *     a long
   * @throws IllegalArgumentException when the content is empty or not an integer
   */
  public static long singleLong(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    Long v = decimal(t);
    if (v != null) {
      return v;
    }
    // Kernels print u64 values; anything above Long.MAX_VALUE is "unlimited" territory.
    if (allDigits(t) && t.length() <= 20) {
      return Long.MAX_VALUE;
    }
    throw new IllegalArgumentException("not an integer: " + Diagnostics.cut(t));
  }

  /**
   * A decimal integer as {@link Long#parseLong} reads it (an optional sign, then digits), without
   * exceptions: detection's first call would otherwise load and verify the exception's class.
   *
   * @param t the text, already trimmed
   * @return the value, or null when it is not a decimal integer or does not fit a long
   */
  public static Long decimal(String t) {
    int n = t.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (t.charAt(0) == '-' || t.charAt(0) == '+')) {
      negative = t.charAt(0) == '-';
      i = 1;
    }
    if (i == n) {
      return null;
    }
    long v = 0; // accumulated negatively, as Long.parseLong does, to reach Long.MIN_VALUE
    for (; i < n; i++) {
      int d = t.charAt(i) - '0';
      if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
        return null;
      }
      v = v * 10 - d;
    }
    if (negative) {
      return v;
    }
    return v == Long.MIN_VALUE ? null : -v;
  }

  private static Integer decimalInt(String t) {
    Long v = decimal(t);
    return v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) (long) v;
  }

  private static boolean allDigits(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits on runs of whitespace, without regular expressions (they cost detection's cold path).
   *
   * @param text the text
   * @return the words, in order; empty for blank text
   */
  public static java.util.List<String> words(String text) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.substring(start, i));
      }
    }
    return out;
  }

  /**
   * Splits on one character, keeping empty fields except trailing ones (as {@link String#split}).
   *
   * @param text the text
   * @param c the separator
   * @return the fields
   */
  public static String[] splitChar(String text, char c) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == c) {
        out.add(text.substring(start, i));
        start = i + 1;
      }
    }
    out.add(text.substring(start));
    int end = out.size();
    while (end > 0 && out.get(end - 1).isEmpty()) {
      end--;
    }
    return out.subList(0, end).toArray(new String[0]);
  }

  /**
   * A counter or byte count that cannot be negative (usage, peak, failcnt).
   *
   * @param text the content
   * @return the value, as {@link #singleLong}
   * @throws IllegalArgumentException when it is not an integer or is negative
   */
  public static long nonNegative(String text) {
    long v = singleLong(text);
    if (v < 0) {
      throw new IllegalArgumentException("negative value: " + v);
    }
    return v;
  }

  /**
   * A v1 byte limit: empty for unlimited (page-rounded {@code LONG_MAX}, or {@code -1}).
   *
   * @param text the content
   * @return the limit in bytes; empty when unlimited
   * @throws IllegalArgumentException when it is not an integer or is negative other than {@code -1}
   */
  public static OptionalLong v1Limit(String text) {
    long v = singleLong(text);
    if (v == -1 || v >= V1_UNLIMITED_MIN) {
      return OptionalLong.empty();
    }
    if (v < 0) {
      throw new IllegalArgumentException("negative limit: " + v);
    }
    return OptionalLong.of(v);
  }

  /**
   * A v2 limit such as {@code memory.max}: {@code max} is empty (unlimited).
   *
   * @param text the content
   * @return the limit (bytes for memory files); empty for {@code max}
   * @throws IllegalArgumentException when it is neither {@code max} nor a non-negative integer
   */
  public static OptionalLong v2Limit(String text) {
    String t = text.strip();
    if (t.equals("max")) {
      return OptionalLong.empty();
    }
    long v = singleLong(t);
    if (v < 0) {
      throw new IllegalArgumentException("negative limit: " + v);
    }
    return OptionalLong.of(v);
  }

  /**
   * The line of {@code /proc/<pid>/limits} for one limit, found by its words whatever the spacing
   * ({@code Max open files  1024  524288  files}).
   *
   * @param text the content
   * @param name the limit's name as the kernel prints it, e.g. {@code Max open files}
   * @return the line, trimmed; null when no line starts with that name's words
   */
  public static String rlimitLine(String text, String name) {
    java.util.List<String> want = words(name);
    int from = 0;
    int n = text.length();
    while (from < n) {
      int end = text.indexOf('\n', from);
      if (end < 0) {
        end = n;
      }
      String line = text.substring(from, end);
      from = end + 1;
      java.util.List<String> w = words(line);
      if (w.size() >= want.size() && w.subList(0, want.size()).equals(want)) {
        return line.strip();
      }
    }
    return null;
  }

  /**
   * The soft and hard values of one {@code /proc/<pid>/limits} line: the two words after the
   * name, separated by any run of whitespace; the units column may be missing.
   *
   * @param line the line, as {@link #rlimitLine} found it
   * @param name the limit's name, e.g. {@code Max open files}
   * @return {soft, hard}, {@code -1} for {@code unlimited}
   * @throws IllegalArgumentException when there are not two values, or a value is neither
   *     {@code unlimited} nor a non-negative integer
   */
  public static long[] rlimit(String line, String name) {
    int skip = words(name).size();
    java.util.List<String> w = words(line);
    if (w.size() < skip + 2) {
      throw new IllegalArgumentException("no soft and hard value");
    }
    return new long[] {rlimitValue(w.get(skip)), rlimitValue(w.get(skip + 1))};
  }

  private static long rlimitValue(String v) {
    if (v.equals("unlimited")) {
      return -1;
    }
    long x = singleLong(v);
    if (x < 0) {
      throw new IllegalArgumentException("negative limit: " + x);
    }
    return x;
  }

  /**
   * v2 {@code cpu.max}: {@code "$MAX $PERIOD"}, {@code MAX} may be {@code max}; the period may be
   * missing (default 100000).
   *
   * @param text the content
   * @return {quota or -1 for max, period}, in microseconds
   * @throws IllegalArgumentException when there are not one or two fields, or the quota or period is
   *     not a positive integer
   */
  public static long[] cpuMax(String text) {
    String[] f = words(text).toArray(new String[0]);
    if (f.length < 1 || f.length > 2) {
      throw new IllegalArgumentException("expected \"max|QUOTA [PERIOD]\": " + Diagnostics.cut(text));
    }
    long period = f.length == 2 ? singleLong(f[1]) : 100_000L;
    if (period <= 0) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    if (f[0].equals("max")) {
      return new long[] {-1, period};
    }
    long quota = singleLong(f[0]);
    if (quota <= 0) {
      throw new IllegalArgumentException("quota must be positive or max: " + quota);
    }
    return new long[] {quota, period};
  }

  /**
   * The number of CPUs in a CPU list such as {@code 0-3,8,10-11} (cpuset.cpus, cpu/online,
   * Cpus_allowed_list), overlapping ranges counted once. No {@code BitSet}: a class detection's
   * first call need not load.
   *
   * @param text the content
   * @return the count; 0 for an empty list
   * @throws IllegalArgumentException when an entry is not a number or range, or a range is reversed,
   *     negative or above {@link #MAX_CPU_ID}
   */
  public static int cpuCount(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return 0;
    }
    long[] bits = new long[(MAX_CPU_ID >> 6) + 1];
    for (String part : t.split(",")) {
      String p = part.strip();
      int dash = p.indexOf('-');
      Integer lo;
      Integer hi;
      if (dash < 0) {
        lo = hi = decimalInt(p);
      } else {
        lo = decimalInt(p.substring(0, dash).strip());
        hi = decimalInt(p.substring(dash + 1).strip());
      }
      if (lo == null || hi == null) {
        throw new IllegalArgumentException("not a CPU list: " + Diagnostics.cut(text));
      }
      if (lo < 0 || hi < lo || hi > MAX_CPU_ID) {
        throw new IllegalArgumentException("bad CPU range " + p);
      }
      // Whole words at a time: a hostile list of wide ranges costs its length, not its CPUs.
      int loWord = lo >> 6;
      int hiWord = hi >> 6;
      long loMask = -1L << (lo & 63);
      long hiMask = -1L >>> (63 - (hi & 63));
      if (loWord == hiWord) {
        bits[loWord] |= loMask & hiMask;
      } else {
        bits[loWord] |= loMask;
        for (int w = loWord + 1; w < hiWord; w++) {
          bits[w] = -1L;
        }
        bits[hiWord] |= hiMask;
      }
    }
    int n = 0;
    for (long w : bits) {
      n += Long.bitCount(w);
    }
    return n;
  }

  /**
   * A flat-keyed file: {@code key value} per line (memory.stat, cpu.stat, memory.events) or
   * {@code Key: value kB} (/proc/meminfo, /proc/self/status). Values in kB are returned in bytes;
   * lines that do not parse are skipped.
   *
   * @param text the content
   * @return the values by key (the first line wins for a repeated key); empty when no line parses
   */
  public static Map<String, Long> keyed(String text) {
    Map<String, Long> m = new HashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      int sep = l.indexOf(':');
      String key;
      String rest;
      if (sep > 0) {
        key = l.substring(0, sep).strip();
        rest = l.substring(sep + 1).strip();
      } else {
        int sp = indexOfSpace(l);
        if (sp < 0) {
          continue;
        }
        key = l.substring(0, sp);
        rest = l.substring(sp + 1).strip();
      }
      boolean kb = false;
      if (rest.endsWith(" kB")) {
        kb = true;
        rest = rest.substring(0, rest.length() - 3).strip();
      }
      Long parsed = decimal(rest);
      if (parsed == null) {
        continue; // not a numeric line (e.g. "Name: java" in status): skip
      }
      long v = parsed;
      if (kb) {
        v = v > Long.MAX_VALUE / 1024 ? Long.MAX_VALUE : v * 1024;
      }
      m.putIfAbsent(key, v);
    }
    return m;
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The value of the first line starting with {@code prefix} (at the start of a line), trimmed,
   * found without splitting the text into lines.
   *
   * @param text the content
   * @param prefix the line's start, e.g. {@code Cpus_allowed_list:}
   * @return the rest of that line, trimmed; null when no line starts with it
   */
  public static String lineValue(String text, String prefix) {
    int from = 0;
    while (true) {
      int at = text.indexOf(prefix, from);
      if (at < 0) {
        return null;
      }
      if (at == 0 || text.charAt(at - 1) == '\n') {
        int end = text.indexOf('\n', at);
        return text.substring(at + prefix.length(), end < 0 ? text.length() : end).strip();
      }
      from = at + 1;
    }
  }

  /**
   * The first line of a file starting with {@code key}, for provenance.
   *
   * @param text the content
   * @param key the line's prefix, e.g. {@code MemTotal:}
   * @return that line, trimmed; empty when no line starts with {@code key}
   */
  public static String lineOf(String text, String key) {
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith(key)) {
        return l;
      }
    }
    return "";
  }

  /**
   * Counts processor entries in /proc/cpuinfo (x86 and arm64 both start each with
   * {@code processor : N}); the s390 layout's {@code # processors} line is honoured too.
   *
   * @param text the content
   * @return the number of processors; empty when none is listed
   */
  public static OptionalInt cpuinfoProcessors(String text) {
    int count = 0;
    for (String line : text.split("\n")) {
      int sep = line.indexOf(':');
      if (sep <= 0) {
        continue;
      }
      String key = line.substring(0, sep).strip();
      if (key.equals("processor")) {
        count++;
      } else if (key.equals("# processors")) {
        Integer n = decimalInt(line.substring(sep + 1).strip());
        if (n != null && n > 0) { // no machine runs on no processor: 0 is garbage, not a count
          return OptionalInt.of(n);
        }
      }
    }
    return count == 0 ? OptionalInt.empty() : OptionalInt.of(count);
  }

  /**
   * Counts the per-CPU {@code cpuN} lines of /proc/stat.
   *
   * @param text the content
   * @return the count; empty when there is no such line
   */
  public static OptionalInt statCpuLines(String text) {
    int count = 0;
    for (String line : text.split("\n")) {
      if (line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
        count++;
      }
    }
    return count == 0 ? OptionalInt.empty() : OptionalInt.of(count);
  }

  /**
   * Maps a v2 {@code cpu.weight} (1..10000) back to v1 shares by inverting the conversion of crun,
   * runc 1.3.2+ and the newest JDK: weight = 10^((log2(shares)^2 + 125 log2(shares)) / 612 - 7/34),
   * so the v2 default 100 maps back to the v1 default 1024. Older runc wrote the linear
   * 1 + (shares - 2) * 9999 / 262142 instead (1024 shares as weight 39, which maps back to 305 here);
   * a weight alone cannot tell which runtime wrote it, so the raw weight is kept in the provenance.
   *
   * @param weight the {@code cpu.weight} value
   * @return the shares, clamped to 2..262144
   * @throws IllegalArgumentException when the weight is outside 1..10000
   */
  public static int weightToShares(long weight) {
    if (weight < 1 || weight > 10_000) {
      throw new IllegalArgumentException("cpu.weight out of range 1..10000: " + weight);
    }
    double x = (-125.0 + Math.sqrt(16129.0 + 2448.0 * Math.log10(weight))) / 2.0;
    long shares = Math.round(Math.pow(2.0, x));
    return (int) Math.max(2, Math.min(262_144, shares));
  }
}
