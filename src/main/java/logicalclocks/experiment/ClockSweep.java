package logicalclocks.experiment;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.PhysicalMetrics;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.render.Charts;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;
import logicalclocks.sim.Simulation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Two sweeps of physical time in simulation: a skew sweep (each VM's clock offset drawn from [-S,
 * S] ms, for each S) measuring what the wall clocks get wrong and what the hybrid clocks keep
 * bounded; and a weather sweep (the network model's delay D with a uniform jitter of D/2 on each
 * copy, on top of the simulation's own ~1 ms) measuring queues, jumps and drift. Each cell is the
 * mean over several seeds.
 */
public final class ClockSweep {
  private ClockSweep() {}

  /**
   * One skew.
   *
   * @param skewMs the spread S
   * @param timeTravel share of received messages RECEIVEd before their SEND by the wall clocks
   * @param wallReversed share of causally ordered cross-VM pairs whose wall-clock order is reversed
   * @param maxHlcAheadMs largest hybrid {@code l - pt}
   * @param spreadMs how far apart the drawn clocks were (the paper's bound on {@code l - pt})
   * @param maxHlcCounter largest hybrid counter {@code c}
   * @param maxLamportAhead largest Lamport clock minus the VM's own events
   * @param lamportReversed causal pairs the Lamport clocks put in the wrong order (summed)
   * @param hybridReversed causal pairs the hybrid clocks put in the wrong order (summed)
   */
  public record SkewCell(
      long skewMs,
      double timeTravel,
      double wallReversed,
      double maxHlcAheadMs,
      double spreadMs,
      double maxHlcCounter,
      double maxLamportAhead,
      long lamportReversed,
      long hybridReversed) {}

  /**
   * One delay.
   *
   * @param delayMs the network's fixed delay (each copy also waits a uniform jitter of half of it)
   * @param queueMean mean queue length after each tick
   * @param queueMax largest queue
   * @param jumpMean mean clock jump
   * @param jumpMax largest jump
   * @param driftMax largest clock spread across VMs
   */
  public record DelayCell(
      long delayMs,
      double queueMean,
      double queueMax,
      double jumpMean,
      double jumpMax,
      double driftMax) {}

  /** Both sweeps. */
  public record Result(List<SkewCell> skew, List<DelayCell> delay) {}

  public static Result run(
      ModelConfig.Builder base,
      List<Long> skews,
      List<Long> delays,
      int seeds,
      int durationSeconds,
      long seed,
      Path scratch,
      Runnable afterEachRun)
      throws Exception {
    List<ModelConfig> skewModels = new ArrayList<>();
    for (long s : skews) {
      skewModels.add(base.set(Field.CLOCK_SKEW_MS, "" + s).build());
    }
    base.set(Field.CLOCK_SKEW_MS, null);
    List<SkewCell> skewCells = new ArrayList<>();
    for (int i = 0; i < skews.size(); i++) {
      double travel = 0;
      double reversed = 0;
      double ahead = 0;
      double spread = 0;
      double counter = 0;
      double lamport = 0;
      long lamportReversed = 0;
      long hybridReversed = 0;
      for (int k = 0; k < seeds; k++) {
        PhysicalMetrics p =
            run(skewModels.get(i), durationSeconds, seed + k, Simulation.DEFAULT_DELAY, scratch)
                .physical();
        afterEachRun.run();
        travel += p.received() == 0 ? 0 : p.timeTravel() / (double) p.received();
        reversed += p.wallReversedFraction();
        ahead += p.maxHlcAheadMs();
        spread += p.offsetSpreadMs();
        counter += p.maxHlcCounter();
        lamport +=
            p.vms().stream().mapToLong(PhysicalMetrics.VmClock::maxLamportAhead).max().orElse(0);
        lamportReversed += p.lamportReversed();
        hybridReversed += p.hybridReversed();
      }
      skewCells.add(
          new SkewCell(
              skews.get(i),
              travel / seeds,
              reversed / seeds,
              ahead / seeds,
              spread / seeds,
              counter / seeds,
              lamport / seeds,
              lamportReversed,
              hybridReversed));
    }
    List<ModelConfig> delayModels = new ArrayList<>();
    for (long d : delays) {
      delayModels.add(
          base.set(Field.NET_DELAY_MS, "" + d).set(Field.NET_JITTER_MS, "" + d / 2).build());
    }
    base.set(Field.NET_DELAY_MS, null).set(Field.NET_JITTER_MS, null);
    List<DelayCell> delayCells = new ArrayList<>();
    for (int i = 0; i < delays.size(); i++) {
      long d = delays.get(i);
      double qMean = 0;
      double qMax = 0;
      double jMean = 0;
      double jMax = 0;
      double drift = 0;
      for (int k = 0; k < seeds; k++) {
        RunMetrics m =
            run(delayModels.get(i), durationSeconds, seed + k, Simulation.DEFAULT_DELAY, scratch);
        afterEachRun.run();
        qMean += m.queue().mean();
        qMax += m.queue().max();
        jMean += m.jumps().mean();
        jMax += m.jumps().max();
        drift += m.drift().max();
      }
      delayCells.add(
          new DelayCell(
              d, qMean / seeds, qMax / seeds, jMean / seeds, jMax / seeds, drift / seeds));
    }
    return new Result(skewCells, delayCells);
  }

  private static RunMetrics run(
      ModelConfig model, int seconds, long seed, Duration delay, Path scratch) throws Exception {
    Path logs = Files.createTempDirectory(scratch, "run");
    Simulation.run(
        new Simulation.Config(model.withSeed(seed), Duration.ofSeconds(seconds), seed, delay),
        logs);
    RunMetrics m = Analyzer.analyze(logs).metrics();
    if (!m.violations().isEmpty()) {
      throw new IllegalStateException(
          "a simulated run broke a rule (" + m.violations().get(0) + "): not a sweep cell");
    }
    try (var files = Files.list(logs)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(logs);
    return m;
  }

  static final String SKEW_HEADER =
      "skew_ms,time_travel,wall_reversed,max_hlc_ahead_ms,spread_ms,max_hlc_counter,"
          + "max_lamport_ahead,lamport_reversed,hybrid_reversed";
  static final String DELAY_HEADER = "delay_ms,queue_mean,queue_max,jump_mean,jump_max,drift_max";

  /** Writes skew.csv, delay.csv, clocks.md and clocks.html (two charts) into {@code out}. */
  public static void write(Result r, String setup, Path out) throws IOException {
    Files.createDirectories(out);
    StringBuilder skew = new StringBuilder(SKEW_HEADER + "\n");
    for (SkewCell c : r.skew()) {
      skew.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.2f,%.2f,%.2f,%.2f,%d,%d%n",
              c.skewMs(),
              c.timeTravel(),
              c.wallReversed(),
              c.maxHlcAheadMs(),
              c.spreadMs(),
              c.maxHlcCounter(),
              c.maxLamportAhead(),
              c.lamportReversed(),
              c.hybridReversed()));
    }
    Files.writeString(out.resolve("skew.csv"), skew);
    StringBuilder delay = new StringBuilder(DELAY_HEADER + "\n");
    for (DelayCell c : r.delay()) {
      delay.append(
          String.format(
              Locale.ROOT,
              "%d,%.4f,%.2f,%.4f,%.2f,%.2f%n",
              c.delayMs(),
              c.queueMean(),
              c.queueMax(),
              c.jumpMean(),
              c.jumpMax(),
              c.driftMax()));
    }
    Files.writeString(out.resolve("delay.csv"), delay);
    Files.writeString(out.resolve("clocks.md"), markdown(r, setup));
    String skewSvg = Charts.svg(skewChart(r.skew()), 900, 380);
    String delaySvg = Charts.svg(delayChart(r.delay()), 900, 380);
    Files.writeString(out.resolve("skew.svg"), skewSvg);
    Files.writeString(out.resolve("delay.svg"), delaySvg);
    Files.writeString(
        out.resolve("clocks.html"),
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Clock sweeps</title>"
            + "<style>body{font-family:sans-serif;margin:2em;max-width:1000px}svg{max-width:100%;"
            + "height:auto}</style></head><body><h1>Clock sweeps: "
            + setup
            + "</h1><figure id=\"skew\">"
            + skewSvg
            + "</figure><figure id=\"delay\">"
            + delaySvg
            + "</figure></body></html>\n");
  }

  static String markdown(Result r, String setup) {
    StringBuilder md = new StringBuilder("# Clock sweeps: " + setup + "\n\n");
    md.append(
        "| skew S ms | time travel | wall order reversed | hlc l - pt max ms | clocks' spread ms |"
            + " hlc c max | Lamport - own events max | Lamport reversed | hlc reversed |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (SkewCell c : r.skew()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f %% | %.2f %% | %.0f | %.0f | %.1f | %.1f | %d | %d |%n",
              c.skewMs(),
              100 * c.timeTravel(),
              100 * c.wallReversed(),
              c.maxHlcAheadMs(),
              c.spreadMs(),
              c.maxHlcCounter(),
              c.maxLamportAhead(),
              c.lamportReversed(),
              c.hybridReversed()));
    }
    md.append(
        "\n| delay ms (+ jitter up to half) | queue mean | queue max | jump mean | jump max | drift max |\n"
            + "|---|---|---|---|---|---|\n");
    for (DelayCell c : r.delay()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.1f | %.2f | %.1f | %.1f |%n",
              c.delayMs(),
              c.queueMean(),
              c.queueMax(),
              c.jumpMean(),
              c.jumpMax(),
              c.driftMax()));
    }
    return md.append('\n').toString();
  }

  private static JFreeChart skewChart(List<SkewCell> cells) {
    return line(
        "What skew does",
        "clock skew S (ms)",
        "share (%)",
        cells,
        SkewCell::skewMs,
        List.of("time travel", "wall order reversed", "hybrid order reversed"),
        List.of(
            c -> 100 * c.timeTravel(), c -> 100 * c.wallReversed(), c -> 0.0 + c.hybridReversed()));
  }

  private static JFreeChart delayChart(List<DelayCell> cells) {
    return line(
        "What delay does",
        "network delay (ms, plus up to half as jitter)",
        "mean",
        cells,
        DelayCell::delayMs,
        List.of("queue mean", "jump mean"),
        List.of(DelayCell::queueMean, DelayCell::jumpMean));
  }

  private static <T> JFreeChart line(
      String title,
      String x,
      String y,
      List<T> cells,
      java.util.function.ToLongFunction<T> key,
      List<String> names,
      List<ToDoubleFunction<T>> values) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (int i = 0; i < names.size(); i++) {
      XYSeries s = new XYSeries(names.get(i));
      for (T c : cells) {
        s.add(key.applyAsLong(c), values.get(i).applyAsDouble(c));
      }
      data.addSeries(s);
    }
    return ChartFactory.createXYLineChart(
        title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
  }

  /** Reads both sweeps back from a folder written by {@link #write}. */
  public static Result read(Path dir) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    List<SkewCell> skew = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(dir.resolve("skew.csv"))) {
      for (CSVRecord r : format.parse(in)) {
        skew.add(
            new SkewCell(
                Long.parseLong(r.get("skew_ms")),
                Double.parseDouble(r.get("time_travel")),
                Double.parseDouble(r.get("wall_reversed")),
                Double.parseDouble(r.get("max_hlc_ahead_ms")),
                Double.parseDouble(r.get("spread_ms")),
                Double.parseDouble(r.get("max_hlc_counter")),
                Double.parseDouble(r.get("max_lamport_ahead")),
                Long.parseLong(r.get("lamport_reversed")),
                Long.parseLong(r.get("hybrid_reversed"))));
      }
    }
    List<DelayCell> delay = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(dir.resolve("delay.csv"))) {
      for (CSVRecord r : format.parse(in)) {
        delay.add(
            new DelayCell(
                Long.parseLong(r.get("delay_ms")),
                Double.parseDouble(r.get("queue_mean")),
                Double.parseDouble(r.get("queue_max")),
                Double.parseDouble(r.get("jump_mean")),
                Double.parseDouble(r.get("jump_max")),
                Double.parseDouble(r.get("drift_max"))));
      }
    }
    return new Result(skew, delay);
  }
}
