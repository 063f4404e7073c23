package dev.rightsize.spring;

import dev.rightsize.micrometer.ContainerMetrics;
import dev.rightsize.monitor.ResourceMonitor;
import dev.rightsize.report.StartupReport;
import dev.rightsize.sizing.JvmFootprint;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers rightsize in a Spring Boot application. Listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, so
 * adding the dependency is enough. Every part is on by default and can be switched off:
 *
 * <table>
 * <caption>properties</caption>
 * <tr><th>property (default {@code true})</th><th>when on</th></tr>
 * <tr><td>{@code rightsize.enabled}</td><td>all of the below</td></tr>
 * <tr><td>{@code rightsize.startup-report.enabled}</td><td>the startup report is logged once
 *     ({@link StartupReport#log()}, logger {@code dev.rightsize}) and kept as a bean;
 *     {@code rightsize.startup-report.format=line} logs it as one {@code key=value} line
 *     ({@link StartupReport#logLine()}) for line-based log pipelines</td></tr>
 * <tr><td>{@code rightsize.footprint.file} (no default)</td><td>this run's peak
 *     {@link JvmFootprint} is written there at exit, and the startup report checks the heap against
 *     the previous run's record in it ({@code heap-above-measured-fit},
 *     {@code heap-below-measured-fit})</td></tr>
 * <tr><td>{@code rightsize.metrics.enabled}</td><td>with micrometer-core: a {@link ResourceMonitor}
 *     bean (re-reads limits every 30 s, logs a working set crossing 80 % and 90 % of the limit) and
 *     a {@link ContainerMetrics} binder, which Spring Boot binds to its registries
 *     ({@code container.*} meters)</td></tr>
 * <tr><td>{@code rightsize.health.enabled}</td><td>with spring-boot-actuator: the {@code rightsize}
 *     health contribution (always {@code UP}: limits, usage, source, warnings, findings)</td></tr>
 * <tr><td>{@code rightsize.info.enabled}</td><td>with spring-boot-actuator: the {@code rightsize}
 *     member of {@code /actuator/info} (limits, source, warnings, findings, recommended JVM flags)</td></tr>
 * </table>
 *
 * <p>A bean of the same type defined by the application replaces the one defined here. The
 * properties are described for IDEs in {@code META-INF/spring-configuration-metadata.json}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "rightsize", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RightsizeAutoConfiguration {

  /** Created by Spring. */
  public RightsizeAutoConfiguration() {}

  /**
   * Logs the startup report once, when the context starts: as a block for people, or as one
   * {@code key=value} line with {@code rightsize.startup-report.format=line}.
   *
   * @param env the application's properties
   * @return the report, logged
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "rightsize.startup-report", name = "enabled", havingValue = "true",
      matchIfMissing = true)
  public StartupReport rightsizeStartupReport(org.springframework.core.env.Environment env) {
    StartupReport report = StartupReport.create();
    String file = env.getProperty("rightsize.footprint.file", "").trim();
    if (!file.isEmpty()) {
      try {
        java.nio.file.Path p = java.nio.file.Path.of(file);
        if (java.nio.file.Files.isRegularFile(p)) {
          report = report.withFootprint(JvmFootprint.read(p));
        }
      } catch (java.io.IOException | RuntimeException e) {
        LoggerFactory.getLogger("dev.rightsize").warn("rightsize: could not read the footprint {}: {}", file,
            e.toString());
      }
    }
    return "line".equalsIgnoreCase(env.getProperty("rightsize.startup-report.format", "block").trim())
        ? report.logLine() : report.log();
  }

  /**
   * With {@code rightsize.footprint.file} set: this run's peak footprint is written there when the
   * JVM exits ({@link JvmFootprint#writeAtExit}), for the next start's
   * {@code --jvm-flags --profile FILE}; the startup report checks the heap against the previous
   * run's.
   *
   * @param env the application's properties
   * @return the recorder (call {@code sample()} at busy moments)
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "rightsize.footprint", name = "file")
  public JvmFootprint.Recorder rightsizeFootprintRecorder(org.springframework.core.env.Environment env) {
    return JvmFootprint.writeAtExit(java.nio.file.Path.of(env.getProperty("rightsize.footprint.file", "").trim()));
  }

  /** The Micrometer binder and the monitor behind it; only with micrometer-core. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  @ConditionalOnProperty(prefix = "rightsize.metrics", name = "enabled", havingValue = "true",
      matchIfMissing = true)
  public static class Metrics {
    private static final Logger LOG = LoggerFactory.getLogger("dev.rightsize");

    /** Created by Spring. */
    public Metrics() {}

    /**
     * The application's monitor: limits re-read every 30 s (an in-place pod resize is noticed and
     * logged), usage refreshed every 15 s on one daemon thread, a working set crossing 80 % or 90 %
     * of the memory limit logged at WARN. Closed with the context.
     *
     * @return the monitor
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ResourceMonitor rightsizeResourceMonitor() {
      ResourceMonitor monitor = ResourceMonitor.builder()
          .limitRecheckPeriod(Duration.ofSeconds(30))
          .memoryPressureThresholds(0.8, 0.9)
          .refreshEvery(Duration.ofSeconds(15))
          .build();
      monitor.addMemoryPressureListener(e -> {
        if (e.rising()) {
          LOG.warn("rightsize: working set {} MiB is {}% of the {} MiB memory limit", e.workingSetBytes() >> 20,
              Math.round(e.ratio() * 100), e.limitBytes() >> 20);
        } else {
          LOG.info("rightsize: working set back below {}% of the memory limit", Math.round(e.threshold() * 100));
        }
      });
      return monitor;
    }

    /**
     * The {@code container.*} meters; Spring Boot binds every {@link MeterBinder} bean to its
     * registries.
     *
     * @param monitor the monitor to read
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public ContainerMetrics rightsizeContainerMetrics(ResourceMonitor monitor) {
      return new ContainerMetrics(monitor);
    }
  }

  /** The health and info contributions; only with spring-boot-actuator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  public static class Actuator {
    /** Created by Spring. */
    public Actuator() {}

    /**
     * The {@code rightsize} health contribution, read afresh on each health check.
     *
     * @return the health indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "rightsizeHealthIndicator")
    @ConditionalOnProperty(prefix = "rightsize.health", name = "enabled", havingValue = "true",
        matchIfMissing = true)
    public HealthIndicator rightsizeHealthIndicator() {
      return new ContainerHealthIndicator(StartupReport::create);
    }

    /**
     * The {@code rightsize} member of {@code /actuator/info}, read afresh on each request.
     *
     * @return the info contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "rightsizeInfoContributor")
    @ConditionalOnProperty(prefix = "rightsize.info", name = "enabled", havingValue = "true",
        matchIfMissing = true)
    public InfoContributor rightsizeInfoContributor() {
      return new ContainerInfoContributor(StartupReport::create);
    }
  }
}
