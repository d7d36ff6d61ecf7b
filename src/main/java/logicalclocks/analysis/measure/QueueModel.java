package logicalclocks.analysis.measure;

import java.util.Arrays;

/**
 * A fluid model of each VM's queue. VM j spends a tick on a RECEIVE when its queue is non-empty (a
 * fraction rho_j of its ticks) and otherwise rolls the die; a roll sends to a given other VM with
 * probability 2/sides (its own outcome, plus the "everyone" outcome). So VM i's arrival rate is
 * lambda_i = sum over j != i of r_j (1 - rho_j) 2/sides, its service rate is r_i, and rho_i =
 * min(1, lambda_i / r_i). The coupled equations are solved by fixed-point iteration. A queue is
 * predicted stable when lambda_i < r_i.
 */
public final class QueueModel {
  private QueueModel() {}

  /** Per-VM prediction. */
  public record Prediction(
      double arrivalRate, double serviceRate, double utilization, boolean stable) {}

  public static Prediction[] predict(int[] rates, int sides) {
    int n = rates.length;
    double p = 2.0 / sides;
    double[] rho = new double[n];
    double[] lambda = new double[n];
    for (int iter = 0; iter < 500; iter++) {
      double[] next = new double[n];
      // What every VM sends to each other VM, summed once: O(N) per iteration, not O(N^2).
      double all = 0;
      for (int j = 0; j < n; j++) {
        all += rates[j] * (1 - rho[j]) * p;
      }
      for (int i = 0; i < n; i++) {
        double l = all - rates[i] * (1 - rho[i]) * p;
        lambda[i] = l;
        next[i] = Math.min(1.0, l / rates[i]);
      }
      if (Arrays.equals(next, rho)) {
        break;
      }
      for (int i = 0; i < n; i++) {
        rho[i] = 0.5 * rho[i] + 0.5 * next[i];
      }
    }
    Prediction[] out = new Prediction[n];
    for (int i = 0; i < n; i++) {
      out[i] =
          new Prediction(
              lambda[i],
              rates[i],
              Math.min(1.0, lambda[i] / rates[i]),
              lambda[i] < rates[i] * 0.999);
    }
    return out;
  }
}
