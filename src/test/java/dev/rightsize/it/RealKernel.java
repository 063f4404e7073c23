package dev.rightsize.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root, a real kernel feature or an installed tool.
 *
 * <p>Where a requirement is missing the test is skipped with a message that says what is missing.
 * With the environment variable {@code RIGHTSIZE_REQUIRE_REAL_KERNEL=1} (set by {@code .ci/run}) the
 * same condition fails the test instead, so CI can never pass by skipping.
 */
public final class RealKernel {
  /** The environment variable that turns a skip into a failure. */
  public static final String REQUIRE_ENV = "RIGHTSIZE_REQUIRE_REAL_KERNEL";

  private RealKernel() {}

  /** Whether skips are forbidden in this run. */
  public static boolean required() {
    String v = System.getenv(REQUIRE_ENV);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /**
   * Requires a condition: skips the test (or fails it under {@link #REQUIRE_ENV}) when it is false.
   *
   * @param condition what the test needs
   * @param whatIsMissing a message naming the missing requirement and how to provide it
   */
  public static void require(boolean condition, String whatIsMissing) {
    if (condition) {
      return;
    }
    if (required()) {
      Assertions.fail(REQUIRE_ENV + " is set but the requirement is missing: " + whatIsMissing);
    }
    Assumptions.abort("skipped: " + whatIsMissing + " (set " + REQUIRE_ENV + "=1 to make this a failure)");
  }

  /**
   * Whether this process runs as root: its effective uid in {@code /proc/self/status} is 0 (falls
   * back to the user name where that file cannot be read).
   */
  public static boolean isRoot() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return f.length > 1 && f[1].equals("0");
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // fall through
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Whether an executable of this name is on the {@code PATH}.
   *
   * @param tool a command name such as {@code unshare}
   * @return true if found and executable
   */
  public static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
