package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.one;
import static logicalclocks.analysis.measure.Numbers.percent;
import static logicalclocks.analysis.measure.Numbers.two;
import static logicalclocks.experiment.Results.avg;
import static logicalclocks.experiment.Results.max;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.Numbers;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.RunMetrics.VmMetrics;

/**
 * The notebook's check of what other implementations report, each claim against the runs made for
 * it.
 */
final class ClaimsSection {
  private ClaimsSection() {}

  static String render(Results live, Results sim) {
    StringBuilder md = new StringBuilder("## Checking what other implementations report\n\n");
    List<Results.Run> fixed = live.runs("fixed-3-5-2");
    if (fixed != null) {
      double[] mean = new double[fixed.get(0).m().machines()];
      for (Results.Run r : fixed) {
        for (int i = 0; i < mean.length; i++) {
          mean[i] += r.m().vms().get(i).finalClock() / (double) fixed.size();
        }
      }
      md.append(
          fixedClaim(
              mean,
              fixed.size(),
              fixed.get(0).m().seconds(),
              max(fixed, m -> m.jumps().max()),
              avg(fixed, RunMetrics::finalClockGap)));
    }
    List<Results.Run> slow = live.runs("slow-1-among-4");
    if (slow != null) {
      double stop =
          slow.stream().mapToDouble(r -> r.m().vms().get(0).queueAtStop()).average().orElse(0);
      long growing =
          slow.stream().filter(r -> r.m().vms().get(0).model().observedGrowing()).count();
      VmMetrics v0 = slow.get(0).m().vms().get(0);
      md.append(
          String.format(
              Locale.ROOT,
              "**\"A machine at 1 tick/s among peers at 4 ticks/s builds a queue that grows"
                  + " without bound.\"** The queue model predicts arrivals of %s/s against a service rate of 1/s"
                  + " (utilization %s, %s). Live, VM 0's queue ended at %s messages on average after %.0f s, still growing"
                  + " in %d of %d runs, and it processed a message on %s of its ticks. ",
              two(v0.model().predictedArrivalRate()),
              two(v0.model().predictedUtilization()),
              v0.model().predictedStable() ? "stable" : "unstable",
              one(stop),
              slow.get(0).m().seconds(),
              growing,
              slow.size(),
              percent(
                  slow.stream()
                      .mapToDouble(r -> r.m().vms().get(0).model().observedUtilization())
                      .average()
                      .orElse(0))));
      List<Results.Run> longRuns =
          live.has(Variant.SLOW_LONG) ? live.runs(Variant.SLOW_LONG) : sim.runs(Variant.SLOW_LONG);
      if (longRuns == null) {
        md.append(
            "The claims plan's long run ("
                + Variant.SLOW_LONG
                + ") is not among these results, so whether the"
                + " growth continues is not checked here.\n\n");
      } else {
        VmMetrics l0 = longRuns.get(0).m().vms().get(0);
        md.append(
            slowClaim(
                stop,
                slow.get(0).m().seconds(),
                live.has(Variant.SLOW_LONG) ? "live" : "simulated",
                longRuns.get(0).m().seconds(),
                l0.queueAtStop(),
                l0.queue().max(),
                l0.model().observedGrowing(),
                v0.model().predictedArrivalRate()));
      }
    }
    return md.toString();
  }

  /**
   * The fixed 3,5,2 claim: every machine near 5 x the run's seconds, and whether the slow ones kept
   * pace.
   */
  static String fixedClaim(double[] mean, int runs, double seconds, double maxJump, double gap) {
    double expected = 5 * Math.round(seconds);
    double worst = 0;
    for (double x : mean) {
      worst = Math.max(worst, Math.abs(x - expected) / expected);
    }
    String verdict =
        worst < 0.05 ? "We agree." : worst < 0.10 ? "We agree only roughly." : "We disagree.";
    double lo = Arrays.stream(mean).min().orElse(0);
    double hi = Arrays.stream(mean).max().orElse(0);
    String pace =
        lo >= 0.9 * hi
            ? String.format(
                Locale.ROOT,
                " The fast machine sets the pace: each message it sends pulls a slower"
                    + " machine's clock up to its own, so the slow ones jump (largest jump %.0f) instead of falling behind,"
                    + " and the gap between final clocks averaged %s.",
                maxJump,
                one(gap))
            : String.format(
                Locale.ROOT,
                " The slow machines did NOT keep pace with the fast one: their final clocks end"
                    + " %.0f %% below it (gap between final clocks %s on average).",
                100 * (1 - lo / hi),
                one(gap));
    return String.format(
        Locale.ROOT,
        "**\"With fixed rates (3, 5, 2) and the 10-sided die every machine ends a run"
            + " near 5 x its seconds in logical time.\"** Our %d live runs of %.0f s end at %s on average"
            + " (VMs at 3, 5, 2 ticks/s): every machine is within %.0f %% of %.0f. %s%s%n%n",
        runs,
        seconds,
        Arrays.stream(mean).mapToObj(Numbers::whole).collect(Collectors.joining(" / ")),
        worst * 100,
        expected,
        verdict,
        pace);
  }

  /** The slow-machine claim against the long run: does the queue keep growing? */
  static String slowClaim(
      double stopShort,
      double secondsShort,
      String engine,
      double secondsLong,
      int stopLong,
      double maxLong,
      boolean growingLong,
      double arrivalRate) {
    boolean keepsGrowing = growingLong && stopLong > 5 * stopShort && stopLong > 5;
    String numbers =
        String.format(
            Locale.ROOT,
            "The claims plan's %s run of %.0f s (the same configuration and"
                + " seed) ended with %d queued (max %.0f), about %s messages per minute, against %s after %.0f s: ",
            engine,
            secondsLong,
            stopLong,
            maxLong,
            one(stopLong / (secondsLong / 60)),
            one(stopShort),
            secondsShort);
    return numbers
        + (keepsGrowing
            ? "it keeps growing, so we agree: the growth is unbounded, but slow (the arrival rate exceeds the service"
                + " rate by only about "
                + percent(arrivalRate - 1)
                + " of a message per second).\n\n"
            : "it does NOT keep growing, so here we disagree.\n\n");
  }
}
