package logicalclocks.experiment;

import java.util.List;
import java.util.Locale;

/**
 * The notebook's reading of the clock sweeps, from their cells: what grows with skew, what the
 * hybrid clocks keep bounded, and at which delay queues take over. Each sentence is computed, and
 * printed in its negative form when the numbers do not support it.
 */
final class ClockSweepSection {
  /** A mean queue above this many messages is a queue that has taken over. */
  static final double QUEUE_TAKES_OVER = 1.0;

  private ClockSweepSection() {}

  static String render(ClockSweep.Result r) {
    StringBuilder md = new StringBuilder();
    List<ClockSweep.SkewCell> skew = r.skew();
    if (skew.size() >= 2) {
      ClockSweep.SkewCell first = skew.get(0);
      ClockSweep.SkewCell last = skew.get(skew.size() - 1);
      md.append(
              grows(
                  skew.stream().mapToDouble(ClockSweep.SkewCell::timeTravel).toArray(),
                  "Time travel (messages RECEIVEd before their SEND by the wall clocks)",
                  first,
                  last,
                  String.format(Locale.ROOT, "%.1f %% of messages", 100 * first.timeTravel()),
                  String.format(Locale.ROOT, "%.1f %%", 100 * last.timeTravel())))
          .append(' ');
      md.append(
              grows(
                  skew.stream().mapToDouble(ClockSweep.SkewCell::wallReversed).toArray(),
                  "The share of causally ordered pairs that the wall clocks put in the wrong order",
                  first,
                  last,
                  String.format(Locale.ROOT, "%.2f %%", 100 * first.wallReversed()),
                  String.format(Locale.ROOT, "%.2f %%", 100 * last.wallReversed())))
          .append("\n\n");
    }
    ClockSweep.SkewCell beyond =
        skew.stream().filter(c -> c.maxHlcAheadMs() > c.spreadMs() + 0.5).findFirst().orElse(null);
    double worstRatio =
        skew.stream()
            .filter(c -> c.spreadMs() > 0)
            .mapToDouble(c -> c.maxHlcAheadMs() / c.spreadMs())
            .max()
            .orElse(0);
    md.append(
        beyond == null
            ? String.format(
                Locale.ROOT,
                "At every skew the hybrid clocks stayed within the clocks' spread, as the paper"
                    + " bounds them: their l - pt reached at most %.0f %% of it (largest counter c"
                    + " %.1f on average over seeds, at most).",
                100 * worstRatio,
                skew.stream().mapToDouble(ClockSweep.SkewCell::maxHlcCounter).max().orElse(0))
            : String.format(
                Locale.ROOT,
                "At skew %d ms the hybrid clocks went BEYOND the clocks' spread: l - pt %.0f ms"
                    + " against %.0f ms.",
                beyond.skewMs(),
                beyond.maxHlcAheadMs(),
                beyond.spreadMs()));
    if (skew.size() >= 2) {
      boolean same =
          skew.stream().mapToDouble(ClockSweep.SkewCell::maxLamportAhead).distinct().count() == 1;
      md.append(
              same
                  ? "Skew changed no logical event: with the same seeds every skew gives the same"
                      + " Lamport figures (skew moves only what the wall clocks say)."
                  : "The Lamport figures differ between skews: something logical depended on the"
                      + " wall clocks.")
          .append(' ');
    }
    long lamport = skew.stream().mapToLong(ClockSweep.SkewCell::lamportReversed).sum();
    long hybrid = skew.stream().mapToLong(ClockSweep.SkewCell::hybridReversed).sum();
    md.append(' ')
        .append(
            lamport == 0 && hybrid == 0
                ? "Neither the Lamport nor the hybrid clocks put a single causal pair in the wrong"
                    + " order at any skew, while the Lamport clocks ran ahead of their own events by"
                    + String.format(
                        Locale.ROOT,
                        " up to %.0f ticks on average",
                        skew.stream()
                            .mapToDouble(ClockSweep.SkewCell::maxLamportAhead)
                            .max()
                            .orElse(0))
                    + " (no bound holds them to physical time)."
                : String.format(
                    Locale.ROOT,
                    "The Lamport clocks put %d causal pairs in the wrong order and the hybrid clocks"
                        + " %d: a clock rule is broken.",
                    lamport,
                    hybrid))
        .append("\n\n");
    List<ClockSweep.DelayCell> delay = r.delay();
    if (!delay.isEmpty()) {
      ClockSweep.DelayCell first = delay.get(0);
      ClockSweep.DelayCell last = delay.get(delay.size() - 1);
      ClockSweep.DelayCell over =
          delay.stream().filter(c -> c.queueMean() > QUEUE_TAKES_OVER).findFirst().orElse(null);
      md.append(
          over == null
              ? String.format(
                  Locale.ROOT,
                  "Queues did not take over at any delay swept (up to %d ms): the mean queue stayed"
                      + " at or below %.0f message (%.2f at %d ms, %.2f at %d ms).",
                  last.delayMs(),
                  QUEUE_TAKES_OVER,
                  first.queueMean(),
                  first.delayMs(),
                  last.queueMean(),
                  last.delayMs())
              : String.format(
                  Locale.ROOT,
                  "Queues take over at a network delay of %d ms: the mean queue first passes %.0f"
                      + " message there (%.2f, against %.2f at %d ms).",
                  over.delayMs(),
                  QUEUE_TAKES_OVER,
                  over.queueMean(),
                  first.queueMean(),
                  first.delayMs()));
      md.append(' ')
          .append(
              last.jumpMean() > first.jumpMean()
                  ? String.format(
                      Locale.ROOT,
                      "Jumps grow with delay: mean %.2f at %d ms, %.2f at %d ms.",
                      first.jumpMean(),
                      first.delayMs(),
                      last.jumpMean(),
                      last.delayMs())
                  : String.format(
                      Locale.ROOT,
                      "Jumps do NOT grow with delay: mean %.2f at %d ms, %.2f at %d ms.",
                      first.jumpMean(),
                      first.delayMs(),
                      last.jumpMean(),
                      last.delayMs()))
          .append("\n\n");
    }
    return md.toString();
  }

  /** Whether {@code values} never fall along the sweep and end above where they began. */
  private static String grows(
      double[] values,
      String what,
      ClockSweep.SkewCell first,
      ClockSweep.SkewCell last,
      String from,
      String to) {
    boolean rising = values[values.length - 1] > values[0];
    for (int i = 1; i < values.length; i++) {
      rising &= values[i] >= values[i - 1];
    }
    return String.format(
        Locale.ROOT,
        "%s %s with skew: %s at %d ms, %s at %d ms.",
        what,
        rising ? "grows" : "does NOT grow steadily",
        from,
        first.skewMs(),
        to,
        last.skewMs());
  }
}
