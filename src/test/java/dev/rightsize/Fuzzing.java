package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/** Helpers shared by the fuzz tests ({@code *FuzzTest}). */
public final class Fuzzing {
  /** Size of the repeated input in a parser's linearity check. */
  public static final int AMPLIFIED_CHARS = 64 * 1024;
  /** Bound on parsing {@link #AMPLIFIED_CHARS}: linear work takes about a millisecond. */
  public static final Duration MAX_AMPLIFIED_PARSE = Duration.ofSeconds(1);

  private Fuzzing() {}

  /**
   * This thread's CPU time: what the time bounds measure, so that a machine loaded by other builds
   * does not fail them (wall time would; JIT and GC run on other threads).
   *
   * @return nanoseconds
   */
  public static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Whether this JVM fuzzes (the fuzz profile sets {@code JAZZER_FUZZ}) rather than replays.
   *
   * @return true under the fuzzer
   */
  public static boolean fuzzing() {
    String v = System.getenv("JAZZER_FUZZ");
    return v != null && !v.isEmpty() && !v.equals("0");
  }

  /**
   * Whether to run the (costly) linearity check on this input: always when replaying, for one input
   * in 128 when fuzzing, so that it does not slow the fuzzer a hundredfold.
   *
   * @param input the fuzzer's input
   * @return true when the check is due
   */
  public static boolean linearityCheckDue(byte[] input) {
    return !fuzzing() || (Arrays.hashCode(input) & 127) == 0;
  }

  /**
   * The input as the library decodes files (UTF-8, malformed sequences replaced).
   *
   * @param input bytes
   * @return the text
   */
  public static String text(byte[] input) {
    return new String(input, StandardCharsets.UTF_8);
  }

  /**
   * Bytes repeated to a length.
   *
   * @param b what to repeat, not empty
   * @param length the length
   * @return {@code b} repeated, cut to {@code length}
   */
  public static byte[] repeat(byte[] b, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = b[i % b.length];
    }
    return out;
  }

  /**
   * Time linear in the input: the parser is run on the text repeated to {@link #AMPLIFIED_CHARS}
   * and must finish within {@link #MAX_AMPLIFIED_PARSE} of CPU time, far above linear cost and far below what a
   * quadratic step costs on 64 Ki characters. An {@code IllegalArgumentException} (a documented
   * rejection) is fine.
   *
   * @param input the fuzzer's input
   * @param text its text
   * @param parser the parser
   */
  public static void linear(byte[] input, String text, Consumer<String> parser) {
    if (text.isEmpty() || !linearityCheckDue(input)) {
      return;
    }
    String big = text.repeat(AMPLIFIED_CHARS / text.length() + 1);
    long t0 = cpuNanos();
    try {
      parser.accept(big);
    } catch (IllegalArgumentException expected) {
      // rejected: fine, as long as it was quick
    }
    assertThat(Duration.ofNanos(cpuNanos() - t0)).as("CPU time parsing %s chars", big.length())
        .isLessThan(MAX_AMPLIFIED_PARSE);
  }
}
