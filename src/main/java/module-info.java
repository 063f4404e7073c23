/**
 * rightsize: the CPU and memory a JVM in a Linux container really has, where each value came from,
 * and the pool and heap sizes that follow.
 *
 * <p>Entry point: {@link dev.rightsize.ContainerResources#detect()}. Internals
 * ({@code dev.rightsize.internal}) are not exported.
 */
module dev.rightsize {
  requires org.slf4j;
  requires transitive com.google.common;
  requires java.management;
  requires jdk.management;
  requires static transitive micrometer.core;

  exports dev.rightsize;
  exports dev.rightsize.sizing;
  exports dev.rightsize.report;
  exports dev.rightsize.monitor;
  exports dev.rightsize.micrometer;
}
