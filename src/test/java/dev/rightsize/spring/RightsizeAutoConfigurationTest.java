package dev.rightsize.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rightsize.ContainerResources;
import dev.rightsize.micrometer.ContainerMetrics;
import dev.rightsize.monitor.ResourceMonitor;
import dev.rightsize.report.StartupReport;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in an application context, as Spring Boot would run it. */
@ExtendWith(OutputCaptureExtension.class)
class RightsizeAutoConfigurationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(RightsizeAutoConfiguration.class));

  /** Not through the runner: a real Spring Boot start, which finds the auto-configuration in the imports file. */
  @Test
  void aSpringBootApplicationGetsItWithoutCode(CapturedOutput output) {
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(EmptyApplication.class)
        .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).run()) {
      assertThat(ctx.getBeansOfType(ContainerMetrics.class)).hasSize(1);
      assertThat(ctx.getBeansOfType(StartupReport.class)).hasSize(1);
      assertThat(ctx.containsBean("rightsizeHealthIndicator")).isTrue();
      assertThat(ctx.containsBean("rightsizeInfoContributor")).isTrue();
    }
    assertThat(output.getErr()).containsOnlyOnce("INFO dev.rightsize - ");
  }

  /** An application with no bean and no configuration of its own. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class EmptyApplication {}

  @Test
  void everythingOnByDefault(CapturedOutput output) {
    runner.run(ctx -> {
      assertThat(ctx).hasSingleBean(StartupReport.class).hasSingleBean(ResourceMonitor.class)
          .hasSingleBean(ContainerMetrics.class).hasBean("rightsizeHealthIndicator").hasBean("rightsizeInfoContributor");
      // the report was logged once, through SLF4J, at startup
      assertThat(output.getErr()).containsOnlyOnce("INFO dev.rightsize - ");
    });
  }

  @Test
  void healthIsUpWithWhatDetectionFinds() {
    ContainerResources here = ContainerResources.detect();
    runner.run(ctx -> {
      Health h = ctx.getBean("rightsizeHealthIndicator", HealthIndicator.class).health();
      assertThat(h.getStatus()).isEqualTo(Status.UP);
      JsonNode d = JSON.valueToTree(h).get("details");
      assertThat(d.get("source").asText()).isEqualTo(here.source().id());
      assertThat(d.get("cpu").get("effective").asInt()).isEqualTo(here.cpu().effective());
      assertThat(d.get("memory").get("limit").isNull()).isEqualTo(here.memory().limitBytes().value().isEmpty());
      if (here.memory().limitBytes().value().isPresent()) {
        assertThat(d.get("memory").get("limit").asLong()).isEqualTo(here.memory().limitBytes().value().getAsLong());
      }
      assertThat(d.get("warnings").size()).isEqualTo(here.warnings().size());
      assertThat(d.get("findings").isArray()).isTrue();
      assertThat(d.has("recommended")).isFalse();
    });
  }

  @Test
  void infoHasTheRecommendations() {
    ContainerResources here = ContainerResources.detect();
    runner.run(ctx -> {
      Info.Builder b = new Info.Builder();
      ctx.getBean("rightsizeInfoContributor", InfoContributor.class).contribute(b);
      JsonNode d = JSON.valueToTree(b.build().getDetails()).get("rightsize");
      assertThat(d.get("source").asText()).isEqualTo(here.source().id());
      assertThat(d.get("recommended").get("cpuBoundThreads").asInt()).isEqualTo(here.cpu().effective());
      StartupReport report = StartupReport.of(here);
      if (report.jvmMemory().isPresent()) {
        assertThat(d.get("recommended").get("jvmFlags").asText()).startsWith("-XX:MaxDirectMemorySize=")
            .contains("-Xmx");
      } else {
        assertThat(d.get("recommended").get("jvmMemoryError").asText()).isNotEmpty();
      }
    });
  }

  @Test
  void binderGivesTheContainerMeters() {
    ContainerResources here = ContainerResources.detect();
    runner.run(ctx -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ctx.getBean(ContainerMetrics.class).bindTo(registry);
      assertThat(registry.get("container.cpu.effective").gauge().value()).isEqualTo(here.cpu().effective());
    });
  }

  @Test
  void monitorIsClosedWithTheContext() {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    executor.shutdown();
    ResourceMonitor[] seen = new ResourceMonitor[1];
    runner.run(ctx -> seen[0] = ctx.getBean(ResourceMonitor.class));
    assertThatThrownBy(() -> seen[0].startRefreshing(Duration.ofSeconds(1), executor))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void offSwitchTurnsEverythingOff(CapturedOutput output) {
    runner.withPropertyValues("rightsize.enabled=false").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(StartupReport.class).doesNotHaveBean(ResourceMonitor.class)
          .doesNotHaveBean(MeterBinder.class).doesNotHaveBean(HealthIndicator.class)
          .doesNotHaveBean(InfoContributor.class);
      assertThat(output.getErr()).doesNotContain("dev.rightsize");
    });
  }

  @Test
  void eachPartHasItsOwnSwitch(CapturedOutput output) {
    runner.withPropertyValues("rightsize.startup-report.enabled=false").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(StartupReport.class).hasSingleBean(ContainerMetrics.class);
      assertThat(output.getErr()).doesNotContain("INFO dev.rightsize");
    });
    runner.withPropertyValues("rightsize.metrics.enabled=false").run(ctx ->
        assertThat(ctx).doesNotHaveBean(ResourceMonitor.class).doesNotHaveBean(ContainerMetrics.class)
            .hasSingleBean(StartupReport.class).hasBean("rightsizeHealthIndicator"));
    runner.withPropertyValues("rightsize.health.enabled=false").run(ctx ->
        assertThat(ctx).doesNotHaveBean(HealthIndicator.class).hasBean("rightsizeInfoContributor"));
    runner.withPropertyValues("rightsize.info.enabled=false").run(ctx ->
        assertThat(ctx).doesNotHaveBean(InfoContributor.class).hasBean("rightsizeHealthIndicator"));
  }

  @Test
  void lineFormatLogsOneKeyValueLine(CapturedOutput output) {
    runner.withPropertyValues("rightsize.startup-report.format=line").run(ctx -> {
      assertThat(ctx).hasSingleBean(StartupReport.class);
      String all = output.getAll();
      assertThat(all).containsPattern("INFO dev\\.rightsize - rightsize source=\\S+ .*cpu\\.effective=\\d+ .*unknown=");
      assertThat(all).doesNotContain("\nCPU\n");
    });
  }

  @Test
  void footprintFileFeedsTheReportAndIsWrittenAtExit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path file = tmp.resolve("footprint.properties");
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(dev.rightsize.sizing.JvmFootprint.Recorder.class));
    runner.withPropertyValues("rightsize.footprint.file=" + file).run(ctx -> {
      assertThat(ctx).hasSingleBean(dev.rightsize.sizing.JvmFootprint.Recorder.class);
      assertThat(ctx.getBean(StartupReport.class).footprint()).as("no file yet: a first start").isEmpty();
      ctx.getBean(dev.rightsize.sizing.JvmFootprint.Recorder.class).write();
    });
    assertThat(dev.rightsize.sizing.JvmFootprint.read(file).loadedClassCount()).isGreaterThan(1000);
    runner.withPropertyValues("rightsize.footprint.file=" + file).run(ctx ->
        assertThat(ctx.getBean(StartupReport.class).footprint()).isPresent());
  }

  @Test
  void withoutMicrometerNoMetricsButTheRest() {
    runner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(ResourceMonitor.class).hasSingleBean(StartupReport.class)
          .hasBean("rightsizeHealthIndicator");
      assertThat(ctx.getBeanNamesForType(ContainerMetrics.class)).isEmpty();
    });
  }

  @Test
  void withoutActuatorNoHealthOrInfo() {
    runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(ctx ->
        assertThat(ctx).hasNotFailed().doesNotHaveBean("rightsizeHealthIndicator")
            .doesNotHaveBean("rightsizeInfoContributor").hasSingleBean(ContainerMetrics.class));
  }

  @Test
  void applicationBeansWin() {
    runner.withUserConfiguration(OwnMonitor.class).run(ctx -> {
      assertThat(ctx).hasSingleBean(ResourceMonitor.class);
      assertThat(ctx.getBeansOfType(ResourceMonitor.class)).containsOnlyKeys("ownMonitor");
      assertThat(ctx).hasSingleBean(ContainerMetrics.class);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnMonitor {
    @Bean(destroyMethod = "close")
    ResourceMonitor ownMonitor() {
      return ResourceMonitor.create();
    }
  }
}
