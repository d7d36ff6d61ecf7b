package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.two;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.render.Table;

/**
 * How closely simulated runs reproduce live runs of the same configurations and seeds. Runs diverge
 * tick by tick (live timing is not repeatable), so they are compared on distributions: for each
 * variant and measure, the mean over its runs, live against simulated, within a stated tolerance.
 * The sim-vs-live test asserts these rows; the notebook prints them from its own runs.
 */
public final class Agreement {
  private Agreement() {}

  /**
   * A measure of a run and how far live and simulated means may differ: {@code max(absolute,
   * relative x live)}.
   */
  public enum Measure {
    FINAL_CLOCK(
        "final clock (mean of VMs)",
        m -> m.vms().stream().mapToLong(RunMetrics.VmMetrics::finalClock).average().orElse(0),
        0,
        0.05),
    MEAN_JUMP("mean jump", m -> m.jumps().mean(), 0.15, 0.10),
    MAX_JUMP("max jump", m -> m.jumps().max(), 2, 0.35),
    MAX_QUEUE("max queue", m -> m.queue().max(), 2, 0.35),
    DRIFT_MEAN("drift mean", m -> m.drift().mean(), 1, 0.35);

    private final String label;
    private final ToDoubleFunction<RunMetrics> of;
    private final double absolute;
    private final double relative;

    Measure(String label, ToDoubleFunction<RunMetrics> of, double absolute, double relative) {
      this.label = label;
      this.of = of;
      this.absolute = absolute;
      this.relative = relative;
    }

    public String label() {
      return label;
    }

    /** The largest difference of means that counts as agreement. */
    public double tolerance(double live) {
      return Math.max(absolute, relative * Math.abs(live));
    }

    double mean(List<RunMetrics> runs) {
      return runs.stream().mapToDouble(of).average().orElse(Double.NaN);
    }
  }

  /** One variant and measure: the means over its runs, live and simulated. */
  public record Row(String variant, int runs, Measure measure, double live, double sim) {
    public double difference() {
      return Math.abs(live - sim);
    }

    public double tolerance() {
      return measure.tolerance(live);
    }

    public boolean agrees() {
      return difference() <= tolerance();
    }
  }

  /** Every variant present in both, every measure. */
  public static List<Row> compare(
      Map<String, List<RunMetrics>> live, Map<String, List<RunMetrics>> sim) {
    List<Row> rows = new ArrayList<>();
    for (var e : live.entrySet()) {
      List<RunMetrics> s = sim.get(e.getKey());
      if (s == null || s.isEmpty() || e.getValue().isEmpty()) {
        continue;
      }
      for (Measure m : Measure.values()) {
        rows.add(
            new Row(
                e.getKey(),
                Math.min(e.getValue().size(), s.size()),
                m,
                m.mean(e.getValue()),
                m.mean(s)));
      }
    }
    return rows;
  }

  /** The rows as a Markdown table, then one sentence computed from them. */
  public static String markdown(List<Row> rows) {
    Table table =
        new Table(
            "variant",
            "runs",
            "measure",
            "live mean",
            "sim mean",
            "difference",
            "tolerance",
            "agrees");
    for (Row r : rows) {
      table.row(
          r.variant(),
          r.runs(),
          r.measure().label(),
          two(r.live()),
          two(r.sim()),
          two(r.difference()),
          two(r.tolerance()),
          r.agrees() ? "yes" : "**no**");
    }
    StringBuilder md = new StringBuilder(table.markdown());
    long agree = rows.stream().filter(Row::agrees).count();
    md.append('\n');
    if (rows.isEmpty()) {
      md.append("No variant was run both live and simulated: nothing to compare.\n");
    } else if (agree == rows.size()) {
      md.append(
          String.format(
              Locale.ROOT,
              "All %d comparisons are within tolerance: on these measures the"
                  + " simulation reproduces the live runs.%n",
              rows.size()));
    } else {
      md.append(
          String.format(
              Locale.ROOT,
              "%d of %d comparisons are within tolerance; the simulation does NOT"
                  + " reproduce the live runs on: %s.%n",
              agree,
              rows.size(),
              String.join(
                  ", ",
                  rows.stream()
                      .filter(r -> !r.agrees())
                      .map(r -> r.variant() + " " + r.measure().label())
                      .toList())));
    }
    return md.toString();
  }
}
