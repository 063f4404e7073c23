package dev.rightsize.report;

import static dev.rightsize.internal.Sizes.GIB;
import static dev.rightsize.internal.Sizes.MIB;
import static java.util.Objects.requireNonNull;

import dev.rightsize.ContainerResources;
import dev.rightsize.Limit;
import dev.rightsize.internal.Sizes;
import dev.rightsize.report.Finding.Severity;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmFootprint;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import dev.rightsize.sizing.ThreadHeadroom;
import dev.rightsize.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Compares what the running JVM believes ({@link JvmSettings}) with what its container allows
 * ({@link ContainerResources}) and says where they disagree.
 *
 * <pre>{@code
 * for (Finding f : JvmCheck.check(JvmSettings.current(), ContainerResources.detect())) {
 *   log.warn("{}", f);
 * }
 * }</pre>
 *
 * <p>Findings, by code (codes are stable; see the README's table):
 *
 * <ul>
 *   <li>{@value #HEAP_EXCEEDS_LIMIT} (WARN): the maximum heap is at or above the memory limit. The
 *       kernel OOM-kills the process before the heap is full, without a heap dump.
 *   <li>{@value #HEAP_LEAVES_LITTLE_ROOM} (WARN): the heap leaves less than a quarter of the limit,
 *       capped at 256 MiB, for everything else (metaspace, code cache, thread stacks, GC and JIT
 *       structures, direct buffers). This threshold only catches the clearly risky; with a
 *       measured footprint {@link #checkFootprint} is precise.
 *   <li>{@value #MAX_RAM_PERCENTAGE_DEFAULT} (INFO): neither {@code -Xmx} nor
 *       {@code -XX:MaxRAMPercentage} was set, the limit is at least 1 GiB and the heap is the
 *       JVM's default quarter of it: most of the memory paid for sits idle.
 *   <li>{@value #ACTIVE_PROCESSOR_COUNT_MISMATCH} (WARN when above, INFO when below):
 *       {@code -XX:ActiveProcessorCount} differs from the container's effective CPUs. Set above,
 *       the JVM and every pool sized from {@code availableProcessors()} run more threads than the
 *       quota feeds (Paketo sets it to the host's CPU count, ignoring the quota).
 *   <li>{@value #AVAILABLE_PROCESSORS_MISMATCH} (WARN when above, INFO when below):
 *       {@code Runtime.availableProcessors()} differs from the effective CPUs with no
 *       {@code ActiveProcessorCount} to explain it: an old JDK, container support off, or a view
 *       (LXCFS, TencentOS isolation) the JDK does not read.
 *   <li>{@value #CONTAINER_SUPPORT_DISABLED} (WARN): {@code -XX:-UseContainerSupport}; the JVM sizes
 *       itself from the host.
 *   <li>{@value #HEAP_ABOVE_MEASURED_FIT} (WARN, from {@link #checkFootprint}): the maximum heap
 *       is above what the memory limit holds beside the non-heap memory this JVM was measured to
 *       commit ({@link JvmFootprint}); under full load the kernel OOM-kills it.
 *   <li>{@value #HEAP_BELOW_MEASURED_FIT} (INFO, from {@link #checkFootprint}): the maximum heap is
 *       below 85% of what the limit holds beside the measured non-heap memory; it could be larger.
 * </ul>
 *
 * <p>Findings about the container alone, from {@link #checkResources} (no JVM needed):
 *
 * <ul>
 *   <li>{@value #NO_MEMORY_LIMIT} (INFO): no memory limit is set; sizes are for the host's (or the
 *       isolated view's) memory, which other processes share.
 *   <li>{@value #MEMORY_LIMIT_FROM_HIDDEN_ANCESTOR} (INFO, cgroup v1): the memory limit comes from
 *       {@code hierarchical_memory_limit}, tighter than every level in sight: an ancestor cgroup
 *       (a pod) sits above the mount's root. A CPU quota set there cannot be seen, as v1 has no
 *       hierarchical CPU file.
 *   <li>{@value #LXCFS_CPU_VIEW_WITHOUT_QUOTA} (INFO): the LXCFS CPU view shows the cpuset, not the
 *       tighter quota: LXCFS runs without {@code --enable-cfs}. {@code cpu.effective} already
 *       follows the quota; tools that read {@code /proc/cpuinfo} or {@code nproc} do not.
 * </ul>
 *
 * <p>And about the limits a server runs into, from {@link #checkLimits(ContainerResources, int)}:
 *
 * <ul>
 *   <li>{@value #THREADS_ABOVE_HEADROOM} (WARN): more threads are planned than the
 *       {@linkplain ThreadHeadroom thread headroom} allows ({@code pids.max} or {@code ulimit -u},
 *       minus the tasks now and the JVM's own threads); the next thread fails with
 *       {@code OutOfMemoryError: unable to create native thread}.
 *   <li>{@value #OPEN_FILES_LOW} (WARN): the open-file soft limit is below
 *       {@value #SERVER_OPEN_FILES}: Tomcat's default 8192 connections ({@code maxConnections}) plus
 *       1024 for the JVM's own files, logs and outgoing connections; past it, {@code Too many open
 *       files}.
 *   <li>{@value #SOMAXCONN_LOW} (WARN below {@value #SERVER_BACKLOG}, INFO below
 *       {@value #LARGE_BACKLOG}): the kernel cuts every listen backlog to {@code somaxconn}: below
 *       Tomcat's {@code acceptCount} 100 even Tomcat's default is cut; below 1024, Undertow's default
 *       1000 is, and Netty, which reads {@code somaxconn} itself, uses it as is.
 *   <li>{@value #MAX_MAP_COUNT_LOW} (WARN): {@code vm.max_map_count} is below what the planned threads
 *       need ({@value #MAPS_PER_THREAD} mappings each, measured, plus {@value #JVM_BASE_MAPS} for the
 *       JVM itself).
 * </ul>
 *
 * <p>A check needs a memory limit for the heap findings; with none (unlimited, or unreadable) they
 * are skipped.
 */
public final class JvmCheck {

  /** Code: the maximum heap is at or above the memory limit. */
  public static final String HEAP_EXCEEDS_LIMIT = "heap-exceeds-limit";
  /** Code: the heap leaves too little of the limit for non-heap memory. */
  public static final String HEAP_LEAVES_LITTLE_ROOM = "heap-leaves-little-room";
  /** Code: MaxRAMPercentage left at 25% in a container of 1 GiB or more. */
  public static final String MAX_RAM_PERCENTAGE_DEFAULT = "max-ram-percentage-default";
  /** Code: an explicit -XX:ActiveProcessorCount differs from the effective CPUs. */
  public static final String ACTIVE_PROCESSOR_COUNT_MISMATCH = "active-processor-count-mismatch";
  /** Code: availableProcessors() differs from the effective CPUs. */
  public static final String AVAILABLE_PROCESSORS_MISMATCH = "available-processors-mismatch";
  /** Code: -XX:-UseContainerSupport. */
  public static final String CONTAINER_SUPPORT_DISABLED = "container-support-disabled";
  /** Code: the heap is larger than the limit holds beside the measured non-heap memory. */
  public static final String HEAP_ABOVE_MEASURED_FIT = "heap-above-measured-fit";
  /** Code: the heap is well below what the limit holds beside the measured non-heap memory. */
  public static final String HEAP_BELOW_MEASURED_FIT = "heap-below-measured-fit";

  /** Code: no memory limit; sizes are for memory other processes share. */
  public static final String NO_MEMORY_LIMIT = "no-memory-limit";
  /** Code: the v1 memory limit comes from an ancestor above the mount's root. */
  public static final String MEMORY_LIMIT_FROM_HIDDEN_ANCESTOR = "memory-limit-from-hidden-ancestor";
  /** Code: the LXCFS CPU view ignores the CFS quota (no {@code --enable-cfs}). */
  public static final String LXCFS_CPU_VIEW_WITHOUT_QUOTA = "lxcfs-cpu-view-without-quota";

  /** Code: more threads planned than the thread headroom allows. */
  public static final String THREADS_ABOVE_HEADROOM = "threads-above-headroom";
  /** Code: the open-file soft limit is below what a server needs. */
  public static final String OPEN_FILES_LOW = "open-files-low";
  /** Code: {@code somaxconn} cuts the listen backlog a Java server asks for. */
  public static final String SOMAXCONN_LOW = "somaxconn-low";
  /** Code: {@code vm.max_map_count} is too low for the planned threads. */
  public static final String MAX_MAP_COUNT_LOW = "max-map-count-low";

  /** Threads a Java server plans by default: Tomcat's and Jetty's {@code maxThreads}, 200. */
  public static final int SERVER_DEFAULT_THREADS = 200;
  /** Open files a server needs: Tomcat's default {@code maxConnections} 8192 plus 1024 for the JVM's own. */
  public static final long SERVER_OPEN_FILES = 8192 + 1024;
  /** Tomcat's default {@code acceptCount}, the listen backlog it asks for: 100. */
  public static final long SERVER_BACKLOG = 100;
  /** Below this {@code somaxconn}, Undertow's default backlog (1000) is cut: 1024. */
  public static final long LARGE_BACKLOG = 1024;
  /** Memory mappings per Java thread: its stack and the guard page below it (measured, JDK 17 and 25). */
  public static final int MAPS_PER_THREAD = 2;
  /** Memory mappings a JVM needs besides its threads (about 200 at start, measured), with room to grow: 1024. */
  public static final int JVM_BASE_MAPS = 1024;

  /** {@value #HEAP_BELOW_MEASURED_FIT} fires below this share of the fitting heap: 85%. */
  public static final int HEAP_BELOW_MEASURED_FIT_PERCENT = 85;

  /** The non-heap room below which {@value #HEAP_LEAVES_LITTLE_ROOM} fires is at most this: 256 MiB. */
  public static final long MAX_REQUIRED_NON_HEAP_BYTES = 256 * MIB;

  /** Limits from this size on get {@value #MAX_RAM_PERCENTAGE_DEFAULT}: 1 GiB. */
  public static final long MAX_RAM_PERCENTAGE_CHECK_FROM_BYTES = GIB;

  private JvmCheck() {}

  /**
   * Checks a JVM against detected resources.
   *
   * @param jvm what the JVM believes, e.g. {@link JvmSettings#current()}
   * @param resources what the container allows
   * @return findings, WARN before INFO; empty when all agree
   */
  public static List<Finding> check(JvmSettings jvm, ContainerResources resources) {
    requireNonNull(resources, "resources");
    // A limit above the host's memory does not bind: the JVM sized itself from the host. An unknown
    // limit gives no memory findings: their fixes would size the heap from a guess.
    OptionalLong limit = resources.memory().limitBytes().isLimited() ? resources.memory().limitBytes().value()
        : OptionalLong.empty();
    OptionalLong host = resources.memory().hostTotalBytes();
    if (limit.isPresent() && host.isPresent() && limit.getAsLong() > host.getAsLong()) {
      limit = host;
    }
    return check(jvm, resources.cpu().effective(), limit);
  }

  /**
   * Checks a JVM against given CPUs and memory limit.
   *
   * @param jvm what the JVM believes
   * @param effectiveCpus the CPUs the container allows (as {@link dev.rightsize.Cpu#effective()}), 1 or more
   * @param memoryLimitBytes the memory limit; empty when unlimited or unknown
   * @return findings, WARN before INFO; empty when all agree
   */
  public static List<Finding> check(JvmSettings jvm, int effectiveCpus, OptionalLong memoryLimitBytes) {
    requireNonNull(jvm, "jvm");
    requireNonNull(memoryLimitBytes, "memoryLimitBytes");
    if (effectiveCpus < 1) {
      throw new IllegalArgumentException("effectiveCpus < 1: " + effectiveCpus);
    }
    List<Finding> out = new ArrayList<>();

    if (jvm.useContainerSupport().isPresent() && !jvm.useContainerSupport().get()) {
      out.add(new Finding(CONTAINER_SUPPORT_DISABLED, Severity.WARN,
          "-XX:-UseContainerSupport: the JVM sizes its heap, GC and pools from the host, not the container.",
          "remove -XX:-UseContainerSupport."));
    }

    if (jvm.activeProcessorCount().isPresent()) {
      int apc = jvm.activeProcessorCount().getAsInt();
      if (apc != effectiveCpus) {
        out.add(new Finding(ACTIVE_PROCESSOR_COUNT_MISMATCH, apc > effectiveCpus ? Severity.WARN : Severity.INFO,
            "-XX:ActiveProcessorCount=" + apc + " but the container allows " + cpus(effectiveCpus)
                + (apc > effectiveCpus ? ": GC, JIT and pools run more threads than the quota feeds."
                    : ": the JVM leaves CPUs unused."),
            "set -XX:ActiveProcessorCount=" + effectiveCpus + ", or remove it and let the JVM read the container."));
      }
    } else if (jvm.availableProcessors() != effectiveCpus) {
      int ap = jvm.availableProcessors();
      out.add(new Finding(AVAILABLE_PROCESSORS_MISMATCH, ap > effectiveCpus ? Severity.WARN : Severity.INFO,
          "Runtime.availableProcessors() is " + ap + " but the container allows " + cpus(effectiveCpus)
              + (ap > effectiveCpus ? ": pools and GC sized from it oversubscribe the CPUs."
                  : ": pools sized from it leave CPUs unused."),
          "size pools with ThreadPools.of(ContainerResources.detect()), or start the JVM with -XX:ActiveProcessorCount="
              + effectiveCpus + "."));
    }

    OptionalLong heapLimit = jvm.heapLimitBytes();
    if (memoryLimitBytes.isPresent() && heapLimit.isPresent()) {
      long limit = memoryLimitBytes.getAsLong();
      long heap = heapLimit.getAsLong();
      long room = limit - heap;
      long required = Math.min(limit / 4, MAX_REQUIRED_NON_HEAP_BYTES);
      if (heap >= limit) {
        out.add(new Finding(HEAP_EXCEEDS_LIMIT, Severity.WARN,
            "max heap " + Sizes.human(heap) + " is at or above the " + Sizes.human(limit)
                + " memory limit: the kernel OOM-kills the JVM before the heap fills.",
            heapFix(limit, effectiveCpus)));
      } else if (room < required) {
        out.add(new Finding(HEAP_LEAVES_LITTLE_ROOM, Severity.WARN,
            "max heap " + Sizes.human(heap) + " leaves " + Sizes.human(room) + " of the " + Sizes.human(limit)
                + " limit for metaspace, code cache, thread stacks and GC (want at least "
                + Sizes.human(required) + ").",
            heapFix(limit, effectiveCpus)));
      } else if (limit >= MAX_RAM_PERCENTAGE_CHECK_FROM_BYTES
          && !jvm.maxHeapSizeExplicit()
          && !jvm.maxRamPercentageExplicit()
          && jvm.maxRamPercentage().isPresent()
          && jvm.maxRamPercentage().getAsDouble() == 25.0
          && heap <= limit / 100 * 26) {
        out.add(new Finding(MAX_RAM_PERCENTAGE_DEFAULT, Severity.INFO,
            "max heap " + Sizes.human(heap) + " is the JVM's default 25% of the " + Sizes.human(limit)
                + " limit; " + Sizes.human(room) + " is left to non-heap memory, which rarely needs as much.",
            percentageFix(limit, effectiveCpus)));
      }
    }
    out.sort((a, b) -> b.severity().compareTo(a.severity()));
    return List.copyOf(out);
  }

  /**
   * Compares the running heap with the one {@link JvmMemory} computes from this JVM's measured
   * footprint: whether the heap could be larger, or must be smaller, with the flags that fit.
   *
   * <pre>{@code
   * JvmCheck.checkFootprint(JvmSettings.current(), JvmFootprint.current(), 2, OptionalLong.of(1L << 30));
   * }</pre>
   *
   * @param jvm what the JVM believes (its maximum heap)
   * @param footprint what it was measured to commit outside the heap, e.g. {@link JvmFootprint#current()}
   *     after warm-up
   * @param effectiveCpus the container's CPUs, 1 or more
   * @param memoryLimitBytes the memory limit; empty (unlimited or unknown) gives no finding
   * @return zero or one finding, {@value #HEAP_ABOVE_MEASURED_FIT} or {@value #HEAP_BELOW_MEASURED_FIT}
   */
  public static List<Finding> checkFootprint(JvmSettings jvm, JvmFootprint footprint, int effectiveCpus,
      OptionalLong memoryLimitBytes) {
    requireNonNull(jvm, "jvm");
    requireNonNull(footprint, "footprint");
    requireNonNull(memoryLimitBytes, "memoryLimitBytes");
    if (effectiveCpus < 1) {
      throw new IllegalArgumentException("effectiveCpus < 1: " + effectiveCpus);
    }
    if (memoryLimitBytes.isEmpty() || jvm.heapLimitBytes().isEmpty()) {
      return List.of();
    }
    long limit = memoryLimitBytes.getAsLong();
    long heap = jvm.heapLimitBytes().getAsLong();
    JvmMemory fit;
    try {
      fit = JvmMemory.builder().totalBytes(limit).cpuCount(effectiveCpus).footprint(footprint).calculate();
    } catch (InsufficientMemoryException | IllegalArgumentException e) {
      return List.of();
    }
    String measured = "non-heap measured: " + footprint.peakThreadCount() + " threads, "
        + footprint.loadedClassCount() + " classes, " + Sizes.human(footprint.metaspaceCommittedBytes())
        + " metaspace, " + Sizes.human(footprint.codeCacheCommittedBytes()) + " code cache, "
        + Sizes.human(footprint.directBufferBytes() + footprint.mappedBufferBytes()) + " buffers";
    String fix = "use " + fit.flagsLine() + " (java -jar rightsize-cli.jar --jvm-flags --profile FILE).";
    if (heap > fit.heapBytes()) {
      return List.of(new Finding(HEAP_ABOVE_MEASURED_FIT, Severity.WARN,
          "max heap " + Sizes.human(heap) + " is above the " + Sizes.human(fit.heapBytes()) + " the "
              + Sizes.human(limit) + " limit holds beside this JVM's " + measured
              + ": under full load the kernel OOM-kills it.", fix));
    }
    if (heap * 100 < fit.heapBytes() * HEAP_BELOW_MEASURED_FIT_PERCENT) {
      return List.of(new Finding(HEAP_BELOW_MEASURED_FIT, Severity.INFO,
          "max heap " + Sizes.human(heap) + " is below " + HEAP_BELOW_MEASURED_FIT_PERCENT + "% of the "
              + Sizes.human(fit.heapBytes()) + " the " + Sizes.human(limit) + " limit holds beside this JVM's "
              + measured + ".", fix));
    }
    return List.of();
  }

  /**
   * Checks the container's values alone, for what a person reading them should know.
   *
   * @param resources what was detected
   * @return INFO findings; empty when there is nothing to say
   */
  public static List<Finding> checkResources(ContainerResources resources) {
    requireNonNull(resources, "resources");
    List<Finding> out = new ArrayList<>();
    dev.rightsize.Memory m = resources.memory();
    if (m.limitBytes().isUnlimited() && m.availableBytes().isPresent()) {
      String what = m.isolatedViewTotalBytes().isPresent() ? "the isolated view's MemTotal" : "the host's memory";
      out.add(new Finding(NO_MEMORY_LIMIT, Severity.INFO, "no memory limit is set: the recommended sizes are for "
          + what + ", " + Sizes.human(m.availableBytes().getAsLong()) + ", which every other process on it shares.",
          "set a memory limit on the container (docker run --memory, Kubernetes resources.limits.memory), or size"
              + " the heap yourself (-Xmx)."));
    }
    resources.provenanceOf(dev.rightsize.Value.MEMORY_LIMIT)
        .filter(p -> m.limitBytes().isLimited() && p.raw().startsWith("hierarchical_memory_limit"))
        .ifPresent(p -> out.add(new Finding(MEMORY_LIMIT_FROM_HIDDEN_ANCESTOR, Severity.INFO,
            "memory.limit " + Sizes.human(m.limitBytes().value().getAsLong()) + " is hierarchical_memory_limit in "
                + p.file() + ", tighter than every cgroup in sight: an ancestor (a pod) above this mount's root"
                + " sets it. A CPU quota set there cannot be seen from here (cgroup v1 has no hierarchical CPU"
                + " file), so cpu.limit may be tighter than reported.",
            "give the process its CPU limit another way (the Kubernetes downward API's limits.cpu into"
                + " -XX:ActiveProcessorCount), or set the quota on the container's own cgroup.")));
    dev.rightsize.Cpu c = resources.cpu();
    if (resources.source() == dev.rightsize.Source.LXCFS && c.isolatedView().isPresent() && c.limit().isPresent()) {
      int view = c.isolatedView().getAsInt();
      double limit = c.limit().getAsDouble();
      if (view > Math.ceil(limit - 1e-9) && view == Math.min(c.cpuset().orElse(c.host()), c.host())) {
        out.add(new Finding(LXCFS_CPU_VIEW_WITHOUT_QUOTA, Severity.INFO, "the LXCFS CPU view shows " + cpus(view)
            + " (the cpuset), not the " + Sizes.decimal(limit) + "-CPU quota: LXCFS runs without --enable-cfs, as distribution"
            + " packages do. cpu.effective (" + c.effective() + ") follows the quota; nproc, /proc/cpuinfo"
            + " and tools that read them do not.",
            "start lxcfs with --enable-cfs (LXCFS 4.0 or later) for a view that follows the quota, or size"
                + " from cpu.effective."));
      }
    }
    return out;
  }

  /**
   * Checks the task, file and kernel limits against a Java server's defaults: {@value
   * #SERVER_DEFAULT_THREADS} worker threads (Tomcat's and Jetty's {@code maxThreads}).
   *
   * @param resources what the container allows
   * @return findings, WARN before INFO; empty when nothing is too low (or could not be read)
   */
  public static List<Finding> checkLimits(ContainerResources resources) {
    return checkLimits(resources, SERVER_DEFAULT_THREADS, SERVER_DEFAULT_THREADS + " threads (a Java server's"
        + " default worker pool: Tomcat's and Jetty's maxThreads)");
  }

  /**
   * Checks the task, file and kernel limits against a planned number of threads: codes
   * {@value #THREADS_ABOVE_HEADROOM}, {@value #OPEN_FILES_LOW}, {@value #SOMAXCONN_LOW} and
   * {@value #MAX_MAP_COUNT_LOW}. A value that is unlimited or could not be read gives no finding.
   *
   * @param resources what the container allows
   * @param plannedThreads the threads the application will run at its peak, all pools together
   *     (e.g. {@link JvmMemory#threadCount()}'s input)
   * @return findings, WARN before INFO
   */
  public static List<Finding> checkLimits(ContainerResources resources, int plannedThreads) {
    return checkLimits(resources, plannedThreads, plannedThreads + " threads (planned)");
  }

  private static List<Finding> checkLimits(ContainerResources r, int planned, String what) {
    requireNonNull(r, "resources");
    if (planned < 0) {
      throw new IllegalArgumentException("plannedThreads < 0: " + planned);
    }
    List<Finding> out = new ArrayList<>();
    ThreadHeadroom h = ThreadHeadroom.of(r).orElse(null);
    if (h != null && planned > h.threads()) {
      boolean pids = h.limitedBy() == Value.PIDS_LIMIT;
      out.add(new Finding(THREADS_ABOVE_HEADROOM, Severity.WARN,
          what + " are more than the thread headroom of " + h.threads() + ": " + h.describe() + "; thread "
              + (h.threads() + 1) + " fails with OutOfMemoryError: unable to create native thread.",
          "keep all pools together within " + h.threads() + " threads (ThreadPools.of(ContainerResources.detect())"
              + " caps blocking pools at it; Tomcat: server.tomcat.threads.max, Jetty: maxThreads), or raise the "
              + (pids ? "limit: Kubernetes podPidsLimit (kubelet --pod-max-pids), docker/podman run --pids-limit,"
                  + " systemd TasksMax=" : "limit: ulimit -u in the entrypoint (up to the hard limit "
                  + r.rlimits().nprocHard() + "), docker/podman run --ulimit nproc=N:N")
              + "."));
    }
    Limit nofile = r.rlimits().nofile();
    if (nofile.isLimited() && nofile.value().getAsLong() < SERVER_OPEN_FILES) {
      long n = nofile.value().getAsLong();
      out.add(new Finding(OPEN_FILES_LOW, Severity.WARN,
          "the open-file limit is " + n + " (ulimit -n; hard limit " + r.rlimits().nofileHard() + "): a server"
              + " holds one descriptor per connection, and Tomcat alone accepts 8192 by default (maxConnections),"
              + " plus about 1024 for the JVM's own jars, logs and outgoing connections; past " + n
              + ", accept() and open() fail with 'Too many open files'.",
          "raise it to " + SERVER_OPEN_FILES + " or more (65536 is usual): ulimit -n in the entrypoint (up to the"
              + " hard limit; the JVM itself raises its soft limit to the hard one unless -XX:-MaxFDLimit), or"
              + " the runtime's --ulimit nofile=65536:65536 (docker/podman run; containerd: the LimitNOFILE of"
              + " its service); Kubernetes has no per-pod field: it is the node's container runtime setting."));
    }
    if (r.kernel().somaxconn().isPresent() && r.kernel().somaxconn().getAsLong() < LARGE_BACKLOG) {
      long s = r.kernel().somaxconn().getAsLong();
      boolean belowTomcat = s < SERVER_BACKLOG;
      out.add(new Finding(SOMAXCONN_LOW, belowTomcat ? Severity.WARN : Severity.INFO,
          "net.core.somaxconn is " + s + " in this network namespace: the kernel cuts every listen backlog to it"
              + (belowTomcat ? ", below the 100 Tomcat asks for by default (acceptCount)" : "")
              + "; Undertow's default 1000 is cut, and Netty, which reads somaxconn itself, uses " + s
              + "; a burst of new connections beyond it waits for SYN retries (1 s and more) or is refused.",
          "raise it in the pod's own network namespace: Kubernetes securityContext.sysctls"
              + " net.core.somaxconn=4096 (an unsafe sysctl: the kubelet must allow it with"
              + " --allowed-unsafe-sysctls), docker/podman run --sysctl net.core.somaxconn=4096; TKE/TencentOS"
              + " sets it per container; the server's own backlog setting cannot go past it."));
    }
    if (r.kernel().maxMapCount().isPresent()) {
      long maps = r.kernel().maxMapCount().getAsLong();
      long need = JVM_BASE_MAPS + (long) MAPS_PER_THREAD * planned;
      if (maps < need) {
        long fit = Math.max(0, (maps - JVM_BASE_MAPS) / MAPS_PER_THREAD);
        out.add(new Finding(MAX_MAP_COUNT_LOW, Severity.WARN,
            "vm.max_map_count is " + maps + ": with " + MAPS_PER_THREAD + " memory mappings per thread (its stack"
                + " and guard page) and about " + JVM_BASE_MAPS + " for the JVM itself, about " + fit
                + " threads fit, fewer than " + what + "; past it, thread creation fails with OutOfMemoryError:"
                + " unable to create native thread, and other mappings (buffers, files) fail too.",
            "raise vm.max_map_count to " + Math.max(65530, need) + " or more (sysctl -w vm.max_map_count=262144"
                + " on the node; TKE/TencentOS sets it per container), or run fewer threads."));
      }
    }
    out.sort((a, b) -> b.severity().compareTo(a.severity()));
    return List.copyOf(out);
  }

  private static String cpus(int n) {
    return n == 1 ? "1 CPU" : n + " CPUs";
  }

  private static String heapFix(long limit, int cpus) {
    try {
      JvmMemory m = JvmMemory.builder().totalBytes(limit).cpuCount(cpus).calculate();
      return "lower the heap, e.g. " + m.flagsLine() + " (java -jar rightsize-cli.jar --jvm-flags).";
    } catch (InsufficientMemoryException e) {
      return "lower -Xmx or -XX:MaxRAMPercentage, or raise the memory limit.";
    }
  }

  /** Only for limits of {@link #MAX_RAM_PERCENTAGE_CHECK_FROM_BYTES} and more, which always hold the defaults. */
  private static String percentageFix(long limit, int cpus) {
    JvmMemory m = JvmMemory.builder().totalBytes(limit).cpuCount(cpus).calculate();
    return "set " + m.maxRamPercentageFlag() + ", or use the flags of java -jar rightsize-cli.jar --jvm-flags ("
        + m.flagsLine() + ").";
  }
}
