package dev.rightsize.sizing;

/**
 * Thrown by {@link JvmMemory#calculate(JvmMemory.Inputs)} when the total cannot hold the JVM's
 * fixed regions, or leaves less than {@link JvmMemory#MIN_HEAP_BYTES} for the heap.
 *
 * <p>The message names every region, as the Paketo / Cloud Foundry memory calculator does, e.g.
 * {@code fixed memory regions require 272286K which is greater than 1K available for allocation:
 * -XX:MaxDirectMemorySize=10M, -XX:MaxMetaspaceSize=14238K, -XX:ReservedCodeCacheSize=240M, -Xss1M
 * * 2 threads}, followed by what to change. It is unchecked: the usual caller is a startup path or
 * the CLI ({@code --jvm-flags} prints the message on stderr and exits 1), where there is nothing
 * better to do than stop and say why.
 */
public final class InsufficientMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Bytes the regions need. */
  private final long requiredBytes;
  /** Bytes the total holds. */
  private final long availableBytes;

  InsufficientMemoryException(String message, long requiredBytes, long availableBytes) {
    super(message);
    this.requiredBytes = requiredBytes;
    this.availableBytes = availableBytes;
  }

  /**
   * Bytes the regions named in the message need (for the minimum-heap case: the non-heap regions
   * plus {@link JvmMemory#MIN_HEAP_BYTES}).
   *
   * @return bytes, more than {@link #availableBytes()}
   */
  public long requiredBytes() {
    return requiredBytes;
  }

  /**
   * The total the calculation was asked to fit in.
   *
   * @return bytes
   */
  public long availableBytes() {
    return availableBytes;
  }
}
