package logicalclocks.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LamportClockTest {
  @Test
  void localEventsAddOne() {
    LamportClock c = new LamportClock();
    assertThat(c.tick()).isEqualTo(1);
    assertThat(c.tick()).isEqualTo(2);
    assertThat(c.time()).isEqualTo(2);
  }

  @Test
  void receiveTakesMaxPlusOne() {
    LamportClock c = new LamportClock(5);
    assertThat(c.receive(2)).as("older message: local clock wins").isEqualTo(6);
    assertThat(c.receive(6)).as("equal: +1").isEqualTo(7);
    assertThat(c.receive(40)).as("newer message: jump").isEqualTo(41);
  }

  @Test
  void refusesValuesOutsideTheBound() {
    LamportClock c = new LamportClock(3);
    assertThatThrownBy(() -> c.receive(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.receive(LamportClock.MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.receive(LamportClock.MAX))
        .as("would take the clock past the bound")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.receive(Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(c.time()).as("a refused value leaves the clock alone").isEqualTo(3);
  }

  /**
   * The bound, at 2^53 - 2, - 1, 0 and + 1: no clock ever passes 2^53, and a clock at it takes no
   * event.
   */
  @Test
  void theBoundIsNeverPassed() {
    long max = 1L << 53;
    assertThat(LamportClock.MAX).isEqualTo(max);
    assertThat(LamportClock.isAcceptable(max - 2)).isTrue();
    assertThat(LamportClock.isAcceptable(max - 1)).isTrue();
    assertThat(LamportClock.isAcceptable(max)).isFalse();
    assertThat(LamportClock.isAcceptable(max + 1)).isFalse();
    LamportClock below = new LamportClock(3);
    assertThat(below.receive(max - 2)).isEqualTo(max - 1);
    assertThat(below.atLimit()).isFalse();
    assertThat(below.tick()).isEqualTo(max);
    LamportClock atBound = new LamportClock(3);
    assertThat(atBound.receive(max - 1)).isEqualTo(max);
    assertThat(atBound.atLimit()).isTrue();
    assertThatThrownBy(atBound::tick).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> atBound.receive(0)).isInstanceOf(IllegalStateException.class);
    assertThat(atBound.time()).isEqualTo(max);
  }

  @Test
  void virtualClockOnlyMovesForward() {
    VirtualClock v = new VirtualClock(Instant.EPOCH);
    v.advance(Duration.ofMillis(250));
    assertThat(v.millis()).isEqualTo(250);
    assertThatThrownBy(() -> v.set(Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
  }
}
