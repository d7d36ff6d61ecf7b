package logicalclocks.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.Series;
import logicalclocks.analysis.render.Charts;

/**
 * Writes the engineering notebook from experiment folders: the runs are loaded once into {@link
 * Results} (every number comes from their logs, re-analyzed), and each section is rendered by its
 * own small class ({@link VariantSection}, {@link Takeaways}, {@link QueueModelSection}, {@link
 * ClaimsSection}, {@link SweepSection}) whose prose is computed from those numbers.
 */
public final class Notebook {
  private Notebook() {}

  /**
   * @param simVsLive the sim-vs-live test's own table, quoted as it is, or null
   */
  public static void write(Path live, Path sim, Path sweep, Path simVsLive, Path out, Path assetDir)
      throws Exception {
    write(live, sim, sweep, null, simVsLive, out, assetDir);
  }

  /**
   * @param clocks the clock sweeps' folder ({@code sweep --clocks}), or null
   */
  public static void write(
      Path live, Path sim, Path sweep, Path clocks, Path simVsLive, Path out, Path assetDir)
      throws Exception {
    Results liveRuns = Results.load(live);
    Results simRuns = sim == null ? Results.NONE : Results.load(sim);
    Files.createDirectories(assetDir);
    Assets assets =
        new Assets(
            assetDir,
            out.toAbsolutePath().getParent().relativize(assetDir.toAbsolutePath()).toString());
    StringBuilder md =
        new StringBuilder(
            intro(liveRuns, sim != null ? simRuns : null, sweep != null, clocks != null));
    md.append(sideBySide(liveRuns, simRuns, simVsLive));
    md.append(Takeaways.render(liveRuns)).append('\n');
    List<Results.Run> base = liveRuns.runs("baseline");
    for (var e : liveRuns.variants().entrySet()) {
      md.append(variant(e.getKey(), e.getValue(), base, assets));
    }
    if (base != null) {
      md.append(baselineFigures(base.get(0), assets));
    }
    md.append(CausalitySection.render(liveRuns));
    md.append(GlobalStatesSection.render(liveRuns));
    md.append(QueueModelSection.render(liveRuns));
    md.append(ClaimsSection.render(liveRuns, simRuns));
    if (sweep != null) {
      md.append(sweep(sweep, assets));
    }
    if (clocks != null) {
      md.append(clocks(clocks, assets));
    }
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
  }

  /** Where charts go, and the path the notebook links them by. */
  record Assets(Path dir, String rel) {
    /** Writes a chart and returns its Markdown image line. */
    String figure(String file, String alt, String svg) throws IOException {
      Files.writeString(dir.resolve(file), svg);
      return "![" + alt + "](" + rel + "/" + file + ")\n";
    }

    /** Copies a chart made elsewhere and returns its Markdown image line. */
    String copy(Path from, String alt) throws IOException {
      Files.copy(from, dir.resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      return "![" + alt + "](" + rel + "/" + from.getFileName() + ")\n";
    }
  }

  /**
   * The commands that regenerate every number of the notebook (docs/experiments.md shows them too).
   */
  static final String RECIPE =
      """
        ```bash
        ./mvnw -q package -DskipTests
        java -jar target/logical-clocks.jar experiment --live --plan all --out reports/experiment-live   # 35 runs x 60 s + 1 x 600 s: ~46 min
        java -jar target/logical-clocks.jar experiment --sim  --plan all --runs 40 --seed 3026 --out reports/experiment-sim   # 40 other seeds a variant, simulated
        java -jar target/logical-clocks.jar sweep --out reports/sweep                                   # 162 simulated runs: seconds
        java -jar target/logical-clocks.jar sweep --clocks --out reports/sweep-clocks                   # skew and delay, 36 simulated runs: seconds
        ./mvnw test -Dtest=SimVsLiveTest -Dlc.simVsLive.seeds=5 -Dlc.simVsLive.seconds=30                # 5 live seeds against 40 simulated: target/sim-vs-live/agreement.md
        java -jar target/logical-clocks.jar notebook --live reports/experiment-live --sim reports/experiment-sim \\
            --sweep reports/sweep --clocks reports/sweep-clocks --sim-vs-live target/sim-vs-live/agreement.md \\
            --out notebook.md
        """;

