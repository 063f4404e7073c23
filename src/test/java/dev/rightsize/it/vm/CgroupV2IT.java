package dev.rightsize.it.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rightsize.it.RealKernel;
import dev.rightsize.it.vm.VmScript.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI against a real cgroup v2 kernel: one {@link QemuVm} boot (2 vCPUs) runs every scenario
 * below, each in cgroups created and limited inside the VM, with {@code java -jar <cli> --json}
 * and both JDKs' {@code -XshowSettings:system} run in the same cgroup. The JSON must report what
 * was written; the JDKs' answers go into a comparison table ({@code <build dir>/v2-comparison.md}
 * and the test output). The VM's full console and each step's output are kept next to it
 * ({@code v2-vm-console.log}, {@code v2-vm-steps.txt}) for diagnosis.
 */
class CgroupV2IT {
  private static final long MIB = 1024L * 1024;
  private static final String JAVA17 = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
  private static final String JAVA25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
  private static final int VM_CPUS = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the JSON must say; null means the member must be JSON null (unlimited). */
  record Expect(
      int effective, Double limit, Integer cpuset, Long memLimit, Long softLimit, Long swapLimit) {}

  /**
   * One scenario: {@code setup} runs as root in the VM's init cgroup namespace ({@code $C} is the
   * cgroup2 mount); the JVMs are placed in {@code leaf} by {@code /tmp/in-cgroup MODE}: plain, ns
   * (a private cgroup namespace keeping the old mount, whose root then shows as /../..) or nsmount
   * (a private cgroup and mount namespace with cgroup2 mounted afresh, as container runtimes do).
   * {@code lenient}: limits may be missing (null) if a warning says why, but never wrong.
   */
  record Scenario(
      String id,
      String set,
      String setup,
      String leaf,
      String mode,
      List<String> chain,
      Expect expect,
      boolean lenient) {
    @Override
    public String toString() {
      return id;
    }
  }

