package dev.rightsize.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parser of {@code /proc/self/cgroup}. */
public final class CgroupMembership {
  private CgroupMembership() {}

  /**
   * One line: {@code hierarchy-ID:controller-list:cgroup-path}.
   *
   * @param hierarchyId 0 for the unified (v2) hierarchy
   * @param controllers e.g. {@code cpu,cpuacct} split, or {@code name=systemd}; empty for v2
   * @param path the cgroup path, relative to the reader's cgroup namespace root; may contain colons
   */
  public record Entry(int hierarchyId, Set<String> controllers, String path) {}

  /**
   * Parses the file; blank lines are skipped and malformed lines go to {@code bad}.
   *
   * @param text the file's content
   * @param bad receives each line that could not be parsed
   * @return the entries in file order; empty when no line parses
   */
  public static List<Entry> parse(String text, List<String> bad) {
    List<Entry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(":", 3);
      if (f.length != 3 || !f[2].startsWith("/")) {
        bad.add(line);
        continue;
      }
      Long id = Parse.decimal(f[0].strip());
      if (id == null || id < 0 || id > Integer.MAX_VALUE) {
        bad.add(line);
        continue;
      }
      Set<String> ctl = f[1].isEmpty() ? Set.of() : Set.of(MountInfo.dedupe(Parse.splitChar(f[1], ',')));
      // The kernel appends " (deleted)" to the path of a removed cgroup.
      String path = f[2].endsWith(" (deleted)") ? f[2].substring(0, f[2].length() - 10) : f[2];
      out.add(new Entry((int) (long) id, ctl, path));
    }
    return out;
  }
}
