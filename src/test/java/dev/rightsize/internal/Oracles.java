package dev.rightsize.internal;

/** Small helpers of the fuzz tests' oracles. */
final class Oracles {
  /** {@link Character#isWhitespace} on ASCII, which {@code String.strip} uses, as a regex class. */
  static final String WS = "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F ]";

  private Oracles() {}

  /** Whether every char is ASCII: oracles written with ASCII classes compare only such text. */
  static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }
}