  static final List<Scenario> SCENARIOS =
      List.of(
          new Scenario(
              "leaf-limits",
              "leaf: cpu.max 150000 100000, memory.max 512 MiB",
              """
              mkdir $C/plain
              echo "150000 100000" > $C/plain/cpu.max
              echo 536870912 > $C/plain/memory.max
              """,
              "$C/plain",
              "plain",
              List.of("$C/plain"),
              new Expect(2, 1.5, 2, 512 * MIB, null, null),
              false),
          new Scenario(
              "parent-limits",
              "parent /pod: cpu.max 100000 100000, memory.max 400 MiB; leaf /pod/ctr: none",
              """
              mkdir $C/pod
              echo "+cpu +memory +cpuset" > $C/pod/cgroup.subtree_control
              echo "100000 100000" > $C/pod/cpu.max
              echo 419430400 > $C/pod/memory.max
              mkdir $C/pod/ctr
              """,
              "$C/pod/ctr",
              "plain",
              List.of("$C/pod", "$C/pod/ctr"),
              new Expect(1, 1.0, 2, 400 * MIB, null, null),
              false),
          new Scenario(
              "tightest-wins",
              "parent: cpu 1.0, memory.max 768 MiB; leaf: cpu 1.5, memory.max 300 MiB",
              """
              mkdir $C/tw
              echo "+cpu +memory +cpuset" > $C/tw/cgroup.subtree_control
              echo "100000 100000" > $C/tw/cpu.max
              echo 805306368 > $C/tw/memory.max
              mkdir $C/tw/ctr
              echo "150000 100000" > $C/tw/ctr/cpu.max
              echo 314572800 > $C/tw/ctr/memory.max
              """,
              "$C/tw/ctr",
              "plain",
              List.of("$C/tw", "$C/tw/ctr"),
              new Expect(1, 1.0, 2, 300 * MIB, null, null),
              false),
          new Scenario(
              "cgroupns-remounted",
              "unshare -Cm + fresh cgroup2 mount; leaf: cpu.max 120000 100000, memory.max 640 MiB"
                  + " (parent: memory.max 1 GiB, outside the namespace)",
              """
              mkdir $C/nsm
              echo "+cpu +memory +cpuset" > $C/nsm/cgroup.subtree_control
              echo 1073741824 > $C/nsm/memory.max
              mkdir $C/nsm/ctr
              echo "120000 100000" > $C/nsm/ctr/cpu.max
              echo 671088640 > $C/nsm/ctr/memory.max
              """,
              "$C/nsm/ctr",
              "nsmount",
              List.of("$C/nsm", "$C/nsm/ctr"),
              new Expect(2, 1.2, 2, 640 * MIB, null, null),
              false),
          new Scenario(
              "cgroupns-old-mount",
              "unshare -C, old mount kept (mountinfo root /../..); leaf: cpu.max 120000 100000,"
                  + " memory.max 640 MiB",
              """
              mkdir $C/nsu
              echo "+cpu +memory +cpuset" > $C/nsu/cgroup.subtree_control
              mkdir $C/nsu/ctr
              echo "120000 100000" > $C/nsu/ctr/cpu.max
              echo 671088640 > $C/nsu/ctr/memory.max
              """,
              "$C/nsu/ctr",
              "ns",
              List.of("$C/nsu", "$C/nsu/ctr"),
              new Expect(2, 1.2, 2, 640 * MIB, null, null),
              true),
          new Scenario(
              "cpuset",
              "leaf: cpuset.cpus 1 (of 0-1), no quota, no memory limit",
              """
              mkdir $C/cs
              echo 1 > $C/cs/cpuset.cpus
              """,
              "$C/cs",
              "plain",
              List.of("$C/cs"),
              new Expect(1, null, 1, null, null, null),
              false),
          new Scenario(
              "memory-high-swap0",
              "leaf: memory.max 512 MiB, memory.high 384 MiB, memory.low 128 MiB, memory.swap.max 0",
              """
              mkdir $C/ma
              echo 536870912 > $C/ma/memory.max
              echo 402653184 > $C/ma/memory.high
              echo 134217728 > $C/ma/memory.low
              echo 0 > $C/ma/memory.swap.max
              """,
              "$C/ma",
              "plain",
              List.of("$C/ma"),
              new Expect(2, null, 2, 512 * MIB, 384 * MIB, 0L),
              false),
          new Scenario(
              "memory-high-swap64",
              "leaf: memory.high 256 MiB, memory.low 64 MiB, memory.swap.max 64 MiB, no memory.max",
              """
              mkdir $C/mb
              echo 268435456 > $C/mb/memory.high
              echo 67108864 > $C/mb/memory.low
              echo 67108864 > $C/mb/memory.swap.max
              """,
              "$C/mb",
              "plain",
              List.of("$C/mb"),
              new Expect(2, null, 2, null, 256 * MIB, 64 * MIB),
              false));

  private static QemuVm vm;
  private static Map<String, Step> steps;
  private static Path cliJar;
  private static Path buildDir;
  private static QemuVm.Result boot;

  static Stream<Scenario> scenarios() {
    return SCENARIOS.stream();
  }

