package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.one;
import static logicalclocks.analysis.measure.Numbers.two;
import static logicalclocks.experiment.Results.avg;
import static logicalclocks.experiment.Results.max;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.RunMetrics.VmMetrics;

/**
 * The notebook's per-variant sections: the table across variants, each variant's runs, and what
 * they show.
 */
final class VariantSection {
  private VariantSection() {}

  static String variantTable(Results runs) {
    StringBuilder md =
        new StringBuilder(
            "| variant | setup | runs | jump mean | jump p95 | jump max | drift mean"
                + " | drift max | final clock gap | queue mean | queue max | dropped | violations |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var e : runs.variants().entrySet()) {
      List<Results.Run> rs = e.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %s | %.0f | %s | %.0f | %s | %s | %.0f | %d | %d |%n",
              e.getKey(),
              Results.description(e.getKey()),
              rs.size(),
              two(avg(rs, m -> m.jumps().mean())),
              two(avg(rs, m -> m.jumps().p95())),
              max(rs, m -> m.jumps().max()),
              two(avg(rs, m -> m.drift().mean())),
              max(rs, m -> m.drift().max()),
              one(avg(rs, RunMetrics::finalClockGap)),
              two(avg(rs, m -> m.queue().mean())),
              max(rs, m -> m.queue().max()),
              rs.stream().mapToLong(r -> r.m().dropped()).sum(),
              rs.stream().mapToInt(r -> r.m().violations().size()).sum()));
    }
    return md.toString();
  }

  static String runTable(List<Results.Run> runs) {
    StringBuilder md =
        new StringBuilder(
            "| run | seed | rates | final clocks | gap | jump mean | jump p95 | jump max"
                + " | drift mean | drift max | queue mean | queue max (VM) | queue at STOP | predicted unstable | observed growing |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Results.Run r : runs) {
      RunMetrics m = r.m();
      VmMetrics worst =
          m.vms().stream().max(Comparator.comparingDouble(v -> v.queue().max())).orElseThrow();
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %s | %d | %s | %.0f | %.0f | %s | %.0f | %s | %.0f (VM %d) | %s | %s | %s |%n",
              r.index(),
              r.seed(),
              m.vms().stream().map(v -> "" + v.rate()).collect(Collectors.joining("/")),
              m.vms().stream().map(v -> "" + v.finalClock()).collect(Collectors.joining("/")),
              m.finalClockGap(),
              two(m.jumps().mean()),
              m.jumps().p95(),
              m.jumps().max(),
              one(m.drift().mean()),
              m.drift().max(),
              two(m.queue().mean()),
              worst.queue().max(),
              worst.vm(),
              m.vms().stream().map(v -> "" + v.queueAtStop()).collect(Collectors.joining("/")),
              list(m, v -> !v.model().predictedStable()),
              list(m, v -> v.model().observedGrowing())));
    }
    return md.toString();
  }

  static String list(RunMetrics m, Predicate<VmMetrics> p) {
    String s =
        m.vms().stream().filter(p).map(v -> "VM " + v.vm()).collect(Collectors.joining(", "));
    return s.isEmpty() ? "-" : s;
  }

  /** In how many runs the largest jump was on a slowest VM. */
  static int slowestCarriesMaxJump(List<Results.Run> runs) {
    int count = 0;
    for (Results.Run r : runs) {
      int minRate = r.m().vms().stream().mapToInt(VmMetrics::rate).min().orElse(0);
      double maxJump = r.m().vms().stream().mapToDouble(v -> v.jumps().max()).max().orElse(0);
      if (oneSlowest(r)
          && r.m().vms().stream()
              .anyMatch(v -> v.rate() == minRate && v.jumps().max() == maxJump)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Whether exactly one VM of a run has the lowest rate: only then can "the slowest machine" carry
   * anything (with equal rates every VM would be "slowest", and a count of them could not fail).
   */
  static boolean oneSlowest(Results.Run r) {
    int minRate = r.m().vms().stream().mapToInt(VmMetrics::rate).min().orElse(0);
    return r.m().vms().stream().filter(v -> v.rate() == minRate).count() == 1;
  }

  /** The runs that have exactly one slowest VM. */
  static int runsWithOneSlowest(List<Results.Run> runs) {
    return (int) runs.stream().filter(VariantSection::oneSlowest).count();
  }

  /** Why the largest jumps sit where they do, said only when most runs show it. */
  static String slowestExplanation(int slowest, int runs) {
    if (runs == 0) {
      return "";
    }
    return slowest * 2 > runs
        ? " (a slow VM receives clocks that ran ahead of it)"
        : " (so the largest jumps were NOT mostly on the slowest machine here)";
  }

  /** Where the largest jump of each run fell, over the runs that have one slowest VM. */
  static String whereTheLargestJumpFell(int slowest, int withOneSlowest) {
    return withOneSlowest == 0
        ? "no run had a single slowest VM (tied rates), so nothing is said of where the largest"
            + " jump fell"
        : String.format(
            Locale.ROOT,
            "the largest jump of a run was on its slowest VM in %d of the %d runs that had a"
                + " single slowest VM%s",
            slowest,
            withOneSlowest,
            slowestExplanation(slowest, withOneSlowest));
  }

  static String observations(String name, List<Results.Run> runs, List<Results.Run> base) {
    StringBuilder md = new StringBuilder("**Observations.** ");
    int slowestHasMaxJump = slowestCarriesMaxJump(runs);
    md.append(
        String.format(
            Locale.ROOT,
            "*Jumps*: mean %s, p95 %s, largest %.0f; %s. ",
            two(avg(runs, m -> m.jumps().mean())),
            two(avg(runs, m -> m.jumps().p95())),
            max(runs, m -> m.jumps().max()),
            whereTheLargestJumpFell(slowestHasMaxJump, runsWithOneSlowest(runs))));
    md.append(
        String.format(
            Locale.ROOT,
            "*Drift and gaps*: the clocks' spread averaged %s (max %.0f), and the"
                + " final clocks ended %s apart on average. ",
            one(avg(runs, m -> m.drift().mean())),
            max(runs, m -> m.drift().max()),
            one(avg(runs, RunMetrics::finalClockGap))));
    long growing =
        runs.stream()
            .mapToLong(r -> r.m().vms().stream().filter(v -> v.model().observedGrowing()).count())
            .sum();
    md.append(
        String.format(
            Locale.ROOT,
            "*Queues*: mean length %s, longest %.0f; %d VM-run(s) ended with a queue"
                + " still growing. ",
            two(avg(runs, m -> m.queue().mean())),
            max(runs, m -> m.queue().max()),
            growing));
    if (base != null && runs != base) {
      md.append(
          String.format(
              Locale.ROOT,
              "*Against the baseline*: mean jump %s → %s, drift mean %s → %s, longest"
                  + " queue %.0f → %.0f.",
              two(avg(base, m -> m.jumps().mean())),
              two(avg(runs, m -> m.jumps().mean())),
              one(avg(base, m -> m.drift().mean())),
              one(avg(runs, m -> m.drift().mean())),
              max(base, m -> m.queue().max()),
              max(runs, m -> m.queue().max())));
    }
    return md.append('\n').toString();
  }
}
