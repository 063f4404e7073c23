package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The three states of a limit, and the invariants the record keeps. */
class LimitTest {
  @Test
  void statesAreDistinctAndReadAsAPersonWouldWriteThem() {
    assertThat(Limit.of(512)).satisfies(l -> {
      assertThat(l.isLimited()).isTrue();
      assertThat(l.isKnown()).isTrue();
      assertThat(l.isUnlimited()).isFalse();
      assertThat(l.value()).hasValue(512);
      assertThat(l).hasToString("512");
    });
    assertThat(Limit.unlimited()).satisfies(l -> {
      assertThat(l.isKnown()).isTrue();
      assertThat(l.isLimited()).isFalse();
      assertThat(l.isUnlimited()).isTrue();
      assertThat(l.value()).isEmpty();
      assertThat(l).hasToString("unlimited");
    });
    assertThat(Limit.unknown()).satisfies(l -> {
      assertThat(l.isKnown()).isFalse();
      assertThat(l.isLimited()).isFalse();
      assertThat(l.isUnlimited()).isFalse();
      assertThat(l).hasToString("unknown");
    });
    assertThat(Limit.unknownAtMost(2048)).satisfies(l -> {
      assertThat(l.isKnown()).isFalse();
      assertThat(l.value()).hasValue(2048);
      assertThat(l).hasToString("unknown (at most 2048)");
    });
    assertThat(Limit.unknownAtMost(1)).isNotEqualTo(Limit.of(1));
  }

  @Test
  void invalidPairingsAreRejected() {
    assertThatThrownBy(() -> new Limit(Limit.State.LIMITED, OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limit(Limit.State.UNLIMITED, OptionalLong.of(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Limit.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Limit.of(0).isLimited()).as("0 is a limit: none allowed").isTrue();
  }
}
