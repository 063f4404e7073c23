package dev.rightsize.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.rightsize.ContainerResources;
import dev.rightsize.monitor.ResourceMonitor;
import dev.rightsize.monitor.ResourceSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * rightsize's reads side by side with the JDK's container-aware calls, on this machine's real
 * {@code /proc} and {@code /sys}.
 *
 * <pre>
 * mvn -Pjmh -DskipTests package
 * java -jar target/benchmarks.jar -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResourceBenchmarks {
  private ResourceMonitor monitor;
  private OperatingSystemMXBean os;
  private Path usageFile;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    monitor = ResourceMonitor.create();
    os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ContainerResources r = ContainerResources.detect();
    usageFile = r.provenanceOf(dev.rightsize.Value.MEMORY_USAGE).map(p -> Path.of(p.file())).orElse(Path.of("/proc/meminfo"));
    channel = java.nio.channels.FileChannel.open(usageFile);
  }

  private java.nio.channels.FileChannel channel;
  private final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8192);

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    monitor.close();
    channel.close();
  }

  /** A full detection: mountinfo, cgroup, every limit file, /proc. */
  @Benchmark
  public ContainerResources rightsizeDetect() {
    return ContainerResources.detect();
  }

  /** One memory usage read from a kept-open file (positional read at offset 0). */
  @Benchmark
  public OptionalLong monitorMemoryUsage() {
    return monitor.memoryUsageBytes();
  }

  /** Usage plus memory.stat (the kernel formats some 40 lines of it on every read). */
  @Benchmark
  public OptionalLong monitorWorkingSet() {
    return monitor.memoryWorkingSetBytes();
  }

  /** Every live value at once (memory usage, memory.stat, failcnt, oom, cpuacct.usage, cpu.stat). */
  @Benchmark
  public ResourceSnapshot monitorSnapshot() {
    return monitor.snapshot();
  }

  /** The same usage file, opened, read and closed each time. */
  @Benchmark
  public byte[] openReadCloseUsageFile() throws IOException {
    return Files.readAllBytes(usageFile);
  }

  /** The JDK's three container-aware calls together, as a service would make them: the reference for detect(). */
  @Benchmark
  public long jdkThreeCalls() {
    return os.getTotalMemorySize() + os.getFreeMemorySize() + Runtime.getRuntime().availableProcessors();
  }

  /** One memory usage read without allocating (the gauge path): 0 B/op under -prof gc. */
  @Benchmark
  public long monitorMemoryUsagePrimitive() {
    return monitor.read(dev.rightsize.monitor.LiveValue.MEMORY_USAGE, -1);
  }

  /** Usage plus memory.stat without allocating. */
  @Benchmark
  public long monitorWorkingSetPrimitive() {
    return monitor.read(dev.rightsize.monitor.LiveValue.MEMORY_WORKING_SET, -1);
  }

  /** The floor for a live read: a positional read of the usage file on a channel kept open. */
  @Benchmark
  public int preadUsageFile() throws IOException {
    buffer.clear();
    return channel.read(buffer, 0);
  }

  @Benchmark
  public int jdkAvailableProcessors() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Benchmark
  public long jdkTotalMemorySize() {
    return os.getTotalMemorySize();
  }

  @Benchmark
  public long jdkFreeMemorySize() {
    return os.getFreeMemorySize();
  }

  @Benchmark
  public double jdkCpuLoad() {
    return os.getCpuLoad();
  }
}
