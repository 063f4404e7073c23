package dev.rightsize.internal;

import dev.rightsize.Warning;
import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.CgroupLayout.Version;
import dev.rightsize.internal.MountInfo.Mount;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which cgroup files a live monitor polls, resolved from a root the way {@link Detector} resolves
 * the layout (mount table, membership, {@link CgroupLayout}). Only files that exist are listed.
 */
public final class LiveFiles {
  /** A polled file, by role. */
  public enum Kind {
    /** v1 {@code memory.usage_in_bytes}, v2 {@code memory.current}: bytes charged. */
    MEMORY_USAGE,
    /** {@code memory.stat}: v1 {@code total_inactive_file}, v2 {@code inactive_file}. */
    MEMORY_STAT,
    /** v1 {@code memory.failcnt}. */
    MEMORY_FAILCNT,
    /** v1 {@code memory.oom_control} ({@code oom_kill} since Linux 4.13). */
    MEMORY_OOM_CONTROL,
    /** v2 {@code memory.events} ({@code max}, {@code oom}, {@code oom_kill}). */
    MEMORY_EVENTS,
    /** v1 {@code cpuacct.usage} in nanoseconds (v2 has {@code usage_usec} in {@code cpu.stat}). */
    CPU_USAGE,
    /** {@code cpu.stat}: periods, throttled periods and time; v2 also usage. */
    CPU_STAT
  }

  /**
   * One resolved file.
   *
   * @param kind its role
   * @param version the hierarchy it belongs to
   * @param shown the path as the process sees it, for warnings
   * @param path the path under the root, to open
   */
  public record LiveFile(Kind kind, Version version, String shown, Path path) {}

  private final Map<Kind, LiveFile> files;
  private final Version memoryVersion;
  private final Version cpuVersion;
  private final List<Warning> warnings;

  private LiveFiles(Map<Kind, LiveFile> files, Version memoryVersion, Version cpuVersion, List<Warning> warnings) {
    this.files = Collections.unmodifiableMap(files);
    this.memoryVersion = memoryVersion;
    this.cpuVersion = cpuVersion;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Resolves the files under a root. Never throws.
   *
   * @param root the directory read as {@code /}
   * @return the files found (possibly none)
   */
  public static LiveFiles resolve(Path root) {
    Diagnostics diag = new Diagnostics();
    try {
      return resolve(root, diag);
    } catch (RuntimeException e) {
      diag.warn("internal-error", "could not resolve the cgroup files to monitor: " + e);
      return new LiveFiles(new EnumMap<>(Kind.class), null, null, diag.warnings());
    }
  }

  private static LiveFiles resolve(Path root, Diagnostics diag) {
    ViewFs fs = new ViewFs(root, Detector.FUSE_TIMEOUT_MILLIS, diag);
    Files2 f = new Files2(fs, diag);
    List<Mount> mounts = Detector.readMounts(f);
    List<CgroupMembership.Entry> entries = Detector.readMembership(f);
    CgroupLayout layout = CgroupLayout.resolve(mounts, entries, fs, diag);
    Map<Kind, LiveFile> found = new EnumMap<>(Kind.class);
    Optional<Controller> mem = layout.get("memory");
    Version memV = mem.map(Controller::version).orElse(null);
    mem.ifPresent(c -> {
      if (c.version() == Version.V1) {
        add(found, fs, c, Kind.MEMORY_USAGE, "memory.usage_in_bytes");
        add(found, fs, c, Kind.MEMORY_FAILCNT, "memory.failcnt");
        add(found, fs, c, Kind.MEMORY_OOM_CONTROL, "memory.oom_control");
        add(found, fs, c.dir(), c.version(), Kind.MEMORY_STAT, "memory.stat");
      } else {
        String at = CgroupV2Reader.chargedDir(fs, c);
        add(found, fs, at, c.version(), Kind.MEMORY_USAGE, "memory.current");
        add(found, fs, at, c.version(), Kind.MEMORY_EVENTS, "memory.events");
        add(found, fs, at, c.version(), Kind.MEMORY_STAT, "memory.stat");
      }
    });
    Optional<Controller> cpu = layout.get("cpu");
    Version cpuV = cpu.map(Controller::version).orElse(null);
    if (cpu.isPresent()) {
      add(found, fs, cpu.get(), Kind.CPU_STAT, "cpu.stat");
    }
    if (cpuV == Version.V1 || cpuV == null) {
      layout.get("cpuacct").filter(c -> c.version() == Version.V1)
          .ifPresent(c -> add(found, fs, c, Kind.CPU_USAGE, "cpuacct.usage"));
    }
    if (cpuV == null && memV == Version.V2) {
      // cpu.stat (usage_usec) exists in every v2 cgroup, controller enabled or not.
      add(found, fs, mem.get(), Kind.CPU_STAT, "cpu.stat");
      if (found.containsKey(Kind.CPU_STAT)) {
        cpuV = Version.V2;
      }
    }
    if (cpuV == null && found.containsKey(Kind.CPU_USAGE)) {
      cpuV = Version.V1;
    }
    return new LiveFiles(found, memV, cpuV, diag.warnings());
  }

  private static void add(Map<Kind, LiveFile> found, ViewFs fs, Controller c, Kind kind, String name) {
    add(found, fs, c.dir(), c.version(), kind, name);
  }

  private static void add(Map<Kind, LiveFile> found, ViewFs fs, String dir, Version version, Kind kind,
      String name) {
    String shown = CgroupLayout.join(dir, name);
    if (fs.exists(shown)) {
      found.put(kind, new LiveFile(kind, version, shown, fs.resolve(shown)));
    }
  }

  /**
   * The file for a role, if it exists.
   *
   * @param kind the role
   * @return the file; empty when it was not found
   */
  public Optional<LiveFile> get(Kind kind) {
    return Optional.ofNullable(files.get(kind));
  }

  /**
   * All files found.
   *
   * @return an unmodifiable map by role, in {@link Kind} order; empty when none was found
   */
  public Map<Kind, LiveFile> all() {
    return files;
  }

  /**
   * The memory controller's hierarchy, if found.
   *
   * @return the hierarchy; empty when the memory controller was not found
   */
  public Optional<Version> memoryVersion() {
    return Optional.ofNullable(memoryVersion);
  }

  /**
   * The hierarchy CPU accounting comes from, if found.
   *
   * @return the hierarchy; empty when neither the cpu controller nor a CPU accounting file was found
   */
  public Optional<Version> cpuVersion() {
    return Optional.ofNullable(cpuVersion);
  }

  /**
   * What went wrong while resolving.
   *
   * @return an unmodifiable list; empty when nothing went wrong
   */
  public List<Warning> warnings() {
    return warnings;
  }
}
