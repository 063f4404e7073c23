package dev.rightsize.spring;

import dev.rightsize.report.StartupReport;
import java.util.function.Supplier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Limits, usage, source, warnings and findings as health details. Always {@code UP}: a finding is
 * advice for an operator, not a reason to take the instance out of service.
 */
final class ContainerHealthIndicator implements HealthIndicator {
  private final Supplier<StartupReport> reports;

  ContainerHealthIndicator(Supplier<StartupReport> reports) {
    this.reports = reports;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(Details.of(reports.get(), false)).build();
  }
}
