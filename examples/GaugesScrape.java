// Binds rightsize's Micrometer meters to a registry, burns some CPU, and prints every meter.
//
// Run (after `mvn package`; target/runtime-classpath.txt lists the library's dependencies,
// micrometer-core, an optional one, included):
//   java -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt) examples/GaugesScrape.java

import dev.rightsize.micrometer.ContainerMetrics;
import dev.rightsize.monitor.ResourceMonitor;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

public class GaugesScrape {
  public static void main(String[] args) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ResourceMonitor monitor = ResourceMonitor.create()) {
      new ContainerMetrics(monitor).bindTo(registry);
      byte[][] held = new byte[64][];
      for (int i = 0; i < held.length; i++) {
        held[i] = new byte[1 << 20]; // 64 MiB of heap, touched
      }
      long end = System.nanoTime() + 2_000_000_000L;
      long x = 0;
      while (System.nanoTime() < end) {
        x += x * 31 + 7; // about 2 s of CPU, throttled under a small quota
      }
      registry.getMeters().stream()
          .sorted((a, b) -> a.getId().getName().compareTo(b.getId().getName()))
          .forEach(GaugesScrape::print);
      System.out.println("# (" + held.length + " MiB held, " + (x == 42 ? "" : "done") + ")");
    }
  }

  private static void print(Meter m) {
    StringBuilder b = new StringBuilder(m.getId().getName());
    String unit = m.getId().getBaseUnit();
    b.append(' ').append(m.getId().getType().name().toLowerCase());
    for (Measurement ms : m.measure()) {
      b.append(' ').append(ms.getStatistic().getTagValueRepresentation()).append('=').append(ms.getValue());
    }
    if (unit != null) {
      b.append(' ').append(unit);
    }
    System.out.println(b);
  }
}
