package dev.rightsize;

/** Where the headline CPU and memory values of a {@link ContainerResources} came from. */
public enum Source {
  /** TencentOS Server 2.4's kernel isolation ({@code kernel.stats_isolated}) was active for this process. */
  TENCENT_ISOLATED("tencent-isolated"),
  /** LXCFS files were bind-mounted over {@code /proc} (or the CPU online list) and answered. */
  LXCFS("lxcfs"),
  /** cgroup v2 (unified hierarchy) files. */
  CGROUP_V2("cgroup-v2"),
  /** cgroup v1 controller files. */
  CGROUP_V1("cgroup-v1"),
  /** No container view could be read: host values from {@code /proc} and {@code /sys}. */
  HOST("host");

  private final String id;

  Source(String id) {
    this.id = id;
  }

  /**
   * The stable identifier used in the JSON report.
   *
   * @return e.g. {@code "cgroup-v1"}
   */
  public String id() {
    return id;
  }

  /**
   * Whether this source is an isolated /proc view (Tencent or LXCFS).
   *
   * @return true for {@link #TENCENT_ISOLATED} and {@link #LXCFS}
   */
  public boolean isIsolatedView() {
    return this == TENCENT_ISOLATED || this == LXCFS;
  }
}
