package dev.rightsize.monitor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link ResourceMonitorIT}: runs a {@link ResourceMonitor} on {@code /} and obeys
 * commands on stdin, one per line, answering each with one line on stdout:
 * {@code read} (the readings as {@code R key=value ...}), {@code alloc MIB} (allocates and touches
 * that much heap, kept), {@code burn MILLIS [THREADS]} (busy loop, two threads by default), {@code exit}.
 *
 * @see ResourceMonitorIT
 */
public final class MonitorProbe {
  private MonitorProbe() {}

  public static void main(String[] args) throws Exception {
    long recheckMillis = Long.parseLong(args[0]);
    List<byte[]> kept = new ArrayList<>();
    AtomicInteger changes = new AtomicInteger();
    AtomicReference<String> last = new AtomicReference<>("none");
    try (ResourceMonitor m = ResourceMonitor.builder().limitRecheckPeriod(Duration.ofMillis(recheckMillis)).build()) {
      m.addLimitChangeListener((before, after) -> {
        changes.incrementAndGet();
        last.set(n(before.memory().limitBytes().value()) + "->" + n(after.memory().limitBytes().value()) + ","
            + d(before.cpu().limit()) + "->" + d(after.cpu().limit()));
      });
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      System.out.println("READY " + m.availableValues());
      System.out.flush();
      for (String line; (line = in.readLine()) != null; ) {
        String[] c = line.strip().split(" ");
        switch (c[0]) {
          case "read" -> {
            ResourceSnapshot s = m.snapshot();
            System.out.println("R usage=" + n(s.memoryUsageBytes()) + " ws=" + n(s.memoryWorkingSetBytes())
                + " limit=" + n(s.memoryLimitBytes().value()) + " failcnt=" + n(s.memoryFailCount())
                + " oomKills=" + n(s.oomKills()) + " cpuNanos=" + n(s.cpuUsageNanos())
                + " periods=" + n(s.cpuPeriods()) + " throttled=" + n(s.cpuThrottledPeriods())
                + " throttledNanos=" + n(s.cpuThrottledNanos()) + " cpuLimit=" + d(s.cpuLimit())
                + " effective=" + s.effectiveCpus() + " changes=" + changes.get() + " last=" + last.get()
                + " warnings=" + m.warnings().size());
          }
          case "alloc" -> {
            int mib = Integer.parseInt(c[1]);
            for (int i = 0; i < mib; i++) {
              byte[] b = new byte[1 << 20];
              for (int j = 0; j < b.length; j += 4096) {
                b[j] = 1;
              }
              kept.add(b);
            }
            System.out.println("OK allocated " + kept.size() + " MiB");
          }
          case "burn" -> {
            long until = System.nanoTime() + Duration.ofMillis(Long.parseLong(c[1])).toNanos();
            int threads = c.length > 2 ? Integer.parseInt(c[2]) : 2;
            List<Thread> others = new ArrayList<>();
            for (int i = 1; i < threads; i++) {
              Thread t = new Thread(() -> spin(until));
              t.start();
              others.add(t);
            }
            spin(until);
            for (Thread t : others) {
              t.join();
            }
            System.out.println("OK burned");
          }
          case "exit" -> {
            System.out.println("BYE");
            return;
          }
          default -> System.out.println("ERR unknown command " + line);
        }
        System.out.flush();
      }
    }
  }

  static volatile long sink;

  private static void spin(long untilNanos) {
    long x = 0;
    while (System.nanoTime() < untilNanos) {
      x += System.nanoTime() % 7;
    }
    sink = x;
  }

  private static String n(OptionalLong v) {
    return v.isPresent() ? String.valueOf(v.getAsLong()) : "none";
  }

  private static String d(OptionalDouble v) {
    return v.isPresent() ? String.valueOf(v.getAsDouble()) : "none";
  }
}