  @BeforeAll
  static void bootOnce() throws Exception {
    Optional<String> missing = QemuVm.whatIsMissing();
    RealKernel.require(missing.isEmpty(), missing.orElse(""));
    RealKernel.require(
        Files.isExecutable(Path.of(JAVA17)) && Files.isExecutable(Path.of(JAVA25)),
        "JDK 17 and Temurin 25 at " + JAVA17 + " and " + JAVA25);
    String jarProp = System.getProperty("rightsize.cliJar");
    cliJar = Path.of(jarProp != null ? jarProp : "target/rightsize-0.1.0-SNAPSHOT-cli.jar");
    buildDir = cliJar.toAbsolutePath().getParent();
    Files.createDirectories(buildDir);

    vm = QemuVm.create(3072, VM_CPUS);
    Path jarInVm = Files.exists(cliJar) ? vm.visibleInVm(cliJar) : cliJar.toAbsolutePath();
    Path probeDir = Files.createDirectories(buildDir.resolve("vm-probe"));
    Files.deleteIfExists(probeDir.resolve("LiveSelfProbe.java"));
    try (java.io.InputStream in = CgroupV2IT.class.getResourceAsStream("/it/LiveSelfProbe.java")) {
      Files.write(probeDir.resolve("LiveSelfProbe.java"), in.readAllBytes());
    }
    liveProbe = vm.visibleInVm(probeDir.resolve("LiveSelfProbe.java"));
    String script = script(jarInVm);
    Duration timeout = Duration.ofSeconds(Long.getLong("rightsize.vm.timeoutSeconds", 2400));
    try {
      boot = vm.run(script, timeout);
    } catch (QemuVm.VmException e) {
      Files.writeString(buildDir.resolve("v2-vm-failure.log"), String.valueOf(e.getMessage()));
      throw e;
    }
    steps = VmScript.parse(boot.output());
    Files.writeString(buildDir.resolve("v2-vm-console.log"), boot.console());
    Files.writeString(buildDir.resolve("v2-vm-steps.txt"), describeSteps());
    String table = comparisonTable();
    Files.writeString(buildDir.resolve("v2-comparison.md"), table);
    System.out.printf(
        "cgroup v2 VM: one boot, %d steps, %.1f s (kernel %s, initramfs notes %s)%n%s%n",
        steps.size(),
        boot.elapsed().toMillis() / 1000.0,
        vm.host().kernelVersion(),
        QemuVm.initramfsNotes(),
        table);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (vm != null) {
      vm.close();
    }
  }

  static String script(Path jar) {
    VmScript s = new VmScript();
    s.raw("C=/sys/fs/cgroup");
    s.raw("J17=" + JAVA17 + "\nJ25=" + JAVA25 + "\nCLI=" + VmScript.quote(jar.toString()));
    s.raw(
        """
        cat > /tmp/in-cgroup <<'EOF'
        #!/bin/sh
        # in-cgroup MODE CGROUP_DIR CMD...: joins CGROUP_DIR, then runs CMD as is (plain), in a private
        # cgroup namespace (ns), or in private cgroup and mount namespaces with cgroup2 mounted afresh
        # (nsmount).
        mode=$1; cg=$2; shift 2
        echo $$ > "$cg/cgroup.procs" || { echo "in-cgroup: cannot join $cg" >&2; exit 90; }
        case $mode in
          plain) exec "$@" ;;
          ns) exec unshare -C "$@" ;;
          nsmount) exec unshare -Cm sh -c 'umount /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' sh "$@" ;;
          *) echo "in-cgroup: unknown mode $mode" >&2; exit 91 ;;
        esac
        EOF
        chmod +x /tmp/in-cgroup
        """);
    s.step(
        "vm",
        """
        uname -r; nproc; head -1 /proc/meminfo
        cat $C/cgroup.controllers; cat $C/cgroup.subtree_control
        cat /proc/self/cgroup; grep cgroup /proc/self/mountinfo
        [ -f "$CLI" ] && echo "cli: $CLI" || echo "cli: missing $CLI"
        """);
    for (Scenario sc : SCENARIOS) {
      String id = sc.id();
      s.step(id + ".setup", "set -e\n" + sc.setup());
      StringBuilder dump = new StringBuilder();
      for (String d : sc.chain()) {
        dump.append("echo \"== ").append(d.replace("$C", "")).append("\"\n")
            .append("for f in cpu.max cpuset.cpus cpuset.cpus.effective memory.max memory.high")
            .append(" memory.low memory.swap.max cgroup.subtree_control; do")
            .append(" [ -f ").append(d).append("/$f ] && echo \"$f: $(cat ").append(d)
            .append("/$f)\"; done\n");
      }
      s.step(id + ".files", dump.toString());
      String in = "/tmp/in-cgroup " + sc.mode() + " " + sc.leaf() + " ";
      s.step(
          id + ".view",
          in + "sh -c 'cat /proc/self/cgroup; grep -w cgroup2 /proc/self/mountinfo;"
              + " echo \"cpu.max at mount: $(cat /sys/fs/cgroup/cpu.max 2>&1)\"'");
      s.step(
          id + ".ours",
          "[ -f \"$CLI\" ] || { echo \"no CLI jar at $CLI\" >&2; exit 99; }\n"
              + in + "$J17 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar \"$CLI\" --json");
      s.step(id + ".jdk17", in + "$J17 -XshowSettings:system -version");
      s.step(id + ".jdk25", in + "$J25 -XshowSettings:system -version");
      String leaf = sc.leaf();
      s.step(
          id + ".usage",
          "for f in memory.current memory.peak memory.swap.current; do [ -f " + leaf
              + "/$f ] && echo \"$f: $(cat " + leaf + "/$f)\"; done\n"
              + "grep -E '^(anon|file|shmem|file_mapped) ' " + leaf + "/memory.stat\n"
              + "echo events: $(cat " + leaf + "/memory.events)\n"
              + "echo cpu.stat: $(cat " + leaf + "/cpu.stat)\n");
    }
    // One JVM follows a limit changed in place and a move to a sibling, and keeps few descriptors.
    s.step("live.setup", """
        set -e
        mkdir -p $C/live/a $C/live/b
        echo "+cpu +memory" > $C/live/cgroup.subtree_control
        echo 536870912 > $C/live/a/memory.max; echo "150000 100000" > $C/live/a/cpu.max
        echo 268435456 > $C/live/b/memory.max; echo "50000 100000" > $C/live/b/cpu.max
        """);
    s.raw("PROBE=" + VmScript.quote(liveProbe == null ? "/nonexistent" : liveProbe.toString()));
    s.step("live.run", "/tmp/in-cgroup plain $C/live/a $J17 -XX:+UseSerialGC -cp \"$CLI\" \"$PROBE\""
        + " $C/live/a $C/live/b 3000"); // 3,000 calls: software emulation makes each syscall dear
    pidsSteps(s);
    return s.build();
  }