  /** The title, what the notebook is made from, how to regenerate it, and the design decisions. */
  static String intro(Results live, Results sim, boolean sweep) throws IOException {
    return intro(live, sim, sweep, false);
  }

  static String intro(Results live, Results sim, boolean sweep, boolean clocks) throws IOException {
    String machines =
        live.all().stream()
            .map(r -> r.m().machines())
            .distinct()
            .sorted()
            .map(String::valueOf)
            .collect(Collectors.joining(" or "));
    return "# Engineering notebook: logical-clocks\n\n"
        + "Generated by `logical-clocks notebook` from "
        + live.all().size()
        + " live runs (real gRPC between "
        + machines
        + " VMs in one JVM, real time)"
        + (sim != null ? ", the same configurations simulated " + simSeeds(live, sim) : "")
        + (sweep && clocks
            ? ", a simulated parameter sweep and simulated sweeps of clock skew and network delay"
            : sweep ? ", and a simulated parameter sweep" : "")
        + ". Every table and number below is computed from those runs' logs; nothing is typed by hand.\n\n"
        + """
        ## How to regenerate every number

        """
        + RECIPE
        + """
        ```
        Each run's own report (charts, CSV, metrics.json) is in `reports/experiment-*/<variant>/run-<i>/report/`.
        Live runs repeat their rates and dice (seeded) but not their exact interleaving; simulated runs repeat
        byte for byte. The simulation is run on seeds the live runs do not use (3026.. against 2026..), so that
        comparing the two compares distributions, not the same rates and die rolls twice.

        """
        + design()
        + '\n';
  }

  /** The variants side by side, live and simulated, and how well the simulation agrees. */
  static String sideBySide(Results live, Results sim, Path simVsLive) throws IOException {
    StringBuilder md = new StringBuilder("## The variants side by side (live)\n\n");
    md.append(VariantSection.variantTable(live)).append('\n');
    if (!sim.isEmpty()) {
      md.append(
              "The same variants in simulation, "
                  + simSeeds(live, sim)
                  + " (log-normal message delay, median 1 ms; random start phases):\n\n")
          .append(VariantSection.variantTable(sim))
          .append('\n')
          .append(simAgreement(live, sim))
          .append('\n');
    }
    if (simVsLive != null) {
      md.append(
              "The sim-vs-live test's own numbers (`SimVsLiveTest`, quoted from the file it wrote):\n\n> ")
          .append(Files.readString(simVsLive).strip().replace("\n", "\n> "))
          .append("\n\n");
    }
    return md.toString();
  }

  /** One variant: its runs, the first run's clocks and queues, and what the runs show. */
  static String variant(String name, List<Results.Run> runs, List<Results.Run> base, Assets assets)
      throws IOException {
    Series first = runs.get(0).result().series();
    return "## "
        + name
        + ": "
        + Results.description(name)
        + "\n\n"
        + VariantSection.runTable(runs)
        + '\n'
        + assets.figure(
            name + "-clock.svg",
            name + " clocks",
            Charts.svg(
                Charts.perVm(
                    first, name + " run 1: logical clock vs wall time", "logical clock", false),
                900,
                360))
        + assets.figure(
            name + "-queue.svg",
            name + " queues",
            Charts.svg(
                Charts.perVm(
                    first, name + " run 1: queue length vs wall time", "queued messages", true),
                900,
                280))
        + '\n'
        + VariantSection.observations(name, runs, base)
        + '\n';
  }

  /** The baseline's first run: its first 10 s as a space-time diagram, and its jump sizes. */
  static String baselineFigures(Results.Run run, Assets assets) throws IOException {
    List<Integer> vms = run.m().vms().stream().map(RunMetrics.VmMetrics::vm).toList();
    Series series = run.result().series();
    return "### The baseline's first 10 s as a space-time diagram, and its jump sizes\n\n"
        + assets.figure(
            "baseline-space-time.svg",
            "space-time",
            Charts.svg(Charts.spaceTime(series, vms, 0, 10_000), 1000, 280))
        + assets.figure(
            "baseline-jumps.svg", "jumps", Charts.svg(Charts.jumpHistogram(series), 900, 320))
        + '\n';
  }

