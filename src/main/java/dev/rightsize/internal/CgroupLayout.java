package dev.rightsize.internal;

import dev.rightsize.internal.CgroupMembership.Entry;
import dev.rightsize.internal.MountInfo.Mount;
import dev.rightsize.WarningCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each cgroup controller of this process lives: which hierarchy (v1 or v2), which mount, and
 * the directory of the process's cgroup with its ancestors up to the mount point.
 */
public final class CgroupLayout {
  /** The controllers rightsize reads. */
  public static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "cpuset", "memory", "pids");

  /** The controllers in the order that decides the reported cgroup version. */
  public static final List<String> CONTROLLERS_BY_PRECEDENCE = List.of("memory", "cpu", "cpuset", "cpuacct");

  /** cgroup hierarchy version. */
  public enum Version {
    /** Legacy per-controller hierarchies. */
    V1,
    /** The unified hierarchy. */
    V2
  }

  /**
   * One controller's place.
   *
   * @param name e.g. {@code memory}
   * @param version which hierarchy serves it
   * @param mount the cgroupfs mount
   * @param cgroupPath the process's path from /proc/self/cgroup
   * @param dir the process's cgroup directory, as the process sees it
   * @param chain {@code dir} and its ancestors up to and including the mount point, leaf first
   */
  public record Controller(
      String name, Version version, Mount mount, String cgroupPath, String dir, List<String> chain) {

    /**
     * A file in the leaf directory {@link #dir()}.
     *
     * @param name the file's name, e.g. {@code memory.max}
     * @return its path as the process sees it
     */
    public String file(String name) {
      return join(dir, name);
    }
  }

  private final Map<String, Controller> controllers;
  private final Map<String, Version> hierarchies;
  private final Set<String> unknown;

  private CgroupLayout(Map<String, Controller> controllers, Map<String, Version> hierarchies, Set<String> unknown) {
    this.controllers = controllers;
    this.hierarchies = hierarchies;
    this.unknown = unknown;
  }

  /**
   * Whether this process's place in a controller could not be determined: it may have limits that
   * were not read (not a member, a refused or missing path, an unreadable controller list). A
   * controller that is simply not mounted is not unknown: no limit applies.
   *
   * @param name a controller of {@link #CONTROLLERS}
   * @return true when the controller's limits are unknown
   */
  public boolean isUnknown(String name) {
    return unknown.contains(name);
  }

  /**
   * The hierarchy that serves a controller, whether or not the process's directory in it could be
   * found (a refused path still tells which hierarchy the host has).
   *
   * @param name a controller of {@link #CONTROLLERS}, e.g. {@code memory}
   * @return its hierarchy; empty when neither a v1 mount nor the unified hierarchy serves it
   */
  public Optional<Version> hierarchyOf(String name) {
    return Optional.ofNullable(hierarchies.get(name));
  }

  /**
   * The place of a controller, if it is mounted and this process belongs to it.
   *
   * @param name a controller of {@link #CONTROLLERS}, e.g. {@code memory}
   * @return its place; empty when it is not mounted, this process has no line for it, or its path
   *     was refused
   */
  public Optional<Controller> get(String name) {
    return Optional.ofNullable(controllers.get(name));
  }

  /**
   * Resolves each controller.
   *
   * @param all the mount table; cgroupfs mounts whose mount point has a {@code .} or {@code ..}
   *     component are skipped with a warning
   * @param entries /proc/self/cgroup
   * @param fs the view, to check directories and read {@code cgroup.controllers}
   * @param diag warnings
   * @return the layout (possibly empty)
   */
  public static CgroupLayout resolve(List<Mount> all, List<Entry> entries, ViewFs fs, Diagnostics diag) {
    List<Mount> mounts = new ArrayList<>();
    for (Mount m : all) {
      boolean cgroupfs = m.fsType().equals("cgroup") || m.fsType().equals("cgroup2");
      if (cgroupfs && hasDotComponent(m.mountPoint())) {
        diag.warn(WarningCode.CGROUP_PATH_OUTSIDE_MOUNT, "cgroup mount point " + m.mountPoint()
            + " has a '..' component; it is not read", "/proc/self/mountinfo");
      } else {
        mounts.add(m);
      }
    }
    Map<String, Controller> found = new LinkedHashMap<>();
    Map<String, Version> hierarchies = new LinkedHashMap<>();
    Set<String> unknown = new HashSet<>();
    Mount unified = null;
    for (Mount m : mounts) {
      if (m.fsType().equals("cgroup2")) {
        unified = m; // the mount visible last wins
      }
    }
    Entry v2Entry = null;
    for (Entry e : entries) {
      if (e.hierarchyId() == 0) {
        v2Entry = e; // the last one, as the kernel lists a single one
      }
    }
    Set<String> v2Controllers = Set.of();
    boolean v2ControllersUnknown = false;
    if (unified != null && v2Entry != null) {
      String file = join(unified.mountPoint(), "cgroup.controllers");
      FileRead r = fs.read(file);
      if (r.isOk()) {
        v2Controllers = new HashSet<>(Parse.words(r.text()));
      } else if (!r.missing() || fs.isDirectory(unified.mountPoint())) {
        diag.warn(WarningCode.READ_FAILED, "could not read the unified hierarchy's controllers (" + r.error()
            + "); the controllers it serves are unknown", file);
        v2ControllersUnknown = true;
      }
    }
    for (String name : CONTROLLERS) {
      Mount v1 = null;
      for (Mount m : mounts) {
        if (m.isV1For(name)) {
          v1 = m;
        }
      }
      Entry v1Entry = null;
      for (Entry e : entries) {
        if (e.controllers().contains(name)) {
          v1Entry = e;
          break;
        }
      }
      if (v1 != null) {
        hierarchies.put(name, Version.V1);
      } else if (unified != null && v2Controllers.contains(name)) {
        hierarchies.put(name, Version.V2);
      }
      Placed p = null;
      if (v1 != null && v1Entry != null) {
        p = mapPath(name, Version.V1, v1, v1Entry.path(), fs, diag);
      } else if (v1 != null) {
        diag.warn(WarningCode.CGROUP_NOT_MEMBER, "the " + name + " controller is mounted but /proc/self/cgroup has no"
            + " line for it; its limits are unknown", "/proc/self/cgroup");
        unknown.add(name);
      } else if (unified != null && v2Entry != null && v2Controllers.contains(name)) {
        p = mapPath(name, Version.V2, unified, v2Entry.path(), fs, diag);
      } else if (unified != null && v2ControllersUnknown) {
        unknown.add(name);
      }
      if (p != null) {
        if (p.controller != null) {
          found.put(name, p.controller);
        }
        if (p.unknown) {
          unknown.add(name);
        }
      }
    }
    return new CgroupLayout(found, hierarchies, unknown);
  }

  /**
   * Maps the process's cgroup path through a mount: bare host (mount root {@code /}), container
   * runtime (mount root = the container's path), private namespace (both {@code /}), and a
   * host-namespace path seen through a container's mount (suffixes tried until one exists, as the
   * JDK does since JDK-8343191). A path with {@code ..} is refused: it would leave its mount.
   */
  /** A mapped controller (null when refused), and whether its limits are unknown. */
  record Placed(Controller controller, boolean unknown) {}

  static Placed mapPath(String name, Version version, Mount mount, String cgroupPath,
      ViewFs fs, Diagnostics diag) {
    String mp = mount.mountPoint();
    String root = mount.root();
    if (hasDotComponent(cgroupPath) || hasDotComponent(root) || hasDotComponent(mp)) {
      diag.warn(WarningCode.CGROUP_PATH_OUTSIDE_MOUNT, "the " + name + " cgroup path " + cgroupPath
          + " is not below the mount's root " + root + " (a moved process or a foreign cgroup namespace);"
          + " its limits are not read and are unknown", "/proc/self/mountinfo");
      return new Placed(null, true);
    }
    List<String> candidates = new ArrayList<>();
    if (root.equals("/")) {
      candidates.add(cgroupPath);
    } else if (cgroupPath.equals(root)) {
      candidates.add("/");
    } else if (cgroupPath.startsWith(root + "/")) {
      candidates.add(cgroupPath.substring(root.length()));
    }
    String[] parts = Parse.splitChar(cgroupPath, '/');
    for (int i = 1; i < parts.length; i++) {
      StringBuilder suffix = new StringBuilder();
      for (int j = i; j < parts.length; j++) {
        suffix.append('/').append(parts[j]);
      }
      if (!candidates.contains(suffix.toString())) {
        candidates.add(suffix.toString());
      }
    }
    String rel = null;
    boolean unknown = false;
    for (String c : candidates) {
      if (fs.isDirectory(join(mp, c))) {
        rel = c;
        break;
      }
    }
    if (rel == null) {
      if (!root.equals("/")) {
        // A container runtime mounted the container's own cgroup here: the mount point is it.
        rel = "/";
      } else if (fs.isDirectory(mp)) {
        diag.warn(WarningCode.CGROUP_DIR_MISSING, "the " + name + " cgroup directory for " + cgroupPath
            + " does not exist under " + mp + "; its limits are unknown (the mount point is read as a bound)",
            join(mp, cgroupPath));
        rel = "/";
        unknown = true;
      } else {
        diag.warn(WarningCode.CGROUP_DIR_MISSING, "the " + name + " cgroup mount point does not exist;"
            + " its limits are unknown", mp);
        return new Placed(null, true);
      }
    }
    String dir = join(mp, rel);
    List<String> chain = new ArrayList<>();
    String d = dir;
    chain.add(d);
    while (!d.equals(mp)) {
      int slash = d.lastIndexOf('/');
      d = slash <= 0 ? "/" : d.substring(0, slash);
      chain.add(d);
      if (d.length() < mp.length()) {
        break;
      }
    }
    return new Placed(new Controller(name, version, mount, cgroupPath, dir, List.copyOf(chain)), unknown);
  }

  private static boolean hasDotComponent(String path) {
    for (String p : Parse.splitChar(path, '/')) {
      if (p.equals("..") || p.equals(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Joins a directory and a relative name or {@code /}-prefixed path, without doubling slashes.
   *
   * @param dir the directory
   * @param name a relative name or a {@code /}-prefixed path; empty or {@code /} means {@code dir} itself
   * @return the joined path
   */
  public static String join(String dir, String name) {
    String n = name.startsWith("/") ? name.substring(1) : name;
    if (n.isEmpty()) {
      return dir;
    }
    return dir.endsWith("/") ? dir + n : dir + "/" + n;
  }
}
