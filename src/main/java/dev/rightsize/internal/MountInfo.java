package dev.rightsize.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Parser of {@code /proc/self/mountinfo}. */
public final class MountInfo {
  private MountInfo() {}

  /**
   * One mount.
   *
   * @param device {@code major:minor}
   * @param root the path inside the filesystem that is mounted (for cgroupfs: the cgroup path)
   * @param mountPoint where it is mounted, unescaped
   * @param fsType e.g. {@code cgroup}, {@code cgroup2}, {@code fuse.lxcfs}
   * @param source the mount source
   * @param superOptions the filesystem's options (for v1 cgroupfs: the controllers)
   * @param line the raw line, for provenance
   */
  public record Mount(
      String device, String root, String mountPoint, String fsType, String source,
      Set<String> superOptions, String line) {

    /**
     * Whether this is a v1 cgroupfs mount carrying the controller (or {@code name=...}).
     *
     * @param controller e.g. {@code memory} or {@code name=systemd}
     * @return true when the filesystem type is {@code cgroup} and the super options name it
     */
    public boolean isV1For(String controller) {
      return fsType.equals("cgroup") && superOptions.contains(controller);
    }
  }

  /**
   * Parses mountinfo; lines that do not parse are skipped and counted in {@code bad}.
   *
   * @param text the file
   * @param bad receives each line that could not be parsed
   * @return the mounts in file order (a later mount over the same point hides an earlier one)
   */
  public static List<Mount> parse(String text, List<String> bad) {
    return parse(text, bad, false);
  }

  /**
   * Parses mountinfo, keeping only what detection needs: cgroup, cgroup2 and FUSE mounts, and the
   * root mount (a real table always has it: its absence means the table could not be read). The
   * other lines are only checked for the {@code -} separator, which keeps detection's first call
   * cheap on hosts with hundreds of mounts.
   *
   * @param text the file
   * @param bad receives each line that could not be parsed
   * @param relevantOnly whether to skip the mounts detection does not use
   * @return the mounts in file order
   */
  public static List<Mount> parse(String text, List<String> bad, boolean relevantOnly) {
    List<Mount> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (relevantOnly && !relevant(line)) {
        if (line.indexOf(" - ") < 0) {
          bad.add(line);
        }
        continue;
      }
      Mount m = parseLine(line);
      if (m == null) {
        bad.add(line);
      } else {
        out.add(m);
      }
    }
    return out;
  }

  /** Whether a line is a cgroup, cgroup2 or FUSE mount, or the root mount; a cheap look only. */
  private static boolean relevant(String line) {
    int dash = line.indexOf(" - ");
    if (dash < 0) {
      return true; // let the full parser reject it
    }
    if (line.startsWith("cgroup", dash + 3) || line.startsWith("fuse", dash + 3)) {
      return true;
    }
    // The mount point is the fifth field: "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...".
    int field = 0;
    int i = 0;
    while (i < dash && field < 4) {
      if (line.charAt(i) == ' ') {
        field++;
        while (i < dash && line.charAt(i) == ' ') {
          i++;
        }
      } else {
        i++;
      }
    }
    return line.startsWith("/ ", i);
  }

  static Mount parseLine(String line) {
    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    String[] f = Parse.words(line).toArray(new String[0]);
    int dash = -1;
    for (int i = 6; i < f.length; i++) {
      if (f[i].equals("-")) {
        dash = i;
        break;
      }
    }
    if (dash < 0 || dash + 1 >= f.length) {
      return null;
    }
    String fsType = f[dash + 1];
    String source = dash + 2 < f.length ? unescape(f[dash + 2]) : "";
    // Super options may contain spaces (seen on WSL): join the rest.
    String superOpts = dash + 3 < f.length ? String.join(" ", Arrays.copyOfRange(f, dash + 3, f.length)) : "";
    // dash >= 6, so f[2], f[3] and f[4] exist.
    if (!f[2].contains(":") || !f[3].startsWith("/") || !f[4].startsWith("/")) {
      return null;
    }
    return new Mount(f[2], unescape(f[3]), unescape(f[4]), fsType, source,
        Set.of(dedupe(Parse.splitChar(superOpts, ','))), line);
  }

  static String[] dedupe(String[] opts) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String o : opts) {
      String t = o.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out.toArray(new String[0]);
  }

  /**
   * Undoes the kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \012} newline,
   * {@code \134} backslash).
   *
   * @param s a mountinfo field
   * @return the field with each backslash and three octal digits replaced by that character
   */
  public static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
