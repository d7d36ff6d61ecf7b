package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.two;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.render.Table;

/**
 * Whether simulated runs behave like live runs of the same configuration, judged on runs with
 * <em>different</em> seeds. A seed fixes each VM's rate and die rolls in both engines, so a live
 * and a simulated run of one seed share most of what they measure and would agree largely by
 * construction; here the live runs use one set of seeds and the simulation another (disjoint), and
 * what is compared is the <em>distribution</em> over runs of each per-run measure. Runs that share
 * a seed are refused, not compared.
 *
 * <p><b>The statistic.</b> For each variant and measure, the two-sample Kolmogorov–Smirnov test
 * ({@link TwoSampleKs}) on the per-run values, live against simulated, with its exact permutation
 * p-value. Why this one: it makes no assumption about the shape of the distributions (per-run
 * maxima are skewed and integer-valued, and the rates a seed draws make them multi-modal), it
 * detects any difference (location, spread or shape) rather than only a shift of the mean, and its
 * exact permutation p-value is valid for the handful of live runs a test can afford and with ties,
 * where the asymptotic formula is not. Simulated runs cost milliseconds, so the simulation's side
 * may hold many more runs than the live side; the test's power is then bounded by the live runs.
 *
 * <p><b>The threshold.</b> The family of comparisons (every variant and measure of one table) is
 * held to a family-wise error of {@link #ALPHA} = 0.05 by Bonferroni: a comparison fails when its p
 * is below {@code ALPHA / M}, M being the number of comparisons that could reach a p below ALPHA at
 * all (a comparison whose smallest reachable p is ALPHA or more can never fail, so it cannot add a
 * false failure; a simple form of Tarone's refinement). Bonferroni because the measures of one run
 * are strongly dependent (a slow VM raises jumps, queues and drift together), and it holds under
 * any dependence; and each row's verdict then reads on its own. A comparison whose smallest
 * reachable p is not below the threshold is reported as unable to tell, never as agreement.
 */
public final class Agreement {
  private Agreement() {}

  /** The family-wise error rate of one table of comparisons. */
  public static final double ALPHA = 0.05;

  /** A per-run measure. */
  public enum Measure {
    FINAL_CLOCK(
        "final clock (mean of VMs)",
        m -> m.vms().stream().mapToLong(RunMetrics.VmMetrics::finalClock).average().orElse(0)),
    FINAL_CLOCK_GAP("final clock gap", m -> m.finalClockGap()),
    MEAN_JUMP("mean jump", m -> m.jumps().mean()),
    MAX_JUMP("max jump", m -> m.jumps().max()),
    MAX_QUEUE("max queue", m -> m.queue().max()),
    DRIFT_MEAN("drift mean", m -> m.drift().mean());

    private final String label;
    private final ToDoubleFunction<RunMetrics> of;

    Measure(String label, ToDoubleFunction<RunMetrics> of) {
      this.label = label;
      this.of = of;
    }

    public String label() {
      return label;
    }

    double[] values(List<Run> runs) {
      return runs.stream().map(Run::metrics).mapToDouble(of).toArray();
    }
  }

  /** One run of a variant: its seed and its metrics. */
  public record Run(long seed, RunMetrics metrics) {}

  /** What a comparison shows. */
  public enum Verdict {
    /** p below the threshold: the distributions differ. */
    DIFFERS,
    /** p at or above the threshold, which it could have gone below: no difference found. */
    NO_DIFFERENCE_FOUND,
    /** Even the most extreme split of these values would not go below the threshold. */
    CANNOT_TELL,
    /** Live and simulated runs share seeds: not an independent comparison, not tested. */
    SAME_SEEDS
  }

