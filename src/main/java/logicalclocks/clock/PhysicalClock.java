package logicalclocks.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A VM's own physical (wall) clock: a base clock (the host's, or the simulation's virtual one) read
 * with an offset, a drift and optional steps, as on a machine whose clock is not synchronised:
 * {@code base + offset + (base - origin) x drift / 10^6 + the steps due so far}, where {@code
 * origin} is the base time at which this clock was made (the VM's start) and a step {@code at:by}
 * adds {@code by} ms once {@code at} ms have passed since then (an NTP correction; a negative one
 * sets the clock back). Everything a VM reads as wall time goes through it: its log's {@code ts},
 * its messages' send time, its hybrid clock's {@code pt}. Its ticks keep their rate from the
 * monotonic clock, never from this one.
 */
public final class PhysicalClock extends Clock implements SpecifiedClock {
  /**
   * How a VM's clock is off.
   *
   * @param offsetMs constant offset from the base clock, ms
   * @param driftPpm rate error, parts per million (100 = 0.1 ms fast per second)
   * @param steps steps, in order of {@code atMs}
   */
  public record Spec(long offsetMs, long driftPpm, List<Step> steps) {
    /** A clock that reads the base clock as it is. */
    public static final Spec EXACT = new Spec(0, 0, List.of());

    public Spec {
      steps = steps.stream().sorted(java.util.Comparator.comparingLong(Step::atMs)).toList();
    }

    public boolean exact() {
      return offsetMs == 0 && driftPpm == 0 && steps.isEmpty();
    }

    /** The most the clock is ever set back by its steps (0 when none is negative), ms. */
    public long largestStepBack() {
      long back = 0;
      for (Step s : steps) {
        back = Math.max(back, -s.byMs());
      }
      return back;
    }
  }

  /** A step of {@code byMs} once {@code atMs} have passed since the clock's origin. */
  public record Step(long atMs, long byMs) {}

  private final Clock base;
  private final Spec spec;
  private final long originMs;

  /** A clock reading {@code base} as {@code spec} says, from now on. */
  public PhysicalClock(Clock base, Spec spec) {
    this(base, spec, base.millis());
  }

  private PhysicalClock(Clock base, Spec spec, long originMs) {
    this.base = base;
    this.spec = spec;
    this.originMs = originMs;
  }

  /** {@code base} itself when the spec is exact, else a physical clock over it. */
  public static Clock of(Clock base, Spec spec) {
    return spec.exact() ? base : new PhysicalClock(base, spec);
  }

  /**
   * As {@link #of(Clock, Spec)}, but its origin (the base time its drift and steps count from) is
   * {@code originMs}, not now: a clock that was made earlier (a fork's VM, simulated on from the
   * middle of its recorded run).
   */
  public static Clock of(Clock base, Spec spec, long originMs) {
    return spec.exact() ? base : new PhysicalClock(base, spec, originMs);
  }

  @Override
  public Spec spec() {
    return spec;
  }

  /** What this clock adds to the base clock when the base reads {@code baseMillis}. */
  long adjustment(long baseMillis) {
    long elapsed = baseMillis - originMs;
    long adj = spec.offsetMs() + Math.floorDiv(elapsed * spec.driftPpm(), 1_000_000L);
    for (Step s : spec.steps()) {
      if (elapsed < s.atMs()) {
        break;
      }
      adj += s.byMs();
    }
    return adj;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a VM's physical clock is always UTC");
  }

  @Override
  public long millis() {
    long b = base.millis();
    return b + adjustment(b);
  }

  @Override
  public Instant instant() {
    Instant b = base.instant();
    return b.plusMillis(adjustment(b.toEpochMilli()));
  }
}
