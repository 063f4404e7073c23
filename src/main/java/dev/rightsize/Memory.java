package dev.rightsize;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * The memory a container may use, and what it uses now. All values are in bytes. Each limit says
 * whether it is set, absent or unknown ({@link Limit}); {@code 0} means none allowed (e.g. no swap
 * at all). A reading that could not be made is empty and listed in {@link ContainerResources#unknown()}.
 *
 * @param limitBytes the hard limit ({@code memory.limit_in_bytes}, {@code memory.max}), the tightest
 *     along the cgroup path. A limit above the host's memory is reported as set, with a warning.
 * @param softLimitBytes v1 soft limit or v2 {@code memory.high}, the tightest along the path
 * @param swapLimitBytes swap allowed beyond {@code limitBytes} (v1 memsw minus limit, v2
 *     {@code memory.swap.max})
 * @param usageBytes bytes charged to the cgroup now, page cache included
 * @param workingSetBytes usage minus inactive file cache: what the OOM killer and kubelet look at
 * @param maxUsageBytes the peak usage recorded by the kernel, where it keeps one
 * @param failCount how often the limit was hit (v1 {@code memory.failcnt}, v2 {@code max} events)
 * @param oomKills OOM kills in this cgroup (v2 {@code memory.events oom_kill}, v1
 *     {@code memory.oom_control oom_kill} since Linux 4.13); empty where the kernel has no counter
 * @param hostTotalBytes the host's {@code MemTotal}; empty when only an isolated view of
 *     {@code /proc/meminfo} could be read
 * @param isolatedViewTotalBytes {@code MemTotal} shown by an active isolated view; empty when none
 */
public record Memory(
    Limit limitBytes,
    Limit softLimitBytes,
    Limit swapLimitBytes,
    OptionalLong usageBytes,
    OptionalLong workingSetBytes,
    OptionalLong maxUsageBytes,
    OptionalLong failCount,
    OptionalLong oomKills,
    OptionalLong hostTotalBytes,
    OptionalLong isolatedViewTotalBytes) {

  /**
   * Validates that no component is null.
   *
   * @param limitBytes see {@link #limitBytes()}
   * @param softLimitBytes see {@link #softLimitBytes()}
   * @param swapLimitBytes see {@link #swapLimitBytes()}
   * @param usageBytes see {@link #usageBytes()}
   * @param workingSetBytes see {@link #workingSetBytes()}
   * @param maxUsageBytes see {@link #maxUsageBytes()}
   * @param failCount see {@link #failCount()}
   * @param oomKills see {@link #oomKills()}
   * @param hostTotalBytes see {@link #hostTotalBytes()}
   * @param isolatedViewTotalBytes see {@link #isolatedViewTotalBytes()}
   */
  public Memory {
    requireNonNull(limitBytes, "limitBytes");
    requireNonNull(softLimitBytes, "softLimitBytes");
    requireNonNull(swapLimitBytes, "swapLimitBytes");
    requireNonNull(usageBytes, "usageBytes");
    requireNonNull(workingSetBytes, "workingSetBytes");
    requireNonNull(maxUsageBytes, "maxUsageBytes");
    requireNonNull(failCount, "failCount");
    requireNonNull(oomKills, "oomKills");
    requireNonNull(hostTotalBytes, "hostTotalBytes");
    requireNonNull(isolatedViewTotalBytes, "isolatedViewTotalBytes");
  }

  /**
   * The memory this process can count on: the limit when one is set; with no limit (known), the
   * isolated view's total, else the host's total. Never a guess: when the limit is unknown this is
   * empty, even if a looser bound or the host's total was read.
   *
   * @return bytes, or empty when the limit is unknown or nothing could be read
   */
  public OptionalLong availableBytes() {
    switch (limitBytes.state()) {
      case LIMITED:
        return limitBytes.value();
      case UNLIMITED:
        return isolatedViewTotalBytes.isPresent() ? isolatedViewTotalBytes : hostTotalBytes;
      default:
        return OptionalLong.empty();
    }
  }

  /**
   * A person's reading, values that do not apply left out: {@code Memory[limit 512 MiB, soft limit
   * unlimited, swap limit 0 B, usage 43.6 MiB, working set 41.0 MiB, limit hits 0, OOM kills 0,
   * host total 23.5 GiB]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Memory[limit ").append(Text.bytes(limitBytes))
        .append(", soft limit ").append(Text.bytes(softLimitBytes))
        .append(", swap limit ").append(Text.bytes(swapLimitBytes));
    Text.bytes(b, "usage", usageBytes);
    Text.bytes(b, "working set", workingSetBytes);
    Text.bytes(b, "peak", maxUsageBytes);
    Text.opt(b, "limit hits", failCount);
    Text.opt(b, "OOM kills", oomKills);
    Text.bytes(b, "host total", hostTotalBytes);
    Text.bytes(b, "isolated view total", isolatedViewTotalBytes);
    return b.append(']').toString();
  }
}