  /**
   * One variant and measure.
   *
   * @param live the live runs' values
   * @param sim the simulated runs' values
   * @param liveSeeds the live runs' seeds
   * @param simSeeds the simulated runs' seeds
   * @param ks the test, or null when seeds are shared
   * @param threshold the p below which this comparison fails ({@link #ALPHA} / M)
   */
  public record Row(
      String variant,
      Measure measure,
      double[] live,
      double[] sim,
      List<Long> liveSeeds,
      List<Long> simSeeds,
      TwoSampleKs ks,
      double threshold) {
    public Verdict verdict() {
      if (ks == null) {
        return Verdict.SAME_SEEDS;
      }
      if (ks.minP() >= threshold) {
        return Verdict.CANNOT_TELL;
      }
      return ks.p() < threshold ? Verdict.DIFFERS : Verdict.NO_DIFFERENCE_FOUND;
    }

    /** The seeds both sides used. */
    public List<Long> sharedSeeds() {
      return shared(liveSeeds, simSeeds);
    }
  }

  /** Every variant present in both, every measure, each tested at the family's threshold. */
  public static List<Row> compare(Map<String, List<Run>> live, Map<String, List<Run>> sim) {
    record Pending(
        String variant,
        Measure measure,
        double[] live,
        double[] sim,
        List<Long> liveSeeds,
        List<Long> simSeeds,
        TwoSampleKs ks) {}
    List<Pending> pending = new ArrayList<>();
    for (var e : live.entrySet()) {
      List<Run> s = sim.get(e.getKey());
      if (s == null || s.isEmpty() || e.getValue().isEmpty()) {
        continue;
      }
      List<Long> liveSeeds = e.getValue().stream().map(Run::seed).toList();
      List<Long> simSeeds = s.stream().map(Run::seed).toList();
      boolean independent = shared(liveSeeds, simSeeds).isEmpty();
      for (Measure m : Measure.values()) {
        double[] a = m.values(e.getValue());
        double[] b = m.values(s);
        pending.add(
            new Pending(
                e.getKey(),
                m,
                a,
                b,
                liveSeeds,
                simSeeds,
                independent ? TwoSampleKs.test(a, b) : null));
      }
    }
    long family = pending.stream().filter(p -> p.ks() != null && p.ks().minP() < ALPHA).count();
    double threshold = family == 0 ? ALPHA : ALPHA / family;
    return pending.stream()
        .map(
            p ->
                new Row(
                    p.variant(),
                    p.measure(),
                    p.live(),
                    p.sim(),
                    p.liveSeeds(),
                    p.simSeeds(),
                    p.ks(),
                    threshold))
        .toList();
  }

  /** The rows as a Markdown table, then what they show, computed from them. */
  public static String markdown(List<Row> rows) {
    Table table =
        new Table(
            "variant",
            "measure",
            "live runs (seeds)",
            "sim runs (seeds)",
            "live median (range)",
            "sim median (range)",
            "KS D",
            "p",
            "smallest reachable p",
            "verdict");
    for (Row r : rows) {
      table.row(
          r.variant(),
          r.measure().label(),
          r.live().length + " (" + seeds(r.liveSeeds()) + ")",
          r.sim().length + " (" + seeds(r.simSeeds()) + ")",
          spread(r.live()),
          spread(r.sim()),
          r.ks() == null ? "-" : two(r.ks().d()),
          r.ks() == null ? "-" : p(r.ks().p()),
          r.ks() == null ? "-" : p(r.ks().minP()),
          switch (r.verdict()) {
            case DIFFERS -> "**differs**";
            case NO_DIFFERENCE_FOUND -> "no difference found";
            case CANNOT_TELL -> "cannot tell";
            case SAME_SEEDS -> "same seeds: not compared";
          });
    }
    StringBuilder md = new StringBuilder(table.markdown()).append('\n');
    md.append(conclusion(rows));
    return md.toString();
  }

