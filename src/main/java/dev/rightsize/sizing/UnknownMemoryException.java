package dev.rightsize.sizing;

/**
 * Thrown instead of sizing from a guess: the container's memory limit is unknown (a file on the
 * cgroup path could not be read), or there is no limit and no memory total could be read either.
 * The heap is then best left to the JVM's own container support; the CLI's {@code --jvm-flags}
 * exits with status 3.
 */
public final class UnknownMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnknownMemoryException(String message) {
    super(message);
  }
}
