package dev.rightsize;

/**
 * What a {@link Warning} is about. Each code's {@link #id()} is stable and appears in the JSON
 * report; codes are never renamed.
 */
public enum WarningCode {
  /** A file that must exist does not (mountinfo, /proc/self/cgroup, meminfo, a cgroup limit file). */
  FILE_MISSING("file-missing"),
  /** A file exists but could not be read (permission, a directory, ENOTCONN, a read deadline). */
  READ_FAILED("read-failed"),
  /** Garbage where a number, CPU list or mount line belongs; the raw text is in the message. */
  UNPARSABLE("unparsable"),
  /** A file larger than the 1 MiB read bound; only its start was read. */
  FILE_TRUNCATED("file-truncated"),
  /** The cgroup path or the mount's root contains {@code ..}: that controller is not read. */
  CGROUP_PATH_OUTSIDE_MOUNT("cgroup-path-outside-mount"),
  /** The process's cgroup directory is not under the mount; its limits are unknown. */
  CGROUP_DIR_MISSING("cgroup-dir-missing"),
  /** A controller is mounted but {@code /proc/self/cgroup} has no line for it. */
  CGROUP_NOT_MEMBER("cgroup-not-member"),
  /** The isolated view and the cgroup files disagree; the tighter value is used. */
  ISOLATED_VIEW_DISAGREES("isolated-view-disagrees"),
  /** LXCFS files are mounted over /proc but could not be read; cgroup files are used. */
  ISOLATED_VIEW_UNAVAILABLE("isolated-view-unavailable"),
  /** A memory limit above the host's {@code MemTotal}: it does not bind. */
  LIMIT_ABOVE_HOST("limit-above-host"),
  /** Neither the online CPU list nor /proc/cpuinfo could be read; 1 CPU assumed. */
  HOST_CPUS_UNKNOWN("host-cpus-unknown"),
  /** A limit could not be determined; the message names the value and what was read. */
  LIMIT_UNKNOWN("limit-unknown"),
  /** A bug: detection failed unexpectedly and reported what it had (please report it). */
  INTERNAL_ERROR("internal-error");

  private final String id;

  WarningCode(String id) {
    this.id = id;
  }

  /**
   * The stable identifier used in the JSON report.
   *
   * @return e.g. {@code "read-failed"}
   */
  public String id() {
    return id;
  }
}
