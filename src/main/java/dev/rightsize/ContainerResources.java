package dev.rightsize;

import static java.util.Objects.requireNonNull;

import dev.rightsize.internal.Detector;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An immutable snapshot of the CPU and memory this process's container really has, the task, file and
 * kernel limits it runs into, where each value came from, and what could not be read.
 *
 * <pre>{@code
 * ContainerResources r = ContainerResources.detect();
 * int threads = r.cpu().effective();
 * Limit limit = r.memory().limitBytes();    // LIMITED, UNLIMITED or UNKNOWN
 * r.provenanceOf(Value.MEMORY_LIMIT);        // the file and raw text behind it
 * }</pre>
 *
 * <p>Detection prefers an active isolated /proc view (TencentOS {@code kernel.stats_isolated}, LXCFS),
 * then cgroup v2, then cgroup v1, then host values; limits on ancestor cgroups count, the tightest
 * wins. It never throws and never blocks for long: a missing, unreadable, garbled or hanging file
 * becomes a {@link Warning} naming it.
 *
 * @param source where the headline values came from
 * @param cgroupVersion the cgroup hierarchy found for the cpu and memory controllers (1 or 2),
 *     whatever the source; empty when none was found
 * @param cpu CPU values
 * @param memory memory values
 * @param pids the cgroup task limit ({@code pids.max}) and count
 * @param rlimits the open-file and task limits of this process ({@code /proc/self/limits})
 * @param kernel kernel parameters a server depends on ({@code /proc/sys})
 * @param warnings what could not be read or did not agree, in the order found
 * @param provenance the file and raw text behind each reported value
 * @param unknown the values that could not be determined (a file on the path unreadable, garbled or
 *     missing); such a value holds the tightest bound that was read, or is empty: unknown, not
 *     unlimited
 */
public record ContainerResources(
    Source source,
    OptionalInt cgroupVersion,
    Cpu cpu,
    Memory memory,
    Pids pids,
    Rlimits rlimits,
    KernelLimits kernel,
    List<Warning> warnings,
    List<Provenance> provenance,
    Set<Value> unknown) {

  /**
   * Validates the components and makes the lists unmodifiable copies.
   *
   * @param source see {@link #source()}
   * @param cgroupVersion see {@link #cgroupVersion()}
   * @param cpu see {@link #cpu()}
   * @param memory see {@link #memory()}
   * @param pids see {@link #pids()}
   * @param rlimits see {@link #rlimits()}
   * @param kernel see {@link #kernel()}
   * @param warnings see {@link #warnings()}
   * @param provenance see {@link #provenance()}
   * @param unknown see {@link #unknown()}
   */
  public ContainerResources {
    requireNonNull(source, "source");
    requireNonNull(cgroupVersion, "cgroupVersion");
    requireNonNull(cpu, "cpu");
    requireNonNull(memory, "memory");
    requireNonNull(pids, "pids");
    requireNonNull(rlimits, "rlimits");
    requireNonNull(kernel, "kernel");
    warnings = List.copyOf(warnings);
    provenance = List.copyOf(provenance);
    unknown = unknown.isEmpty() ? Collections.emptySet() : ordered(unknown);
  }

  /** The values in declaration order, unmodifiable; no EnumSet: its first use costs a reflective look-up. */
  private static Set<Value> ordered(Set<Value> in) {
    Set<Value> out = new LinkedHashSet<>();
    for (Value v : Value.values()) {
      if (in.contains(v)) {
        out.add(v);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Detects the resources of this process's container, reading the live {@code /proc} and
   * {@code /sys}. Reads afresh on every call; keep the result, or use a
   * {@link dev.rightsize.monitor.ResourceMonitor} for live values.
   *
   * @return the snapshot; never null, never throws
   */
  public static ContainerResources detect() {
    return Detector.detectLive();
  }

  /**
   * Detects resources as seen from a directory laid out like {@code /} ({@code root/proc/self/mountinfo},
   * {@code root/sys/fs/cgroup/...}). Used by tests and the CLI's {@code --root}.
   *
   * @param root the directory to read as {@code /}
   * @return the snapshot; never null, never throws
   */
  public static ContainerResources detect(Path root) {
    return Detector.detect(requireNonNull(root, "root"));
  }

  /**
   * The provenance of one reported value.
   *
   * @param value the value
   * @return where it came from, if it was read from a file
   */
  public Optional<Provenance> provenanceOf(Value value) {
    for (Provenance p : provenance) {
      if (p.value() == value) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a warning with this code was recorded.
   *
   * @param code the code
   * @return true if at least one warning has that code
   */
  public boolean hasWarning(WarningCode code) {
    for (Warning w : warnings) {
      if (w.code() == code) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a value could be determined.
   *
   * @param value the value
   * @return false when it is listed in {@link #unknown()}
   */
  public boolean isKnown(Value value) {
    return !unknown.contains(value);
  }

  /**
   * A person's reading: {@code ContainerResources[source cgroup-v1, cgroup v1, Cpu[...], Memory[...],
   * Pids[...], Rlimits[...], KernelLimits[...], unknown memory.limit, 2 warnings: limit-unknown,
   * read-failed]}; provenance is left out (see
   * {@link #provenance()}).
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ContainerResources[source ").append(source.id());
    if (cgroupVersion.isPresent()) {
      b.append(", cgroup v").append(cgroupVersion.getAsInt());
    }
    b.append(", ").append(cpu).append(", ").append(memory).append(", ").append(pids).append(", ").append(rlimits)
        .append(", ").append(kernel);
    if (!unknown.isEmpty()) {
      b.append(", unknown");
      String sep = " ";
      for (Value v : unknown) {
        b.append(sep).append(v.key());
        sep = ", ";
      }
    }
    b.append(", ").append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings");
    String sep = ": ";
    for (Warning w : warnings) {
      b.append(sep).append(w.code().id());
      sep = ", ";
    }
    return b.append(']').toString();
  }
}
