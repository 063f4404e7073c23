package dev.rightsize.sizing;

import java.util.concurrent.ForkJoinPool;

/** Run in a fresh JVM by {@link ThreadPoolsTest}: prints "STATUS requested actual". */
public final class CommonPoolProbe {
  private CommonPoolProbe() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("touched")) {
      ForkJoinPool.commonPool().submit(() -> { }).join(); // someone used the pool before us
    }
    ThreadPools.CommonPoolSetting s = ThreadPools.applyToCommonPool(2);
    System.out.println(s.status() + " " + s.requestedParallelism() + " " + s.actualParallelism());
  }
}
