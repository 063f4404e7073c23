package dev.rightsize.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rightsize.ContainerResources;
import dev.rightsize.Limit;
import dev.rightsize.Pids;
import dev.rightsize.Rlimits;
import dev.rightsize.Value;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The thread headroom: the tighter of pids.limit and rlimit.nproc, minus tasks now and the JVM's reserve. */
class ThreadHeadroomTest {
  /** 2 effective CPUs: reserve 8 + 2 x 2 = 12. */
  private static ContainerResources with(Pids pids, Limit nproc) {
    ContainerResources r = TestResources.of(2, OptionalDouble.empty(), OptionalLong.empty(), 64 * TestResources.GIB);
    Rlimits rl = new Rlimits(Limit.of(1 << 20), Limit.of(1 << 20), nproc, nproc.isLimited() ? nproc : Limit.unlimited());
    return TestResources.withLimits(r, pids, rl, TestResources.KERNEL);
  }

  @Test
  void pidsLimitMinusTasksNowMinusTheReserve() {
    ThreadHeadroom h = ThreadHeadroom.of(with(new Pids(Limit.of(64), OptionalLong.of(19), OptionalLong.of(19)),
        Limit.unlimited())).orElseThrow();
    assertThat(h.threads()).isEqualTo(64 - 19 - 12);
    assertThat(h.limitedBy()).isEqualTo(Value.PIDS_LIMIT);
    assertThat(h.reserve()).isEqualTo(12);
    assertThat(h.describe()).isEqualTo("pids.max 64 - 19 tasks now - 12 reserved for the JVM's own threads = 33");
  }

  @Test
  void nothingLimitsThreadsNoHeadroom() {
    assertThat(ThreadHeadroom.of(with(new Pids(Limit.unlimited(), OptionalLong.of(19), OptionalLong.of(19)),
        Limit.unlimited()))).isEmpty();
    // unknown without a bound: nothing to cap with (and nothing sized from a guess)
    assertThat(ThreadHeadroom.of(with(new Pids(Limit.unknown(), OptionalLong.empty(), OptionalLong.of(19)),
        Limit.unknown()))).isEmpty();
  }

  @Test
  void anUnknownPidsLimitWithABoundStillCaps() {
    ThreadHeadroom h = ThreadHeadroom.of(with(new Pids(Limit.unknownAtMost(100), OptionalLong.empty(),
        OptionalLong.of(20)), Limit.unlimited())).orElseThrow();
    assertThat(h.threads()).as("100 - 20 own threads - 12").isEqualTo(68);
    assertThat(h.tasksNow()).isEqualTo(20);
  }

  @Test
  void theTighterOfPidsAndNprocWins() {
    ThreadHeadroom nproc = ThreadHeadroom.of(with(new Pids(Limit.of(1000), OptionalLong.of(30), OptionalLong.of(25)),
        Limit.of(100))).orElseThrow();
    assertThat(nproc.limitedBy()).isEqualTo(Value.RLIMIT_NPROC);
    assertThat(nproc.tasksNow()).as("the larger of pids.current and own threads").isEqualTo(30);
    assertThat(nproc.threads()).isEqualTo(100 - 30 - 12);
    assertThat(nproc.describe()).startsWith("ulimit -u (RLIMIT_NPROC) 100 - 30 tasks now");
    ThreadHeadroom pids = ThreadHeadroom.of(with(new Pids(Limit.of(80), OptionalLong.of(30), OptionalLong.of(25)),
        Limit.of(100))).orElseThrow();
    assertThat(pids.limitedBy()).isEqualTo(Value.PIDS_LIMIT);
    assertThat(pids.threads()).isEqualTo(80 - 30 - 12);
  }

  @Test
  void aFullContainerHasNoHeadroomNeverANegativeOne() {
    ThreadHeadroom h = ThreadHeadroom.of(with(new Pids(Limit.of(20), OptionalLong.of(19), OptionalLong.of(19)),
        Limit.unlimited())).orElseThrow();
    assertThat(h.threads()).isZero();
  }

  @Test
  void theReserveGrowsWithTheCpus() {
    assertThat(ThreadHeadroom.jvmReserve(1)).isEqualTo(10);
    assertThat(ThreadHeadroom.jvmReserve(2)).isEqualTo(12);
    assertThat(ThreadHeadroom.jvmReserve(16)).isEqualTo(40);
  }

  @Test
  void onlyTaskLimitsCanBind() {
    assertThatThrownBy(() -> new ThreadHeadroom(1, Value.MEMORY_LIMIT, 1, "", 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ThreadHeadroom(-1, Value.PIDS_LIMIT, 1, "", 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
