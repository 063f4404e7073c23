package dev.rightsize.internal;

/**
 * The outcome of reading one file: its text, or why there is none.
 *
 * @param file the file as the process sees it (e.g. {@code /proc/meminfo})
 * @param text the content, or null when it could not be read
 * @param missing true when the file does not exist (not an error for optional files)
 * @param error why it could not be read, or null
 */
public record FileRead(String file, String text, boolean missing, String error) {

  static FileRead ok(String file, String text) {
    return new FileRead(file, text, false, null);
  }

  static FileRead missing(String file) {
    return new FileRead(file, null, true, "no such file");
  }

  static FileRead failed(String file, String error) {
    return new FileRead(file, null, false, error);
  }

  /**
   * Whether text was read.
   *
   * @return true when {@link #text()} is not null
   */
  public boolean isOk() {
    return text != null;
  }
}
