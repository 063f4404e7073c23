package example;

import dev.rightsize.micrometer.ContainerMetrics;
import dev.rightsize.monitor.ResourceMonitor;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One monitor for the application; Spring Boot binds every {@code MeterBinder} bean to its registry,
 * so the {@code container.*} meters appear on /actuator/prometheus and /actuator/metrics.
 */
@Configuration(proxyBeanMethods = false)
class RightsizeConfig {
  private static final Logger LOG = LoggerFactory.getLogger(RightsizeConfig.class);

  /** Closed by Spring on shutdown (it stops the refresh thread and closes the cgroup files). */
  @Bean(destroyMethod = "close")
  ResourceMonitor resourceMonitor() {
    ResourceMonitor monitor = ResourceMonitor.builder()
        .limitRecheckPeriod(Duration.ofSeconds(30)) // notices an in-place pod resize within 30 s
        .memoryPressureThresholds(0.8, 0.9)
        .refreshEvery(Duration.ofSeconds(15)) // one daemon thread, so listeners fire between scrapes
        .build();
    monitor.addMemoryPressureListener(e -> {
      if (e.rising()) {
        LOG.warn("working set {} MiB is {}% of the {} MiB limit", e.workingSetBytes() >> 20,
            Math.round(e.ratio() * 100), e.limitBytes() >> 20);
      } else {
        LOG.info("working set back below {}% of the limit", Math.round(e.threshold() * 100));
      }
    });
    monitor.addLimitChangeListener((before, after) -> LOG.warn("container limits changed: memory {} -> {}, cpu {} -> {}",
        before.memory().limitBytes(), after.memory().limitBytes(), before.cpu().limit(), after.cpu().limit()));
    return monitor;
  }

  @Bean
  ContainerMetrics containerMetrics(ResourceMonitor monitor) {
    return new ContainerMetrics(monitor);
  }
}
