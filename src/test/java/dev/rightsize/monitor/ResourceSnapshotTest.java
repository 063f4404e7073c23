package dev.rightsize.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Limit;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A snapshot reads as a person writes it, and never calls a quota it could not read "unlimited". */
class ResourceSnapshotTest {
  private static ResourceSnapshot snapshot(OptionalDouble cpuLimit, Limit memoryLimit) {
    return new ResourceSnapshot(0, OptionalLong.of(45_727_744), OptionalLong.of(43L << 20), memoryLimit,
        OptionalLong.of(0), OptionalLong.of(0), OptionalLong.of(2_583_891_427L), OptionalLong.of(51),
        OptionalLong.of(50), OptionalLong.of(3_910_908_666L), cpuLimit, 1, OptionalLong.empty(), Limit.unlimited());
  }

  @Test
  void readsAsAPersonWritesIt() {
    assertThat(snapshot(OptionalDouble.of(0.5), Limit.of(512L << 20)).toString()).isEqualTo("ResourceSnapshot[memory"
        + " usage 43.6 MiB, working set 43 MiB, limit 512 MiB, limit hits 0, OOM kills 0, CPU usage 2.583 s,"
        + " throttled 50 of 51 periods (3.910 s), limit 0.5 CPUs, effective 1]");
  }

  @Test
  void anEmptyQuotaIsNotCalledUnlimited() {
    // empty is "no quota" or "could not be read"; the record cannot tell which
    String s = snapshot(OptionalDouble.empty(), Limit.unknown()).toString();
    assertThat(s).contains("limit unknown").contains("no CPU quota read")
        .doesNotContain("limit unlimited");
  }
}
