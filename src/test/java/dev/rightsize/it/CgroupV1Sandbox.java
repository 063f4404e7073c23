package dev.rightsize.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nested tree of real cgroup v1 directories under this process's own cgroup, one per controller
 * ({@code cpu}, {@code cpuacct}, {@code cpuset}, {@code memory}, {@code pids}), and a way to run commands in its
 * leaf as a bare host, a container runtime or a private cgroup namespace would show it.
 *
 * <p>Levels are numbered from 0 (the sandbox's own top directory, {@code rs-it-<random>}) down to
 * {@link #leaf()}. Closing kills every process the sandbox started or that is still in one of its
 * cgroups (only the sandbox puts processes there), then removes the directories bottom-up.
 */
final class CgroupV1Sandbox implements AutoCloseable {
  static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "cpuset", "memory", "pids");

  /** How the cgroup filesystem looks to the command run in the leaf. */
  enum Layout {
    /** Full host paths: mount root {@code /}, /proc/self/cgroup gives the whole path. */
    HOST(false, false),
    /**
     * A container runtime's view: a private mount namespace, tmpfs at /sys/fs/cgroup and the leaf
     * directories bind-mounted (read-only) as the controller directories; mountinfo root = the
     * cgroup path, /proc/self/cgroup still the whole path.
     */
    RUNTIME(true, false),
    /** {@link #RUNTIME} plus a private cgroup namespace: mountinfo root and /proc/self/cgroup read {@code /}. */
    CGROUPNS(true, true),
    /**
     * A private cgroup namespace with each controller mounted afresh inside it (what runtimes do with
     * cgroupns=private): mountinfo root {@code /}, /proc/self/cgroup {@code /}.
     */
    CGROUPNS_REMOUNT(true, true),
    /**
     * A private cgroup namespace that kept the host's mounts: mountinfo roots read {@code /../..}
     * (the path cannot be mapped), /proc/self/cgroup {@code /}.
     */
    CGROUPNS_HOST_MOUNTS(true, true);

    final boolean mountNs;
    final boolean cgroupNs;

    Layout(boolean mountNs, boolean cgroupNs) {
      this.mountNs = mountNs;
      this.cgroupNs = cgroupNs;
    }

    /** Whether the limits of the leaf's ancestors are visible as directories in this layout. */
    boolean seesAncestors() {
      return this == HOST;
    }
  }

  /** What a finished command did. */
  record Result(int exit, String stdout, String stderr, Duration elapsed, boolean timedOut) {
    @Override
    public String toString() {
      return "exit=" + exit + (timedOut ? " (timed out)" : "") + " in " + elapsed.toMillis() + " ms\n--- stdout\n"
          + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");

  private final String top;
  private final List<String> levels; // names below each controller's own cgroup, top first
  private final Map<String, Path> own = new LinkedHashMap<>(); // controller -> own cgroup dir
  private final Path work;
  private final List<Process> started = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private CgroupV1Sandbox(List<String> below) throws IOException {
    this.top = "rs-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    List<String> l = new ArrayList<>();
    l.add(top);
    l.addAll(below);
    this.levels = List.copyOf(l);
    this.work = Files.createTempDirectory("rs-it-work-");
    this.shutdownHook = new Thread(this::closeQuietly, "cgroup-sandbox-cleanup");
  }

  /**
   * Whether cgroup v1 sandboxes can be made here; empty if yes, else what is missing.
   *
   * @return a message naming the missing requirement, or empty
   */
  static Optional<String> unavailableReason() {
    if (!RealKernel.isRoot()) {
      return Optional.of("root (uid 0) to create cgroups and mount namespaces");
    }
    for (String tool : List.of("unshare", "mount", "umount", "sh")) {
      if (!RealKernel.onPath(tool)) {
        return Optional.of("the '" + tool + "' command (util-linux)");
      }
    }
    for (String c : CONTROLLERS) {
      try {
        ownDir(c);
      } catch (IOException | RuntimeException e) {
        return Optional.of("a cgroup v1 '" + c + "' controller mounted at " + CGROUP_FS.resolve(c) + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Requires a usable cgroup v1 host (skips or fails via {@link RealKernel#require}). */
  static void requireAvailable() {
    Optional<String> why = unavailableReason();
    RealKernel.require(why.isEmpty(), "cgroup v1 sandbox needs " + why.orElse(""));
  }

  /**
   * Creates the tree {@code <own>/rs-it-<random>/<below...>} for every controller, cpuset values
   * copied down level by level.
   *
   * @param below the level names under the sandbox's top directory, e.g. kubepods, burstable, pod..., hex
   * @return the open sandbox
   * @throws IOException where a directory cannot be made (whatever was made is removed again)
   */
  static CgroupV1Sandbox create(String... below) throws IOException {
    CgroupV1Sandbox s = new CgroupV1Sandbox(List.of(below));
    try {
      for (String c : CONTROLLERS) {
        s.own.put(c, ownDir(c));
      }
      Runtime.getRuntime().addShutdownHook(s.shutdownHook);
      for (String c : CONTROLLERS) {
        Path dir = s.own.get(c);
        for (String name : s.levels) {
          Path parent = dir;
          dir = dir.resolve(name);
          Files.createDirectory(dir);
          if (c.equals("cpuset")) {
            writeFile(dir.resolve("cpuset.cpus"), readFile(parent.resolve("cpuset.cpus")).trim());
            writeFile(dir.resolve("cpuset.mems"), readFile(parent.resolve("cpuset.mems")).trim());
          }
        }
      }
      return s;
    } catch (IOException | RuntimeException e) {
      s.closeQuietly();
      throw e;
    }
  }

  /** A Kubernetes-like tree: rs-it-x/kubepods/burstable/pod&lt;uuid&gt;/&lt;64 hex&gt;. */
  static CgroupV1Sandbox createKubepods() throws IOException {
    StringBuilder hex = new StringBuilder();
    while (hex.length() < 64) {
      hex.append(String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong()));
    }
    return create("kubepods", "burstable", "pod" + UUID.randomUUID(), hex.substring(0, 64));
  }

  /** The leaf's level number. */
  int leaf() {
    return levels.size() - 1;
  }

  /** The level just above the leaf (the "pod"). */
  int pod() {
    return levels.size() - 2;
  }

  /** The directory of a controller at a level (0 = the sandbox's top). */
  Path dir(String controller, int level) {
    Path p = own.get(controller);
    for (int i = 0; i <= level; i++) {
      p = p.resolve(levels.get(i));
    }
    return p;
  }

  /** The leaf directory of a controller. */
  Path leafDir(String controller) {
    return dir(controller, leaf());
  }

  /** The cgroup path of the leaf, as /proc/self/cgroup names it on the host. */
  String leafCgroupPath(String controller) {
    return "/" + CGROUP_FS.resolve(controller).relativize(leafDir(controller));
  }

  /** This run's scratch directory (deleted on close). */
  Path work() {
    return work;
  }

  /** Writes a control file, e.g. {@code set(pod(), "cpu", "cpu.cfs_quota_us", "50000")}. */
  void set(int level, String controller, String file, Object value) throws IOException {
    writeFile(dir(controller, level).resolve(file), String.valueOf(value));
  }

  /** Reads a control file. */
  String read(int level, String controller, String file) throws IOException {
    return readFile(dir(controller, level).resolve(file)).trim();
  }

  /** Whether a control file exists (e.g. memory.memsw.limit_in_bytes needs swap accounting). */
  boolean has(int level, String controller, String file) {
    return Files.exists(dir(controller, level).resolve(file));
  }

  /** Runs a command in the leaf, in a layout, with no extra mounts. */
  Result run(Layout layout, Duration timeout, List<String> command) throws IOException, InterruptedException {
    return run(layout, "", timeout, command);
  }

  /**
   * Runs a command in the leaf and waits for it.
   *
   * @param layout how /sys/fs/cgroup should look to the command
   * @param extraSetup shell commands run in the command's mount namespace after the layout is made
   *     (e.g. LXCFS binds); empty for none
   * @param timeout how long to wait before killing it (the result then says timedOut)
   * @param command the command and its arguments
   * @return its exit status and output
   */
  Result run(Layout layout, String extraSetup, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out-", ".txt");
    Path err = Files.createTempFile(work, "err-", ".txt");
    long t0 = System.nanoTime();
    Process p = start(layout, extraSetup, command, ProcessBuilder.Redirect.to(out.toFile()),
        ProcessBuilder.Redirect.to(err.toFile()), ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      kill(p);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    return new Result(done ? p.exitValue() : -1, Files.readString(out), Files.readString(err), elapsed, !done);
  }

  /**
   * Starts a command in the leaf without waiting; the sandbox kills it on close.
   *
   * @return the started process (its pid is the wrapper shell's, which execs into the command)
   */
  Process start(Layout layout, String extraSetup, List<String> command, ProcessBuilder.Redirect stdout,
      ProcessBuilder.Redirect stderr, ProcessBuilder.Redirect stdin) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add("sh");
    argv.add("-c");
    StringBuilder enter = new StringBuilder();
    for (String c : CONTROLLERS) {
      enter.append("echo $$ > ").append(shQuote(leafDir(c).resolve("cgroup.procs").toString())).append(" && ");
    }
    enter.append("exec \"$@\"");
    argv.add(enter.toString());
    argv.add("rs-enter");
    if (layout.mountNs || !extraSetup.isBlank()) {
      argv.add("unshare");
      if (layout.cgroupNs) {
        argv.add("-C");
      }
      argv.add("-m");
      argv.add("--propagation");
      argv.add("private");
      argv.add("sh");
      argv.add("-c");
      argv.add("set -e\n" + layoutScript(layout) + extraSetup + "\nexec \"$@\"");
      argv.add("rs-layout");
    }
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(stdout).redirectError(stderr).redirectInput(stdin);
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  /**
   * Runs a command in the leaf inside the mount (and, if asked, cgroup) namespace of a process
   * started earlier with {@link #start}: for views that must be set up while a daemon still
   * answers and used after it stopped answering.
   */
  Result runInNamespaceOf(Process holder, boolean cgroupNs, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder.pid()), "-m"));
    if (cgroupNs) {
      cmd.add("-C");
    }
    cmd.add("--");
    cmd.addAll(command);
    return run(Layout.HOST, timeout, cmd);
  }

  /** The shell commands that rebuild /sys/fs/cgroup for a layout, run inside the new namespaces. */
  String layoutScript(Layout layout) throws IOException {
    StringBuilder sb = new StringBuilder();
    switch (layout) {
      case HOST, CGROUPNS_HOST_MOUNTS -> {
        // nothing to change
      }
      case RUNTIME, CGROUPNS -> {
        Path stage = Files.createTempDirectory(work, "stage-");
        for (String c : CONTROLLERS) {
          Path s = Files.createDirectory(stage.resolve(c));
          sb.append("mount --bind ").append(shQuote(leafDir(c).toString())).append(' ').append(shQuote(s.toString())).append('\n');
        }
        sb.append("umount -R -l /sys/fs/cgroup\n");
        sb.append("mount -t tmpfs -o mode=755 rs-cgroup /sys/fs/cgroup\n");
        for (String c : CONTROLLERS) {
          sb.append("mkdir /sys/fs/cgroup/").append(c).append('\n');
          sb.append("mount --move ").append(shQuote(stage.resolve(c).toString())).append(" /sys/fs/cgroup/").append(c).append('\n');
          sb.append("mount -o remount,bind,ro /sys/fs/cgroup/").append(c).append('\n');
        }
      }
      case CGROUPNS_REMOUNT -> {
        sb.append("umount -R -l /sys/fs/cgroup\n");
        sb.append("mount -t tmpfs -o mode=755 rs-cgroup /sys/fs/cgroup\n");
        for (String c : CONTROLLERS) {
          sb.append("mkdir /sys/fs/cgroup/").append(c).append('\n');
          sb.append("mount -t cgroup -o ro,").append(c).append(" cgroup /sys/fs/cgroup/").append(c).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** Kills a process and its descendants, and waits briefly for it. */
  static void kill(Process p) {
    try {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down: the hook is what is running us
    }
    List<Process> ps;
    synchronized (started) {
      ps = List.copyOf(started);
    }
    ps.forEach(CgroupV1Sandbox::kill);
    List<String> failures = new ArrayList<>();
    for (String c : own.keySet()) {
      for (int level = leaf(); level >= 0; level--) {
        Path d = dir(c, level);
        if (!Files.isDirectory(d)) {
          continue;
        }
        if (!removeCgroup(d)) {
          failures.add(d.toString());
        }
      }
    }
    deleteTree(work);
    if (!failures.isEmpty()) {
      throw new IOException("could not remove cgroups " + failures);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      System.err.println("cgroup sandbox cleanup: " + e);
    }
  }

  /** Empties a cgroup of leftover processes (all ours) and removes it, retrying for up to 5 s. */
  private static boolean removeCgroup(Path d) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        for (String pid : readFile(d.resolve("cgroup.procs")).split("\\s+")) {
          if (!pid.isBlank()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
        Files.delete(d);
        return true;
      } catch (NoSuchFileException e) {
        return true;
      } catch (IOException | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          System.err.println("cannot remove " + d + ": " + e);
          return false;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /** Deletes a directory tree, best effort: what cannot be deleted is left. */
  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException e) {
          // a staging dir still mounted in a dying namespace: leave it
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  /**
   * This process's own cgroup directory for a v1 controller, from /proc/self/cgroup and the mount
   * of that controller in /proc/self/mountinfo.
   */
  static Path ownDir(String controller) throws IOException {
    String path = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
        path = f[2];
      }
    }
    if (path == null) {
      throw new IOException("no '" + controller + "' line in /proc/self/cgroup");
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] halves = line.split(" - ", 2);
      if (halves.length < 2) {
        continue;
      }
      String[] pre = halves[0].split(" ");
      String[] post = halves[1].split(" ");
      if (post.length < 3 || !post[0].equals("cgroup")) {
        continue;
      }
      if (!List.of(post[2].split(",")).contains(controller)) {
        continue;
      }
      String root = pre[3];
      Path mountPoint = Path.of(pre[4]);
      if (!(path + "/").startsWith(root.equals("/") ? "/" : root + "/")) {
        throw new IOException("own " + controller + " cgroup " + path + " is outside its mount root " + root);
      }
      String rel = path.substring(root.equals("/") ? 1 : root.length());
      rel = rel.startsWith("/") ? rel.substring(1) : rel;
      Path dir = rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
      if (!Files.isDirectory(dir)) {
        throw new IOException(dir + " is not a directory");
      }
      return dir;
    }
    throw new IOException("no cgroup v1 mount of '" + controller + "' in /proc/self/mountinfo");
  }

  static String readFile(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  static void writeFile(Path p, String value) throws IOException {
    try {
      Files.writeString(p, value, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("writing '" + value + "' to " + p + ": " + e.getMessage(), e);
    }
  }

  static String shQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
