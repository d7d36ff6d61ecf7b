package logicalclocks.experiment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import logicalclocks.analysis.measure.Numbers;

/** The notebook's reading of the sweep, from its cells. */
final class SweepSection {
  private SweepSection() {}

  /**
   * What the sweep shows, from its cells: where the longest queue is, how many cells stay calm, and
   * whether drift follows the queue (Pearson correlation at least 0.7).
   */
  static String render(List<Sweep.Cell> cells) {
    Sweep.Cell worst =
        cells.stream().max(Comparator.comparingDouble(Sweep.Cell::maxQueue)).orElseThrow();
    int slowest = cells.stream().mapToInt(Sweep.Cell::slowRate).min().orElseThrow();
    int fewestSides = cells.stream().mapToInt(Sweep.Cell::dieSides).min().orElseThrow();
    long calm = cells.stream().filter(c -> c.maxQueue() <= 3).count();
    String where =
        String.format(
            Locale.ROOT,
            "slow rate %d with a %d-sided die: %s messages",
            worst.slowRate(),
            worst.dieSides(),
            Numbers.whole(worst.maxQueue()));
    StringBuilder md = new StringBuilder();
    md.append(
        worst.slowRate() == slowest && worst.dieSides() == fewestSides
            ? "The longest queues come from the slowest machine with the smallest die ("
                + where
                + "). "
            : "The longest queue is NOT at the slowest machine with the smallest die but at "
                + where
                + ". ");
    md.append(
        String.format(Locale.ROOT, "%d of %d cells never queue more than 3. ", calm, cells.size()));
    double r =
        pearson(
            cells.stream().mapToDouble(Sweep.Cell::maxQueue).toArray(),
            cells.stream().mapToDouble(Sweep.Cell::maxDrift).toArray());
    md.append(
        r >= 0.7
            ? String.format(
                Locale.ROOT,
                "Drift follows the queue (correlation %.2f across cells): a machine that cannot"
                    + " keep up with its inbox also falls behind in logical time.%n",
                r)
            : String.format(
                Locale.ROOT,
                "Drift does NOT follow the queue closely (correlation %.2f across cells).%n",
                r));
    return md.toString();
  }

  static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }
}