  /**
   * Issue 11 on v2: the pids controller enabled in the subtree (the root's subtree_control gets
   * {@code +pids} only now, after the scenarios above), a parent's pids.max, a cgroup below one that
   * does not enable the controller, rlimits set before the JVM, and a network namespace's somaxconn.
   * (The pool start in pids.max 64, capped and uncapped, runs on the host's v1 kernel in TaskLimitsIT.)
   */
  private static void pidsSteps(VmScript s) {
    String cli = "$J17 -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar \"$CLI\" --json";
    s.raw("export J17 CLI"); // for the inner shells below
    s.step("pids.setup", """
        set -e
        echo +pids > $C/cgroup.subtree_control
        mkdir $C/pp; echo +pids > $C/pp/cgroup.subtree_control; echo 100 > $C/pp/pids.max; mkdir $C/pp/ctr
        mkdir $C/pq; echo 80 > $C/pq/pids.max; mkdir $C/pq/ctr
        mkdir $C/pl; echo 64 > $C/pl/pids.max
        cat $C/cgroup.subtree_control $C/pp/ctr/pids.max $C/pq/cgroup.subtree_control
        ls $C/pq/ctr | grep -c '^pids' || true
        """);
    s.step("pids.parent", "/tmp/in-cgroup plain $C/pp/ctr " + cli);
    s.step("pids.parent-nsmount", "/tmp/in-cgroup nsmount $C/pp/ctr " + cli);
    s.step("pids.not-enabled", "/tmp/in-cgroup plain $C/pq/ctr " + cli);
    s.step("pids.leaf", "/tmp/in-cgroup plain $C/pl " + cli);
    s.step("pids.ulimit", "/tmp/in-cgroup plain $C/pl bash -c 'ulimit -n 1234 && ulimit -u 777 && echo \"ulimit"
        + " -n $(ulimit -n) -u $(ulimit -u)\" >&2 && exec " + cli.replace("\"$CLI\"", "$CLI") + "'");
    s.step("pids.sysctl", "sysctl -n net.core.somaxconn vm.max_map_count kernel.threads-max kernel.pid_max");
    s.step("pids.netns", "unshare --net sh -c 'sysctl -q -w net.core.somaxconn=321 && echo \"somaxconn"
        + " $(sysctl -n net.core.somaxconn)\" >&2 && exec " + cli.replace("\"$CLI\"", "$CLI") + "'");
  }

