// Checks at startup that the JVM's heap and CPU count fit the container, and says how to fix them.
//
// Run (after `mvn package`, which writes the library's dependencies to target/runtime-classpath.txt):
//   java -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt) examples/HeapCheckAtStartup.java
// See a finding:
//   java -Xmx64g -XX:ActiveProcessorCount=64 -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt) examples/HeapCheckAtStartup.java
// Fail the start on warnings (e.g. in a readiness script):
//   java -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt) examples/HeapCheckAtStartup.java --strict

import dev.rightsize.ContainerResources;
import dev.rightsize.report.Finding;
import dev.rightsize.sizing.InsufficientMemoryException;
import dev.rightsize.report.JvmCheck;
import dev.rightsize.sizing.JvmMemory;
import dev.rightsize.sizing.JvmSettings;
import java.util.List;

public class HeapCheckAtStartup {
  public static void main(String[] args) {
    boolean strict = List.of(args).contains("--strict");
    ContainerResources resources = ContainerResources.detect();
    JvmSettings jvm = JvmSettings.current();

    System.out.println("container: " + resources.cpu().effective() + " CPUs, memory limit "
        + (resources.memory().limitBytes().isLimited()
            ? (resources.memory().limitBytes().value().getAsLong() >> 20) + " MiB"
            : resources.memory().limitBytes().toString()));
    System.out.println("JVM: " + jvm.availableProcessors() + " processors, max heap "
        + jvm.heapLimitBytes().stream().mapToObj(b -> (b >> 20) + " MiB").findFirst().orElse("unknown")
        + ", GC " + jvm.garbageCollectors());

    // Only a known limit is sized from; an unknown one is left to the JVM's own container support.
    if (resources.memory().limitBytes().isLimited()) {
      try {
        JvmMemory m = JvmMemory.forTotal(resources.memory().limitBytes().value().getAsLong());
        System.out.println("suggested: " + m.flagsLine() + "  (or " + m.maxRamPercentageFlag() + ")");
      } catch (InsufficientMemoryException e) {
        System.out.println("no layout fits: " + e.getMessage());
      }
    } else if (!resources.memory().limitBytes().isKnown()) {
      System.out.println("memory limit unknown: no heap suggested (see the warnings)");
    }

    List<Finding> findings = JvmCheck.check(jvm, resources);
    if (findings.isEmpty()) {
      System.out.println("OK: the JVM agrees with its container.");
    }
    for (Finding f : findings) {
      System.out.println(f.severity() + " [" + f.code() + "] " + f.message());
      System.out.println("    fix: " + f.fix());
    }
    if (strict && findings.stream().anyMatch(f -> f.severity() == Finding.Severity.WARN)) {
      System.exit(1);
    }
  }
}
