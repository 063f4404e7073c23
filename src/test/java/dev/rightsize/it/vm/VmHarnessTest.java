package dev.rightsize.it.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit tests of the VM harness's pure parts (no VM needed). */
class VmHarnessTest {

  @Test
  void stepsAreParsedWithExactStdoutAndStderr() {
    String out =
        "noise\n"
            + "@@STEP-OUT a@@\n{\"x\":1}\n\n@@STEP-ERR a@@\n\n@@STEP-END a rc=0 ms=12@@\n"
            + "@@STEP-OUT b.c@@\n\n@@STEP-ERR b.c@@\nboom\n\n@@STEP-END b.c rc=3 ms=4@@\n"
            + "@@STEP-OUT d@@\nno newline\n@@STEP-ERR d@@\n\n@@STEP-END d rc=0 ms=0@@\n";
    Map<String, VmScript.Step> steps = VmScript.parse(out);

    assertThat(steps).containsOnlyKeys("a", "b.c", "d");
    assertThat(steps.get("a").stdout()).isEqualTo("{\"x\":1}\n");
    assertThat(steps.get("a").millis()).isEqualTo(12);
    assertThat(steps.get("b.c").stdout()).isEmpty();
    assertThat(steps.get("b.c").stderr()).isEqualTo("boom\n");
    assertThat(steps.get("b.c").exitCode()).isEqualTo(3);
    assertThat(steps.get("d").stdout()).isEqualTo("no newline");
  }

  @Test
  void aStepBodyBecomesAShellFunction() {
    String s = new VmScript().step("x.y", "echo 'hi'").build();
    assertThat(s).contains("rs_fn() {\necho 'hi'\n}\nrs_step x.y rs_fn\n");
    assertThat(VmScript.quote("it's")).isEqualTo("'it'\\''s'");
  }

  @Test
  void jdk17SystemSettingsAreParsed() {
    JdkSystemSettings js =
        JdkSystemSettings.parse(
            """
            Operating System Metrics:
                Provider: cgroupv2
                Effective CPU Count: 2
                CPU Period: 100000us
                CPU Quota: 150000us
                CPU Shares: -1
                List of Processors: N/A
                List of Effective Processors, 2 total:\s
                0 1\s
                Memory Limit: 512.00M
                Memory Soft Limit: 0.00K
                Memory & Swap Limit: Unlimited
                Maximum Processes Limit: Unlimited

            openjdk version "17.0.15" 2025-04-15
            """);
    assertThat(js.get("Provider")).isEqualTo("cgroupv2");
    assertThat(js.get("Effective CPU Count")).isEqualTo("2");
    assertThat(js.get("Memory & Swap Limit")).isEqualTo("Unlimited");
    assertThat(js.summary())
        .isEqualTo(
            "CPUs 2, quota 150000/100000; mem 512.00M, soft 0.00K, mem+swap Unlimited");
  }

  @Test
  void jdk25NotContainerizedIsRecognised() {
    JdkSystemSettings js =
        JdkSystemSettings.parse(
            "Operating System Metrics:\n    Provider: cgroupv2\n    System not containerized.\n");
    assertThat(js.get("Provider")).isEqualTo("cgroupv2");
    assertThat(js.summary()).contains("not containerized");
  }

  @Test
  void cpioEntriesAreNewcWithFourByteAlignment() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Cpio cpio = new Cpio(bytes);
    cpio.dir("bin");
    cpio.file("bin/x", 0755, "abcde".getBytes(StandardCharsets.US_ASCII));
    cpio.symlink("bin/sh", "x");
    cpio.charDevice("dev/console", 0600, 5, 1);
    cpio.finish();
    byte[] b = bytes.toByteArray();
    assertThat(b.length % 4).isZero();

    List<String> names = new ArrayList<>();
    int off = 0;
    while (true) {
      String header = new String(b, off, 110, StandardCharsets.US_ASCII);
      assertThat(header).startsWith("070701");
      long mode = Long.parseLong(header.substring(14, 22), 16);
      int size = Integer.parseInt(header.substring(54, 62), 16);
      int rdevMajor = Integer.parseInt(header.substring(78, 86), 16);
      int nameSize = Integer.parseInt(header.substring(94, 102), 16);
      String name = new String(b, off + 110, nameSize - 1, StandardCharsets.US_ASCII);
      names.add(name);
      int dataStart = align(off + 110 + nameSize);
      if (name.equals("bin/x")) {
        assertThat(new String(b, dataStart, size, StandardCharsets.US_ASCII)).isEqualTo("abcde");
        assertThat(mode).isEqualTo(0100755);
      }
      if (name.equals("dev/console")) {
        assertThat(mode).isEqualTo(0020600);
        assertThat(rdevMajor).isEqualTo(5);
      }
      if (name.equals("TRAILER!!!")) {
        break;
      }
      off = align(dataStart + size);
    }
    assertThat(names).containsExactly("bin", "bin/x", "bin/sh", "dev/console", "TRAILER!!!");
  }

  @Test
  void busyboxStaticnessIsReadFromTheElfHeader() {
    // /bin/sh is dynamically linked on every distribution this project targets
    java.nio.file.Path sh = java.nio.file.Path.of("/bin/sh");
    if (java.nio.file.Files.exists(sh)) {
      assertThat(QemuVm.isStaticElf(sh.toAbsolutePath())).isFalse();
    }
  }

  private static int align(int n) {
    return (n + 3) & ~3;
  }
}
