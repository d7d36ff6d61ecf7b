package logicalclocks.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads this process's monotonic time ({@link System#nanoTime}), as milliseconds from
 * an arbitrary origin: for timeouts and give-up times, which must not move when the wall clock is
 * set, stepped or skewed. Its instants are not wall time.
 */
public final class MonotonicClock extends Clock {
  /** The one instance. */
  public static final MonotonicClock INSTANCE = new MonotonicClock();

  private static final long ORIGIN = System.nanoTime();

  private MonotonicClock() {}

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return (System.nanoTime() - ORIGIN) / 1_000_000;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
