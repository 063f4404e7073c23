package dev.rightsize.it.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A throwaway Linux VM with a real cgroup v2 hierarchy, booted under QEMU's software emulation
 * (TCG) from this machine's own kernel, with this machine's root file system shared read-only over
 * 9p so the project's jars and the installed JDKs run inside it.
 *
 * <p>One {@link #run} is one boot: the VM runs one shell script (inside {@code chroot} of the shared
 * root, as root, with a cgroup2 hierarchy at {@code /sys/fs/cgroup} whose root has {@code +cpu
 * +memory +cpuset} in {@code cgroup.subtree_control}), prints its output on the serial console
 * between markers, and powers off. A boot takes about 6 s and a JVM start inside it about 4 s, so
 * batch many scenarios into one script.
 *
 * <p>Inside the VM: the shared root is read-only; {@code /tmp} is a tmpfs of the VM's own (a host
 * file under {@code /tmp} is hidden, see {@link #visibleInVm}); the script reports through its
 * standard output only.
 *
 * <p>Host requirements (Debian: {@code apt-get install --no-install-recommends qemu-system-x86
 * linux-image-amd64 busybox-static}): {@code qemu-system-x86_64}, a {@code /boot/vmlinuz-<ver>}
 * with its {@code /lib/modules/<ver>}, a static busybox. {@link #whatIsMissing()} names what is
 * absent. Overrides: system properties {@code rightsize.vm.qemu}, {@code rightsize.vm.kernel} and
 * {@code rightsize.vm.busybox}.
 */
public final class QemuVm implements AutoCloseable {

  /** Modules needed for the 9p root share, in load order; ones built in or absent are skipped. */
  public static final List<String> MODULES =
      List.of(
          "virtio_ring",
          "virtio",
          "virtio_pci_legacy_dev",
          "virtio_pci_modern_dev",
          "virtio_pci",
          "netfs",
          "fscache",
          "9pnet",
          "9pnet_virtio",
          "9p");

  private static final int MAX_CONSOLE_BYTES = 32 << 20;
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Object INITRAMFS_LOCK = new Object();
  private static Path cachedInitramfs;
  private static List<String> initramfsNotes = List.of();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process p : LIVE) {
                    p.destroyForcibly();
                  }
                },
                "qemu-vm-reaper"));
  }

  /** What the host provides. */
  public record Host(Path qemu, Path kernel, String kernelVersion, Path modules, Path busybox) {}

  /** The result of one boot. */
  public record Result(String output, int exitCode, String console, Duration elapsed) {}

  /** The VM failed to produce a result (timeout, boot failure, missing markers). */
  public static final class VmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    VmException(String message) {
      super(message);
    }
  }

  private final Host host;
  private final int memoryMb;
  private final int cpus;
  private final Path workDir;

  private QemuVm(Host host, int memoryMb, int cpus) throws IOException {
    this.host = host;
    this.memoryMb = memoryMb;
    this.cpus = cpus;
    // Not under /tmp: the VM mounts a tmpfs of its own there.
    this.workDir =
        Files.createTempDirectory(
            vmVisibleTempRoot(),
            "rightsize-vm-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * A VM with the given memory and CPU count. The caller closes it, which deletes its temp files.
   *
   * @throws IllegalStateException when {@link #whatIsMissing()} is not empty
   */
  public static QemuVm create(int memoryMb, int cpus) throws IOException {
    Optional<String> missing = whatIsMissing();
    if (missing.isPresent()) {
      throw new IllegalStateException(missing.get());
    }
    return new QemuVm(findHost().orElseThrow(), memoryMb, cpus);
  }

  /** Empty when a VM can be booted here, else what is missing and how to install it. */
  public static Optional<String> whatIsMissing() {
    List<String> missing = new ArrayList<>();
    String arch = System.getProperty("os.arch");
    if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
      missing.add("an x86_64 host (this is " + arch + ")");
    }
    if (findQemu().isEmpty()) {
      missing.add("qemu-system-x86_64 (apt-get install qemu-system-x86)");
    }
    if (findKernel().isEmpty()) {
      missing.add("a readable /boot/vmlinuz-<ver> with /lib/modules/<ver> (apt-get install linux-image-amd64)");
    }
    if (findBusybox().isEmpty()) {
      missing.add("a statically linked busybox (apt-get install busybox-static)");
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("cgroup v2 VM needs " + String.join(", ", missing));
  }

  /** The host tools found, if all are there. */
  public static Optional<Host> findHost() {
    Optional<Path> qemu = findQemu();
    Optional<Path[]> kernel = findKernel();
    Optional<Path> busybox = findBusybox();
    if (qemu.isEmpty() || kernel.isEmpty() || busybox.isEmpty()) {
      return Optional.empty();
    }
    Path k = kernel.get()[0];
    Path mods = kernel.get()[1];
    return Optional.of(new Host(qemu.get(), k, mods.getFileName().toString(), mods, busybox.get()));
  }

  public Host host() {
    return host;
  }

  /** Notes from building the initramfs (modules decompressed, skipped or built in). */
  public static List<String> initramfsNotes() {
    synchronized (INITRAMFS_LOCK) {
      return initramfsNotes;
    }
  }

  /**
   * A path to {@code file} that the VM can read: the file itself, or a copy in this VM's work dir
   * when it lies where the VM cannot see it (under {@code /tmp} or {@code /dev/shm}).
   */
  public Path visibleInVm(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    if (!abs.startsWith("/tmp") && !abs.startsWith("/dev") && !abs.startsWith("/proc")
        && !abs.startsWith("/sys")) {
      return abs;
    }
    Path copy = workDir.resolve("staged-" + abs.getFileName());
    Files.copy(abs, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  /**
   * Boots the VM, runs {@code script} with {@code /bin/sh} inside it and returns its output
   * (standard output and standard error, as the console shows them, without carriage returns).
   *
   * @throws VmException when the VM does not deliver the script's end marker within {@code timeout}
   *     (qemu is killed then) or fails before running the script
   */
  public Result run(String script, Duration timeout) throws IOException, InterruptedException {
    Path initramfs = initramfs(host);
    String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    Path scriptFile = workDir.resolve("script-" + nonce + ".sh");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    List<String> cmd =
        List.of(
            host.qemu().toString(),
            "-accel", "tcg",
            "-m", Integer.toString(memoryMb),
            "-smp", Integer.toString(cpus),
            "-kernel", host.kernel().toString(),
            "-initrd", initramfs.toString(),
            "-append",
            "console=ttyS0 quiet loglevel=1 panic=-1 rightsize.script=" + scriptFile
                + " rightsize.nonce=" + nonce
                // the VM's own watchdog, a little after the host's timeout
                + " rightsize.deadline=" + (timeout.toSeconds() + 30),
            "-nodefaults",
            "-display", "none",
            "-serial", "stdio",
            "-monitor", "none",
            "-no-reboot",
            "-virtfs",
            "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap");
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    LIVE.add(p);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> drain(p.getInputStream(), console), "qemu-console");
    reader.setDaemon(true);
    reader.start();
    boolean exited;
    try {
      exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
      reader.join(5_000);
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
      LIVE.remove(p);
      Files.deleteIfExists(scriptFile);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String text;
    synchronized (console) {
      text = console.toString(StandardCharsets.UTF_8).replace("\r", "");
    }
    return parse(text, nonce, exited, timeout, elapsed);
  }

  private static Result parse(
      String text, String nonce, boolean exited, Duration timeout, Duration elapsed) {
    String begin = "@@RIGHTSIZE-VM-BEGIN " + nonce + "@@\n";
    Pattern end = Pattern.compile("\n?@@RIGHTSIZE-VM-END " + nonce + " rc=(\\d+)@@");
    int b = text.indexOf(begin);
    Matcher m = end.matcher(text);
    if (b >= 0 && m.find(b)) {
      String out = text.substring(b + begin.length(), m.start());
      return new Result(out, Integer.parseInt(m.group(1)), text, elapsed);
    }
    String why;
    int fail = text.indexOf("@@RIGHTSIZE-VM-FAIL@@");
    if (fail >= 0) {
      why = "VM setup failed: " + text.substring(fail, text.indexOf('\n', fail) < 0 ? text.length()
          : text.indexOf('\n', fail));
    } else if (!exited) {
      why = "VM timed out after " + timeout + " (qemu killed)";
    } else {
      why = "VM ended without the script's end marker";
    }
    throw new VmException(why + "; console tail:\n" + tail(text, 4000));
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n);
  }

  private static void drain(InputStream in, ByteArrayOutputStream sink) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (sink) {
          if (sink.size() < MAX_CONSOLE_BYTES) {
            sink.write(buf, 0, n);
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Deletes this VM's temp files (scripts, staged copies). */
  @Override
  public void close() throws IOException {
    deleteTree(workDir);
  }

  // ---------------------------------------------------------------------------------------------
  // initramfs

  /** The initramfs for {@code host}, built once per JVM and deleted when it exits. */
  static Path initramfs(Host host) throws IOException {
    synchronized (INITRAMFS_LOCK) {
      if (cachedInitramfs != null && Files.exists(cachedInitramfs)) {
        return cachedInitramfs;
      }
      Path dir =
          Files.createTempDirectory(
              vmVisibleTempRoot(),
              "rightsize-initramfs-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> deleteQuietly(dir), "initramfs-cleanup"));
      Path out = dir.resolve("initramfs.cpio.gz");
      List<String> notes = new ArrayList<>();
      try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(out), 1 << 16)) {
        Cpio cpio = new Cpio(os);
        for (String d : List.of("bin", "dev", "proc", "sys", "host", "tmp", "lib", "lib/modules")) {
          cpio.dir(d);
        }
        cpio.charDevice("dev/console", 0600, 5, 1);
        cpio.file("bin/busybox", 0755, Files.readAllBytes(host.busybox()));
        cpio.symlink("bin/sh", "busybox");
        cpio.file("init", 0755, resource("/vm/init.sh"));
        Map<String, Path> found = indexModules(host.modules());
        Set<String> builtin = builtinModules(host.modules());
        List<String> order = new ArrayList<>();
        for (String m : MODULES) {
          Path f = found.get(m);
          if (f == null) {
            notes.add(m + (builtin.contains(m) ? ": built in" : ": not in this kernel, skipped"));
            continue;
          }
          byte[] ko = decompressModule(f);
          if (ko == null) {
            notes.add(m + ": cannot decompress " + f + " (install xz-utils or zstd), skipped");
            continue;
          }
          if (!f.getFileName().toString().endsWith(".ko")) {
            notes.add(m + ": decompressed " + f.getFileName());
          }
          cpio.file("lib/modules/" + m + ".ko", 0644, ko);
          order.add(m);
        }
        cpio.file(
            "lib/modules/load-order",
            0644,
            (String.join("\n", order) + "\n").getBytes(StandardCharsets.US_ASCII));
        cpio.finish();
      }
      cachedInitramfs = out;
      initramfsNotes = List.copyOf(notes);
      return out;
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = QemuVm.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  private static Map<String, Path> indexModules(Path modulesDir) throws IOException {
    Map<String, Path> index = new HashMap<>();
    Set<String> wanted = Set.copyOf(MODULES);
    try (Stream<Path> s = Files.walk(modulesDir)) {
      s.filter(Files::isRegularFile)
          .forEach(
              f -> {
                String n = f.getFileName().toString();
                int i = n.indexOf(".ko");
                if (i > 0) {
                  String mod = n.substring(0, i).replace('-', '_');
                  if (wanted.contains(mod)) {
                    // prefer an uncompressed one
                    index.merge(mod, f, (a, b) -> a.toString().endsWith(".ko") ? a : b);
                  }
                }
              });
    }
    return index;
  }

  private static Set<String> builtinModules(Path modulesDir) throws IOException {
    Path f = modulesDir.resolve("modules.builtin");
    Set<String> names = new java.util.HashSet<>();
    if (Files.isRegularFile(f)) {
      for (String line : Files.readAllLines(f)) {
        String n = line.substring(line.lastIndexOf('/') + 1);
        if (n.endsWith(".ko")) {
          names.add(n.substring(0, n.length() - 3).replace('-', '_'));
        }
      }
    }
    return names;
  }

  /** The module's ELF bytes, or null when it is compressed in a way we cannot undo here. */
  private static byte[] decompressModule(Path f) throws IOException {
    String n = f.getFileName().toString();
    if (n.endsWith(".ko")) {
      return Files.readAllBytes(f);
    }
    if (n.endsWith(".ko.gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        return in.readAllBytes();
      }
    }
    List<List<String>> tools = new ArrayList<>();
    if (n.endsWith(".ko.xz")) {
      tools.add(List.of("xz", "-dc"));
      tools.add(List.of("busybox", "xzcat"));
    } else if (n.endsWith(".ko.zst")) {
      tools.add(List.of("zstd", "-dc"));
    }
    for (List<String> tool : tools) {
      if (onPath(tool.get(0)).isEmpty()) {
        continue;
      }
      List<String> cmd = new ArrayList<>(tool);
      cmd.add(f.toString());
      try {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] data = p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && data.length > 0) {
          return data;
        }
        p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // host discovery

  private static Optional<Path> findQemu() {
    String prop = System.getProperty("rightsize.vm.qemu");
    if (prop != null) {
      Path p = Path.of(prop);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    return onPath("qemu-system-x86_64");
  }

  /** {kernel image, its modules dir}: the newest /boot/vmlinuz-VER that has /lib/modules/VER. */
  private static Optional<Path[]> findKernel() {
    String prop = System.getProperty("rightsize.vm.kernel");
    List<Path> candidates = new ArrayList<>();
    if (prop != null) {
      candidates.add(Path.of(prop));
    } else {
      try (Stream<Path> s = Files.list(Path.of("/boot"))) {
        s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
            .sorted(Comparator.comparing((Path p) -> versionKey(version(p))).reversed())
            .forEach(candidates::add);
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    for (Path k : candidates) {
      String ver = version(k);
      Path mods = Path.of("/lib/modules", ver);
      if (Files.isReadable(k) && Files.isDirectory(mods)) {
        return Optional.of(new Path[] {k, mods});
      }
    }
    return Optional.empty();
  }

  private static String version(Path kernel) {
    String n = kernel.getFileName().toString();
    return n.startsWith("vmlinuz-") ? n.substring("vmlinuz-".length()) : n;
  }

  /** A comparator-friendly key: numbers zero-padded so "6.10" sorts after "6.9". */
  private static String versionKey(String v) {
    Matcher m = Pattern.compile("\\d+").matcher(v);
    StringBuilder sb = new StringBuilder();
    int last = 0;
    while (m.find()) {
      sb.append(v, last, m.start()).append(String.format("%010d", Long.parseLong(m.group())));
      last = m.end();
    }
    return sb.append(v.substring(last)).toString();
  }

  private static Optional<Path> findBusybox() {
    String prop = System.getProperty("rightsize.vm.busybox");
    List<Path> candidates =
        prop != null
            ? List.of(Path.of(prop))
            : List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"), Path.of("/sbin/busybox"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && isStaticElf(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether the file is an ELF64 executable without a PT_INTERP program header (static). */
  static boolean isStaticElf(Path f) {
    try (var ch = java.nio.channels.FileChannel.open(f)) {
      ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(h, 0);
      if (h.getInt(0) != 0x464c457f || h.get(4) != 2) {
        return false;
      }
      long phoff = h.getLong(32);
      int phentsize = Short.toUnsignedInt(h.getShort(54));
      int phnum = Short.toUnsignedInt(h.getShort(56));
      ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(ph, phoff);
      for (int i = 0; i < phnum; i++) {
        if (ph.getInt(i * phentsize) == 3 /* PT_INTERP */) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Path vmVisibleTempRoot() throws IOException {
    Path root = Path.of(System.getProperty("rightsize.vm.tmpdir", "/var/tmp"));
    Files.createDirectories(root);
    return root;
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
