package dev.rightsize;

import static java.util.Objects.requireNonNull;

/**
 * This process's resource limits that a server runs into, from {@code /proc/self/limits}: open
 * files ({@code RLIMIT_NOFILE}, {@code ulimit -n}) and tasks of its user ({@code RLIMIT_NPROC},
 * {@code ulimit -u}). Each is {@link Limit.State#UNLIMITED} for {@code unlimited} and
 * {@link Limit.State#UNKNOWN} (with no bound) when the file could not be read or parsed.
 *
 * <p>The soft limit is the one the kernel enforces; a process may raise it up to the hard limit.
 * HotSpot does so for open files at start ({@code -XX:+MaxFDLimit}, the default on Linux), so in a
 * JVM the two are normally equal.
 *
 * @param nofile the soft limit on open file descriptors
 * @param nofileHard the hard limit on open file descriptors
 * @param nproc the soft limit on tasks (processes and threads) of this process's real user, counted
 *     over the whole user namespace, not only this container
 * @param nprocHard the hard limit on tasks of the user
 */
public record Rlimits(Limit nofile, Limit nofileHard, Limit nproc, Limit nprocHard) {

  /**
   * Validates that no component is null.
   *
   * @param nofile see {@link #nofile()}
   * @param nofileHard see {@link #nofileHard()}
   * @param nproc see {@link #nproc()}
   * @param nprocHard see {@link #nprocHard()}
   */
  public Rlimits {
    requireNonNull(nofile, "nofile");
    requireNonNull(nofileHard, "nofileHard");
    requireNonNull(nproc, "nproc");
    requireNonNull(nprocHard, "nprocHard");
  }

  /**
   * A person's reading: {@code Rlimits[nofile 1024 (hard 524288), nproc unlimited (hard unlimited)]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return "Rlimits[nofile " + nofile + " (hard " + nofileHard + "), nproc " + nproc + " (hard " + nprocHard + ")]";
  }
}
