package dev.rightsize.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rightsize.ContainerResources;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What an application's actuator shows with rightsize added and nothing else: Spring Boot's own
 * health, info and metrics auto-configurations beside rightsize's, read through the endpoints'
 * beans (the HTTP layer is Spring Boot's; examples/spring-boot/smoke.sh covers it).
 */
class RightsizeActuatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(RightsizeAutoConfiguration.class,
          HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
          InfoContributorAutoConfiguration.class, InfoEndpointAutoConfiguration.class,
          MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
          CompositeMeterRegistryAutoConfiguration.class))
      .withPropertyValues("management.endpoint.health.show-details=always",
          "management.endpoints.web.exposure.include=health,info"); // as in examples/spring-boot

  @Test
  void healthEndpointHasTheRightsizeComponent() {
    ContainerResources here = ContainerResources.detect();
    runner.run(ctx -> {
      HealthComponent c = ctx.getBean(HealthEndpoint.class).healthForPath("rightsize");
      assertThat(c).isNotNull();
      assertThat(c.getStatus()).isEqualTo(Status.UP);
      JsonNode d = JSON.valueToTree(c).get("details");
      assertThat(d.get("source").asText()).isEqualTo(here.source().id());
      assertThat(d.get("cpu").get("effective").asInt()).isEqualTo(here.cpu().effective());
      assertThat(ctx.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
    });
  }

  @Test
  void infoEndpointHasTheRightsizeMember() {
    ContainerResources here = ContainerResources.detect();
    runner.run(ctx -> {
      JsonNode info = JSON.valueToTree(ctx.getBean(InfoEndpoint.class).info());
      assertThat(info.get("rightsize").get("source").asText()).isEqualTo(here.source().id());
      assertThat(info.get("rightsize").get("recommended").get("cpuBoundThreads").asInt())
          .isEqualTo(here.cpu().effective());
    });
  }

  @Test
  void springBootBindsTheContainerMetersToItsRegistry() {
    ContainerResources here = ContainerResources.detect();
    runner.run(ctx -> {
      MeterRegistry registry = ctx.getBean(MeterRegistry.class);
      assertThat(registry.get("container.cpu.effective").gauge().value()).isEqualTo(here.cpu().effective());
    });
  }

  @Test
  void switchedOffTheEndpointsHaveNothingFromRightsize() {
    runner.withPropertyValues("rightsize.enabled=false").run(ctx -> {
      assertThat(ctx.getBean(HealthEndpoint.class).healthForPath("rightsize")).isNull();
      assertThat(ctx.getBean(InfoEndpoint.class).info()).doesNotContainKey("rightsize");
      assertThat(ctx.getBean(MeterRegistry.class).find("container.cpu.effective").gauge()).isNull();
    });
  }
}
