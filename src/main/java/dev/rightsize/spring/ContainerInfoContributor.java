package dev.rightsize.spring;

import dev.rightsize.report.StartupReport;
import java.util.function.Supplier;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** The {@code rightsize} member of {@code /actuator/info}: the health details plus the recommendations. */
final class ContainerInfoContributor implements InfoContributor {
  private final Supplier<StartupReport> reports;

  ContainerInfoContributor(Supplier<StartupReport> reports) {
    this.reports = reports;
  }

  @Override
  public void contribute(Info.Builder builder) {
    builder.withDetail("rightsize", Details.of(reports.get(), true));
  }
}
