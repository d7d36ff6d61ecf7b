package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.ModelConfig;
import logicalclocks.experiment.Experiment;
import logicalclocks.experiment.Plan;
import logicalclocks.experiment.Summary;
import logicalclocks.experiment.Variant;
import logicalclocks.sim.Simulation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code experiment}: the assignment's study (or a custom plan), every run analyzed, tables across
 * runs.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Run a plan of variants several times each, analyze every run, and write summary.md/.csv.",
      "Plans: assignment (baseline 1..6 & 10 sides; equal rates 3,3,3; rates 3..4; 4-sided die; both), claims"
          + " (fixed 3,5,2; 1,4,4; 1,4,4 once for 10 x the duration), all, or a JSON plan file. Or describe one"
          + " custom variant with the model flags."
    })
final class ExperimentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class EngineChoice {
    @Option(names = "--live", description = "real gRPC, real time (the ground truth)")
    boolean live;

    @Option(names = "--sim", description = "deterministic simulation of the same VM code (default)")
    boolean sim;
  }

  @ArgGroup(exclusive = true)
  EngineChoice engine = new EngineChoice();

  @Option(
      names = "--plan",
      defaultValue = "assignment",
      description = "assignment, claims, all, or a JSON file")
  String plan;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "runs per variant (default ${DEFAULT-VALUE})")
  int runs;

  @Mixin StudyOptions study = new StudyOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (default reports/experiment-<engine>)")
  Path out;

  @Option(
      names = "--base-port",
      defaultValue = "" + ConfigParser.DEFAULT_BASE_PORT,
      description = "live: VM i listens on base port + i (default ${DEFAULT-VALUE})")
  int basePort;

  @Option(
      names = "--sim-delay-ms",
      defaultValue = "" + Simulation.DEFAULT_DELAY_MS,
      paramLabel = "MS",
      description =
          "sim: median delay of the simulated loopback, log-normal (default ${DEFAULT-VALUE});"
              + " network weather (--delay-ms, --loss, ...) comes on top, in both engines")
  int delayMs;

  @Option(names = "--name", description = "custom variant: its name (default custom)")
  String name;

  /** Any of these describes one custom variant instead of a plan. */
  @Mixin ModelOptions model = new ModelOptions();

  List<Variant> variants() throws Exception {
    if (runs < 1 || runs > Variant.MAX_RUNS) {
      throw new ConfigException(
          "--runs", "" + runs, "a number of runs from 1 to " + Variant.MAX_RUNS);
    }
    int duration = study.duration();
    long seed = study.seed;
    if (delayMs < 0 || delayMs > Simulation.MAX_DELAY_MS) {
      throw new ConfigException(
          "--sim-delay-ms", "" + delayMs, "milliseconds from 0 to " + Simulation.MAX_DELAY_MS);
    }
    if (model.anySet()) {
      ModelConfig m = model.builder().build();
      return List.of(
          new Variant(
              name != null ? name : "custom",
              "rates "
                  + m.ratesLabel()
                  + ", "
                  + m.dieSides()
                  + "-sided die"
                  + (m.weather().calm() ? "" : ", " + m.weather().label()),
              m,
              runs,
              duration,
              seed));
    }
    // Weather flags alone put the plan's variants under that weather (a plan variant with weather
    // keys of its own keeps its own).
    logicalclocks.config.WeatherConfig weather = model.weather();
    return planned(runs, duration, seed).stream()
        .map(v -> weather.calm() || !v.model().weather().calm() ? v : v.withWeather(weather))
        .toList();
  }

  private List<Variant> planned(int runs, int duration, long seed) throws Exception {
    return switch (plan) {
      case "assignment" -> Variant.assignment(runs, duration, seed);
      case "claims" -> Variant.claims(runs, duration, seed);
      case "all" -> {
        List<Variant> all = new ArrayList<>(Variant.assignment(runs, duration, seed));
        all.addAll(Variant.claims(runs, duration, seed));
        yield all;
      }
      default -> {
        Path file = Path.of(plan);
        if (!Files.isRegularFile(file)) {
          throw new ConfigException(
              "--plan",
              plan,
              "assignment, claims, all, or a readable JSON plan file"
                  + (Files.exists(file)
                      ? " (" + plan + " is not a file)"
                      : " (no file " + plan + ")"));
        }
        yield Plan.read(file, runs, duration, seed);
      }
    };
  }

  /**
   * The default output folder: {@code experiment-<engine>} for the assignment's plan, with the
   * plan's or custom variant's name after it otherwise, so a custom study never overwrites the
   * assignment's (which the notebook reads).
   */
  String defaultFolder(Experiment.Engine eng) {
    String base = "experiment-" + eng.name().toLowerCase(Locale.ROOT);
    if (model.anySet()) {
      return base + "-" + (name != null ? name : "custom");
    }
    if (plan.equals("assignment")) {
      return base;
    }
    String stem = Path.of(plan).getFileName().toString().replaceFirst("\\.json$", "");
    return base + "-" + stem;
  }

  @Override
  public Integer call() throws Exception {
    List<Variant> plan =
        variants().stream().map(v -> v.withVectorClocks(!model.noVectorClocks)).toList();
    Experiment.Engine eng = engine.live ? Experiment.Engine.LIVE : Experiment.Engine.SIM;
    Path dir = out != null ? out : Path.of("reports", defaultFolder(eng));
    int total = plan.stream().mapToInt(Variant::runs).sum();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    Progress progress =
        new Progress(
            err, "experiment", total, Progress.terminal(), Progress.count(total), System::nanoTime);
    int[] done = {-1};
    long started = System.nanoTime();
    List<Experiment.RunResult> results =
        new Experiment(eng, dir, basePort, Duration.ofMillis(delayMs))
            .run(
                plan,
                what -> {
                  done[0]++;
                  if (what == null) {
                    progress.end(done[0]);
                  } else {
                    progress.step(done[0], what);
                  }
                });
    stdout.print(Summary.variantTable(results));
    stdout.printf(
        Locale.ROOT,
        "%d runs in %.1f s; summary: %s%n",
        results.size(),
        (System.nanoTime() - started) / 1e9,
        dir.resolve("summary.md").toAbsolutePath().normalize());
    stdout.flush();
    return results.stream().allMatch(r -> r.metrics().violations().isEmpty())
        ? 0
        : Main.EXIT_FAILURE;
  }
}
