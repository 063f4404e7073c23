package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * A limit that may be set, absent, or not known. "Unknown" is never "unlimited": it means a file
 * that could hold a tighter limit could not be read, and nothing should be sized from it.
 *
 * <pre>{@code
 * Limit l = ContainerResources.detect().memory().limitBytes();
 * if (l.isLimited()) { long bytes = l.value().getAsLong(); }
 * else if (l.isUnlimited()) { ... }          // known: no limit anywhere on the path
 * else { ... }                               // unknown: l.value() is the tightest bound read, if any
 * }</pre>
 *
 * @param state whether the limit is set, absent or unknown
 * @param value for {@link State#LIMITED} the limit; for {@link State#UNKNOWN} the tightest bound
 *     that could be read (the real limit may be lower), or empty when none could; for
 *     {@link State#UNLIMITED} always empty
 */
public record Limit(State state, OptionalLong value) {
  private static final Limit UNLIMITED = new Limit(State.UNLIMITED, OptionalLong.empty());
  private static final Limit UNKNOWN = new Limit(State.UNKNOWN, OptionalLong.empty());

  /** What is known about a limit. */
  public enum State {
    /** A limit is set; {@link Limit#value()} holds it. */
    LIMITED,
    /** Known to be absent: every file on the path was read and none sets a limit. */
    UNLIMITED,
    /** Not known: a file that could hold a tighter limit could not be read. */
    UNKNOWN
  }

  /**
   * Validates the pairing of state and value.
   *
   * @param state see {@link #state()}
   * @param value see {@link #value()}
   */
  public Limit {
    requireNonNull(state, "state");
    requireNonNull(value, "value");
    if (state == State.LIMITED && value.isEmpty()) {
      throw new IllegalArgumentException("a LIMITED limit needs a value");
    }
    if (state == State.UNLIMITED && value.isPresent()) {
      throw new IllegalArgumentException("an UNLIMITED limit has no value");
    }
    if (value.isPresent() && value.getAsLong() < 0) {
      throw new IllegalArgumentException("negative limit: " + value.getAsLong());
    }
  }

  /**
   * A set limit.
   *
   * @param value the limit, not negative
   * @return the limit
   */
  public static Limit of(long value) {
    return new Limit(State.LIMITED, OptionalLong.of(value));
  }

  /**
   * No limit, known.
   *
   * @return the unlimited limit
   */
  public static Limit unlimited() {
    return UNLIMITED;
  }

  /**
   * Not known, and no bound read either.
   *
   * @return the unknown limit
   */
  public static Limit unknown() {
    return UNKNOWN;
  }

  /**
   * Not known, but at most {@code bound}: a level was read with this limit, another could not be.
   *
   * @param bound the tightest limit read, not negative
   * @return the unknown limit carrying its bound
   */
  public static Limit unknownAtMost(long bound) {
    return new Limit(State.UNKNOWN, OptionalLong.of(bound));
  }

  /**
   * Whether the limit is known (set or absent).
   *
   * @return false only for {@link State#UNKNOWN}
   */
  public boolean isKnown() {
    return state != State.UNKNOWN;
  }

  /**
   * Whether a limit is set.
   *
   * @return true only for {@link State#LIMITED}
   */
  public boolean isLimited() {
    return state == State.LIMITED;
  }

  /**
   * Whether there is known to be no limit.
   *
   * @return true only for {@link State#UNLIMITED}
   */
  public boolean isUnlimited() {
    return state == State.UNLIMITED;
  }


  /**
   * A person's reading: {@code 1073741824}, {@code unlimited}, {@code unknown} or
   * {@code unknown (at most 1073741824)}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    switch (state) {
      case LIMITED:
        return Long.toString(value.getAsLong());
      case UNLIMITED:
        return "unlimited";
      default:
        return value.isPresent() ? "unknown (at most " + value.getAsLong() + ")" : "unknown";
    }
  }
}
