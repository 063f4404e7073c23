import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A stress workload for the sizing tests: it makes the JVM commit every kind of memory a service
 * does, all at once, then holds it. Phases, in order, so that the peaks coincide:
 *
 * <ol>
 *   <li>classes: defines N classes from bytes (a small hand-written class-file emitter; each class
 *       implements IntUnaryOperator with 8 static methods) in one class loader, instantiates each
 *       and calls it once (loads, verifies, links, initialises: metaspace as a real class takes);
 *   <li>hot code: a mix of collections, streams, regex, BigInteger and string code run on 2 threads
 *       until C1 and C2 have compiled it, and the first H generated classes called 300 times
 *       each so that the JIT compiles their methods (code cache, compiler arenas);
 *   <li>direct memory: D MiB of direct buffers, every page written;
 *   <li>threads: T threads each recursing until about K KiB of its stack is touched, then parked;
 *   <li>heap: live data up to a fraction of {@code Runtime.maxMemory()} ({@code full}: until
 *       OutOfMemoryError, then 2% given back), every page written, then churn (garbage and
 *       replaced live chunks) for a while, then held.
 * </ol>
 *
 * Prints one line {@code OK key=value ...} (what it held and the JVM's own MXBean figures) and
 * exits 0 when every phase completed; exits 3 with {@code SQUEEZED phase=... error=...} when a
 * JVM-level limit (MaxMetaspaceSize, MaxDirectMemorySize, a full code cache is only a warning)
 * stopped a phase. A kernel OOM kill shows as exit 137.
 *
 * <p>Run it with {@code -XX:CompileCommand=exclude,SizingWorkload::deep}: interpreted, deep()'s
 * frames have one size, so the stack each thread touches is the same from run to run (compiled,
 * the frame measured and the frames run can differ by a third).
 *
 * <p>Usage: {@code java [flags] SizingWorkload heap=0.95|full threads=20 depthKiB=32 directMiB=10
 * classes=0 hotClasses=0 hotMs=600 churnMs=800 holdMs=300}
 */
public class SizingWorkload {
  static volatile long sink;

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String s : args) {
      String[] kv = s.split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    String heapArg = a.getOrDefault("heap", "0.95");
    int threads = Integer.parseInt(a.getOrDefault("threads", "20"));
    int depthKiB = Integer.parseInt(a.getOrDefault("depthKiB", "32"));
    int directMiB = Integer.parseInt(a.getOrDefault("directMiB", "10"));
    int classes = Integer.parseInt(a.getOrDefault("classes", "0"));
    int hotClasses = Integer.parseInt(a.getOrDefault("hotClasses", "0"));
    long hotMs = Long.parseLong(a.getOrDefault("hotMs", "600"));
    long churnMs = Long.parseLong(a.getOrDefault("churnMs", "800"));
    long holdMs = Long.parseLong(a.getOrDefault("holdMs", "300"));
    long t0 = System.nanoTime();

    // 1. classes
    List<IntUnaryOperator> generated = new ArrayList<>();
    try {
      Loader loader = new Loader();
      for (int i = 0; i < classes; i++) {
        Class<?> c = loader.define(ClassEmitter.emit("gen/C" + i, i));
        IntUnaryOperator op = (IntUnaryOperator) c.getDeclaredConstructor().newInstance();
        sink += op.applyAsInt(i);
        generated.add(op);
      }
    } catch (OutOfMemoryError e) {
      squeezed("classes", e, generated.size());
    }

    long tClasses = System.nanoTime();
    // 2. hot code
    Thread[] hot = new Thread[2];
    for (int h = 0; h < hot.length; h++) {
      final int seed = h;
      hot[h] = new Thread(() -> hotCode(hotMs, seed), "hot-" + h);
      hot[h].start();
    }
    for (Thread h : hot) {
      h.join();
    }
    // the first hotClasses generated classes are called until the JIT compiles them
    for (int round = 0; round < 300; round++) {
      for (int i = 0; i < Math.min(hotClasses, generated.size()); i++) {
        sink += generated.get(i).applyAsInt(round ^ i);
      }
    }

    long tHot = System.nanoTime();
    // 3. direct memory
    List<ByteBuffer> direct = new ArrayList<>();
    try {
      for (int i = 0; i < directMiB; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        for (int p = 0; p < b.capacity(); p += 4096) {
          b.put(p, (byte) 1);
        }
        direct.add(b);
      }
    } catch (OutOfMemoryError e) {
      squeezed("direct", e, direct.size());
    }

    // 4. threads, each parked about depthKiB deep
    int frames = Math.max(1, depthKiB * 1024 / frameBytes());
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> parked = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> sink += deep(frames, 1, 2, 3, 4, ready, release), "worker-" + i);
      t.setDaemon(true);
      t.start();
      parked.add(t);
    }
    ready.await();

    long tThreads = System.nanoTime();
    // 5. heap: fill, churn, hold
    long max = Runtime.getRuntime().maxMemory();
    boolean full = heapArg.equals("full");
    long target = full ? Long.MAX_VALUE : (long) (Double.parseDouble(heapArg) * max);
    int chunk = 64 << 10;
    List<byte[]> live = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(7);
    long held = 0;
    boolean saturated = false;
    try {
      while (held + chunk <= target) {
        live.add(touched(chunk));
        held += chunk;
      }
    } catch (OutOfMemoryError e) {
      // "full": give back 2%; a fraction the collector cannot hold live (G1 needs free regions in
      // a small heap): give back 2%, at least 4 MiB
      int giveBack = (int) ((full ? max / 50 : Math.max(max / 50, 4 << 20)) / chunk) + 1;
      saturated = !full;
      for (int i = 0; i < giveBack && !live.isEmpty(); i++) {
        live.remove(live.size() - 1);
        held -= chunk;
      }
    }
    long tFill = System.nanoTime();
    long churnEnd = System.nanoTime() + churnMs * 1_000_000L;
    long churned = 0;
    int ooms = 0;
    while (System.nanoTime() < churnEnd) {
      try {
        for (int i = 0; i < 64; i++) {
          sink += touched(4096 + rnd.nextInt(16 << 10)).length;
        }
        // a collector that could not hold the fraction live (Serial since JDK 23 keeps live data in
        // the old generation only) gets garbage only, so that its young generation is cycled
        if (!live.isEmpty() && !saturated) {
          int i = rnd.nextInt(live.size());
          live.set(i, null);
          live.set(i, touched(chunk));
        }
        churned += 64 * 12 << 10;
      } catch (OutOfMemoryError e) {
        ooms++;
      }
    }
    Thread.sleep(holdMs);
    // the peak is past: give back 5% of the live set so that the report below can allocate
    for (int i = 0, n = live.size() / 20 + 1; i < n && !live.isEmpty(); i++) {
      live.remove(live.size() - 1);
    }

    String report;
    try {
      report = report(max, held, churned, ooms, direct.size(), parked.size(), frames, generated.size(), t0,
          tClasses, tHot, tThreads, tFill);
    } catch (OutOfMemoryError e) {
      live.clear();
      report = report(max, held, churned, ooms, direct.size(), parked.size(), frames, generated.size(), t0,
          tClasses, tHot, tThreads, tFill);
    }
    System.out.println(report);
    System.out.flush();
    release.countDown();
    sink += live.size() + direct.size() + generated.size();
    System.exit(squeezedPhase == null ? 0 : 3);
  }

  static String report(long max, long held, long churned, int ooms, int directMiBHeld, int threadsParked,
      int frames, int generatedClasses, long t0, long tClasses, long tHot, long tThreads, long tFill) {
    StringBuilder out = new StringBuilder("OK");
    out.append(" jdk=").append(System.getProperty("java.runtime.version"));
    out.append(" heapMaxMiB=").append(max >> 20);
    out.append(" heapHeldMiB=").append(held >> 20);
    out.append(" churnedMiB=").append(churned >> 20).append(" churnOoms=").append(ooms);
    out.append(" directMiB=").append(directMiBHeld);
    out.append(" threads=").append(threadsParked).append(" frames=").append(frames);
    out.append(" generatedClasses=").append(generatedClasses);
    out.append(" loadedClasses=").append(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    out.append(" peakThreads=").append(ManagementFactory.getThreadMXBean().getPeakThreadCount());
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.NON_HEAP) {
        out.append(' ').append(p.getName().replace(' ', '_').replace("'", "")).append("CommittedKiB=")
            .append(p.getUsage().getCommitted() >> 10);
      }
    }
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      out.append(' ').append(b.getName().replace(' ', '_')).append("BufferKiB=").append(b.getMemoryUsed() >> 10);
    }
    out.append(" gc=").append(ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).map(n -> n.replace(' ', '_')).collect(Collectors.joining(",")));
    out.append(" ms=").append((System.nanoTime() - t0) / 1_000_000);
    out.append(" phasesMs=").append((tClasses - t0) / 1_000_000).append(',').append((tHot - tClasses) / 1_000_000)
        .append(',').append((tThreads - tHot) / 1_000_000).append(',').append((tFill - tThreads) / 1_000_000);
    return out.toString();
  }

  static String squeezedPhase;

  static void squeezed(String phase, Throwable e, int done) {
    squeezedPhase = phase;
    System.out.println("SQUEEZED phase=" + phase + " done=" + done + " error=" + e);
  }

  static byte[] touched(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i += 4096) {
      b[i] = 1;
    }
    return b;
  }

  // ---------------------------------------------------------------- stacks

  /**
   * Bytes of stack one deep() frame takes, measured on deep() itself: frames until
   * StackOverflowError in a 1 MiB thread, three rounds (interpreted, then compiled), the largest
   * frame seen.
   */
  static int frameBytes() throws InterruptedException {
    int[] least = {Integer.MAX_VALUE};
    for (int round = 0; round < 3; round++) {
      probeDepth = 0;
      Thread t = new Thread(null, () -> {
        try {
          deep(Integer.MAX_VALUE, 1, 2, 3, 4, null, null);
        } catch (StackOverflowError e) {
          least[0] = Math.min(least[0], probeDepth);
        }
      }, "probe", 1 << 20);
      t.start();
      t.join();
    }
    return Math.max(16, (1 << 20) / Math.max(1, least[0]));
  }

  static int probeDepth;

  static long deep(int n, long a, long b, long c, long d, CountDownLatch ready, CountDownLatch release) {
    if (ready == null) {
      probeDepth++;
    }
    if (n <= 0) {
      ready.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return a + b + c + d;
    }
    return deep(n - 1, a + 1, b ^ a, c + b, d - c, ready, release) + 1;
  }

  // ---------------------------------------------------------------- hot code

  static void hotCode(long ms, int seed) {
    long end = System.nanoTime() + ms * 1_000_000L;
    SplittableRandom r = new SplittableRandom(seed);
    Pattern p = Pattern.compile("([a-z]+)-(\\d+)");
    long acc = 0;
    while (System.nanoTime() < end) {
      Map<String, Integer> m = new HashMap<>();
      TreeMap<Integer, String> t = new TreeMap<>();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        String k = "k" + r.nextInt(1000);
        m.merge(k, i, Integer::sum);
        t.put(r.nextInt(), k);
        sb.append(k).append('-').append(i).append(' ');
      }
      Matcher mt = p.matcher(sb);
      while (mt.find()) {
        acc += mt.group(2).length();
      }
      acc += IntStream.range(0, 300).map(i -> i * 31 ^ (int) r.nextInt()).filter(i -> (i & 1) == 0)
          .boxed().collect(Collectors.groupingBy(i -> i & 7, Collectors.counting())).size();
      acc += BigInteger.valueOf(r.nextLong()).pow(5).mod(BigInteger.valueOf(1_000_003)).intValue();
      acc += String.format("%08x %s", acc, t.firstKey()).getBytes(StandardCharsets.UTF_8).length;
      acc += m.values().stream().mapToInt(Integer::intValue).sorted().skip(3).sum();
    }
    sink += acc;
  }

  // ---------------------------------------------------------------- classes

  static final class Loader extends ClassLoader {
    Loader() {
      super(SizingWorkload.class.getClassLoader());
    }

    Class<?> define(byte[] b) {
      return defineClass(null, b, 0, b.length);
    }
  }

  /**
   * Writes a class file (version 61) for {@code public class <name> implements IntUnaryOperator}
   * with a public no-arg constructor, {@code applyAsInt} calling 8 static methods in turn, each a
   * branch-free run of integer arithmetic on constants unique to the class (so no StackMapTable).
   */
  static final class ClassEmitter {
    static final int METHODS = 8;

    static byte[] emit(String name, int salt) {
      Pool cp = new Pool();
      int thisClass = cp.cls(name);
      int object = cp.cls("java/lang/Object");
      int iface = cp.cls("java/util/function/IntUnaryOperator");
      int objInit = cp.methodref(object, "<init>", "()V");
      int code = cp.utf8("Code");
      int init = cp.utf8("<init>");
      int voidDesc = cp.utf8("()V");
      int apply = cp.utf8("applyAsInt");
      int intDesc = cp.utf8("(I)I");
      int[] mName = new int[METHODS];
      int[] mRef = new int[METHODS];
      int[] konst = new int[METHODS];
      for (int k = 0; k < METHODS; k++) {
        mName[k] = cp.utf8("m" + k);
        mRef[k] = cp.methodref(thisClass, "m" + k, "(I)I");
        konst[k] = cp.integer(salt * 31 + k * 1_000_003 + 0x10000);
      }
      Bytes b = new Bytes();
      b.u4(0xCAFEBABE).u2(0).u2(61);
      b.u2(cp.count()).raw(cp.bytes());
      b.u2(0x0021).u2(thisClass).u2(object).u2(1).u2(iface);
      b.u2(0); // fields
      b.u2(2 + METHODS);
      // <init>
      Bytes c = new Bytes().u1(0x2a).u1(0xb7).u2(objInit).u1(0xb1);
      method(b, 0x0001, init, voidDesc, code, 1, 1, c);
      // applyAsInt
      c = new Bytes().u1(0x1b);
      for (int k = 0; k < METHODS; k++) {
        c.u1(0xb8).u2(mRef[k]);
      }
      c.u1(0xac);
      method(b, 0x0001, apply, intDesc, code, 1, 2, c);
      // static mK(I)I
      for (int k = 0; k < METHODS; k++) {
        c = new Bytes();
        c.u1(0x1a); // iload_0
        for (int s = 0; s < 6; s++) {
          c.u1(0x13).u2(konst[(k + s) % METHODS]); // ldc_w
          c.u1(0x68); // imul
          c.u1(0x1a).u1(0x10).u1(3 + s).u1(0x7c); // iload_0 bipush iushr
          c.u1(0x82); // ixor
          c.u1(0x11).u2((salt + s * 7 + k) & 0x7fff).u1(0x60); // sipush iadd
        }
        c.u1(0xac);
        method(b, 0x0009, mName[k], intDesc, code, 3, 1, c);
      }
      b.u2(0); // class attributes
      return b.toByteArray();
    }

    static void method(Bytes b, int access, int name, int desc, int code, int maxStack, int maxLocals, Bytes c) {
      b.u2(access).u2(name).u2(desc).u2(1);
      byte[] body = c.toByteArray();
      b.u2(code).u4(12 + body.length).u2(maxStack).u2(maxLocals).u4(body.length).raw(body).u2(0).u2(0);
    }
  }

  static final class Pool {
    private final Bytes b = new Bytes();
    private final Map<String, Integer> seen = new HashMap<>();
    private int next = 1;

    int count() {
      return next;
    }

    byte[] bytes() {
      return b.toByteArray();
    }

    int utf8(String s) {
      return seen.computeIfAbsent("U" + s, k -> {
        byte[] x = s.getBytes(StandardCharsets.UTF_8);
        b.u1(1).u2(x.length).raw(x);
        return next++;
      });
    }

    int cls(String internalName) {
      int n = utf8(internalName);
      return seen.computeIfAbsent("C" + internalName, k -> {
        b.u1(7).u2(n);
        return next++;
      });
    }

    int integer(int v) {
      return seen.computeIfAbsent("I" + v, k -> {
        b.u1(3).u4(v);
        return next++;
      });
    }

    int methodref(int owner, String name, String desc) {
      int n = utf8(name);
      int d = utf8(desc);
      int nat = seen.computeIfAbsent("N" + name + desc, k -> {
        b.u1(12).u2(n).u2(d);
        return next++;
      });
      return seen.computeIfAbsent("M" + owner + "." + name + desc, k -> {
        b.u1(10).u2(owner).u2(nat);
        return next++;
      });
    }
  }

  static final class Bytes {
    private byte[] buf = new byte[256];
    private int len;

    Bytes u1(int v) {
      if (len == buf.length) {
        buf = java.util.Arrays.copyOf(buf, len * 2);
      }
      buf[len++] = (byte) v;
      return this;
    }

    Bytes u2(int v) {
      return u1(v >>> 8).u1(v);
    }

    Bytes u4(int v) {
      return u2(v >>> 16).u2(v);
    }

    Bytes raw(byte[] x) {
      for (byte v : x) {
        u1(v);
      }
      return this;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, len);
    }
  }
}
