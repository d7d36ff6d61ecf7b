package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.one;
import static logicalclocks.analysis.measure.Numbers.two;
import static logicalclocks.experiment.Results.avg;
import static logicalclocks.experiment.Results.max;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import logicalclocks.analysis.measure.RunMetrics;

/**
 * The notebook's headline comparisons, each computed from the live runs and said in the negative
 * when they fail.
 */
final class Takeaways {
  private Takeaways() {}

  /** The headline comparisons, each computed from the live runs. */
  static String render(Results live) {
    List<Results.Run> base = live.runs("baseline");
    if (base == null) {
      return "";
    }
    StringBuilder md = new StringBuilder("### What the runs say\n\n");
    String leastDrift =
        live.variants().entrySet().stream()
            .min(Comparator.comparingDouble(e -> avg(e.getValue(), m -> m.drift().mean())))
            .orElseThrow()
            .getKey();
    String mostQueue =
        live.variants().entrySet().stream()
            .max(Comparator.comparingDouble(e -> max(e.getValue(), m -> m.queue().max())))
            .orElseThrow()
            .getKey();
    md.append("- ")
        .append(
            jumpTail(
                avg(base, m -> m.jumps().p50()),
                avg(base, m -> m.jumps().mean()),
                avg(base, m -> m.jumps().p95()),
                max(base, m -> m.jumps().max()),
                VariantSection.slowestCarriesMaxJump(base),
                VariantSection.runsWithOneSlowest(base)));
    List<Results.Run> narrow = live.runs("small-rate-variation");
    if (narrow != null) {
      md.append("- ")
          .append(
              narrowRates(
                  avg(base, m -> m.drift().mean()),
                  avg(narrow, m -> m.drift().mean()),
                  avg(base, RunMetrics::finalClockGap),
                  avg(narrow, RunMetrics::finalClockGap),
                  avg(base, m -> m.jumps().p95()),
                  avg(narrow, m -> m.jumps().p95())));
    }
    List<Results.Run> chatty = live.runs("fewer-internal");
    if (chatty != null) {
      md.append("- ")
          .append(
              fewerInternal(
                  max(chatty, m -> m.queue().max()),
                  max(base, m -> m.queue().max()),
                  avg(chatty, m -> m.drift().mean()),
                  avg(base, m -> m.drift().mean())));
    }
    List<Results.Run> all = live.variants().values().stream().flatMap(List::stream).toList();
    md.append(
        String.format(
            Locale.ROOT,
            "- Least drift: *%s*. Longest queue: *%s*. %s",
            leastDrift,
            mostQueue,
            ruleCheck(
                all.stream().mapToInt(r -> r.m().violations().size()).sum(),
                (int) all.stream().filter(r -> !r.m().violations().isEmpty()).count(),
                all.size())));
    return md.toString();
  }

  /**
   * The baseline's jumps: mostly 1 (median 1) with a tail on the slowest machine, or what they were
   * instead; {@code runs} counts only the runs that have a single slowest VM.
   */
  static String jumpTail(double p50, double mean, double p95, double max, int slowest, int runs) {
    String shape =
        p50 <= 1
            ? String.format(
                Locale.ROOT,
                "In the baseline, clock jumps are mostly 1 (median %s, mean %s) with a tail"
                    + " (p95 %s, max %.0f)",
                two(p50),
                two(mean),
                two(p95),
                max)
            : String.format(
                Locale.ROOT,
                "In the baseline, clock jumps are NOT mostly 1: median %s, mean %s, p95 %s,"
                    + " max %.0f",
                two(p50),
                two(mean),
                two(p95),
                max);
    String where =
        runs == 0
            ? "; no run had a single slowest machine, so nothing is said of where the tail sits."
            : slowest * 2 > runs
                ? String.format(
                    Locale.ROOT,
                    "; the largest jump of a run was on the slowest machine in %d of the %d runs with"
                        + " a single slowest machine: it is dragged forward by its faster peers'"
                        + " timestamps.",
                    slowest,
                    runs)
                : String.format(
                    Locale.ROOT,
                    "; the largest jump of a run was on the slowest machine in only %d of the %d runs"
                        + " with a single slowest machine, so the tail is NOT carried by the slowest"
                        + " machine here.",
                    slowest,
                    runs);
    return shape + where + "\n";
  }

  /** Rates 3..4 against 1..6: does drift at least halve? */
  static String narrowRates(
      double baseDrift,
      double narrowDrift,
      double baseGap,
      double narrowGap,
      double baseP95,
      double narrowP95) {
    String numbers =
        String.format(
            Locale.ROOT,
            "(mean spread %s → %s, final gap %s → %s, jump p95 %s → %s)",
            one(baseDrift),
            one(narrowDrift),
            one(baseGap),
            one(narrowGap),
            two(baseP95),
            two(narrowP95));
    return narrowDrift < baseDrift / 2
        ? "A smaller variation in rates (3..4 instead of 1..6) cuts drift by more than half "
            + numbers
            + ": with similar rates nobody runs far ahead.\n"
        : "A smaller variation in rates (3..4 instead of 1..6) does NOT halve drift here "
            + numbers
            + ".\n";
  }

  /** A 4-sided die against the 10-sided one: longer queues AND more drift, or not. */
  static String fewerInternal(
      double chattyQueue, double baseQueue, double chattyDrift, double baseDrift) {
    String numbers =
        String.format(
            Locale.ROOT,
            "(longest queue %.0f vs %.0f, mean drift %s vs %s)",
            chattyQueue,
            baseQueue,
            one(chattyDrift),
            one(baseDrift));
    if (chattyQueue > baseQueue && chattyDrift > baseDrift) {
      return "Fewer internal events (a 4-sided die: 3 of 4 rolls send) with the same 1..6 rates makes things worse,"
          + " not better "
          + numbers
          + ": slow machines are flooded, and a flooded machine spends its ticks"
          + " receiving old messages, so it falls further behind.\n";
    }
    return "Fewer internal events (a 4-sided die) did NOT make both queues and drift worse than the baseline here "
        + numbers
        + ".\n";
  }

  /** Whether any run broke a rule, with the counts. */
  static String ruleCheck(int violations, int brokenRuns, int runs) {
    return violations == 0
        ? String.format(
            Locale.ROOT,
            "No run broke a clock rule or lost a message (0 violations in %d live runs).%n",
            runs)
        : String.format(
            Locale.ROOT,
            "%d of %d live runs broke a rule (%d violations in all): their reports list"
                + " each one.%n",
            brokenRuns,
            runs,
            violations);
  }
}
