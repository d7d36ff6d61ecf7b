package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.percentOneDecimal;

import java.util.List;
import logicalclocks.analysis.render.Table;

/**
 * The notebook's section on false order: per variant, how many of the pairs of events that Lamport
 * clocks order are in fact concurrent, and whether that grows with rate differences or with fewer
 * internal events, each said in the negative when the runs do not show it.
 */
final class CausalitySection {
  private CausalitySection() {}

  /** The mean false-order fraction of runs that measured it, or NaN when none did. */
  static double mean(List<Results.Run> runs) {
    return runs == null
        ? Double.NaN
        : runs.stream()
            .filter(r -> r.m().causality() != null)
            .mapToDouble(r -> r.m().causality().fraction())
            .average()
            .orElse(Double.NaN);
  }

  static String render(Results live) {
    StringBuilder md =
        new StringBuilder(
            "## How much of Lamport's order is false\n\n"
                + "Lamport clocks order any two events with different clocks, but only events linked by"
                + " a chain of messages really depend on each other. Per run, over the pairs of events on"
                + " different VMs that the scalar clock orders, the share that are concurrent (vector"
                + " clocks; exact up to 5,000 events, a seeded sample of 200,000 pairs beyond):\n\n");
    Table t =
        new Table("variant", "runs measured", "false order (mean)", "lowest run", "highest run");
    boolean any = false;
    for (var e : live.variants().entrySet()) {
      List<Double> f =
          e.getValue().stream()
              .filter(r -> r.m().causality() != null)
              .map(r -> r.m().causality().fraction())
              .toList();
      if (f.isEmpty()) {
        t.row(e.getKey(), 0, "-", "-", "-");
        continue;
      }
      any = true;
      t.row(
          e.getKey(),
          f.size(),
          percentOneDecimal(mean(e.getValue())),
          percentOneDecimal(f.stream().mapToDouble(Double::doubleValue).min().orElse(0)),
          percentOneDecimal(f.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    }
    if (!any) {
      return md.append("No run carried vector clocks, so this is not measured here.\n\n")
          .toString();
    }
    md.append(t.markdown()).append('\n');
    md.append("- ")
        .append(
            rateDifferences(mean(live.runs("baseline")), mean(live.runs("small-rate-variation"))))
        .append("- ")
        .append(fewerInternal(mean(live.runs("baseline")), mean(live.runs("fewer-internal"))))
        .append('\n');
    return md.toString();
  }

  /** Rates 1..6 against 3..4: more false order with more different rates, or not. */
  static String rateDifferences(double wide, double narrow) {
    if (Double.isNaN(wide) || Double.isNaN(narrow)) {
      return "Rate differences: not compared (baseline or small-rate-variation missing).\n";
    }
    String numbers =
        "("
            + percentOneDecimal(wide)
            + " with rates 1..6, "
            + percentOneDecimal(narrow)
            + " with 3..4)";
    return wide > narrow
        ? "More different rates, more false order "
            + numbers
            + ": a fast machine's many events sit beside a slow one's few, related by nothing but"
            + " their clocks.\n"
        : "More different rates do NOT give more false order here " + numbers + ".\n";
  }

  /** A 4-sided die against the 10-sided one: more messages link more events, or not. */
  static String fewerInternal(double baseline, double chatty) {
    if (Double.isNaN(baseline) || Double.isNaN(chatty)) {
      return "Fewer internal events: not compared (baseline or fewer-internal missing).\n";
    }
    String numbers =
        "("
            + percentOneDecimal(baseline)
            + " with a 10-sided die, "
            + percentOneDecimal(chatty)
            + " with a 4-sided one)";
    return chatty < baseline
        ? "Fewer internal events mean less false order "
            + numbers
            + ": more messages link more events causally.\n"
        : "Fewer internal events do NOT mean less false order here " + numbers + ".\n";
  }
}
