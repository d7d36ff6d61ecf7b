package logicalclocks.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that only moves when told to: for tests and the discrete-event simulation. */
public final class VirtualClock extends Clock {
  private volatile Instant now;

  public VirtualClock(Instant start) {
    this.now = start;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a virtual clock is always UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time does not go backwards: " + by);
    }
    now = now.plus(by);
  }

  public void set(Instant to) {
    if (to.isBefore(now)) {
      throw new IllegalArgumentException("time does not go backwards: " + to + " < " + now);
    }
    now = to;
  }
}
