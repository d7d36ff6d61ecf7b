package logicalclocks.analysis.measure;

import java.util.Arrays;

/**
 * Summary of a distribution. Percentiles are nearest-rank (p50 of 1,2,3,4 is 2).
 *
 * @param count number of values
 * @param mean arithmetic mean (0 when empty)
 * @param p50 median
 * @param p95 95th percentile
 * @param max largest value
 */
public record Stats(long count, double mean, double p50, double p95, double max) {
  public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0);

  public static Stats of(double[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return new Stats(v.length, sum / v.length, rank(v, 0.50), rank(v, 0.95), v[v.length - 1]);
  }

  /** Rounded to 3 decimals, as metrics are reported. */
  public static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static double rank(double[] sorted, double q) {
    int idx = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }
}
