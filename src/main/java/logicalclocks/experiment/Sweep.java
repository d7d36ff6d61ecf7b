package logicalclocks.experiment;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.render.Charts;
import logicalclocks.config.ModelConfig;
import logicalclocks.sim.Simulation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A parameter sweep in simulation: VM 0 runs at a "slow" rate among peers at a fixed fast rate, for
 * every combination of slow rate and die sides; each cell is the mean over several seeds of the
 * run's max queue and max clock drift.
 */
public final class Sweep {
  /**
   * One cell.
   *
   * @param slowRate VM 0's rate
   * @param dieSides faces of the die
   * @param maxQueue mean over seeds of the largest queue any VM had
   * @param maxDrift mean over seeds of the largest clock spread
   * @param slowQueueAtStop mean over seeds of VM 0's queue at STOP
   */
  public record Cell(
      int slowRate, int dieSides, double maxQueue, double maxDrift, double slowQueueAtStop) {}

  private Sweep() {}

  /**
   * Runs every cell. {@code base} holds the fixed part of the model (machines, queue capacity...)
   * and how the user named each field; each cell sets VM 0's rate, the others' {@code fastRate},
   * the die and the seed. Every cell's model is built (and so checked) before the first run. {@code
   * afterEachRun} hears of each simulated run once it is analysed (a progress bar).
   */
  public static List<Cell> run(
      ModelConfig.Builder base,
      int fastRate,
      List<Integer> slowRates,
      List<Integer> sides,
      int seeds,
      int durationSeconds,
      long seed,
      Path scratch,
      Runnable afterEachRun)
      throws Exception {
    int machines = base.machines();
    Map<List<Integer>, ModelConfig> models = new LinkedHashMap<>();
    for (int s : slowRates) {
      for (int d : sides) {
        List<Integer> rates = new ArrayList<>(Collections.nCopies(machines, fastRate));
        rates.set(0, s);
        models.put(List.of(s, d), base.rates(rates).dieSides(d).build());
      }
    }
    List<Cell> cells = new ArrayList<>();
    for (var cell : models.entrySet()) {
      int s = cell.getKey().get(0);
      int d = cell.getKey().get(1);
      double q = 0;
      double drift = 0;
      double stop = 0;
      for (int k = 0; k < seeds; k++) {
        Path logs = scratch.resolve("slow" + s + "-sides" + d + "-seed" + (seed + k));
        Files.createDirectories(logs);
        Simulation.run(
            new Simulation.Config(
                cell.getValue().withSeed(seed + k),
                Duration.ofSeconds(durationSeconds),
                seed + k,
                Simulation.DEFAULT_DELAY),
            logs);
        RunMetrics m = Analyzer.analyze(logs).metrics();
        afterEachRun.run();
        q += m.queue().max();
        drift += m.drift().max();
        stop += m.vms().get(0).queueAtStop();
      }
      cells.add(new Cell(s, d, q / seeds, drift / seeds, stop / seeds));
    }
    return cells;
  }

  /** Reads the cells back from a sweep folder's sweep.csv (Commons CSV, by column name). */
  public static List<Cell> read(Path dir) throws IOException {
    List<Cell> cells = new ArrayList<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader in = Files.newBufferedReader(dir.resolve("sweep.csv"))) {
      for (CSVRecord row : format.parse(in)) {
        cells.add(
            new Cell(
                Integer.parseInt(row.get("slow_rate")),
                Integer.parseInt(row.get("die_sides")),
                Double.parseDouble(row.get("max_queue")),
                Double.parseDouble(row.get("max_drift")),
                Double.parseDouble(row.get("slow_queue_at_stop"))));
      }
    }
    return cells;
  }

  /** Writes sweep.csv, sweep.md and sweep.html (two heat maps) into {@code out}. */
  public static void write(List<Cell> cells, String setup, Path out) throws Exception {
    Files.createDirectories(out);
    StringBuilder csv =
        new StringBuilder("slow_rate,die_sides,max_queue,max_drift,slow_queue_at_stop\n");
    cells.forEach(
        c ->
            csv.append(
                String.format(
                    Locale.ROOT,
                    "%d,%d,%.2f,%.2f,%.2f%n",
                    c.slowRate(),
                    c.dieSides(),
                    c.maxQueue(),
                    c.maxDrift(),
                    c.slowQueueAtStop())));
    Files.writeString(out.resolve("sweep.csv"), csv);
    List<Integer> sides = cells.stream().map(Cell::dieSides).distinct().sorted().toList();
    List<Integer> slow = cells.stream().map(Cell::slowRate).distinct().sorted().toList();
    StringBuilder md = new StringBuilder("# Sweep: " + setup + "\n\n");
    md.append(grid("Max queue length (mean over seeds)", cells, slow, sides, Cell::maxQueue));
    md.append(grid("Max clock drift (mean over seeds)", cells, slow, sides, Cell::maxDrift));
    Files.writeString(out.resolve("sweep.md"), md);
    List<double[]> q = new ArrayList<>();
    List<double[]> dr = new ArrayList<>();
    for (Cell c : cells) {
      q.add(new double[] {c.slowRate(), sides.indexOf(c.dieSides()), c.maxQueue()});
      dr.add(new double[] {c.slowRate(), sides.indexOf(c.dieSides()), c.maxDrift()});
    }
    String yLabel = "die sides";
    String[] yTicks = sides.stream().map(String::valueOf).toArray(String[]::new);
    String queueSvg =
        Charts.svg(
            Charts.heatMap(
                "Max queue length", "slow VM rate (ticks/s)", yLabel, yTicks, "max queue", q),
            900,
            420);
    String driftSvg =
        Charts.svg(
            Charts.heatMap(
                "Max clock drift", "slow VM rate (ticks/s)", yLabel, yTicks, "max drift", dr),
            900,
            420);
    Files.writeString(out.resolve("sweep-queue.svg"), queueSvg);
    Files.writeString(out.resolve("sweep-drift.svg"), driftSvg);
    String html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep</title><style>"
            + "body{font-family:sans-serif;margin:2em;max-width:1000px}svg{max-width:100%;height:auto}</style></head><body>"
            + "<h1>Sweep: "
            + setup
            + "</h1>"
            + "<figure id=\"heatmap-queue\">"
            + queueSvg
            + "</figure>"
            + "<figure id=\"heatmap-drift\">"
            + driftSvg
            + "</figure>"
            + "</body></html>\n";
    Files.writeString(out.resolve("sweep.html"), html);
  }

  static String grid(
      String title,
      List<Cell> cells,
      List<Integer> slow,
      List<Integer> sides,
      ToDoubleFunction<Cell> value) {
    StringBuilder md = new StringBuilder("## " + title + "\n\n| slow rate \\ die sides |");
    sides.forEach(d -> md.append(' ').append(d).append(" |"));
    md.append("\n|---|").append("---|".repeat(sides.size())).append('\n');
    for (int s : slow) {
      md.append("| ").append(s).append(" |");
      for (int d : sides) {
        cells.stream()
            .filter(c -> c.slowRate() == s && c.dieSides() == d)
            .findFirst()
            .ifPresent(
                c -> md.append(String.format(Locale.ROOT, " %.1f |", value.applyAsDouble(c))));
      }
      md.append('\n');
    }
    return md.append('\n').toString();
  }
}
