package logicalclocks.analysis.measure;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;

/**
 * Counts of integer values (clock jumps, queue lengths, delays in ms): the exact distribution in
 * memory bounded by the number of distinct values, so {@link Stats} are those of every value. The
 * small values (0 to {@link #DENSE} - 1, the usual ones) are counted in an array that grows to the
 * largest seen; the others in a sorted map.
 */
public final class Histogram {
  /** Values below this (and not negative) are counted in an array. */
  static final int DENSE = 1024;

  private long[] small = new long[0];
  private final TreeMap<Long, long[]> other = new TreeMap<>();
  private long n;

  public void add(long value) {
    add(value, 1);
  }

  private void add(long value, long count) {
    if (value >= 0 && value < DENSE) {
      int v = (int) value;
      if (v >= small.length) {
        small = Arrays.copyOf(small, Math.min(DENSE, Math.max(16, Integer.highestOneBit(v) * 2)));
      }
      small[v] += count;
    } else {
      other.computeIfAbsent(value, k -> new long[1])[0] += count;
    }
    n += count;
  }

  public void addAll(Histogram h) {
    h.forEach((v, c) -> add(v, c));
  }

  public long count() {
    return n;
  }

  /** Each value with its count, ascending. */
  private void forEach(ObjLongConsumer<Long> each) {
    for (var e : other.headMap(0L).entrySet()) {
      each.accept(e.getKey(), e.getValue()[0]);
    }
    for (int v = 0; v < small.length; v++) {
      if (small[v] != 0) {
        each.accept((long) v, small[v]);
      }
    }
    for (var e : other.tailMap(0L).entrySet()) {
      each.accept(e.getKey(), e.getValue()[0]);
    }
  }

  /** Count of each value, ascending. */
  public Map<Long, Long> counts() {
    Map<Long, Long> out = new TreeMap<>();
    forEach(out::put);
    return out;
  }

  /** The same numbers as {@link Stats#of(double[])} of every value added. */
  public Stats stats() {
    if (n == 0) {
      return Stats.EMPTY;
    }
    long i50 = rank(0.50);
    long i95 = rank(0.95);
    double[] acc = new double[3]; // sum, p50, p95
    long[] at = new long[2]; // seen, largest
    forEach(
        (v, c) -> {
          acc[0] += (double) v * c;
          if (i50 >= at[0] && i50 < at[0] + c) {
            acc[1] = v;
          }
          if (i95 >= at[0] && i95 < at[0] + c) {
            acc[2] = v;
          }
          at[0] += c;
          at[1] = v;
        });
    return new Stats(n, acc[0] / n, acc[1], acc[2], at[1]);
  }

  private long rank(double q) {
    long idx = (long) Math.ceil(q * n) - 1;
    return Math.max(0, Math.min(n - 1, idx));
  }
}