  /** The CLI's JSON of a pids step. */
  private static JsonNode pidsJson(String step) throws IOException {
    Step st = step(step);
    assertThat(st.exitCode()).as(describe(step)).isZero();
    return JSON.readTree(st.stdout());
  }

  private static long longMember(JsonNode j, String name) {
    JsonNode n = member(j, name);
    assertThat(n).as(name + " in " + j).isNotNull();
    assertThat(n.isIntegralNumber()).as(name + " is an integer: " + n).isTrue();
    return n.asLong();
  }

  /** A parent's pids.max is the limit; in a private cgroup namespace it cannot be seen. */
  @Test
  void pidsMaxOfTheParentOnV2() throws IOException {
    assertThat(step("pids.setup").exitCode()).as(describe("pids.setup")).isZero();
    JsonNode j = pidsJson("pids.parent");
    assertThat(longMember(j, "pids.limit")).as(describe("pids.parent")).isEqualTo(100);
    assertThat(longMember(j, "pids.current")).isBetween(longMember(j, "pids.processThreads"), 100L);
    assertThat(member(j, "warnings")).as(describe("pids.parent")).isEmpty();
    JsonNode ns = pidsJson("pids.parent-nsmount");
    assertThat(member(ns, "pids.limit").isNull()).as("the parent is outside the namespace: "
        + describe("pids.parent-nsmount")).isTrue();
    System.out.println("v2 pids: parent " + member(j, "pids") + ", in a cgroup namespace " + member(ns, "pids"));
  }

  /**
   * A cgroup whose parent does not enable the controller has no pids.* files: the parent's limit
   * applies and its pids.current counts the tasks.
   */
  @Test
  void pidsWhereTheControllerIsNotEnabledBelowTheLimitOnV2() throws IOException {
    JsonNode j = pidsJson("pids.not-enabled");
    assertThat(longMember(j, "pids.limit")).as(describe("pids.not-enabled")).isEqualTo(80);
    assertThat(longMember(j, "pids.current")).isPositive();
    assertThat(member(j, "warnings")).as(describe("pids.not-enabled")).isEmpty();
    assertThat(member(j, "provenance").toString()).contains("/sys/fs/cgroup/pq/pids.current");
  }

  @Test
  void leafPidsMaxUlimitsAndTheNetworkNamespacesSomaxconnOnV2() throws IOException {
    assertThat(longMember(pidsJson("pids.leaf"), "pids.limit")).isEqualTo(64);
    JsonNode u = pidsJson("pids.ulimit");
    assertThat(step("pids.ulimit").stderr()).contains("ulimit -n 1234 -u 777");
    assertThat(longMember(u, "rlimit.nofile")).isEqualTo(1234);
    assertThat(longMember(u, "rlimit.nofileHard")).isEqualTo(1234);
    assertThat(longMember(u, "rlimit.nproc")).isEqualTo(777);
    assertThat(longMember(u, "rlimit.nprocHard")).isEqualTo(777);
    String[] v = step("pids.sysctl").stdout().strip().split("\\s+");
    assertThat(v).as(describe("pids.sysctl")).hasSize(4);
    JsonNode n = pidsJson("pids.netns");
    assertThat(step("pids.netns").stderr()).contains("somaxconn 321");
    assertThat(longMember(n, "kernel.somaxconn")).isEqualTo(321);
    assertThat(longMember(n, "kernel.maxMapCount")).isEqualTo(Long.parseLong(v[1]));
    assertThat(longMember(n, "kernel.threadsMax")).isEqualTo(Long.parseLong(v[2]));
    assertThat(longMember(n, "kernel.pidMax")).isEqualTo(Long.parseLong(v[3]));
    assertThat(longMember(pidsJson("pids.leaf"), "kernel.somaxconn")).isEqualTo(Long.parseLong(v[0]));
  }

