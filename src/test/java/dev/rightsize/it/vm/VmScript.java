package dev.rightsize.it.vm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the shell script for one {@link QemuVm} boot out of named steps, and parses the boot's
 * output back into each step's standard output, standard error, exit status and duration.
 *
 * <p>The script runs under the shared root's {@code /bin/sh} (dash on Debian) inside the VM. A
 * step's command is the body of a shell function, so it needs no extra quoting. Steps run in order
 * in one shell: a step may define variables later steps use, and a failing step does not stop the
 * script.
 */
public final class VmScript {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern STEP =
      Pattern.compile(
          "@@STEP-OUT ([A-Za-z0-9._-]+)@@\n(.*?)\n@@STEP-ERR \\1@@\n(.*?)\n"
              + "@@STEP-END \\1 rc=(\\d+) ms=(-?\\d+)@@",
          Pattern.DOTALL);

  private final StringBuilder sb = new StringBuilder();

  /** One step's result. */
  public record Step(String name, String stdout, String stderr, int exitCode, long millis) {}

  public VmScript() {
    sb.append(
        """
        export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        export HOME=/tmp
        rs_now() { date +%s%N; }
        rs_step() {
          rs_name=$1; shift
          rs_t0=$(rs_now)
          "$@" >/tmp/rs.out 2>/tmp/rs.err </dev/null
          rs_rc=$?
          rs_t1=$(rs_now)
          echo "@@STEP-OUT $rs_name@@"; cat /tmp/rs.out; echo
          echo "@@STEP-ERR $rs_name@@"; cat /tmp/rs.err; echo
          echo "@@STEP-END $rs_name rc=$rs_rc ms=$(( (rs_t1 - rs_t0) / 1000000 ))@@"
        }
        """);
  }

  /** Appends shell text as is (variables, helper files under the VM's /tmp, ...). */
  public VmScript raw(String shell) {
    sb.append(shell);
    if (!shell.endsWith("\n")) {
      sb.append('\n');
    }
    return this;
  }

  /** Appends a step: {@code body} runs as a shell function; its output is kept under {@code name}. */
  public VmScript step(String name, String body) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("step name must match " + NAME + ": " + name);
    }
    sb.append("rs_fn() {\n").append(body);
    if (!body.endsWith("\n")) {
      sb.append('\n');
    }
    sb.append("}\nrs_step ").append(name).append(" rs_fn\n");
    return this;
  }

  public String build() {
    return sb.toString();
  }

  /** The steps found in a boot's output, in order, by name. */
  public static Map<String, Step> parse(String output) {
    Map<String, Step> steps = new LinkedHashMap<>();
    Matcher m = STEP.matcher(output);
    while (m.find()) {
      steps.put(
          m.group(1),
          new Step(
              m.group(1),
              m.group(2),
              m.group(3),
              Integer.parseInt(m.group(4)),
              Long.parseLong(m.group(5))));
    }
    return steps;
  }

  /** Single-quotes {@code s} for the shell. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
