package dev.rightsize.internal;

import dev.rightsize.KernelLimits;
import dev.rightsize.Limit;
import dev.rightsize.Rlimits;
import dev.rightsize.Value;
import dev.rightsize.WarningCode;
import java.util.OptionalLong;

/**
 * The process's resource limits ({@code /proc/self/limits}) and the kernel parameters a server
 * depends on ({@code /proc/sys}): the only place that names these files. Failures become warnings
 * naming the file, and the value is unknown. Written without lambdas or streams (detection's cold
 * path).
 */
final class ProcLimits {
  static final String LIMITS = "/proc/self/limits";
  static final String SOMAXCONN = "/proc/sys/net/core/somaxconn";
  static final String MAX_MAP_COUNT = "/proc/sys/vm/max_map_count";
  static final String THREADS_MAX = "/proc/sys/kernel/threads-max";
  static final String PID_MAX = "/proc/sys/kernel/pid_max";
  /** The names the kernel prints for {@code RLIMIT_NOFILE} and {@code RLIMIT_NPROC} (fs/proc/base.c lnames). */
  static final String NOFILE_NAME = "Max open files";
  static final String NPROC_NAME = "Max processes";

  private ProcLimits() {}

  /**
   * Reads {@code /proc/self/limits}.
   *
   * @param f where to read; warnings, provenance and unknown values go to its diagnostics
   * @return the limits; each unknown (no bound) where it could not be read
   */
  static Rlimits rlimits(Files2 f) {
    String text = f.text(LIMITS, true);
    Limit[] nofile = pair(f, text, NOFILE_NAME, Value.RLIMIT_NOFILE, Value.RLIMIT_NOFILE_HARD);
    Limit[] nproc = pair(f, text, NPROC_NAME, Value.RLIMIT_NPROC, Value.RLIMIT_NPROC_HARD);
    return new Rlimits(nofile[0], nofile[1], nproc[0], nproc[1]);
  }

  private static Limit[] pair(Files2 f, String text, String name, Value soft, Value hard) {
    String line = text == null ? null : Parse.rlimitLine(text, name);
    long[] v = null;
    if (text != null && line == null) {
      f.diag().warn(WarningCode.UNPARSABLE, "no \"" + name + "\" line", LIMITS);
    } else if (line != null) {
      try {
        v = Parse.rlimit(line, name);
      } catch (IllegalArgumentException e) {
        f.garbage(LIMITS, line, e);
      }
    }
    if (v == null) {
      f.diag().unknown(soft);
      f.diag().unknown(hard);
      return new Limit[] {Limit.unknown(), Limit.unknown()};
    }
    f.diag().provenance(soft, LIMITS, line);
    f.diag().provenance(hard, LIMITS, line);
    return new Limit[] {v[0] < 0 ? Limit.unlimited() : Limit.of(v[0]), v[1] < 0 ? Limit.unlimited() : Limit.of(v[1])};
  }

  /**
   * Reads the kernel parameters.
   *
   * @param f where to read
   * @return the values; each empty (and marked unknown) where it could not be read
   */
  static KernelLimits kernel(Files2 f) {
    return new KernelLimits(number(f, SOMAXCONN, Value.KERNEL_SOMAXCONN), number(f, MAX_MAP_COUNT,
        Value.KERNEL_MAX_MAP_COUNT), number(f, THREADS_MAX, Value.KERNEL_THREADS_MAX), number(f, PID_MAX,
        Value.KERNEL_PID_MAX));
  }

  private static OptionalLong number(Files2 f, String file, Value value) {
    Long v = f.nonNegative(file, true);
    if (v == null) {
      f.diag().unknown(value);
      return OptionalLong.empty();
    }
    f.diag().provenance(value, file, String.valueOf(v));
    return OptionalLong.of(v);
  }
}
