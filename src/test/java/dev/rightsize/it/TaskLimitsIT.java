package dev.rightsize.it;

import static dev.rightsize.it.Jvms.longOrNull;
import static dev.rightsize.it.Jvms.member;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rightsize.it.CgroupV1Sandbox.Layout;
import dev.rightsize.it.CgroupV1Sandbox.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tasks, files and kernel parameters on this machine's cgroup v1 kernel (issue 11): a {@code pids.max}
 * written into real cgroups, rlimits set before the JVM starts, a network namespace with its own
 * {@code somaxconn}, each reported by the CLI's JSON as written; and a blocking pool sized in a cgroup
 * with {@code pids.max} 64 that starts all its threads where the same pool sized from the CPUs alone
 * fails with {@code unable to create native thread}. Expected values are what the test wrote (or what
 * {@code sysctl -n} prints), never the code under test.
 */
class TaskLimitsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static Path cli;

  @BeforeAll
  static void requirements() {
    CgroupV1Sandbox.requireAvailable();
    cli = Jvms.requireCliJar();
    for (String tool : List.of("bash", "prlimit", "sysctl")) {
      RealKernel.require(RealKernel.onPath(tool), "the '" + tool + "' command");
    }
  }

  private static List<String> cliJson(String... jvmOptions) {
    List<String> cmd = new ArrayList<>(List.of(Jvms.currentJava(), "-Xmx64m", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-jar", cli.toString(), "--json"));
    return cmd;
  }

  private static String shell(List<String> cmd) {
    StringBuilder sb = new StringBuilder();
    for (String c : cmd) {
      sb.append(' ').append(CgroupV1Sandbox.shQuote(c));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- pids

  /**
   * pids.max 100 on the pod, the container's own pids.max left at {@code max}: on the host layout
   * the pod's limit is reported, with the pod's pids.current; in a container's view only the
   * container's cgroup is mounted and the pod's limit cannot be seen (as a v1 CPU quota on the pod).
   */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS_REMOUNT"})
  void aParentsPidsMaxIsTheLimit(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods()) {
      s.set(s.pod(), "pids", "pids.max", 100);
      assertThat(s.read(s.leaf(), "pids", "pids.max")).isEqualTo("max");
      Result r = s.run(layout, TIMEOUT, cliJson());
      CgroupV1IT.publish(rep, "cli " + layout + " (pod pids.max 100)", r.toString());
      JsonNode j = Jvms.parseJson(r);
      if (layout.seesAncestors()) {
        assertThat(longOrNull(j, "pids.limit")).as("pids.limit: the pod's\n" + r).hasValue(100);
        assertThat(provenanceFile(j, "pids.limit")).isEqualTo(s.dir("pids", s.pod()).resolve("pids.max").toString());
        assertThat(provenanceFile(j, "pids.current"))
            .isEqualTo(s.dir("pids", s.pod()).resolve("pids.current").toString());
      } else {
        assertThat(member(j, "pids.limit").isNull()).as("the pod is not visible in layout " + layout).isTrue();
      }
      long current = longOrNull(j, "pids.current").orElseThrow();
      long threads = longOrNull(j, "pids.processThreads").orElseThrow();
      assertThat(current).as("pids.current counts the CLI's JVM").isBetween(threads, 100L);
      assertThat(member(j, "unknown").toString()).doesNotContain("pids");
    }
  }

  /** pids.max 64 on the container's own cgroup: seen in every layout. */
  @ParameterizedTest
  @EnumSource(names = {"HOST", "RUNTIME", "CGROUPNS", "CGROUPNS_REMOUNT"})
  void theContainersOwnPidsMaxInEveryLayout(Layout layout, TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods()) {
      s.set(s.leaf(), "pids", "pids.max", 64);
      Result r = s.run(layout, TIMEOUT, cliJson());
      CgroupV1IT.publish(rep, "cli " + layout + " (leaf pids.max 64)", r.toString());
      JsonNode j = Jvms.parseJson(r);
      assertThat(longOrNull(j, "pids.limit")).as("pids.limit\n" + r).hasValue(64);
      assertThat(longOrNull(j, "pids.current").orElseThrow()).isBetween(1L, 64L);
      // 64 - tasks - (8 + 2 x CPUs): the recommended blocking pool never exceeds it
      long headroom = longOrNull(j, "recommended.threads.headroom").orElseThrow();
      assertThat(headroom).isLessThan(64 - longOrNull(j, "pids.current").getAsLong());
    }
  }

  // ---------------------------------------------------------------- rlimits

  /** {@code ulimit -n 1234; ulimit -u 777} in the shell that execs the JVM: both soft and hard. */
  @Test
  void ulimitsSetBeforeTheJvmStartsAreReported(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.create("ulimit")) {
      Result r = s.run(Layout.HOST, TIMEOUT, List.of("bash", "-c",
          "ulimit -n 1234 && ulimit -u 777 && echo \"ulimit -n $(ulimit -n) -u $(ulimit -u)\" >&2 && exec"
              + shell(cliJson())));
      CgroupV1IT.publish(rep, "cli after ulimit -n 1234 -u 777", r.toString());
      assertThat(r.stderr()).contains("ulimit -n 1234 -u 777");
      JsonNode j = Jvms.parseJson(r);
      assertThat(longOrNull(j, "rlimit.nofile")).hasValue(1234);
      assertThat(longOrNull(j, "rlimit.nofileHard")).hasValue(1234);
      assertThat(longOrNull(j, "rlimit.nproc")).hasValue(777);
      assertThat(longOrNull(j, "rlimit.nprocHard")).hasValue(777);
      assertThat(findingCodes(j)).contains("open-files-low");
    }
  }

  /**
   * Soft below hard ({@code prlimit --nofile=1024:4096 --nproc=500:800}): the soft nproc is
   * reported; HotSpot raises its soft open-file limit to the hard one at start ({@code MaxFDLimit}),
   * so the JVM's own is 4096, unless {@code -XX:-MaxFDLimit}.
   */
  @Test
  void softLimitsBelowTheHardOnes(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.create("prlimit")) {
      List<String> raised = new ArrayList<>(List.of("prlimit", "--nofile=1024:4096", "--nproc=500:800", "--"));
      raised.addAll(cliJson());
      Result r = s.run(Layout.HOST, TIMEOUT, raised);
      CgroupV1IT.publish(rep, "cli under prlimit --nofile=1024:4096 --nproc=500:800", r.toString());
      JsonNode j = Jvms.parseJson(r);
      assertThat(longOrNull(j, "rlimit.nofile")).as("raised by the JVM to the hard limit").hasValue(4096);
      assertThat(longOrNull(j, "rlimit.nofileHard")).hasValue(4096);
      assertThat(longOrNull(j, "rlimit.nproc")).hasValue(500);
      assertThat(longOrNull(j, "rlimit.nprocHard")).hasValue(800);

      List<String> kept = new ArrayList<>(List.of("prlimit", "--nofile=1024:4096", "--"));
      kept.addAll(cliJson("-XX:-MaxFDLimit"));
      Result k = s.run(Layout.HOST, TIMEOUT, kept);
      CgroupV1IT.publish(rep, "cli -XX:-MaxFDLimit under prlimit --nofile=1024:4096", k.toString());
      JsonNode jk = Jvms.parseJson(k);
      assertThat(longOrNull(jk, "rlimit.nofile")).hasValue(1024);
      assertThat(longOrNull(jk, "rlimit.nofileHard")).hasValue(4096);
    }
  }

  // ---------------------------------------------------------------- kernel parameters

  /**
   * A network namespace with its own {@code net.core.somaxconn} (321; the host's is left alone): the
   * CLI started in it reports 321; the global parameters equal what {@code sysctl -n} prints.
   */
  @Test
  void somaxconnIsTheNetworkNamespacesOwn(TestReporter rep) throws Exception {
    RealKernel.require(RealKernel.onPath("unshare"), "the 'unshare' command");
    try (CgroupV1Sandbox s = CgroupV1Sandbox.create("netns")) {
      Result host = s.run(Layout.HOST, TIMEOUT, List.of("sysctl", "-n", "net.core.somaxconn", "vm.max_map_count",
          "kernel.threads-max", "kernel.pid_max"));
      String[] v = host.stdout().strip().split("\\s+");
      assertThat(v).hasSize(4);
      assertThat(v[0]).isNotEqualTo("321");
      Result r = s.run(Layout.HOST, TIMEOUT, List.of("unshare", "--net", "sh", "-c",
          "sysctl -q -w net.core.somaxconn=321 && echo \"somaxconn $(sysctl -n net.core.somaxconn)\" >&2 && exec"
              + shell(cliJson())));
      CgroupV1IT.publish(rep, "cli in a network namespace with somaxconn 321 (host: " + v[0] + ")", r.toString());
      assertThat(r.stderr()).contains("somaxconn 321");
      JsonNode j = Jvms.parseJson(r);
      assertThat(longOrNull(j, "kernel.somaxconn")).hasValue(321);
      assertThat(longOrNull(j, "kernel.maxMapCount")).hasValue(Long.parseLong(v[1]));
      assertThat(longOrNull(j, "kernel.threadsMax")).hasValue(Long.parseLong(v[2]));
      assertThat(longOrNull(j, "kernel.pidMax")).hasValue(Long.parseLong(v[3]));
      assertThat(findingCodes(j)).contains("somaxconn-low");
      // the host's own namespace: the host's value
      JsonNode hj = Jvms.parseJson(s.run(Layout.HOST, TIMEOUT, cliJson()));
      assertThat(longOrNull(hj, "kernel.somaxconn")).hasValue(Long.parseLong(v[0]));
    }
  }

  // ---------------------------------------------------------------- the cap matters

  /**
   * pids.max 64 on the container: a blocking pool at wait/compute 99 sized from the 2 CPUs alone
   * (200 threads) fails to start with {@code unable to create native thread}, and the kernel counts
   * the refused forks in {@code pids.events}; the same pool from {@code ThreadPools.of(detect())} is
   * capped by the thread headroom and starts every thread.
   */
  @Test
  void aBlockingPoolCappedByTheHeadroomStartsWhereTheUncappedOneFails(TestReporter rep) throws Exception {
    try (CgroupV1Sandbox s = CgroupV1Sandbox.createKubepods()) {
      int cpus = CgroupV1IT.cpuCount(s.read(s.leaf(), "cpuset", "cpuset.cpus"));
      s.set(s.leaf(), "pids", "pids.max", 64);
      Path classes = compileProbe(s);

      Map<String, String> uncapped = runProbe(s, classes, "uncapped", rep);
      long refusedAfterUncapped = pidsEventsMax(s);
      assertThat(uncapped.get("size")).as("CPUs x (1 + 99)").isEqualTo(String.valueOf(Math.min(1024, cpus * 100)));
      assertThat(uncapped.get("result")).as(uncapped.toString()).isEqualTo("failed");
      assertThat(uncapped.get("error")).contains("unable_to_create_native_thread");
      assertThat(Integer.parseInt(uncapped.get("started"))).isLessThan(64);
      assertThat(refusedAfterUncapped).as("the kernel refused forks (pids.events max)").isPositive();

      Map<String, String> capped = runProbe(s, classes, "capped", rep);
      assertThat(capped.get("result")).as(capped.toString()).isEqualTo("ok");
      int size = Integer.parseInt(capped.get("size"));
      assertThat(capped.get("started")).isEqualTo(String.valueOf(size));
      assertThat(size).isEqualTo(Integer.parseInt(capped.get("headroom"))).isPositive();
      assertThat(size + Integer.parseInt(capped.get("pidsCurrent"))).isLessThan(64);
      assertThat(pidsEventsMax(s)).as("no fork refused by the capped run").isEqualTo(refusedAfterUncapped);
      CgroupV1IT.publish(rep, "pool start in pids.max 64", "uncapped " + uncapped + "\ncapped " + capped);
    }
  }

  private static Path compileProbe(CgroupV1Sandbox s) throws IOException {
    Path dir = Files.createDirectory(s.work().resolve("probe"));
    Path src = Jvms.copyResource("PoolStartProbe.java", dir);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-cp", cli.toString(), "-d", dir.toString(),
        src.toString());
    assertThat(rc).as("compiling PoolStartProbe.java").isZero();
    dir.toFile().setReadable(true, false);
    return dir;
  }

  private static Map<String, String> runProbe(CgroupV1Sandbox s, Path classes, String mode, TestReporter rep)
      throws Exception {
    Result r = s.run(Layout.HOST, TIMEOUT, List.of(Jvms.currentJava(), "-Xmx64m", "-cp",
        cli + ":" + classes, "PoolStartProbe", mode));
    CgroupV1IT.publish(rep, "PoolStartProbe " + mode, r.toString());
    return parsePool(r.stdout(), r.toString());
  }

  /** The fields of the probe's {@code POOL ...} line. */
  static Map<String, String> parsePool(String stdout, String context) {
    String line = stdout.lines().filter(l -> l.startsWith("POOL ")).findFirst()
        .orElseThrow(() -> new AssertionError("no POOL line:\n" + context));
    Map<String, String> m = new HashMap<>();
    for (String f : line.substring(5).split(" ")) {
      int eq = f.indexOf('=');
      m.put(f.substring(0, eq), f.substring(eq + 1));
    }
    return m;
  }

  private static long pidsEventsMax(CgroupV1Sandbox s) throws IOException {
    return CgroupV1IT.statValue(s.read(s.leaf(), "pids", "pids.events"), "max");
  }

  private static String provenanceFile(JsonNode j, String value) {
    for (JsonNode p : member(j, "provenance")) {
      if (p.path("value").asText().equals(value)) {
        return p.path("file").asText();
      }
    }
    throw new AssertionError("no provenance for " + value + ": " + j.toPrettyString());
  }

  private static List<String> findingCodes(JsonNode j) {
    List<String> out = new ArrayList<>();
    member(j, "findings").forEach(f -> out.add(f.path("code").asText()));
    return out;
  }
}
