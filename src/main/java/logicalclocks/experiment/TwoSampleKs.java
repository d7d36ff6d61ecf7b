package logicalclocks.experiment;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov–Smirnov test with its exact permutation p-value: D is the largest
 * distance between the two empirical distribution functions, and p is the probability that D is at
 * least as large when the pooled values are split into groups of the same sizes uniformly at
 * random. Ties are handled exactly (the distance is only looked at between distinct pooled values,
 * as the empirical functions can only differ there), so the p-value is the permutation
 * distribution's own, not the continuous approximation, whatever the sample sizes. Computed by a
 * walk over the lattice of (values taken from a, values taken from b) with hypergeometric step
 * probabilities: O(n·m), no enumeration, no random numbers.
 *
 * @param d the statistic, in [0, 1]
 * @param p the exact permutation p-value P(D' &gt;= d)
 * @param minP the smallest p any split of these pooled values could give: the test cannot reject at
 *     a level below it (few runs, or many ties)
 */
public record TwoSampleKs(double d, double p, double minP) {

  /** The test of samples {@code a} and {@code b} (each non-empty). */
  public static TwoSampleKs test(double[] a, double[] b) {
    int n = a.length;
    int m = b.length;
    if (n == 0 || m == 0) {
      throw new IllegalArgumentException("both samples need at least one value");
    }
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    double[] pooled = new double[n + m];
    System.arraycopy(x, 0, pooled, 0, n);
    System.arraycopy(y, 0, pooled, n, m);
    Arrays.sort(pooled);
    boolean[] check = checkpoints(pooled);
    // The observed distance, in units of 1/(n m): |i m - j n| after each distinct value.
    long observed = 0;
    int i = 0;
    int j = 0;
    for (int t = 0; t < n + m; t++) {
      double v = pooled[t];
      while (i < n && x[i] <= v) {
        i++;
      }
      while (j < m && y[j] <= v) {
        j++;
      }
      observed = Math.max(observed, Math.abs((long) i * m - (long) j * n));
    }
    long most = 0;
    for (int t = 1; t <= n + m; t++) {
      if (check[t]) {
        long ia = Math.min(t, n);
        long ib = Math.min(t, m);
        most = Math.max(most, Math.max(ia * m - (t - ia) * n, ib * n - (t - ib) * m));
      }
    }
    return new TwoSampleKs(
        observed / (double) ((long) n * m), tail(n, m, check, observed), tail(n, m, check, most));
  }

  /** Whether the empirical functions may differ after the first {@code t} pooled values. */
  private static boolean[] checkpoints(double[] pooled) {
    boolean[] check = new boolean[pooled.length + 1];
    for (int t = 1; t <= pooled.length; t++) {
      check[t] = t == pooled.length || pooled[t - 1] < pooled[t];
    }
    return check;
  }

  /**
   * P(max over checkpoints of |i m - j n| &gt;= bound) for a uniformly random split: one minus the
   * probability that the random walk to (n, m) stays strictly inside the band at every checkpoint.
   */
  private static double tail(int n, int m, boolean[] check, long bound) {
    if (bound <= 0) {
      return 1;
    }
    double[] row = new double[m + 1];
    row[0] = 1;
    // row[j] after step t: probability of being at (t - j, j) having stayed inside the band.
    for (int t = 1; t <= n + m; t++) {
      double[] next = new double[m + 1];
      for (int j = Math.max(0, t - 1 - n); j <= Math.min(m, t - 1); j++) {
        double here = row[j];
        if (here == 0) {
          continue;
        }
        int i = t - 1 - j;
        int left = n + m - (t - 1);
        if (i < n) {
          next[j] += here * (n - i) / left;
        }
        if (j < m) {
          next[j + 1] += here * (m - j) / left;
        }
      }
      if (check[t]) {
        for (int j = Math.max(0, t - n); j <= Math.min(m, t); j++) {
          long i = t - j;
          if (Math.abs(i * m - (long) j * n) >= bound) {
            next[j] = 0;
          }
        }
      }
      row = next;
    }
    return Math.min(1, Math.max(0, 1 - row[m]));
  }
}
