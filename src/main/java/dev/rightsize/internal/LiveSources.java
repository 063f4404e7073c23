package dev.rightsize.internal;

/**
 * Where each live value of a cgroup is read, as the version readers define it: a file and, for
 * keyed files, the key. Used by detection and by the monitor, so both read the same files.
 */
public final class LiveSources {
  private LiveSources() {}

  /** Key of v1 {@code memory.stat}'s hierarchical inactive file cache. */
  static final byte[] TOTAL_INACTIVE_FILE = LiveParse.key("total_inactive_file");
  /** Key of {@code memory.stat}'s inactive file cache. */
  static final byte[] INACTIVE_FILE = LiveParse.key("inactive_file");

  /**
   * The memory controller's live files. A null file has no source in this version.
   *
   * @param usageFile bytes charged ({@code memory.usage_in_bytes}, {@code memory.current})
   * @param statFile {@code memory.stat}, for the inactive file cache
   * @param inactiveKeys keys tried in order in {@code statFile}
   * @param failFile limit hits ({@code memory.failcnt}, {@code memory.events})
   * @param failKey key in {@code failFile}, or null for a whole-file number
   * @param oomFile OOM kills ({@code memory.oom_control}, {@code memory.events})
   * @param oomKey key in {@code oomFile}
   */
  public record Memory(String usageFile, String statFile, byte[][] inactiveKeys, String failFile, byte[] failKey,
      String oomFile, byte[] oomKey) {}

  /**
   * The CPU accounting files.
   *
   * @param usageFile cumulative CPU time ({@code cpuacct.usage}, or {@code cpu.stat})
   * @param usageKey key in {@code usageFile} ({@code usage_usec}), or null for a whole-file number
   * @param usageNanosPerUnit 1 for nanoseconds, 1000 for microseconds
   * @param statFile {@code cpu.stat} (periods and throttling), or null
   * @param throttledKey {@code throttled_time} (v1, ns) or {@code throttled_usec} (v2)
   * @param throttledNanosPerUnit 1 or 1000
   */
  public record Cpu(String usageFile, byte[] usageKey, long usageNanosPerUnit, String statFile, byte[] throttledKey,
      long throttledNanosPerUnit) {}
}
