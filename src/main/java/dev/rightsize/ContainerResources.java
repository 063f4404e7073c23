package dev.rightsize;

import static java.util.Objects.requireNonNull;

import dev.rightsize.internal.Detector;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable snapshot of the CPU and memory this process's container really has, where each value
 * came from, and what could not be read.
 *
 * <pre>{@code
 * ContainerResources r = ContainerResources.detect();
 * int threads = r.cpu().effective();
 * r.memory().limitBytes().ifPresent(limit -> ...);
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
 * @param warnings what could not be read or did not agree, in the order found
 * @param provenance the file and raw text behind each reported value
 */
public record ContainerResources(
    Source source,
    OptionalInt cgroupVersion,
    Cpu cpu,
    Memory memory,
    List<Warning> warnings,
    List<Provenance> provenance) {

  /**
   * Validates the components and makes the lists unmodifiable copies.
   *
   * @param source see {@link #source()}
   * @param cgroupVersion see {@link #cgroupVersion()}
   * @param cpu see {@link #cpu()}
   * @param memory see {@link #memory()}
   * @param warnings see {@link #warnings()}
   * @param provenance see {@link #provenance()}
   */
  public ContainerResources {
    requireNonNull(source, "source");
    requireNonNull(cgroupVersion, "cgroupVersion");
    requireNonNull(cpu, "cpu");
    requireNonNull(memory, "memory");
    warnings = List.copyOf(warnings);
    provenance = List.copyOf(provenance);
  }

  /**
   * Detects the resources of this process's container, reading the live {@code /proc} and
   * {@code /sys}. Reads afresh on every call; keep the result, or use a
   * {@link dev.rightsize.monitor.ResourceMonitor} for live values.
   *
   * @return the snapshot; never null, never throws
   */
  public static ContainerResources detect() {
    return detect(Path.of("/"));
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
   * @param value the JSON member name, e.g. {@code "memory.limit"}
   * @return where it came from, if it was read from a file
   */
  public Optional<Provenance> provenanceOf(String value) {
    return provenance.stream().filter(p -> p.value().equals(value)).findFirst();
  }

  /**
   * Whether a warning with this code was recorded.
   *
   * @param code a warning code such as {@code "read-failed"}
   * @return true if at least one warning has that code
   */
  public boolean hasWarning(String code) {
    return warnings.stream().anyMatch(w -> w.code().equals(code));
  }
}
