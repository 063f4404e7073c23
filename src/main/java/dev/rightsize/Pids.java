package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * How many tasks (processes and threads) the cgroup {@code pids} controller lets this process's
 * container create, and how many it has. A thread the kernel refuses fails in Java with
 * {@code OutOfMemoryError: unable to create native thread}.
 *
 * @param limit the tightest {@code pids.max} along the cgroup path (v1 {@code pids} hierarchy or
 *     v2): {@link Limit.State#UNLIMITED} when no level sets one ({@code max}), {@link
 *     Limit.State#UNKNOWN} when a level could not be read or no pids hierarchy can be seen (cgroup
 *     v1 without a {@code pids} mount); an unknown limit carries the tightest {@code pids.max} read
 * @param current tasks counted against {@code limit}: {@code pids.current} of the cgroup that sets
 *     it (the process's own cgroup, or the nearest with the controller, when none does); empty when
 *     it could not be read
 * @param processThreads this process's own threads now ({@code Threads:} of
 *     {@code /proc/self/status}); empty when it could not be read
 */
public record Pids(Limit limit, OptionalLong current, OptionalLong processThreads) {

  /**
   * Validates that no component is null.
   *
   * @param limit see {@link #limit()}
   * @param current see {@link #current()}
   * @param processThreads see {@link #processThreads()}
   */
  public Pids {
    requireNonNull(limit, "limit");
    requireNonNull(current, "current");
    requireNonNull(processThreads, "processThreads");
  }

  /**
   * A person's reading, values that do not apply left out: {@code Pids[limit 100, current 37,
   * process threads 19]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Pids[limit ").append(limit);
    Text.opt(b, "current", current);
    Text.opt(b, "process threads", processThreads);
    return b.append(']').toString();
  }
}