  /** The sweep's tables and heat maps, and what they show. */
  static String sweep(Path sweep, Assets assets) throws IOException {
    String sweepMd = Files.readString(sweep.resolve("sweep.md"));
    return "## Sweep: a slow machine against die sides (simulation)\n\n"
        + sweepMd.substring(sweepMd.indexOf('\n') + 1).replace("## ", "### ")
        + '\n'
        + assets.copy(sweep.resolve("sweep-queue.svg"), "sweep: max queue")
        + assets.copy(sweep.resolve("sweep-drift.svg"), "sweep: max drift")
        + '\n'
        + SweepSection.render(Sweep.read(sweep));
  }

  /**
   * The design decisions, their numbers filled in from the code that has them (the text cannot say
   * one thing while the code does another).
   */
  static String design() throws IOException {
    return resource("/logicalclocks/notebook-design.md")
        .replace("{{PAUSE_MS}}", "" + logicalclocks.vm.TickLoop.PAUSE_NANOS / 1_000_000)
        .replace("{{WINDOW}}", "" + logicalclocks.network.Retries.WINDOW)
        .replace("{{QUEUE_CAPACITY}}", "" + logicalclocks.config.ModelConfig.DEFAULT_QUEUE_CAPACITY)
        .replace("{{DRIFT_SAMPLE_MS}}", "" + logicalclocks.analysis.measure.Drift.SAMPLE_MS);
  }

  static String resource(String name) throws IOException {
    try (InputStream in = Notebook.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Live against simulated, per variant, on distributions over disjoint seeds: the same {@link
   * Agreement} test the sim-vs-live test asserts, here computed from this notebook's own runs.
   */
  static String simAgreement(Results live, Results sim) {
    return "Live against simulated, per variant: for each measure, the distribution over the live runs"
        + " against the distribution over the simulated runs (two-sample Kolmogorov–Smirnov, exact"
        + " permutation p; Bonferroni over the table, family-wise "
        + Agreement.ALPHA
        + "; the sim-vs-live test's statistic, computed from these runs):\n\n"
        + Agreement.markdown(Agreement.compare(live.seeded(), sim.seeded()));
  }

  /** Which seeds the simulation used, against the live runs' ones. */
  static String simSeeds(Results live, Results sim) {
    List<Long> liveSeeds = live.all().stream().map(Results.Run::seed).toList();
    List<Long> simSeeds = sim.all().stream().map(Results.Run::seed).toList();
    List<Long> shared = Agreement.shared(liveSeeds, simSeeds);
    String which = "with seeds " + Agreement.seeds(simSeeds);
    if (shared.isEmpty()) {
      return which + ", none of them a live run's";
    }
    return which
        + ", "
        + (shared.size() == Set.copyOf(simSeeds).size() ? "all" : shared.size() + " of them")
        + " the live runs' own (the same rates and die rolls)";
  }

  /** The clock sweeps: skew and delay, their tables, charts and what they show. */
  static String clocks(Path dir, Assets assets) throws IOException {
    String md = Files.readString(dir.resolve("clocks.md"));
    String setup = md.lines().findFirst().orElse("").replaceFirst("^# Clock sweeps: ", "");
    return "## Physical time: clock skew and network delay (simulation)\n\n"
        + "Each VM's clock offset drawn (seeded) from [-S, S] for each skew S, and separately the"
        + " network model's delay D (each copy also waits a uniform jitter of up to D/2), in"
        + " simulation ("
        + setup
        + "; `sweep --clocks`). Time travel: messages RECEIVEd before their SEND by the wall clocks;"
        + " wall order reversed: the share of causally ordered pairs (by vector clocks) whose wall"
        + " times are the wrong way round.\n\n"
        + md.substring(md.indexOf('\n') + 1).strip()
        + "\n\n"
        + assets.copy(dir.resolve("skew.svg"), "what skew does")
        + "\n"
        + assets.copy(dir.resolve("delay.svg"), "what delay does")
        + "\n"
        + ClockSweepSection.render(ClockSweep.read(dir));
  }
}
