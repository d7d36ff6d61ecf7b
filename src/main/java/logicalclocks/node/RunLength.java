package logicalclocks.node;

import java.time.Duration;
import java.time.Instant;
import logicalclocks.vm.TickLoop;

/**
 * How much of a run is left to a VM: all of its DURATION for a new run; for a run resumed after a
 * restart, what is left of it (its end is its first START's host time + DURATION), none when that
 * end has passed; a run without duration never ends.
 */
final class RunLength {
  private RunLength() {}

  /** What is left of the run at {@code now} (never negative); zero for a run without duration. */
  static Duration left(Duration duration, Instant runStart, Instant now) {
    Duration left = runStart == null ? duration : Duration.between(now, runStart.plus(duration));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The ticks a VM at {@code rate} still owes its run ({@link TickLoop#UNBOUNDED} without end). */
  static long ticksLeft(Duration duration, int rate, Instant runStart, Instant now) {
    if (duration.isZero()) {
      return TickLoop.UNBOUNDED;
    }
    Duration left = left(duration, runStart, now);
    return left.isZero() ? 0 : TickLoop.ticksIn(rate, left);
  }
}
