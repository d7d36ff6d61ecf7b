package logicalclocks.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import logicalclocks.analysis.measure.Ledger;
import logicalclocks.analysis.measure.Measures;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.Series;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.stream.HostTime;
import logicalclocks.analysis.stream.LineSource;
import logicalclocks.analysis.stream.Pass;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.log.LogCursor;
import logicalclocks.log.SnapshotFiles;

/**
 * Turns a run's logs into its verdict, metrics and series in one pass over the events ({@link
 * Pass}): the verifier (which settles every message's fate), the ledger, the measures and any
 * further consumer (e.g. the report's CSV files) read each line once, in memory bounded by the
 * number of VMs and the messages not yet settled.
 */
public final class Analyzer {
  private Analyzer() {}

  /** Metrics and series of one run. */
  /**
   * @param snapshots the run's snapshot records, tallied as the pass read them (none when it was
   *     given no folder)
   */
  public record Result(RunMetrics metrics, Series series, SnapshotFiles.Tally snapshots) {
    /** A result with no snapshot records. */
    public Result(RunMetrics metrics, Series series) {
      this(metrics, series, SnapshotFiles.tally(java.util.Map.of()));
    }
  }

  /**
   * What else the pass feeds: each event's point, each message's final row, each drift sample (as
   * the pass passes it: drift.csv).
   */
  public record Outputs(
      List<Consumer<Series.Point>> points,
      List<Consumer<Series.Msg>> messages,
      List<EventConsumer> more,
      List<Consumer<Series.DriftSample>> drift) {
    public static final Outputs NONE = new Outputs(List.of(), List.of(), List.of(), List.of());

    public Outputs(
        List<Consumer<Series.Point>> points,
        List<Consumer<Series.Msg>> messages,
        List<EventConsumer> more) {
      this(points, messages, more, List.of());
    }
  }

  /** Analyses logs already in memory (tests, small runs): the same pass. */
  public static Result analyze(SortedMap<Integer, List<Line>> logs) {
    SortedMap<Integer, LineSource> sources = new TreeMap<>();
    logs.forEach((id, lines) -> sources.put(id, LineSource.of(lines)));
    try {
      return analyze(sources, Outputs.NONE);
    } catch (BadLogException e) {
      throw new AssertionError(e); // lines in memory are parsed already
    }
  }

  /** Analyses the {@code machine_<id>.log} files of {@code dir}, reading each once. */
  public static Result analyze(Path dir) throws BadLogException {
    return analyze(dir, Outputs.NONE);
  }

  public static Result analyze(Path dir, Outputs outputs) throws BadLogException {
    SortedMap<Integer, LineSource> sources = open(dir);
    try {
      return analyze(sources, outputs, dir);
    } finally {
      sources.values().forEach(LineSource::close);
    }
  }

  /**
   * The snapshot records of a log folder, by where they are ({@code snapshots/<id>.json}): each
   * record, or, for one that cannot be read, the reason (a String).
   */
  public static java.util.Map<String, Object> snapshotRecords(Path dir) throws BadLogException {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    String folder = logicalclocks.log.SnapshotFiles.DIR;
    Path records = dir.resolve(folder);
    if (java.nio.file.Files.exists(records) && !java.nio.file.Files.isDirectory(records)) {
      out.put(folder, "a file, not the folder of snapshot records");
      return out;
    }
    if (!java.nio.file.Files.isDirectory(records)) {
      return out;
    }
    java.util.List<Path> entries;
    try (var s = java.nio.file.Files.list(records)) {
      entries = s.sorted().toList();
    } catch (java.io.IOException e) {
      throw new BadLogException(records + ": " + e.getMessage());
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.endsWith(".json.tmp")) {
        continue; // a record being written (or one a crash left half-written: never read)
      }
      String where = folder + "/" + name;
      if (logicalclocks.log.SnapshotFiles.idOf(name) == 0) {
        out.put(where, "not a record's name (snapshots/<id>.json, the id from 1 written plainly)");
      } else if (!java.nio.file.Files.isRegularFile(p)) {
        out.put(where, "not a file");
      } else {
        try {
          out.put(where, logicalclocks.log.SnapshotFiles.read(p));
        } catch (logicalclocks.log.SnapshotFiles.BadRecordException bad) {
          out.put(where, bad.getMessage());
        } catch (java.io.IOException e) {
          out.put(where, "cannot be read: " + e.getMessage());
        }
      }
    }
    return out;
  }

  /** One source per {@code machine_<id>.log} of {@code dir}, by VM id. */
  public static SortedMap<Integer, LineSource> open(Path dir) throws BadLogException {
    return open(dir, null);
  }

  /**
   * As {@link #open(Path)}, adding to {@code read} (when not null) the bytes read from the logs as
   * they are read (a progress bar's count).
   */
  public static SortedMap<Integer, LineSource> open(
      Path dir, java.util.concurrent.atomic.LongAdder read) throws BadLogException {
    SortedMap<Integer, LineSource> sources = new TreeMap<>();
    var files = EventLogReader.logFiles(dir);
    for (var f : files.entrySet()) {
      LogEvent first = EventLogReader.first(f.getValue());
      LogEvent last = EventLogReader.last(f.getValue());
      sources.put(
          f.getKey(),
          LineSource.readAhead(
              LogCursor.open(f.getValue(), read),
              first == null ? null : HostTime.of(first, first.ts()),
              last == null ? null : HostTime.of(first, last.ts()),
              files.size()));
    }
    return sources;
  }

  /** Analyses the sources given (see {@link #open}), feeding {@code outputs} too. */
  public static Result analyze(SortedMap<Integer, LineSource> sources, Outputs outputs)
      throws BadLogException {
    return analyze(sources, outputs, null);
  }

  /**
   * As {@link #analyze(SortedMap, Outputs)}, the verdict also checking the snapshot records of
   * {@code dir} ({@code snapshots/<id>.json}; none, or {@code dir} null: nothing to check).
   */
  public static Result analyze(SortedMap<Integer, LineSource> sources, Outputs outputs, Path dir)
      throws BadLogException {
    Verifier verifier = new Verifier();
    java.util.Map<String, Object> records = dir == null ? java.util.Map.of() : snapshotRecords(dir);
    verifier.snapshots(records);
    Ledger ledger = new Ledger();
    verifier.fates().listen(ledger);
    outputs.messages().forEach(ledger::rows);
    Measures measures = new Measures(ledger);
    verifier.fates().listen(measures.physical());
    outputs.points().forEach(measures::points);
    outputs.drift().forEach(measures::drift);
    List<EventConsumer> consumers = new ArrayList<>();
    consumers.add(verifier);
    consumers.add(measures);
    consumers.addAll(outputs.more());
    Pass.run(sources, consumers);
    return new Result(
        measures.metrics(verifier.violations()), measures.series(), SnapshotFiles.tally(records));
  }
}
