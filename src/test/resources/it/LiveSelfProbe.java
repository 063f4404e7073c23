import dev.rightsize.ContainerResources;
import dev.rightsize.Provenance;
import dev.rightsize.Value;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run inside a cgroup v2 VM as root, in cgroup LEAF: one JVM detects, changes its own limits in
 * place, moves itself to SIBLING, then detects CALLS times (default 10,000). Prints one {@code LIVE} line per step.
 * Usage: java -cp CLI_JAR LiveSelfProbe.java LEAF SIBLING [CALLS]
 */
public class LiveSelfProbe {
  public static void main(String[] args) throws Exception {
    Path leaf = Path.of(args[0]);
    Path sibling = Path.of(args[1]);
    print("before", ContainerResources.detect());
    Files.writeString(leaf.resolve("memory.max"), String.valueOf(300L << 20));
    Files.writeString(leaf.resolve("cpu.max"), "70000 100000");
    print("changed", ContainerResources.detect());
    Files.writeString(sibling.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
    print("moved", ContainerResources.detect());
    ContainerResources r = null;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    for (int i = 0; i < calls; i++) {
      r = ContainerResources.detect();
    }
    print("loop", r);
  }

  static String codes(ContainerResources r) {
    StringBuilder b = new StringBuilder();
    for (dev.rightsize.Warning w : r.warnings()) {
      b.append(b.length() == 0 ? "" : ",").append(w.code().id()).append(':').append(w.file().orElse(""));
    }
    return b.length() == 0 ? "-" : b.toString();
  }

  static void print(String step, ContainerResources r) {
    String[] fds = new File("/proc/self/fd").list();
    System.out.println("LIVE " + step + " limit=" + r.memory().limitBytes() + " quota=" + r.cpu().quotaMicros()
        + " limitFile=" + r.provenanceOf(Value.MEMORY_LIMIT).map(Provenance::file).orElse("none")
        + " fds=" + (fds == null ? -1 : fds.length) + " kept=" + dev.rightsize.internal.ViewFs.keptCount()
        + " warnings=" + r.warnings().size() + " codes=" + codes(r));
  }
}
