package logicalclocks.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.render.Report;
import logicalclocks.config.LocalConfig;
import logicalclocks.node.LocalCluster;
import logicalclocks.sim.Simulation;

/** Runs the variants of a plan, analyzes every run, and writes summary.md and summary.csv. */
public final class Experiment {
  /** How runs are executed. */
  public enum Engine {
    /** Real gRPC between VMs in this JVM, real time: the ground truth. */
    LIVE,
    /** Discrete-event simulation of the same VM code: milliseconds per run, deterministic. */
    SIM
  }

  /**
   * One finished run.
   *
   * @param variant its variant
   * @param run index, from 0
   * @param seed its seed
   * @param metrics its analysis
   */
  public record RunResult(Variant variant, int run, long seed, RunMetrics metrics) {}

  private final Engine engine;
  private final Path out;
  private final int basePort;
  private final Duration simDelay;

  public Experiment(Engine engine, Path out, int basePort, Duration simDelay) {
    this.engine = engine;
    this.out = out;
    this.basePort = basePort;
    this.simDelay = simDelay;
  }

  /** Runs every run of every variant; {@code progress} hears about each run before it starts. */
  public List<RunResult> run(List<Variant> plan, Consumer<String> progress) throws Exception {
    List<RunResult> results = new ArrayList<>();
    for (Variant v : plan) {
      for (int i = 0; i < v.runs(); i++) {
        long seed = v.seed() + i;
        progress.accept(v.name() + " run " + (i + 1) + "/" + v.runs());
        Path runDir = out.resolve(v.name()).resolve("run-" + (i + 1));
        Path logs = runDir.resolve("logs");
        Files.createDirectories(logs);
        execute(v, seed, logs);
        Analyzer.Result analysis =
            Report.write(
                logs,
                v.name()
                    + " run "
                    + (i + 1)
                    + " (seed "
                    + seed
                    + ", "
                    + engine.name().toLowerCase(Locale.ROOT)
                    + ")",
                runDir.resolve("report"));
        results.add(new RunResult(v, i, seed, analysis.metrics()));
      }
    }
    progress.accept(null);
    Summary.write(results, engine, out);
    return results;
  }

  /**
   * A live run takes a snapshot this often (VM 0 initiating): the notebook's global-states section
   * asks of each whether its state ever held at one wall-clock instant.
   */
  static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(5);

  private void execute(Variant v, long seed, Path logs) throws Exception {
    Duration duration = Duration.ofSeconds(v.durationSeconds());
    if (engine == Engine.SIM) {
      Simulation.run(new Simulation.Config(v.model(seed), duration, seed, simDelay), logs);
      return;
    }
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(basePort, duration, v.model(seed), logs, SNAPSHOT_EVERY),
            seed,
            Clock.systemUTC());
    try {
      cluster.start();
      cluster.awaitFinished();
    } finally {
      cluster.stop("finished");
    }
  }

  static void writeString(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
