package logicalclocks.analysis.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import logicalclocks.analysis.measure.Numbers;
import logicalclocks.analysis.measure.PhysicalMetrics;
import logicalclocks.analysis.measure.RunMetrics;

/**
 * The report's physical-time section: each VM's declared clock and its hybrid clock's distance from
 * physical time, time travel, and how often each clock gets causal order wrong. Every sentence is
 * computed from the measures; the comparisons are printed in their negative form when the numbers
 * say so.
 */
final class PhysicalSection {
  private PhysicalSection() {}

  /** One row per VM. */
  static Table table(PhysicalMetrics p) {
    Table t =
        new Table(
            "VM",
            "offset ms",
            "drift ppm",
            "steps",
            "hlc l - pt max ms",
            "hlc c max",
            "wall steps back",
            "largest step back ms");
    for (PhysicalMetrics.VmClock v : p.vms()) {
      t.row(
          v.vm(),
          v.offsetMs(),
          v.driftPpm(),
          v.steps() == null ? "" : v.steps(),
          v.hybrid() ? String.valueOf(v.maxHlcAheadMs()) : "no hlc",
          v.hybrid() ? String.valueOf(v.maxHlcCounter()) : "",
          v.wallStepsBack(),
          v.largestStepBackMs());
    }
    return t;
  }

  /** The section's sentences. */
  static List<String> sentences(RunMetrics m) {
    PhysicalMetrics p = m.physical();
    List<String> out = new ArrayList<>();
    boolean hybrid = p.vms().stream().anyMatch(PhysicalMetrics.VmClock::hybrid);
    if (hybrid) {
      boolean bounded = p.maxHlcAheadMs() <= p.offsetSpreadMs();
      out.add(
          String.format(
              Locale.ROOT,
              "Hybrid clocks ran at most %d ms ahead of their VM's own physical time (largest"
                  + " counter %d); the declared clocks (offsets, drift, steps) were at most %d ms"
                  + " apart, so l - pt %s that spread%s.",
              p.maxHlcAheadMs(),
              p.maxHlcCounter(),
              p.offsetSpreadMs(),
              bounded ? "stayed within" : "went BEYOND",
              bounded ? "" : " (a clock skewed from outside, e.g. by faketime, is not declared)"));
    } else {
      out.add("Hybrid clocks: none in these logs (written before tick lines carried hlc).");
    }
    out.add(
        p.timeTravel() == 0
            ? String.format(
                Locale.ROOT,
                "No message was RECEIVEd before its SEND by the wall clocks (%d received).",
                p.received())
            : String.format(
                Locale.ROOT,
                "Time travel: %d of %d messages (%s) were RECEIVEd before their SEND by the two"
                    + " VMs' wall clocks, by up to %d ms.",
                p.timeTravel(),
                p.received(),
                Numbers.percentOneDecimal(
                    p.received() == 0 ? 0 : p.timeTravel() / (double) p.received()),
                p.largestTravelMs()));
    if (p.causalPairs() > 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "Of %d causally ordered pairs of events on different VMs, the wall clocks put %d"
                  + " (%s) in the wrong order; Lamport clocks %d%s.",
              p.causalPairs(),
              p.wallReversed(),
              Numbers.percentOneDecimal(p.wallReversedFraction()),
              p.lamportReversed(),
              p.hybridCompared() > 0
                  ? String.format(
                      Locale.ROOT,
                      ", hybrid clocks %d of %d",
                      p.hybridReversed(),
                      p.hybridCompared())
                  : ""));
    } else if (p.causalPairs() < 0) {
      out.add("Wall-clock order of causal pairs: not measured (the logs carry no vector clocks).");
    }
    return out;
  }
}
