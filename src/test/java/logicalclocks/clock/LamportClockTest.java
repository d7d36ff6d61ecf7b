package logicalclocks.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThatThrownBy(() -> c.receive(LamportClock.MAX_ACCEPTED + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.receive(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    assertThat(c.time()).as("a refused value leaves the clock alone").isEqualTo(3);
    assertThat(LamportClock.isAcceptable(LamportClock.MAX_ACCEPTED)).isTrue();
    assertThat(c.receive(LamportClock.MAX_ACCEPTED)).isEqualTo(LamportClock.MAX_ACCEPTED + 1);
  }

  @Test
  void virtualClockOnlyMovesForward() {
    VirtualClock v = new VirtualClock(java.time.Instant.EPOCH);
    v.advance(java.time.Duration.ofMillis(250));
    assertThat(v.millis()).isEqualTo(250);
    assertThatThrownBy(() -> v.set(java.time.Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
  }
}
