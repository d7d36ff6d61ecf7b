package logicalclocks.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.Numbers;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.RunMetrics.VmMetrics;

/** The tables across runs and variants: summary.csv (one row per run) and summary.md. */
public final class Summary {
  private Summary() {}

  /** The numbers compared across runs. */
  public record Row(
      String variant,
      int run,
      long seed,
      String rates,
      int sides,
      double seconds,
      String finalClocks,
      long clockGap,
      double jumpMean,
      double jumpP95,
      double jumpMax,
      double queueMean,
      double queueMax,
      long queueAtStop,
      double driftMean,
      double driftMax,
      double delayP95Ms,
      long messages,
      long dropped,
      String unstablePredicted,
      String growingObserved,
      int violations,
      double falseOrder) {}

  public static Row row(Experiment.RunResult r) {
    RunMetrics m = r.metrics();
    List<VmMetrics> vms = m.vms();
    return new Row(
        r.variant().name(),
        r.run() + 1,
        r.seed(),
        vms.stream().map(v -> String.valueOf(v.rate())).collect(Collectors.joining("/")),
        r.variant().dieSides(),
        m.seconds(),
        vms.stream().map(v -> String.valueOf(v.finalClock())).collect(Collectors.joining("/")),
        m.finalClockGap(),
        m.jumps().mean(),
        m.jumps().p95(),
        m.jumps().max(),
        m.queue().mean(),
        m.queue().max(),
        vms.stream().mapToLong(VmMetrics::queueAtStop).max().orElse(0),
        m.drift().mean(),
        m.drift().max(),
        m.delayMs().p95(),
        m.messages(),
        m.dropped(),
        vms.stream()
            .filter(v -> !v.model().predictedStable())
            .map(v -> "VM" + v.vm())
            .collect(Collectors.joining(" ")),
        vms.stream()
            .filter(v -> v.model().observedGrowing())
            .map(v -> "VM" + v.vm())
            .collect(Collectors.joining(" ")),
        m.violations().size(),
        m.causality() == null ? Double.NaN : m.causality().fraction());
  }

  /** A fraction as a percentage, or "-" when it was not measured (NaN). */
  static String pct(double v) {
    return Double.isNaN(v) ? "-" : Numbers.percentOneDecimal(v);
  }

  static String f(double v) {
    return Numbers.two(v);
  }

  public static void write(List<Experiment.RunResult> results, Experiment.Engine engine, Path out)
      throws IOException {
    List<Row> rows = results.stream().map(Summary::row).toList();
    StringBuilder csv =
        new StringBuilder(
            "variant,run,seed,rates,die_sides,seconds,final_clocks,clock_gap,jump_mean,"
                + "jump_p95,jump_max,queue_mean,queue_max,queue_at_stop_max,drift_mean,drift_max,delay_p95_ms,messages,dropped,"
                + "unstable_predicted,growing_observed,violations,false_order\n");
    for (Row r : rows) {
      csv.append(
              String.join(
                  ",",
                  r.variant(),
                  "" + r.run(),
                  "" + r.seed(),
                  r.rates(),
                  "" + r.sides(),
                  f(r.seconds()),
                  r.finalClocks(),
                  "" + r.clockGap(),
                  f(r.jumpMean()),
                  f(r.jumpP95()),
                  f(r.jumpMax()),
                  f(r.queueMean()),
                  f(r.queueMax()),
                  "" + r.queueAtStop(),
                  f(r.driftMean()),
                  f(r.driftMax()),
                  f(r.delayP95Ms()),
                  "" + r.messages(),
                  "" + r.dropped(),
                  r.unstablePredicted(),
                  r.growingObserved(),
                  "" + r.violations(),
                  Double.isNaN(r.falseOrder())
                      ? ""
                      : String.format(Locale.ROOT, "%.4f", r.falseOrder())))
          .append('\n');
    }
    Experiment.writeString(out.resolve("summary.csv"), csv.toString());
    Experiment.writeString(out.resolve("summary.md"), markdown(results, rows, engine));
  }

  static String markdown(
      List<Experiment.RunResult> results, List<Row> rows, Experiment.Engine engine) {
    StringBuilder md =
        new StringBuilder(
            "# Experiment summary (" + engine.name().toLowerCase(Locale.ROOT) + ")\n\n");
    md.append(variantTable(results));
    md.append("\n## Every run\n\n").append(runTable(rows));
    return md.toString();
  }

  /** One row per variant: means over its runs. */
  public static String variantTable(List<Experiment.RunResult> results) {
    Map<String, List<Experiment.RunResult>> byVariant = new LinkedHashMap<>();
    results.forEach(
        r -> byVariant.computeIfAbsent(r.variant().name(), k -> new ArrayList<>()).add(r));
    StringBuilder md =
        new StringBuilder(
            "| variant | setup | runs | s/run | mean final clock gap | jump mean | jump p95"
                + " | jump max | queue mean | queue max | drift mean | drift max | delay p95 ms | drop | violations"
                + " | false order |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var e : byVariant.entrySet()) {
      List<Row> rs = e.getValue().stream().map(Summary::row).toList();
      Variant v = e.getValue().get(0).variant();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s |%n",
              v.name(),
              v.description(),
              rs.size(),
              v.durationSeconds(),
              f(mean(rs, Row::clockGap)),
              f(mean(rs, Row::jumpMean)),
              f(mean(rs, Row::jumpP95)),
              f(max(rs, Row::jumpMax)),
              f(mean(rs, Row::queueMean)),
              f(max(rs, Row::queueMax)),
              f(mean(rs, Row::driftMean)),
              f(max(rs, Row::driftMax)),
              f(mean(rs, Row::delayP95Ms)),
              rs.stream().mapToLong(Row::dropped).sum(),
              rs.stream().mapToInt(Row::violations).sum(),
              pct(mean(rs, Row::falseOrder))));
    }
    return md.toString();
  }

  public static String runTable(List<Row> rows) {
    StringBuilder md =
        new StringBuilder(
            "| variant | run | seed | rates | final clocks | gap | jump mean | jump p95 | jump max"
                + " | queue mean | queue max | queue at STOP | drift mean | drift max | predicted unstable | observed growing"
                + " | violations |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %s | %s | %d | %s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %d |%n",
              r.variant(),
              r.run(),
              r.seed(),
              r.rates(),
              r.finalClocks(),
              r.clockGap(),
              f(r.jumpMean()),
              f(r.jumpP95()),
              f(r.jumpMax()),
              f(r.queueMean()),
              f(r.queueMax()),
              r.queueAtStop(),
              f(r.driftMean()),
              f(r.driftMax()),
              r.unstablePredicted().isEmpty() ? "-" : r.unstablePredicted(),
              r.growingObserved().isEmpty() ? "-" : r.growingObserved(),
              r.violations()));
    }
    return md.toString();
  }

  static double mean(List<Row> rows, ToDoubleFunction<Row> f) {
    return rows.stream().mapToDouble(f).average().orElse(0);
  }

  static double max(List<Row> rows, ToDoubleFunction<Row> f) {
    return rows.stream().mapToDouble(f).max().orElse(0);
  }
}