  /** What the rows show, in their negative form when they do not support agreement. */
  static String conclusion(List<Row> rows) {
    if (rows.isEmpty()) {
      return "No variant was run both live and simulated: nothing to compare.\n";
    }
    StringBuilder md = new StringBuilder();
    List<Row> same = of(rows, Verdict.SAME_SEEDS);
    List<Row> differs = of(rows, Verdict.DIFFERS);
    List<Row> none = of(rows, Verdict.NO_DIFFERENCE_FOUND);
    List<Row> cannot = of(rows, Verdict.CANNOT_TELL);
    double threshold = rows.get(0).threshold();
    if (!same.isEmpty()) {
      md.append(
          String.format(
              Locale.ROOT,
              "Live and simulated runs share seeds in %s: they repeat the same rates and die rolls,"
                  + " so they would agree largely by construction, and are NOT compared (simulate"
                  + " other seeds, e.g. `experiment --sim --seed 3026`).%n",
              String.join(
                  ", ",
                  same.stream()
                      .map(r -> r.variant() + " (seeds " + seeds(r.sharedSeeds()) + ")")
                      .distinct()
                      .toList())));
    }
    if (!differs.isEmpty()) {
      md.append(
          String.format(
              Locale.ROOT,
              "The simulation does NOT reproduce the live runs on %d of %d comparisons"
                  + " (threshold p < %s, family-wise %.2f):%n",
              differs.size(),
              rows.size() - same.size(),
              p(threshold),
              ALPHA));
      for (Row r : differs) {
        md.append(
            String.format(
                Locale.ROOT,
                "- %s: the simulation's distribution of %s differs from the live runs' (KS D=%s,"
                    + " p=%s; live median %s, simulated %s).%n",
                r.variant(),
                r.measure().label(),
                two(r.ks().d()),
                p(r.ks().p()),
                two(median(r.live())),
                two(median(r.sim()))));
      }
    }
    if (!none.isEmpty()) {
      double maxD = none.stream().mapToDouble(r -> r.ks().d()).max().orElseThrow();
      double minP = none.stream().mapToDouble(r -> r.ks().p()).min().orElseThrow();
      double reach = none.stream().mapToDouble(r -> r.ks().minP()).max().orElseThrow();
      md.append(
          String.format(
              Locale.ROOT,
              "%s %d comparisons the test finds no difference between the simulation's"
                  + " distribution and the live runs' (largest D %s, smallest p %s, threshold %s)."
                  + " Each could have failed: the most extreme split of its runs would give p ≤ %s."
                  + " This rules out only differences large enough for %s live runs to reveal.%n",
              differs.isEmpty() && cannot.isEmpty() && same.isEmpty() ? "On all" : "On",
              none.size(),
              two(maxD),
              p(minP),
              p(threshold),
              p(reach),
              runsLabel(none)));
    }
    if (!cannot.isEmpty()) {
      md.append(
          String.format(
              Locale.ROOT,
              "%d comparisons cannot tell (too few runs or too many ties: even the most extreme"
                  + " split of their values would not give p < %s), so nothing is concluded about"
                  + " them: %s.%n",
              cannot.size(),
              p(threshold),
              String.join(
                  ", ",
                  cannot.stream().map(r -> r.variant() + " " + r.measure().label()).toList())));
    }
    return md.toString();
  }

  private static String runsLabel(List<Row> rows) {
    int least = rows.stream().mapToInt(r -> r.live().length).min().orElse(0);
    int most = rows.stream().mapToInt(r -> r.live().length).max().orElse(0);
    return least == most ? "" + least : least + "–" + most;
  }

  private static List<Row> of(List<Row> rows, Verdict v) {
    return rows.stream().filter(r -> r.verdict() == v).toList();
  }

  static List<Long> shared(List<Long> a, List<Long> b) {
    TreeSet<Long> s = new TreeSet<>(a);
    s.retainAll(b);
    return List.copyOf(s);
  }

  /** "1..4" for consecutive seeds, else the list. */
  static String seeds(List<Long> seeds) {
    TreeSet<Long> s = new TreeSet<>(seeds);
    if (s.isEmpty()) {
      return "";
    }
    if (s.size() > 2 && s.last() - s.first() == s.size() - 1) {
      return s.first() + ".." + s.last();
    }
    return String.join(", ", s.stream().map(String::valueOf).toList());
  }

  /** A p-value: four decimals, or scientific when smaller. */
  static String p(double p) {
    return p >= 0.0001
        ? String.format(Locale.ROOT, "%.4f", p)
        : String.format(Locale.ROOT, "%.1e", p);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String spread(double[] values) {
    double min = Arrays.stream(values).min().orElse(Double.NaN);
    double max = Arrays.stream(values).max().orElse(Double.NaN);
    return two(median(values)) + " (" + two(min) + "–" + two(max) + ")";
  }
}
