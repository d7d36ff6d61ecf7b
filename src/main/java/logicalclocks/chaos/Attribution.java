package logicalclocks.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Which applied fault lies nearest in time to a violating line. */
public final class Attribution {
  private Attribution() {}

  /**
   * A fault as it was applied: from the signal ({@code at}) to the VM's recovery ({@code until}:
   * SIGCONT sent, or the process started again; {@code at} when it never recovered).
   */
  public record Applied(Fault fault, Instant at, Instant until) {
    public Applied {
      if (until.isBefore(at)) {
        throw new IllegalArgumentException("until before at: " + at + " > " + until);
      }
    }

    /** How far {@code ts} lies from this fault: 0 inside [at, until], else to the nearer end. */
    public Duration distance(Instant ts) {
      if (ts.isBefore(at)) {
        return Duration.between(ts, at);
      }
      if (ts.isAfter(until)) {
        return Duration.between(until, ts);
      }
      return Duration.ZERO;
    }
  }

  /** The nearest fault and how the line's time relates to it. */
  public record Nearest(Applied applied, Duration distance, String relation) {}

  /**
   * The applied fault nearest to {@code ts} (the earlier one on a tie); empty when none was
   * applied.
   */
  public static Optional<Nearest> nearest(List<Applied> applied, Instant ts) {
    Applied best = null;
    Duration bestDistance = null;
    for (Applied a : applied) {
      Duration d = a.distance(ts);
      if (best == null || d.compareTo(bestDistance) < 0) {
        best = a;
        bestDistance = d;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    String relation =
        ts.isBefore(best.at()) ? "before it" : ts.isAfter(best.until()) ? "after it" : "during it";
    return Optional.of(new Nearest(best, bestDistance, relation));
  }
}
