package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.VectorClock;

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
 * @param pairsFrom events the sampled pairs were drawn from (all of them, or a reservoir's)
 * @param causal examined pairs of which one happened before the other (by their vector clocks)
 * @param wallReversed of those, the pairs whose wall-clock times (each VM's own {@code ts}) put the
 *     later event first: order that physical clocks get wrong
 * @param lamportReversed of those, the pairs whose Lamport clocks do not put the earlier first (0
 *     in any run that passes the clock rules)
 * @param hybridCompared causal pairs whose events both carry a hybrid clock
 * @param hybridReversed of those, the pairs whose hybrid clocks do not put the earlier first (0 in
 *     any run that passes the hlc rules)
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
    boolean exact,
    @com.fasterxml.jackson.annotation.JsonIgnore long pairsFrom,
    long causal,
    long wallReversed,
    long lamportReversed,
    long hybridCompared,
    long hybridReversed) {

  /** The share of causal pairs whose wall-clock order is reversed (0 when none is causal). */
  public double wallReversedFraction() {
    return causal == 0 ? 0 : wallReversed / (double) causal;
  }

  public static final int EXACT_LIMIT = 5_000;
  public static final int SAMPLES = 200_000;
  static final long SAMPLE_SEED = 20261127L;

  /** Longs the sample of a long run may take (its events' vector entries). */
  static final int SAMPLE_BUDGET = 4_000_000;

  /**
   * The run's false order, from the analyzer's points (tick events with a vector clock), or null
   * when the logs carry no vector clocks.
   */
  public static Causality of(List<Series.Point> points) {
    return of(points, EXACT_LIMIT);
  }

  /** As {@link #of(List)}, exact up to {@code exactLimit} tick events. */
  static Causality of(List<Series.Point> points, int exactLimit) {
    int machines = points.stream().mapToInt(Series.Point::vm).max().orElse(-1) + 1;
    return of(points, new Sampler(machines, exactLimit));
  }

  /** The points' false order, with the sampler given. */
  static Causality of(List<Series.Point> points, Sampler s) {
    for (Series.Point p : points) {
      if (p.event().isTick() && p.vc() != null) {
        s.accept(p.vm(), p.clock(), p.tMs(), () -> null, () -> p.vc());
      }
    }
    return s.result();
  }

  /**
   * Fed the run's tick events with a vector clock one by one: keeps every one of the first {@code
   * exactLimit} (then the result is exact over all pairs) and, for a longer run, a uniform sample
   * (reservoir, fixed seed) of up to 2 x {@link #SAMPLES} events, fewer when the vectors are long
   * ({@link #SAMPLE_BUDGET} entries in all); at the end {@link #SAMPLES} cross-VM pairs are drawn
   * uniformly, with replacement, from the events kept: from every event when the run fits (the same
   * pairs, same seed, as when every event was held), else from the reservoir, whose interval is
   * then as wide as its disjoint pairs would give. Memory is bounded by those limits, not by the
   * run.
   */
  public static final class Sampler {
    private final int machines;
    private final int exactLimit;
    private final int capacity;
    private final int width;
    private final SplittableRandom random = new SplittableRandom(SAMPLE_SEED);
    private final Map<Integer, long[]> perVm = new HashMap<>();
    private List<long[]> exact = new ArrayList<>();
    private long n;

    public Sampler(int machines, int exactLimit) {
      this(machines, exactLimit, (int) Math.min(2L * SAMPLES, SAMPLE_BUDGET / (machines + 2L)));
    }

    /** As above, keeping at most {@code capacity} events of a long run. */
    Sampler(int machines, int exactLimit, int capacity) {
      this.machines = Math.max(1, machines);
      this.exactLimit = exactLimit;
      this.width = this.machines + 6;
      this.capacity = Math.max(2, capacity);
    }

    // per slot: vm, clock, the vector's entries, wall ms, hybrid l, hybrid c (-1: none), the
    // event's number in its VM
    private long[] store;

    /** A tick event of {@code vm} at Lamport {@code clock} with vector {@code vc}. */
    public void accept(int vm, long clock, VectorClock vc) {
      accept(vm, clock, 0, () -> null, () -> vc);
    }

    /**
     * A tick event of {@code vm} at Lamport {@code clock}, wall time {@code wallMs} and hybrid time
     * {@code hlc} (null: none); its vector and hybrid time are read (parsed) only when the event is
     * kept.
     */
    public void accept(
        int vm,
        long clock,
        long wallMs,
        java.util.function.Supplier<HybridTime> hlc,
        java.util.function.Supplier<VectorClock> vector) {
      this.wallMs = wallMs;
      this.hlc = hlc;
      n++;
      perVm.computeIfAbsent(vm, k -> new long[1])[0]++;
      VectorClock vc = null;
      if (exact != null) {
        if (exact.size() < exactLimit) {
          vc = vector.get();
          exact.add(row(vm, clock, vc));
        } else {
          exact = null;
        }
      }
      long slot;
      if (n <= capacity) {
        slot = n - 1;
      } else {
        slot = random.nextLong(n);
        if (slot >= capacity) {
          return;
        }
      }
      if (store == null) {
        store = new long[capacity * width];
      }
      long[] r = row(vm, clock, vc != null ? vc : vector.get());
      r[width - 1] = perVm.get(vm)[0];
      System.arraycopy(r, 0, store, (int) slot * width, width);
    }

    private long wallMs;
    private java.util.function.Supplier<HybridTime> hlc;

    private long[] row(int vm, long clock, VectorClock vc) {
      long[] r = new long[width];
      r[0] = vm;
      r[1] = clock;
      for (int i = 0; i < machines; i++) {
        r[2 + i] = vc.get(i);
      }
      r[machines + 2] = wallMs;
      HybridTime h = hlc.get();
      r[machines + 3] = h == null ? -1 : h.l();
      r[machines + 4] = h == null ? -1 : h.c();
      r[width - 1] = perVm.get(vm)[0];
      return r;
    }

    private long causal;
    private long wallReversed;
    private long lamportReversed;
    private long hybridCompared;
    private long hybridReversed;

    /** A pair of events of different VMs that are not concurrent: is each clock's order right? */
    private void causalPair(long[] x, int a, long[] y, int b) {
      int va = (int) x[a];
      boolean aFirst = x[a + 2 + va] <= y[b + 2 + va];
      long[] fs = aFirst ? x : y;
      int f = aFirst ? a : b;
      long[] ss = aFirst ? y : x;
      int t = aFirst ? b : a;
      causal++;
      int m = machines;
      if (fs[f + m + 2] > ss[t + m + 2]) {
        wallReversed++;
      }
      if (fs[f + 1] >= ss[t + 1]) {
        lamportReversed++;
      }
      if (fs[f + m + 3] >= 0 && ss[t + m + 3] >= 0) {
        hybridCompared++;
        long fl = fs[f + m + 3];
        long sl = ss[t + m + 3];
        if (fl > sl || fl == sl && fs[f + m + 4] >= ss[t + m + 4]) {
          hybridReversed++;
        }
      }
    }

    public Causality result() {
      if (n == 0) {
        return null;
      }
      causal = 0;
      wallReversed = 0;
      lamportReversed = 0;
      hybridCompared = 0;
      hybridReversed = 0;
      long sameVm = perVm.values().stream().mapToLong(c -> c[0] * (c[0] - 1) / 2).sum();
      long pairs = n * (n - 1) / 2 - sameVm;
      long examined = 0;
      long ordered = 0;
      long concurrent = 0;
      boolean isExact = exact != null;
      if (isExact) {
        for (int i = 0; i < exact.size(); i++) {
          for (int j = i + 1; j < exact.size(); j++) {
            long[] a = exact.get(i);
            long[] b = exact.get(j);
            if (a[0] != b[0]) {
              examined++;
              boolean c = concurrent(a, 0, b, 0);
              if (!c) {
                causalPair(a, 0, b, 0);
              }
              if (a[1] != b[1]) {
                ordered++;
                concurrent += c ? 1 : 0;
              }
            }
          }
        }
      } else if (pairs > 0) {
        // The events kept (every one when the run fits, else the reservoir), in the logs' order
        // (VM by VM), sampled as uniform pairs with replacement.
        int kept = (int) Math.min(n, capacity);
        // Bucketed by VM; within a VM the slots hold its events in its order (kept in the order
        // read) when the whole run fits.
        int[] order = new int[kept];
        int[] start = new int[machines + 1];
        for (int i = 0; i < kept; i++) {
          start[(int) store[i * width] + 1]++;
        }
        for (int v = 0; v < machines; v++) {
          start[v + 1] += start[v];
        }
        for (int i = 0; i < kept; i++) {
          order[start[(int) store[i * width]]++] = i;
        }
        SplittableRandom random = new SplittableRandom(SAMPLE_SEED);
        while (examined < SAMPLES) {
          int a = order[random.nextInt(kept)] * width;
          int b = order[random.nextInt(kept)] * width;
          if (store[a] == store[b]) {
            continue;
          }
          examined++;
          boolean c = concurrent(store, a, store, b);
          if (!c) {
            causalPair(store, a, store, b);
          }
          if (store[a + 1] != store[b + 1]) {
            ordered++;
            concurrent += c ? 1 : 0;
          }
        }
      }
      double p = ordered == 0 ? 0 : concurrent / (double) ordered;
      double[] ci;
      if (isExact) {
        ci = new double[] {p, p};
      } else if (n <= capacity) {
        ci = wilson(concurrent, ordered);
      } else {
        // Pairs drawn from a sample of the run: no more independent than the sample's disjoint
        // pairs, so the interval is as wide as that many would give.
        long effective = Math.min(ordered, capacity / 2);
        ci = wilson(Math.round(p * effective), effective);
      }
      return new Causality(
          n,
          pairs,
          examined,
          ordered,
          concurrent,
          p,
          ci[0],
          ci[1],
          isExact,
          Math.min(n, capacity),
          causal,
          wallReversed,
          lamportReversed,
          hybridCompared,
          hybridReversed);
    }

    /** Neither happened before the other: each has seen less of the other's VM than it did. */
    private static boolean concurrent(long[] x, int a, long[] y, int b) {
      int va = (int) x[a];
      int vb = (int) y[b];
      boolean aBeforeB = x[a + 2 + va] <= y[b + 2 + va];
      boolean bBeforeA = y[b + 2 + vb] <= x[a + 2 + vb];
      return !aBeforeB && !bBeforeA;
    }
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
                + " cross-VM pairs (fixed seed"
                + (events > pairsFrom ? ", drawn from a reservoir of " + pairsFrom + " events" : "")
                + "), 95 % interval "
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
