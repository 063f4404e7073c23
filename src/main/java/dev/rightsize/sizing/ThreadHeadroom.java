package dev.rightsize.sizing;

import static java.util.Objects.requireNonNull;

import dev.rightsize.ContainerResources;
import dev.rightsize.Limit;
import dev.rightsize.Provenance;
import dev.rightsize.Value;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How many more threads the application can start before the kernel refuses one ({@code
 * OutOfMemoryError: unable to create native thread}): the tighter of the cgroup's task limit
 * ({@code pids.limit}) and the user's ({@code rlimit.nproc}), minus the tasks that exist now, minus
 * a reserve for the threads the JVM itself starts later.
 *
 * <pre>{@code
 * ThreadHeadroom.of(ContainerResources.detect())
 *     .ifPresent(h -> log.info("room for {} more threads: {}", h.threads(), h.describe()));
 * }</pre>
 *
 * <p>Tasks now: for {@code pids.limit}, the {@code pids.current} of the cgroup that sets it (this
 * process's threads when it cannot be read); for {@code rlimit.nproc}, which counts every task of
 * the user in its user namespace, the larger of the two (tasks of the same user outside the
 * container cannot be seen). The kernel exempts root (uid 0 outside a user namespace) and
 * {@code CAP_SYS_RESOURCE} from {@code RLIMIT_NPROC}; it is applied anyway, as whether the
 * exemption holds cannot be told reliably from inside a container.
 *
 * <p>The reserve, {@value #RESERVE_BASE} + 2 &times; CPUs, covers what a JVM starts after it is up:
 * garbage-collector workers (up to one per CPU, started on demand), JIT compiler threads (added as
 * compilation queues grow), the common {@link java.util.concurrent.ForkJoinPool}'s workers (CPUs
 * &minus; 1) and a few more (attach listener, cleaners, timers). A JVM's own threads at start (about
 * 20 on 2 CPUs, measured with JDK 17 and 25) are among the tasks now. Run from an entrypoint
 * before the JVM it sizes ({@code --jvm-flags}), the CLI's own JVM stands in for them.
 *
 * @param threads threads the application can still start, 0 or more
 * @param limitedBy {@link Value#PIDS_LIMIT} or {@link Value#RLIMIT_NPROC}: the limit that binds
 * @param limit that limit's value (for an unknown {@code pids.limit}, the tightest {@code pids.max}
 *     read: a known constraint)
 * @param limitFile the file it was read from, or empty when not recorded
 * @param tasksNow the tasks counted against it now
 * @param reserve threads kept for the JVM's own
 */
public record ThreadHeadroom(int threads, Value limitedBy, long limit, String limitFile, long tasksNow,
    int reserve) {

  /** The fixed part of the reserve for the JVM's own threads: 8. */
  public static final int RESERVE_BASE = 8;

  /**
   * Validates the components.
   *
   * @param threads see {@link #threads()}
   * @param limitedBy see {@link #limitedBy()}
   * @param limit see {@link #limit()}
   * @param limitFile see {@link #limitFile()}
   * @param tasksNow see {@link #tasksNow()}
   * @param reserve see {@link #reserve()}
   */
  public ThreadHeadroom {
    requireNonNull(limitedBy, "limitedBy");
    requireNonNull(limitFile, "limitFile");
    if (limitedBy != Value.PIDS_LIMIT && limitedBy != Value.RLIMIT_NPROC) {
      throw new IllegalArgumentException("limitedBy must be pids.limit or rlimit.nproc: " + limitedBy.key());
    }
    if (threads < 0 || limit < 0 || tasksNow < 0 || reserve < 0) {
      throw new IllegalArgumentException("negative headroom component");
    }
  }

  /**
   * The reserve for the JVM's own threads at a CPU count: {@value #RESERVE_BASE} + 2 &times; CPUs.
   *
   * @param cpus the CPUs the JVM sees, 1 or more
   * @return threads
   */
  public static int jvmReserve(int cpus) {
    return RESERVE_BASE + 2 * Math.max(1, cpus);
  }

  /**
   * The headroom of detected resources, with the reserve for their effective CPUs.
   *
   * @param resources detected resources
   * @return the headroom; empty when neither {@code pids.limit} nor {@code rlimit.nproc} sets a
   *     limit that was read (unlimited, or unknown with no bound)
   */
  public static Optional<ThreadHeadroom> of(ContainerResources resources) {
    int reserve = jvmReserve(resources.cpu().effective());
    OptionalLong current = resources.pids().current();
    OptionalLong own = resources.pids().processThreads();
    ThreadHeadroom best = null;
    Limit pids = resources.pids().limit();
    if (pids.value().isPresent()) {
      long tasks = current.isPresent() ? current.getAsLong() : own.orElse(0);
      best = make(Value.PIDS_LIMIT, pids.value().getAsLong(), resources, tasks, reserve);
    }
    Limit nproc = resources.rlimits().nproc();
    if (nproc.isLimited()) {
      long tasks = Math.max(current.orElse(0), own.orElse(0));
      ThreadHeadroom h = make(Value.RLIMIT_NPROC, nproc.value().getAsLong(), resources, tasks, reserve);
      if (best == null || h.threads < best.threads) {
        best = h;
      }
    }
    return Optional.ofNullable(best);
  }

  private static ThreadHeadroom make(Value by, long limit, ContainerResources r, long tasks, int reserve) {
    long room = Math.max(0, limit - tasks - reserve);
    String file = r.provenanceOf(by).map(Provenance::file).orElse("");
    return new ThreadHeadroom((int) Math.min(Integer.MAX_VALUE, room), by, limit, file, tasks, reserve);
  }

  /**
   * How the headroom was reached, for a log or a finding:
   * {@code pids.max 64 (/sys/fs/cgroup/pids/pod/pids.max) - 19 tasks now - 12 reserved for the JVM's own threads = 33}.
   *
   * @return one line
   */
  public String describe() {
    String name = limitedBy == Value.PIDS_LIMIT ? "pids.max" : "ulimit -u (RLIMIT_NPROC)";
    return name + " " + limit + (limitFile.isEmpty() ? "" : " (" + limitFile + ")") + " - " + tasksNow
        + " tasks now - " + reserve + " reserved for the JVM's own threads = " + threads;
  }
}
