// A thread pool sized for the container at startup.
//
// Run (after `mvn package`, which writes the library's dependencies to target/runtime-classpath.txt):
//   java -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt) examples/PoolAtStartup.java
// Try it under a quota to see the numbers change (no Docker; see examples/README.md):
//   systemd-run --scope -p CPUQuota=150% java -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt) examples/PoolAtStartup.java

import dev.rightsize.ContainerResources;
import dev.rightsize.sizing.ThreadPools;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

public class PoolAtStartup {
  public static void main(String[] args) throws Exception {
    ContainerResources resources = ContainerResources.detect();
    ThreadPools pools = ThreadPools.of(resources);

    // First thing in main: the common pool (parallel streams, CompletableFuture.*Async) reads its
    // parallelism once, when first used.
    System.out.println(pools.applyToCommonPool().message());

    System.out.printf("CPUs: %.2f (effective %d, JVM sees %d)%n",
        pools.cpus(), resources.cpu().effective(), Runtime.getRuntime().availableProcessors());
    System.out.printf("cpu-bound %d, +1 %d, beside a concurrent GC %d, blocking (wait/compute 4) %d%n",
        pools.cpuBound(), pools.cpuBoundPlusOne(), pools.cpuBoundWithGcReserve(), pools.blocking(4.0));

    ThreadPoolExecutor compute = pools.cpuBoundPool("compute").build();
    ThreadPoolExecutor io = pools.blockingPool("io", 4.0)
        .queueCapacity(200)
        .rejectionPolicy(new ThreadPoolExecutor.CallerRunsPolicy()) // back-pressure, not an error
        .daemon(true)
        .build();
    try {
      List<Callable<String>> tasks = IntStream.range(0, 8)
          .mapToObj(i -> (Callable<String>) () -> {
            Thread.sleep(20); // pretend to wait on a remote call
            return Thread.currentThread().getName();
          })
          .toList();
      for (Future<String> f : io.invokeAll(tasks)) {
        System.out.println("ran on " + f.get());
      }
      System.out.println("sum " + compute.submit(() -> IntStream.range(0, 1_000).sum()).get()
          + " computed on a pool of " + compute.getMaximumPoolSize());
      System.out.println("parallel stream sum " + IntStream.range(0, 1_000).parallel().sum());
    } finally {
      compute.shutdown();
      io.shutdown();
      compute.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
