package logicalclocks.analysis;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * How much order Lamport clocks impose that causality does not. Over pairs of tick events (SEND,
 * RECEIVE, INTERNAL) of two different VMs: the scalar clock orders a pair when their Lamport clocks
 * differ; such a pair is false order when neither event happened before the other (their vector
 * clocks are concurrent). Exact over every pair for runs of up to {@link #EXACT_LIMIT} tick events;
 * beyond, a uniform sample of {@link #SAMPLES} pairs drawn with a fixed seed, with a Wilson 95 %
 * interval.
 *
 * @param events tick events with a vector clock
 * @param pairs cross-VM pairs of them
 * @param examined pairs looked at (all of them when exact)
 * @param ordered examined pairs whose Lamport clocks differ
 * @param falseOrder of those, the pairs that are concurrent
 * @param fraction falseOrder / ordered
 * @param low lower end of the 95 % interval (equal to fraction when exact)
 * @param high upper end of the 95 % interval (equal to fraction when exact)
 * @param exact whether every pair was examined
 */
public record Causality(
    long events,
    long pairs,
    long examined,
    long ordered,
    long falseOrder,
    double fraction,
    double low,
    double high,
    boolean exact) {

  public static final int EXACT_LIMIT = 5_000;
  public static final int SAMPLES = 200_000;
  static final long SAMPLE_SEED = 20261127L;

  /**
   * The run's false order, from the analyzer's points (tick events with a vector clock), or null
   * when the logs carry no vector clocks.
   */
  public static Causality of(List<Series.Point> points) {
    return of(points, EXACT_LIMIT);
  }

  /** As {@link #of(List)}, exact up to {@code exactLimit} tick events. */
  static Causality of(List<Series.Point> points, int exactLimit) {
    List<Series.Point> events =
        points.stream().filter(p -> p.event().isTick() && p.vc() != null).toList();
    if (events.isEmpty()) {
      return null;
    }
    long n = events.size();
    long sameVm =
        events.stream()
            .collect(Collectors.groupingBy(Series.Point::vm, Collectors.counting()))
            .values()
            .stream()
            .mapToLong(c -> c * (c - 1) / 2)
            .sum();
    long pairs = n * (n - 1) / 2 - sameVm;
    long examined = 0;
    long ordered = 0;
    long concurrent = 0;
    boolean exact = n <= exactLimit;
    if (exact) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          Series.Point a = events.get(i);
          Series.Point b = events.get(j);
          if (a.vm() != b.vm()) {
            examined++;
            if (a.clock() != b.clock()) {
              ordered++;
              concurrent += concurrent(a, b) ? 1 : 0;
            }
          }
        }
      }
    } else if (pairs > 0) {
      SplittableRandom random = new SplittableRandom(SAMPLE_SEED);
      while (examined < SAMPLES) {
        Series.Point a = events.get(random.nextInt((int) n));
        Series.Point b = events.get(random.nextInt((int) n));
        if (a.vm() == b.vm()) {
          continue;
        }
        examined++;
        if (a.clock() != b.clock()) {
          ordered++;
          concurrent += concurrent(a, b) ? 1 : 0;
        }
      }
    }
    double p = ordered == 0 ? 0 : concurrent / (double) ordered;
    double[] ci = exact ? new double[] {p, p} : wilson(concurrent, ordered);
    return new Causality(n, pairs, examined, ordered, concurrent, p, ci[0], ci[1], exact);
  }

  /** Neither happened before the other: each has seen less of the other's VM than it did. */
  private static boolean concurrent(Series.Point a, Series.Point b) {
    boolean aBeforeB = a.vc().get(a.vm()) <= b.vc().get(a.vm());
    boolean bBeforeA = b.vc().get(b.vm()) <= a.vc().get(b.vm());
    return !aBeforeB && !bBeforeA;
  }

  /** The Wilson score interval at 95 % for {@code k} of {@code n}. */
  static double[] wilson(long k, long n) {
    if (n == 0) {
      return new double[] {0, 1};
    }
    double z = 1.959964;
    double p = k / (double) n;
    double d = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / d;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /** One sentence: the fraction, and how it was measured. */
  public String sentence() {
    String how =
        exact
            ? "exact over all " + examined + " cross-VM pairs of " + events + " tick events"
            : "from a uniform sample of "
                + examined
                + " of the "
                + pairs
                + " cross-VM pairs (fixed seed), 95 % interval "
                + Numbers.percentOneDecimal(low)
                + " to "
                + Numbers.percentOneDecimal(high);
    return "Of the pairs of events on different VMs that Lamport clocks order, "
        + Numbers.percentOneDecimal(fraction)
        + " are concurrent: causally unrelated, ordered only by the scalar clock ("
        + how
        + ").";
  }
}