  /** The single-file probe, where the VM can see it. */
  static Path liveProbe;

  // ---------------------------------------------------------------------------------------------

  /**
   * One JVM in the v2 VM: a limit changed in place between two calls is seen by the second, a move
   * to a sibling cgroup is followed, and 3,000 calls keep the descriptor count flat (10,000 on the
   * host's v1 kernel in {@code DetectLiveIT}; under emulation each call costs milliseconds).
   */
  @Test
  void oneJvmSeesInPlaceChangesAndFollowsAMoveOnV2() {
    assertThat(step("live.setup").exitCode()).as(describe("live.setup")).isZero();
    Step run = step("live.run");
    assertThat(run.exitCode()).as(describe("live.run")).isZero();
    java.util.Map<String, java.util.Map<String, String>> live = new java.util.HashMap<>();
    run.stdout().lines().filter(l -> l.startsWith("LIVE ")).forEach(l -> {
      String[] f = l.split(" ");
      java.util.Map<String, String> m = new java.util.HashMap<>();
      for (int i = 2; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        m.put(f[i].substring(0, eq), f[i].substring(eq + 1));
      }
      live.put(f[1], m);
    });
    assertThat(live).as(describe("live.run")).containsKeys("before", "changed", "moved", "loop");
    assertThat(live.get("before").get("limit")).isEqualTo(String.valueOf(512 * MIB));
    assertThat(live.get("before").get("quota")).isEqualTo("150000");
    assertThat(live.get("changed").get("limit")).isEqualTo(String.valueOf(300 * MIB));
    assertThat(live.get("changed").get("quota")).isEqualTo("70000");
    assertThat(live.get("moved").get("limit")).isEqualTo(String.valueOf(256 * MIB));
    assertThat(live.get("moved").get("limitFile")).isEqualTo("/sys/fs/cgroup/live/b/memory.max");
    assertThat(live.get("moved").get("quota")).isEqualTo("50000");
    assertThat(live.get("before").get("codes")).as("warnings before the move").isEqualTo("-");
    assertThat(live.get("moved").get("codes")).as("warnings after the move").isEqualTo("-");
    assertThat(Integer.parseInt(live.get("loop").get("fds"))).isLessThanOrEqualTo(
        Integer.parseInt(live.get("moved").get("fds")) + 2);
    assertThat(Integer.parseInt(live.get("loop").get("kept"))).isPositive()
        .isLessThanOrEqualTo(dev.rightsize.internal.ViewFs.MAX_KEPT);
    System.out.println("v2 live: " + live);
  }

