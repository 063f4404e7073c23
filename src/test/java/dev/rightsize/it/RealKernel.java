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

  /** Whether this process runs as root (uid 0). */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
