package dev.rightsize.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.it.CgroupV1Sandbox.Layout;
import dev.rightsize.it.CgroupV1Sandbox.Result;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.sizing.JvmMemory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue #13 on a real cgroup v1 kernel: for each cell of light / busy workload x 256 MiB, 512 MiB,
 * 1 GiB, 2 GiB x JDK 17 / Temurin 25 x the collector the JVM picks / G1, the heap {@code --jvm-flags}
 * computes inside the cgroup (given the workload's inputs) must survive the stress workload
 * ({@code src/test/resources/it/SizingWorkload.java}) with no kernel OOM kill, and be at least 85%
 * of the measured frontier: the largest {@code -Xmx} that survived the same workload in the same
 * harness, found by bisection and committed in {@code src/test/resources/sizing/frontier.properties}.
 * Every run is cold: a private copy of the JDK, the page cache dropped before the run, so the JVM's
 * own files are charged to the cell as on a node that never ran this JDK ({@link #privateJdk}).
 *
 * <p>{@code -Drightsize.sizing.bisect=true} re-measures the frontier instead (about 40 minutes) and
 * writes the table to {@code target/frontier.properties}; copy it over the committed one
 * ({@code -Drightsize.sizing.only=REGEX} limits the run to the cells whose key matches). The plain
 * run takes one workload run and one CLI run per cell (28 cells, a few seconds each), sequentially.
 */
class SizingMatrixIT {
  private static final long MIB = 1L << 20;
  private static final double REQUIRED_RATIO = 0.85;
  /**
   * A run that takes longer failed: the kernel re-reading the JVM's files for minutes is a service
   * that does not start ({@code -Drightsize.sizing.runTimeoutSeconds}, default 180; a run takes 2 to
   * 6 s when it fits).
   */
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(Long.getLong("rightsize.sizing.runTimeoutSeconds", 180));
  private static final String FRONTIER_RESOURCE = "/sizing/frontier.properties";
  /** Runs at each bisection probe that must all survive ({@code -Drightsize.sizing.runsPerProbe}, default 2). */
  private static final int RUNS_PER_PROBE = Integer.getInteger("rightsize.sizing.runsPerProbe", 2);

  /** The two workloads of the issue, with the inputs a user would give the calculator for each. */
  enum Workload {
    /** Heap filled to 95% and held, 20 threads, 10 MiB direct, a little hot code. */
    LIGHT(List.of("heap=0.95", "threads=20", "depthKiB=64", "directMiB=10", "classes=0", "hotClasses=0",
        "hotMs=400", "churnMs=500", "holdMs=200"),
        List.of("--threads", "20", "--loaded-classes", "1000", "--direct-memory", "10M")),
    /** Heap full, 200 threads 256 KiB deep, 64 MiB direct, 10,000 generated classes, hot code. */
    BUSY(List.of("heap=full", "threads=200", "depthKiB=256", "directMiB=64", "classes=10000", "hotClasses=1000",
        "hotMs=400", "churnMs=500", "holdMs=200"),
        List.of("--threads", "200", "--loaded-classes", "11000", "--direct-memory", "64M"));

    final List<String> args;
    final List<String> cliInputs;

    Workload(List<String> args, List<String> cliInputs) {
      this.args = args;
      this.cliInputs = cliInputs;
    }

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The JVM's default MaxDirectMemorySize is the heap: frontier runs allow the workload's direct memory. */
    String directFlag() {
      return "-XX:MaxDirectMemorySize=" + args.stream().filter(a -> a.startsWith("directMiB=")).findFirst()
          .orElseThrow().substring(10) + "m";
    }
  }

  /** The collector: what the JVM picks by itself, or G1 forced. */
  enum Gc {
    AUTO, G1;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  record Jdk(String key, Path java) {}

  record Cell(Workload workload, int limitMiB, Jdk jdk, Gc gc) {
    String key() {
      return workload.key() + "." + limitMiB + "." + jdk.key + "." + gc.key();
    }

    long limit() {
      return limitMiB * MIB;
    }

    /** On 2 CPUs the JVM picks G1 from 1792 MiB on (is_server_class_machine), so G1 repeats AUTO there. */
    boolean redundant(int cpus) {
      return gc == Gc.G1 && cpus >= 2 && limitMiB >= 1792;
    }
  }

  private static Path classes;
  /** The private copies of the JDKs the cells run (see {@link #privateJdk}), removed after the class. */
  private static Path jdkCopies;
  private static Path cli;
  private static int cpus;
  private static final List<String> table = new ArrayList<>();
  private static final Properties measured = new Properties();

  @BeforeAll
  static void requirements() throws IOException {
    CgroupV1Sandbox.requireAvailable();
    RealKernel.require(Files.isExecutable(Jvms.TEMURIN_25), "Temurin 25 at " + Jvms.TEMURIN_25);
    cpus = CgroupV1IT.cpuCount(CgroupV1Sandbox.readFile(CgroupV1Sandbox.ownDir("cpuset").resolve("cpuset.cpus")));
    Path dir = Files.createTempDirectory("rs-sizing-workload-");
    dir.toFile().setReadable(true, false);
    Path src = Jvms.copyResource("SizingWorkload.java", dir);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-d", dir.toString(), src.toString());
    assertThat(rc).as("compiling SizingWorkload.java").isZero();
    classes = dir;
    jdkCopies = Files.createTempDirectory("rs-sizing-jdks-");
  }

  /**
   * A copy of the JDK that {@code java} belongs to ({@code bin}, {@code lib}, {@code conf}, times
   * kept so that its CDS archive stays valid), made once per class. No other process maps its files,
   * so with the page cache dropped before each run ({@link #COLD_CACHE}) every page of libjvm, the
   * CDS archive and lib/modules the workload touches is read inside the cell's cgroup and charged
   * to it, as in a container with its own image on a node that never ran it. The original JDK 17
   * is the one running this test (and Maven): its pages stay mapped, cannot be dropped, and would
   * be charged to the test JVM instead.
   */
  static Path privateJdk(Path java) throws IOException, InterruptedException {
    Path home = java.toRealPath().getParent().getParent();
    Path copy = jdkCopies.resolve(home.getFileName().toString());
    if (!Files.isDirectory(copy)) {
      Files.createDirectories(copy);
      List<String> cmd = new ArrayList<>(List.of("cp", "-rL", "--preserve=mode,timestamps"));
      for (String part : List.of("bin", "lib", "conf")) {
        if (Files.exists(home.resolve(part))) {
          cmd.add(home.resolve(part).toString());
        }
      }
      cmd.add(copy.toString());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      // cp's exit status is not checked: it reports a dangling link (Debian's lib/src.zip) and
      // goes on; what the JVM needs must be there
      assertThat(copy.resolve("bin/java")).as("copying %s: %s", home, out).isExecutable();
      assertThat(copy.resolve("lib/modules")).as("copying %s: %s", home, out).isNotEmptyFile();
      copy.toFile().setReadable(true, false);
    }
    return copy.resolve("bin/java");
  }

  @AfterAll
  static void removeJdkCopies() {
    if (jdkCopies != null) {
      CgroupV1Sandbox.deleteTree(jdkCopies);
    }
  }

  /**
   * The cells run by default: all of them, each run cold ({@link #COLD_CACHE}), as the frontier was
   * measured ({@code frontier.properties} says how); {@code -Drightsize.sizing.only=REGEX} runs fewer.
   */
  static final String DEFAULT_CELLS = ".*";

  static boolean bisecting() {
    return Boolean.getBoolean("rightsize.sizing.bisect");
  }

  static List<Cell> cells() throws IOException, InterruptedException {
    List<Jdk> jdks = List.of(new Jdk("jdk17", privateJdk(Path.of(Jvms.currentJava()))),
        new Jdk("jdk25", privateJdk(Jvms.TEMURIN_25)));
    List<Cell> out = new ArrayList<>();
    for (Jdk jdk : jdks) {
      for (Workload w : Workload.values()) {
        for (int limit : new int[] {256, 512, 1024, 2048}) {
          for (Gc gc : Gc.values()) {
            Cell c = new Cell(w, limit, jdk, gc);
            if (!c.redundant(cpus) && c.key().matches(System.getProperty("rightsize.sizing.only", DEFAULT_CELLS))) {
              out.add(c);
            }
          }
        }
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> matrix() throws IOException, InterruptedException {
    if (bisecting()) {
      measured.setProperty("date", Instant.now().toString());
      return cells().stream().map(c -> DynamicTest.dynamicTest("frontier " + c.key(), () -> bisect(c)));
    }
    cli = Jvms.requireCliJar();
    Properties frontier = new Properties();
    try (InputStream in = SizingMatrixIT.class.getResourceAsStream(FRONTIER_RESOURCE)) {
      assertThat(in).as("committed frontier " + FRONTIER_RESOURCE).isNotNull();
      frontier.load(in);
    }
    table.add("frontier measured " + frontier.getProperty("date") + " (" + frontier.getProperty("jdk17.version")
        + ", " + frontier.getProperty("jdk25.version") + ")");
    table.add("| workload | limit | JDK | GC | rightsize -Xmx | frontier | ratio | Paketo | 25% | 75% | peak usage | run |");
    table.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    return cells().stream().map(c -> DynamicTest.dynamicTest(c.key(), () -> verify(c, frontier)));
  }

  @AfterAll
  static void printTable() throws IOException {
    if (bisecting()) {
      Path out = Path.of(System.getProperty("rightsize.sizing.frontierOut", "target/frontier.properties"));
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (Writer w = Files.newBufferedWriter(out)) {
        TreeMap<Object, Object> sorted = new TreeMap<>(measured);
        w.write("# Frontier of issue #13: the largest -Xmx (MiB) that survived SizingWorkload, by bisection.\n");
        for (var e : sorted.entrySet()) {
          w.write(e.getKey() + "=" + e.getValue() + "\n");
        }
      }
      System.out.println("==== frontier written to " + out.toAbsolutePath() + "\n" + Files.readString(out));
    } else if (!table.isEmpty()) {
      String t = String.join("\n", table);
      // beside the CLI jar: the build directory
      Path out = Path.of(System.getProperty("rightsize.cliJar", "target/x")).toAbsolutePath().resolveSibling(
          "sizing-matrix.md");
      if (Files.isDirectory(out.getParent())) {
        Files.writeString(out, t + "\n");
      }
      System.out.println("==== sizing matrix\n" + t);
    }
  }

  // ---------------------------------------------------------------- one cell

  record Run(int exit, boolean oomKilled, String gc, long peakUsage, Result result) {
    boolean survived() {
      return exit == 0 && !oomKilled && result.stdout().contains("OK ");
    }
  }

  /**
   * Drop the host's clean page cache before each run, so that the JDK's own files (libjvm.so, the
   * CDS archive, lib/modules, of the cell's {@linkplain #privateJdk private copy}) are read, and
   * charged, inside the cell's cgroup, as in a container started on a node that never ran this
   * JDK. {@code -Drightsize.sizing.coldCache=false} leaves them cached (and charged to whoever read
   * them first): the frontier is then up to the JVM's mapped files (20 to 24 MiB) higher.
   */
  private static final boolean COLD_CACHE = Boolean.parseBoolean(System.getProperty("rightsize.sizing.coldCache", "true"));

  static void dropCachesIfCold() throws IOException {
    if (COLD_CACHE) {
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1");
    }
  }

  private static Run runWorkload(CgroupV1Sandbox s, Cell c, List<String> flags) throws Exception {
    long before = oomKills(s);
    dropCachesIfCold();
    s.set(s.leaf(), "memory", "memory.max_usage_in_bytes", "0");
    List<String> cmd = new ArrayList<>(List.of(c.jdk.java.toString()));
    // The workload's threads recurse in deep(): kept interpreted, its frames have one size, which
    // the workload measures, so every thread touches the same stack in every run.
    cmd.addAll(List.of("-XX:CompileCommand=quiet", "-XX:CompileCommand=exclude,SizingWorkload::deep"));
    cmd.addAll(flags);
    if (c.gc == Gc.G1 && flags.stream().noneMatch(f -> f.equals("-XX:+UseG1GC"))) {
      cmd.add("-XX:+UseG1GC");
    }
    cmd.addAll(List.of("-cp", classes.toString(), "SizingWorkload"));
    cmd.addAll(c.workload.args);
    Result r = s.run(Layout.HOST, RUN_TIMEOUT, cmd);
    boolean killed = oomKills(s) > before || r.exit() == 137;
    Matcher m = Pattern.compile("gc=(\\S+)").matcher(r.stdout());
    String gc = m.find() ? (m.group(1).startsWith("G1") ? "G1" : m.group(1).startsWith("Copy") ? "Serial" : m.group(1)) : "?";
    long peak = Long.parseLong(s.read(s.leaf(), "memory", "memory.max_usage_in_bytes"));
    return new Run(r.exit(), killed, gc, peak, r);
  }

  private static CgroupV1Sandbox sandbox(Cell c) throws IOException {
    CgroupV1Sandbox s = CgroupV1Sandbox.create("sizing-" + c.key().replace('.', '-'));
    RealKernel.require(s.has(s.leaf(), "memory", "memory.memsw.limit_in_bytes"),
        "swap accounting (memory.memsw.* files; boot with swapaccount=1)");
    s.set(s.leaf(), "memory", "memory.limit_in_bytes", c.limit());
    s.set(s.leaf(), "memory", "memory.memsw.limit_in_bytes", c.limit());
    return s;
  }

  private static void bisect(Cell c) throws Exception {
    try (CgroupV1Sandbox s = sandbox(c)) {
      long step = Math.max(4, c.limitMiB / 64);
      long lo = 32;
      Run first = runWorkload(s, c, List.of("-Xmx" + lo + "m", c.workload.directFlag()));
      log(c, lo, first);
      if (!first.survived() && !first.oomKilled) {
        // a JVM-level failure (the heap too small for the workload's own objects): start higher
        lo = 40;
        first = runWorkload(s, c, List.of("-Xmx" + lo + "m", c.workload.directFlag()));
        log(c, lo, first);
      }
      Matcher v = Pattern.compile("jdk=(\\S+)").matcher(first.result.stdout());
      if (v.find()) {
        measured.setProperty(c.jdk.key + ".version", v.group(1));
      }
      if (!first.survived()) {
        measured.setProperty(c.key(), "none");
        measured.setProperty(c.key() + ".gc", first.gc);
        return;
      }
      long hi = c.limitMiB;
      String gc = first.gc;
      while (hi - lo > step) {
        long mid = (lo + hi) / 2;
        Run r = runWorkload(s, c, List.of("-Xmx" + mid + "m", c.workload.directFlag()));
        log(c, mid, r);
        for (int again = 1; again < RUNS_PER_PROBE && r.survived(); again++) {
          // safe means it survives every time: one run can be lucky
          r = runWorkload(s, c, List.of("-Xmx" + mid + "m", c.workload.directFlag()));
          log(c, mid, r);
        }
        if (r.survived()) {
          lo = mid;
          gc = r.gc;
        } else {
          hi = mid;
        }
      }
      measured.setProperty(c.key(), String.valueOf(lo));
      measured.setProperty(c.key() + ".gc", gc);
    }
  }

  private static void log(Cell c, long xmx, Run r) {
    System.out.println("==== " + c.key() + " -Xmx" + xmx + "m: " + (r.survived() ? "survived" : "FAILED") + " exit="
        + r.exit + " oomKilled=" + r.oomKilled + " gc=" + r.gc + " peak=" + (r.peakUsage >> 20) + "M in "
        + r.result.elapsed().toMillis() + " ms " + firstLine(r.result.stdout()) + " " + firstLine(r.result.stderr()));
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }

  private static void verify(Cell c, Properties frontier) throws Exception {
    String f = frontier.getProperty(c.key());
    assertThat(f).as("frontier for " + c.key() + " in " + FRONTIER_RESOURCE).isNotNull();
    // The CLI runs in a cgroup of its own with the cell's limits (what it leaves charged, kernel
    // objects and page cache, would otherwise count against the workload, which the frontier
    // runs did not have), then the workload in a fresh one.
    Result flagsRun;
    try (CgroupV1Sandbox s = sandbox(c)) {
      // the entrypoint runs the CLI with the JVM it then starts, which sizes for its own version
      List<String> cliCmd = new ArrayList<>(List.of(c.jdk.java.toString(), "-Xmx48m", "-XX:TieredStopAtLevel=1",
          "-Xss512k", "-jar", cli.toString(), "--jvm-flags"));
      cliCmd.addAll(c.workload.cliInputs);
      if (c.gc == Gc.G1) {
        cliCmd.addAll(List.of("--collector", "g1"));
      }
      flagsRun = s.run(Layout.HOST, RUN_TIMEOUT, cliCmd);
    }
    assertThat(flagsRun.exit()).as("--jvm-flags in the cgroup\n" + flagsRun).isZero();
    try (CgroupV1Sandbox s = sandbox(c)) {
      List<String> flags = Jvms.splitFlags(flagsRun.stdout());
      long heapMiB = xmxMiB(flags);
      Run r = runWorkload(s, c, flags);
      log(c, heapMiB, r);
      String paketo = paketo(c);
      String ratio = f.equals("none") ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * xmxKiB(flags) / 1024 / Long.parseLong(f));
      table.add("| " + c.workload.key() + " | " + c.limitMiB + " MiB | " + c.jdk.key + " | "
          + frontier.getProperty(c.key() + ".gc", r.gc) + " | " + heapMiB + " MiB | "
          + (f.equals("none") ? "does not fit"
              : (Boolean.parseBoolean(frontier.getProperty(c.key() + ".ceiling")) ? "≥ " : "") + f + " MiB")
          + (Boolean.parseBoolean(frontier.getProperty(c.key() + ".cold")) ? " (cold)" : "")
          + " | " + ratio + " | " + paketo + " | "
          + c.limitMiB / 4 + " MiB | " + c.limitMiB * 3 / 4 + " MiB | " + (r.peakUsage >> 20) + " MiB | "
          + (r.oomKilled ? "OOM-killed" : r.exit == 0 ? "completed" : r.exit == 3 ? "squeezed (JVM-level limit)"
              : "exit " + r.exit) + " |");
      assertThat(r.oomKilled).as("kernel OOM kill with " + flags + "\n" + r.result + "\n" + flagsRun.stderr()).isFalse();
      if (f.equals("none")) {
        // the workload does not fit this limit at any heap: the flags must still keep the kernel
        // from killing the JVM (caps turn it into JVM-level OutOfMemoryErrors), and say so
        assertThat(r.exit).as("squeezed run ends by itself\n" + r.result).isIn(0, 3);
        assertThat(flagsRun.stderr()).as("--jvm-flags says the fit is tight or what was squeezed")
            .containsAnyOf("squeezed", "tight");
        return;
      }
      // completed, or stopped by a JVM-level limit the calculator said it squeezed (never the kernel)
      boolean squeezed = r.exit == 3 && flagsRun.stderr().contains("squeezed");
      assertThat(r.survived() || squeezed).as("workload completes with " + flags + "\n" + r.result).isTrue();
      assertThat(xmxKiB(flags)).as("-Xmx (KiB) vs %d%% of the frontier %s MiB", (int) (REQUIRED_RATIO * 100), f)
          .isGreaterThanOrEqualTo((long) Math.ceil(REQUIRED_RATIO * Long.parseLong(f) * 1024));
    }
  }

  /** Paketo's heap for the same inputs (the compatibility mode), or "refused". */
  private static String paketo(Cell c) {
    try {
      JvmMemory.Builder b = JvmMemory.builder().totalBytes(c.limit()).mode(JvmMemory.Mode.PAKETO)
          .scaleForSmallContainers(false);
      List<String> in = c.workload.cliInputs;
      b.threadCount(Integer.parseInt(in.get(1))).loadedClassCount(Integer.parseInt(in.get(3)))
          .directMemoryBytes(Long.parseLong(in.get(5).replace("M", "")) * MIB);
      return (b.calculate().heapBytes() >> 20) + " MiB";
    } catch (InsufficientMemoryException e) {
      return "refused";
    }
  }

  static long xmxMiB(List<String> flags) {
    return xmxKiB(flags) / 1024;
  }

  static long xmxKiB(List<String> flags) {
    String x = flags.stream().filter(f -> f.startsWith("-Xmx")).findFirst()
        .orElseThrow(() -> new AssertionError("no -Xmx in " + flags));
    String v = x.substring(4);
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 'K' -> n;
      case 'M' -> n * 1024;
      case 'G' -> n * 1024 * 1024;
      default -> throw new AssertionError(x);
    };
  }

  private static long oomKills(CgroupV1Sandbox s) throws IOException {
    return CgroupV1IT.statValue(s.read(s.leaf(), "memory", "memory.oom_control"), "oom_kill");
  }
}
