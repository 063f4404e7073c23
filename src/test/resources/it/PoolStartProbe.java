import dev.rightsize.ContainerResources;
import dev.rightsize.sizing.ThreadPools;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Sizes a blocking pool (wait/compute 99) in the cgroup it runs in and starts all its threads:
 * {@code capped} with {@code ThreadPools.of(detect())}, which caps it by the thread headroom;
 * {@code uncapped} with the same CPU count and no headroom ({@code ThreadPools.ofCpus}). Prints one
 * line, {@code POOL mode=... size=N started=M headroom=... result=ok|failed error=...}, and halts (a
 * JVM that met its task limit may not be able to start the threads an orderly exit needs).
 *
 * <p>Usage: {@code java -cp rightsize-cli.jar:DIR PoolStartProbe capped|uncapped}
 */
public class PoolStartProbe {
  public static void main(String[] args) {
    ContainerResources r = ContainerResources.detect();
    ThreadPools detected = ThreadPools.of(r);
    ThreadPools pools = args[0].equals("capped") ? detected : ThreadPools.ofCpus(detected.cpus());
    ThreadPoolExecutor pool = (ThreadPoolExecutor) pools.blockingPool("io", 99).build();
    int size = pool.getCorePoolSize();
    String result = "ok";
    String error = "-";
    try {
      pool.prestartAllCoreThreads();
    } catch (Throwable t) {
      result = "failed";
      error = String.valueOf(t).replace(' ', '_');
    }
    String headroom = detected.threadHeadroom().map(h -> String.valueOf(h.threads())).orElse("none");
    System.out.println("POOL mode=" + args[0] + " size=" + size + " started=" + pool.getPoolSize() + " headroom="
        + headroom + " pidsLimit=" + r.pids().limit() + " pidsCurrent=" + r.pids().current().orElse(-1)
        + " result=" + result + " error=" + error);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
