package logicalclocks.experiment;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.log.EventLogReader;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * An experiment's runs, loaded once: its {@code summary.csv} (read with Commons CSV, by column
 * name) names the runs, and each run's logs are analyzed again, so every number in the notebook
 * comes from the logs.
 *
 * @param variants each variant's runs, in the order of the summary
 */
public record Results(Map<String, List<Results.Run>> variants) {
  /** One run of one variant. */
  public record Run(String variant, int index, long seed, Analyzer.Result result, Path logs) {
    /** A run whose logs are not at hand (tests). */
    public Run(String variant, int index, long seed, Analyzer.Result result) {
      this(variant, index, seed, result, null);
    }

    public RunMetrics m() {
      return result.metrics();
    }
  }

  /** No runs (an engine that was not given). */
  public static final Results NONE = new Results(Map.of());

  public static Results load(Path experiment) throws IOException, EventLogReader.BadLogException {
    Map<String, List<Run>> out = new LinkedHashMap<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader in = Files.newBufferedReader(experiment.resolve("summary.csv"))) {
      for (CSVRecord row : format.parse(in)) {
        String variant = row.get("variant");
        int run = Integer.parseInt(row.get("run"));
        Path logs = experiment.resolve(variant).resolve("run-" + run).resolve("logs");
        out.computeIfAbsent(variant, k -> new ArrayList<>())
            .add(
                new Run(
                    variant, run, Long.parseLong(row.get("seed")), Analyzer.analyze(logs), logs));
      }
    }
    return new Results(out);
  }

  /** A variant's runs, or null when it was not run. */
  public List<Run> runs(String variant) {
    return variants.get(variant);
  }

  public boolean has(String variant) {
    return variants.containsKey(variant);
  }

  public boolean isEmpty() {
    return variants.isEmpty();
  }

  /** Every run of every variant. */
  public List<Run> all() {
    return variants.values().stream().flatMap(List::stream).toList();
  }

  /** Each variant's runs with their seeds, for {@link Agreement}. */
  public Map<String, List<Agreement.Run>> seeded() {
    Map<String, List<Agreement.Run>> out = new LinkedHashMap<>();
    variants.forEach(
        (k, v) -> out.put(k, v.stream().map(r -> new Agreement.Run(r.seed(), r.m())).toList()));
    return out;
  }

  /** The mean over runs of a metric. */
  static double avg(List<Run> runs, ToDoubleFunction<RunMetrics> fn) {
    return runs.stream().map(Run::m).mapToDouble(fn).average().orElse(0);
  }

  /** The largest over runs of a metric. */
  static double max(List<Run> runs, ToDoubleFunction<RunMetrics> fn) {
    return runs.stream().map(Run::m).mapToDouble(fn).max().orElse(0);
  }

  /** A built-in variant's description, or its name for a variant of a plan file. */
  static String description(String variant) {
    List<Variant> known = new ArrayList<>(Variant.assignment(1, 60, 0));
    known.addAll(Variant.claims(1, 60, 0));
    return known.stream()
        .filter(v -> v.name().equals(variant))
        .map(Variant::description)
        .findFirst()
        .orElse(variant);
  }
}
