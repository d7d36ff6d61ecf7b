package logicalclocks.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.stream.DoubleStream;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader.Line;

/** Turns a run's logs into metrics and series. Pure: logs in, numbers out. */
public final class Analyzer {
  /** Interval of the god's-eye drift samples. */
  public static final long DRIFT_SAMPLE_MS = 100;

  private Analyzer() {}

  /** Metrics and series of one run. */
  public record Result(RunMetrics metrics, Series series) {}

  public static Result analyze(SortedMap<Integer, List<Line>> logs) {
    List<Violation> violations = Verifier.verify(logs);
    Instant t0 = null;
    Instant tEnd = null;
    for (List<Line> lines : logs.values()) {
      for (Line l : lines) {
        Instant ts = l.event().ts();
        t0 = t0 == null || ts.isBefore(t0) ? ts : t0;
        tEnd = tEnd == null || ts.isAfter(tEnd) ? ts : tEnd;
      }
    }
    long base = t0 == null ? 0 : t0.toEpochMilli();
    long endMs = tEnd == null ? 0 : tEnd.toEpochMilli() - base;
    double seconds = Math.max(0.001, endMs / 1000.0);

    MessageLedger ledger = new MessageLedger(base);
    logs.values().forEach(lines -> lines.forEach(l -> ledger.send(l.event())));
    logs.values().forEach(lines -> lines.forEach(l -> ledger.fate(l.event())));
    logs.values().forEach(lines -> ledger.queuedAtStop(Verifier.queuedAtLastStop(lines)));

    List<VmAccumulator> accumulators = new ArrayList<>();
    for (var entry : logs.entrySet()) {
      VmAccumulator vm = new VmAccumulator(entry.getKey(), base);
      entry.getValue().forEach(l -> vm.accept(l.event()));
      accumulators.add(vm);
    }
    int sides =
        accumulators.stream()
            .map(VmAccumulator::sides)
            .filter(Objects::nonNull)
            .reduce((a, b) -> b)
            .orElse(ModelConfig.DEFAULT_DIE_SIDES);
    QueueModel.Prediction[] predictions =
        QueueModel.predict(
            accumulators.stream().mapToInt(a -> Math.max(1, a.rate())).toArray(), sides);
    List<RunMetrics.VmMetrics> vms = new ArrayList<>();
    List<Series.Point> points = new ArrayList<>();
    for (int i = 0; i < accumulators.size(); i++) {
      VmAccumulator a = accumulators.get(i);
      vms.add(
          a.metrics(
              sides, predictions[i], ledger.sentTo(a.vm()) / seconds, ledger.delaysTo(a.vm())));
      points.addAll(a.points());
    }
    List<Integer> ids = new ArrayList<>(logs.keySet());
    List<Series.DriftSample> drift = drift(points, ids, endMs);
    RunMetrics metrics =
        new RunMetrics(
            logs.size(),
            round(seconds),
            vms,
            Stats.of(concat(accumulators, VmAccumulator::jumps)),
            Stats.of(concat(accumulators, VmAccumulator::queues)),
            Stats.of(concat(ids, ledger::delaysTo)),
            Stats.of(drift.stream().mapToDouble(Series.DriftSample::spread).toArray()),
            ledger.sent(),
            ledger.received(),
            ledger.dropped(),
            ledger.late(),
            accumulators.stream().mapToLong(VmAccumulator::queueAtStop).sum(),
            violations,
            Causality.of(points));
    return new Result(metrics, new Series(points, ledger.messages(), drift));
  }

  private static <T> double[] concat(List<T> items, Function<T, double[]> values) {
    return items.stream().flatMapToDouble(t -> DoubleStream.of(values.apply(t))).toArray();
  }

  /**
   * Clock of every VM every 100 ms, from the moment all have started to the moment the first stops.
   */
  private static List<Series.DriftSample> drift(
      List<Series.Point> points, List<Integer> ids, long endMs) {
    Map<Integer, List<Series.Point>> byVm = new HashMap<>();
    for (Series.Point p : points) {
      byVm.computeIfAbsent(p.vm(), k -> new ArrayList<>()).add(p);
    }
    long from = 0;
    long to = endMs;
    for (int id : ids) {
      List<Series.Point> ps = byVm.getOrDefault(id, List.of());
      if (ps.isEmpty()) {
        return List.of();
      }
      from = Math.max(from, ps.get(0).tMs());
      long stop =
          ps.stream()
              .filter(p -> p.event() == EventType.STOP)
              .mapToLong(Series.Point::tMs)
              .min()
              .orElse(endMs);
      to = Math.min(to, stop);
    }
    List<Series.DriftSample> out = new ArrayList<>();
    int[] cursor = new int[ids.size()];
    for (long t = from; t <= to; t += DRIFT_SAMPLE_MS) {
      long[] clocks = new long[ids.size()];
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < ids.size(); i++) {
        List<Series.Point> ps = byVm.get(ids.get(i));
        while (cursor[i] + 1 < ps.size() && ps.get(cursor[i] + 1).tMs() <= t) {
          cursor[i]++;
        }
        clocks[i] = ps.get(cursor[i]).clock();
        min = Math.min(min, clocks[i]);
        max = Math.max(max, clocks[i]);
      }
      out.add(new Series.DriftSample(t, clocks, max - min));
    }
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
