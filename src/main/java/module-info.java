/**
 * rightsize: the CPU and memory a JVM in a Linux container really has, where each value came from,
 * and the pool and heap sizes that follow.
 *
 * <p>Entry point: {@link dev.rightsize.ContainerResources#detect()}. Internals
 * ({@code dev.rightsize.internal}) are not exported.
 *
 * <p>Micrometer and Spring Boot are optional ({@code requires static}, not {@code transitive}): a
 * consumer compiles and runs without them. A module that uses {@code dev.rightsize.micrometer}
 * requires {@code micrometer.core} itself, as it must anyway to have a registry.
 */
module dev.rightsize {
  requires org.slf4j;
  requires transitive com.google.common;
  requires java.management;
  requires jdk.management;
  requires static micrometer.core;
  requires static spring.boot.autoconfigure;
  requires static spring.boot.actuator;
  requires static spring.context;
  requires static spring.core;

  exports dev.rightsize;
  exports dev.rightsize.sizing;
  exports dev.rightsize.report;
  exports dev.rightsize.monitor;
  exports dev.rightsize.micrometer;
  exports dev.rightsize.spring;
}
