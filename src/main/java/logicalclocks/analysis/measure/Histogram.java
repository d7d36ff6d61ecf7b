package logicalclocks.analysis.measure;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of integer values (clock jumps, queue lengths, delays in ms): the exact distribution in
 * memory bounded by the number of distinct values, so {@link Stats} are those of every value.
 */
public final class Histogram {
  private final TreeMap<Long, long[]> counts = new TreeMap<>();
  private long n;

  public void add(long value) {
    counts.computeIfAbsent(value, k -> new long[1])[0]++;
    n++;
  }

  public void addAll(Histogram other) {
    other.counts.forEach((v, c) -> counts.computeIfAbsent(v, k -> new long[1])[0] += c[0]);
    n += other.n;
  }

  public long count() {
    return n;
  }

  /** Count of each value, ascending. */
  public Map<Long, Long> counts() {
    Map<Long, Long> out = new TreeMap<>();
    counts.forEach((v, c) -> out.put(v, c[0]));
    return out;
  }

  /** The same numbers as {@link Stats#of(double[])} of every value added. */
  public Stats stats() {
    if (n == 0) {
      return Stats.EMPTY;
    }
    long i50 = rank(0.50);
    long i95 = rank(0.95);
    double sum = 0;
    double p50 = 0;
    double p95 = 0;
    long seen = 0;
    for (var e : counts.entrySet()) {
      long c = e.getValue()[0];
      sum += (double) e.getKey() * c;
      if (i50 >= seen && i50 < seen + c) {
        p50 = e.getKey();
      }
      if (i95 >= seen && i95 < seen + c) {
        p95 = e.getKey();
      }
      seen += c;
    }
    return new Stats(n, sum / n, p50, p95, counts.lastKey());
  }

  private long rank(double q) {
    long idx = (long) Math.ceil(q * n) - 1;
    return Math.max(0, Math.min(n - 1, idx));
  }
}
