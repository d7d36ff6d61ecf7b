package logicalclocks.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A VM's physical clock: offset, drift from its start, and steps once their time has come. */
class PhysicalClockTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void anExactSpecIsTheBaseClockItself() {
    Clock base = new VirtualClock(T0);
    assertThat(PhysicalClock.of(base, PhysicalClock.Spec.EXACT)).isSameAs(base);
  }

  @Test
  void offsetDriftAndStepsAddUp() {
    VirtualClock base = new VirtualClock(T0);
    PhysicalClock c =
        new PhysicalClock(
            base,
            new PhysicalClock.Spec(
                400,
                1000,
                List.of(
                    new PhysicalClock.Step(20_000, 200), new PhysicalClock.Step(10_000, -500))));
    assertThat(c.millis()).isEqualTo(T0.toEpochMilli() + 400);
    base.advance(Duration.ofSeconds(5));
    assertThat(c.millis())
        .as("5 s at 1000 ppm: +5 ms")
        .isEqualTo(T0.toEpochMilli() + 5_000 + 400 + 5);
    base.advance(Duration.ofSeconds(5));
    assertThat(c.millis())
        .as("the step at 10 s sets it back")
        .isEqualTo(T0.toEpochMilli() + 10_000 + 400 + 10 - 500);
    base.advance(Duration.ofSeconds(10));
    assertThat(c.instant())
        .as("both steps, in order of their time")
        .isEqualTo(T0.plusMillis(20_000 + 400 + 20 - 500 + 200));
    assertThat(c.spec().largestStepBack()).isEqualTo(500);
  }

  @Test
  void aNegativeDriftRunsSlow() {
    VirtualClock base = new VirtualClock(T0);
    PhysicalClock c = new PhysicalClock(base, new PhysicalClock.Spec(0, -50, List.of()));
    base.advance(Duration.ofSeconds(100));
    assertThat(c.millis()).isEqualTo(T0.toEpochMilli() + 100_000 - 5);
  }
}