  @Test
  void theVmRunsCgroupV2WithTheControllersEnabled() {
    Step vmStep = step("vm");
    assertThat(vmStep.stdout()).contains("cpuset cpu memory");
    assertThat(vmStep.stdout()).contains("0::/");
    assertThat(vmStep.stdout()).contains(" - cgroup2 ");
    assertThat(vmStep.stdout().lines().skip(1).findFirst()).hasValue(Integer.toString(VM_CPUS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theScenarioIsSetUpAndBothJdksRunInIt(Scenario sc) {
    assertThat(step(sc.id() + ".setup").exitCode()).as(describe(sc.id() + ".setup")).isZero();
    assertThat(step(sc.id() + ".view").exitCode()).as(describe(sc.id() + ".view")).isZero();
    for (String jdk : List.of("jdk17", "jdk25")) {
      Step st = step(sc.id() + "." + jdk);
      assertThat(st.exitCode()).as(describe(st.name())).isZero();
      JdkSystemSettings js = jdk(sc.id(), jdk);
      assertThat(js.get("Provider")).as(describe(st.name())).isEqualTo("cgroupv2");
    }
  }

  /** A check of the harness itself: the JDKs must see limits set on the leaf. */
  @Test
  void bothJdksSeeTheLeafLimits() {
    for (String jdk : List.of("jdk17", "jdk25")) {
      JdkSystemSettings js = jdk("leaf-limits", jdk);
      assertThat(js.get("CPU Quota")).as(jdk).isEqualTo("150000us");
      assertThat(js.get("Memory Limit")).as(jdk).isEqualTo("512.00M");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theCliReportsWhatWasSet(Scenario sc) throws IOException {
    Step st = step(sc.id() + ".ours");
    assertThat(st.exitCode()).as("exit status; " + describe(st.name())).isZero();
    JsonNode json = JSON.readTree(st.stdout());
    String ctx = sc.id() + " (" + sc.set() + ")\n" + describe(sc.id() + ".files")
        + describe(sc.id() + ".view") + describe(st.name());
    Expect e = sc.expect();
    SoftAssertions soft = new SoftAssertions();
    if (sc.lenient()) {
      // No cgroup file may be readable here: "host" is then the honest source.
      soft.assertThat(text(json, "source")).as("source; " + ctx).isIn("cgroup-v2", "host");
    } else {
      soft.assertThat(text(json, "source")).as("source; " + ctx).isEqualTo("cgroup-v2");
    }
    soft.assertThat(number(json, "cgroupVersion")).as("cgroupVersion; " + ctx).isEqualTo(2.0);
    JsonNode warnings = member(json, "warnings");
    soft.assertThat(warnings != null && warnings.isArray()).as("warnings is an array; " + ctx).isTrue();
    boolean warned = warnings != null && warnings.isArray() && !warnings.isEmpty();
    check(soft, json, "cpu.effective", e.effective() * 1.0, false, warned, ctx);
    check(soft, json, "cpu.limit", e.limit(), sc.lenient(), warned, ctx);
    check(soft, json, "cpu.cpuset", e.cpuset() == null ? null : e.cpuset() * 1.0, sc.lenient(),
        warned, ctx);
    check(soft, json, "memory.limit", e.memLimit() == null ? null : e.memLimit() * 1.0,
        sc.lenient(), warned, ctx);
    check(soft, json, "memory.softLimit", e.softLimit() == null ? null : e.softLimit() * 1.0,
        sc.lenient(), warned, ctx);
    check(soft, json, "memory.swapLimit", e.swapLimit() == null ? null : e.swapLimit() * 1.0,
        sc.lenient(), warned, ctx);
    if (!sc.lenient()) {
      soft.assertThat(warnings == null ? List.of() : warnings)
          .as("no warnings where every cgroup file is readable; " + ctx)
          .isEmpty();
    }
    soft.assertAll();
  }

  /**
   * Strict: the member equals the expected value (JSON null for null). Lenient: it equals it, or is
   * null when a warning was given; never another value.
   */
  private static void check(SoftAssertions soft, JsonNode json, String name, Double expected,
      boolean lenient, boolean warned, String ctx) {
    JsonNode n = member(json, name);
    String as = name + " (expected " + (expected == null ? "null" : fmt(expected)) + "); " + ctx;
    soft.assertThat(n).as("member present: " + as).isNotNull();
    if (n == null) {
      return;
    }
    if (lenient && n.isNull() && expected != null) {
      soft.assertThat(warned).as("missing value must come with a warning: " + as).isTrue();
      return;
    }
    if (expected == null) {
      soft.assertThat(n.isNull()).as(as + " but was " + n).isTrue();
    } else {
      soft.assertThat(n.isNumber()).as(as + " but was " + n).isTrue();
      if (n.isNumber()) {
        soft.assertThat(n.asDouble()).as(as).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static Step step(String name) {
    assertThat(steps).as("VM output has step " + name).containsKey(name);
    return steps.get(name);
  }

  private static JdkSystemSettings jdk(String id, String jdk) {
    Step st = steps.get(id + "." + jdk);
    return st == null
        ? JdkSystemSettings.parse("")
        : JdkSystemSettings.parse(st.stdout() + "\n" + st.stderr());
  }

  private static String describe(String name) {
    Step st = steps.get(name);
    if (st == null) {
      return "[step " + name + " missing]\n";
    }
    return "[" + name + " rc=" + st.exitCode() + " " + st.millis() + " ms]\n--- stdout\n"
        + st.stdout() + "\n--- stderr\n" + st.stderr() + "\n";
  }

  private static String describeSteps() {
    StringBuilder sb = new StringBuilder();
    steps.keySet().forEach(k -> sb.append(describe(k)).append('\n'));
    return sb.toString();
  }

  /** A member by its dotted contract name: nested ({@code cpu → effective}) or flat. */
  static JsonNode member(JsonNode json, String dotted) {
    if (json == null) {
      return null;
    }
    if (json.has(dotted)) {
      return json.get(dotted);
    }
    JsonNode n = json;
    for (String part : dotted.split("\\.")) {
      n = n == null ? null : n.get(part);
    }
    return n;
  }

  private static String text(JsonNode json, String name) {
    JsonNode n = member(json, name);
    return n == null ? null : n.asText();
  }

  private static Double number(JsonNode json, String name) {
    JsonNode n = member(json, name);
    return n == null || !n.isNumber() ? null : n.asDouble();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String bytes(JsonNode n) {
    if (n == null) {
      return "absent";
    }
    if (n.isNull()) {
      return "null";
    }
    long b = n.asLong();
    return b != 0 && b % MIB == 0 ? (b / MIB) + " MiB" : Long.toString(b);
  }

  private static String ours(String id) {
    Step st = steps.get(id + ".ours");
    if (st == null) {
      return "(not run)";
    }
    if (st.exitCode() != 0) {
      String err = st.stderr().strip();
      int nl = err.indexOf('\n');
      return "(exit " + st.exitCode() + ": " + (nl > 0 ? err.substring(0, nl) : err) + ")";
    }
    try {
      JsonNode j = JSON.readTree(st.stdout());
      JsonNode w = member(j, "warnings");
      List<String> codes = new ArrayList<>();
      if (w != null && w.isArray()) {
        w.forEach(x -> codes.add(x.path("code").asText()));
      }
      return "CPUs " + member(j, "cpu.effective") + ", limit " + member(j, "cpu.limit")
          + ", cpuset " + member(j, "cpu.cpuset")
          + "; mem " + bytes(member(j, "memory.limit"))
          + ", soft " + bytes(member(j, "memory.softLimit"))
          + ", swap " + bytes(member(j, "memory.swapLimit"))
          + (codes.isEmpty() ? "" : "; warnings " + String.join(",", codes));
    } catch (IOException | RuntimeException e) {
      return "(unparseable JSON: " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  private static String jdkVersion(String jdk) {
    Step st = steps.get("leaf-limits." + jdk);
    if (st != null) {
      Matcher m = Pattern.compile("version \"([^\"]+)\"").matcher(st.stderr() + st.stdout());
      if (m.find()) {
        return "JDK " + m.group(1);
      }
    }
    return jdk;
  }

  static String comparisonTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("### cgroup v2 (real kernel ").append(vm.host().kernelVersion())
        .append(" under QEMU, ").append(VM_CPUS).append(" vCPUs, 3 GiB)\n\n");
    sb.append("| scenario | set | rightsize `--json` | ").append(jdkVersion("jdk17"))
        .append(" `-XshowSettings:system` | ").append(jdkVersion("jdk25"))
        .append(" `-XshowSettings:system` |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    for (Scenario sc : SCENARIOS) {
      sb.append("| ").append(sc.id()).append(" | ").append(sc.set()).append(" | ")
          .append(ours(sc.id())).append(" | ")
          .append(jdk(sc.id(), "jdk17").summary()).append(" | ")
          .append(jdk(sc.id(), "jdk25").summary()).append(" |\n");
    }
    sb.append("\nJDK columns: \"Effective CPU Count\", \"CPU Quota\"/\"CPU Period\", \"Memory Limit\", "
        + "\"Memory Soft Limit\" (the JDK reads memory.low there), \"Memory & Swap Limit\". "
        + "rightsize: cpu.effective, cpu.limit, cpu.cpuset, memory.limit, memory.softLimit "
        + "(memory.high), memory.swapLimit (memory.swap.max).\n");
    return sb.toString();
  }
}
