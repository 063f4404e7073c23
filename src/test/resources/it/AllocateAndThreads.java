import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Fills the JVM's whole heap (touching every page), then its direct-memory allowance, then starts
 * threads that each touch part of their stack and wait; prints one "OK ..." line and exits 0 if the
 * JVM survived all of it. Used by CgroupV1IT to show that a JVM sized for a memory cgroup is not
 * OOM-killed by the kernel (a JVM-level OutOfMemoryError on the heap is expected and caught).
 *
 * <p>Usage: {@code java [flags] AllocateAndThreads.java [threads=200] [recursionDepth=1500]}
 */
public class AllocateAndThreads {
  static volatile long sink;

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int depth = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
    long t0 = System.nanoTime();

    List<byte[]> heap = new ArrayList<>();
    long heapHeld = 0;
    try {
      while (true) {
        byte[] b = new byte[1 << 20];
        for (int i = 0; i < b.length; i += 4096) {
          b[i] = 1;
        }
        heap.add(b);
        heapHeld += b.length;
      }
    } catch (OutOfMemoryError e) {
      // expected: the heap is full. Give a little back so thread objects fit.
      for (int i = 0; i < 8 && !heap.isEmpty(); i++) {
        heap.remove(heap.size() - 1);
        heapHeld -= 1 << 20;
      }
    }

    List<ByteBuffer> direct = new ArrayList<>();
    long directHeld = 0;
    try {
      while (directHeld < (1L << 30)) {
        ByteBuffer bb = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < bb.capacity(); i += 4096) {
          bb.put(i, (byte) 1);
        }
        direct.add(bb);
        directHeld += bb.capacity();
      }
    } catch (OutOfMemoryError e) {
      // expected: MaxDirectMemorySize reached
    }

    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> sink += deep(depth, ready, release), "worker-" + i);
      t.start();
      started.add(t);
    }
    ready.await();
    System.out.println("OK heapHeldMiB=" + (heapHeld >> 20) + " maxHeapMiB=" + (Runtime.getRuntime().maxMemory() >> 20)
        + " directMiB=" + (directHeld >> 20) + " threads=" + started.size() + " ms="
        + (System.nanoTime() - t0) / 1_000_000);
    System.out.flush();
    release.countDown();
    for (Thread t : started) {
      t.join();
    }
    sink += heap.size() + direct.size();
  }

  private static long deep(int n, CountDownLatch ready, CountDownLatch release) {
    long a = n * 31L;
    long b = a ^ 0x5DEECE66DL;
    long c = a + b;
    if (n == 0) {
      ready.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return c;
    }
    return deep(n - 1, ready, release) + a + b + c;
  }
}
