package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.stream.RunInfo;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.VectorClock;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.VirtualMachine;

/**
 * The measuring consumers of the pass, fed each line: each VM's accumulator, the drift sampler, the
 * false-order sampler and the charts' series; each event's point also goes to the point consumers
 * (e.g. events.csv). The message ledger is told by the verifier's fates. {@link #metrics} and
 * {@link #series} are the run's once the pass has ended.
 */
public final class Measures implements EventConsumer {
  private final Ledger ledger;
  private final List<Consumer<Series.Point>> pointConsumers = new ArrayList<>();
  private final List<Consumer<Series.DriftSample>> driftConsumers = new ArrayList<>();

  /** Every drift sample's spread (the run's drift statistics, exact). */
  private final Histogram spread = new Histogram();

  /**
   * The drift chart's samples: at most {@link #DRIFT_POINTS}, the widest spread of each stretch.
   */
  private final List<Series.DriftSample> driftChart = new ArrayList<>();

  private long driftSeen;
  private long driftStride = 1;

  /** Drift samples kept for the chart at most. */
  static final int DRIFT_POINTS = 4096;

  private final Map<Integer, VmAccumulator> vms = new TreeMap<>();
  private RunInfo run;
  private Drift drift;
  private Causality.Sampler causality;
  private SeriesBuilder series;
  private boolean anyVector;
  private final PhysicalTime physical = new PhysicalTime();
  private long lastT = Long.MIN_VALUE;

  public Measures(Ledger ledger) {
    this.ledger = ledger;
  }

  /** The physical-time measure: the verifier's fates must be told to it too. */
  public PhysicalTime physical() {
    return physical;
  }

  /** Also gives every drift sample to {@code c} (in time order, as the pass passes it). */
  public Measures drift(Consumer<Series.DriftSample> c) {
    driftConsumers.add(c);
    return this;
  }

  /**
   * A drift sample: counted, kept for the chart while there is room (then, stretch by stretch, the
   * one of widest spread), given to the drift consumers.
   */
  private void driftSample(Series.DriftSample d) {
    spread.add(d.spread());
    for (Consumer<Series.DriftSample> c : driftConsumers) {
      c.accept(d);
    }
    long k = driftSeen++;
    if (k % driftStride == 0) {
      driftChart.add(d);
    } else if (d.spread() > driftChart.get(driftChart.size() - 1).spread()) {
      driftChart.set(driftChart.size() - 1, d);
    }
    if (driftChart.size() >= 2 * DRIFT_POINTS) {
      List<Series.DriftSample> half = new ArrayList<>(DRIFT_POINTS);
      for (int i = 0; i < driftChart.size(); i += 2) {
        Series.DriftSample a = driftChart.get(i);
        Series.DriftSample b = i + 1 < driftChart.size() ? driftChart.get(i + 1) : a;
        half.add(b.spread() > a.spread() ? b : a);
      }
      driftChart.clear();
      driftChart.addAll(half);
      driftStride *= 2;
    }
  }

  /** Also gives every event's point to {@code c} (each VM's in its order). */
  public Measures points(Consumer<Series.Point> c) {
    pointConsumers.add(c);
    return this;
  }

  @Override
  public void begin(RunInfo info) {
    run = info;
    ledger.base(info);
    drift = new Drift(info.ids(), info.firstMs(), this::driftSample);
    int machines = info.logs().isEmpty() ? 1 : info.logs().last() + 1;
    causality = new Causality.Sampler(machines, Causality.EXACT_LIMIT);
    series = new SeriesBuilder(info.logs().size(), Windows.starts(info.endMs()));
    ledger.rows(series::message);
    info.logs().forEach(id -> vms.put(id, new VmAccumulator(id, info.baseMs())));
    physical.begin(info);
  }

  @Override
  public void accept(int vm, Line line) {
    LogEvent e = line.event();
    long t = run.tMs(vm, e);
    lastT = Math.max(lastT, t);
    long jump = vms.get(vm).accept(e, t);
    physical.accept(vm, line);
    drift.accept(vm, t, e.event(), e.clock());
    String vcText = e.get(VirtualMachine.VECTOR_KEY);
    if (vcText != null && e.event().isTick()) {
      anyVector = true;
      causality.accept(vm, e.clock(), e.ts().toEpochMilli(), () -> hlcOf(e), () -> vectorOf(e));
    }
    int window = series.window(t);
    VectorClock vc = window >= 0 && vcText != null && series.keepsVectors() ? vectorOf(e) : null;
    Series.Point p = new Series.Point(e.vm(), t, e.event(), e.clock(), e.queue(), jump, vc);
    series.add(p, window);
    for (Consumer<Series.Point> c : pointConsumers) {
      c.accept(p);
    }
  }

  private static HybridTime hlcOf(LogEvent e) {
    try {
      return VirtualMachine.hlcOf(e);
    } catch (LogFormatException bad) {
      return null; // the verifier reports it
    }
  }

  private static VectorClock vectorOf(LogEvent e) {
    try {
      VectorClock v = VirtualMachine.vectorOf(e);
      return v == null ? VectorClock.zero() : v;
    } catch (LogFormatException bad) {
      return VectorClock.zero(); // the verifier reports it
    }
  }

  /** The run's metrics, given the verifier's violations. */
  public RunMetrics metrics(List<Violation> violations) {
    double seconds = Math.max(0.001, lastMs() / 1000.0);
    int sides =
        vms.values().stream()
            .map(VmAccumulator::sides)
            .filter(Objects::nonNull)
            .reduce((a, b) -> b)
            .orElse(ModelConfig.DEFAULT_DIE_SIDES);
    List<VmAccumulator> accumulators = new ArrayList<>(vms.values());
    QueueModel.Prediction[] predictions =
        QueueModel.predict(
            accumulators.stream().mapToInt(a -> Math.max(1, a.rate())).toArray(), sides);
    List<RunMetrics.VmMetrics> out = new ArrayList<>();
    Histogram jumps = new Histogram();
    Histogram queues = new Histogram();
    Histogram delays = new Histogram();
    for (int i = 0; i < accumulators.size(); i++) {
      VmAccumulator a = accumulators.get(i);
      out.add(
          a.metrics(
              sides, predictions[i], ledger.sentTo(a.vm()) / seconds, ledger.delaysTo(a.vm())));
      jumps.addAll(a.jumps());
      queues.addAll(a.queues());
      delays.addAll(ledger.delaysTo(a.vm()));
    }
    drift.finish(lastMs());
    return new RunMetrics(
        vms.size(),
        Stats.round(seconds),
        out,
        jumps.stats(),
        queues.stats(),
        delays.stats(),
        spread.stats(),
        ledger.sent(),
        ledger.received(),
        ledger.dropped(),
        ledger.late(),
        accumulators.stream().mapToLong(VmAccumulator::queueAtStop).sum(),
        violations,
        anyVector ? causality() : null,
        physical.metrics(anyVector ? causality() : null));
  }

  private Causality causalityResult;

  private Causality causality() {
    if (causalityResult == null) {
      causalityResult = causality.result();
    }
    return causalityResult;
  }

  /**
   * The run's last event in host time, as read: the estimate the pass began with ({@link
   * RunInfo#endMs}, from each log's last line through its first START's clock) is wrong when a
   * restart changed a VM's declared clock.
   */
  private long lastMs() {
    return lastT == Long.MIN_VALUE ? run.endMs() : Math.max(0, lastT);
  }

  /** The drift samples of the chart (every one when there were at most {@link #DRIFT_POINTS}). */
  private List<Series.DriftSample> driftSamples() {
    drift.finish(lastMs());
    return driftChart;
  }

  /** The charts' series. */
  public Series series() {
    Map<Integer, Histogram> jumps = new TreeMap<>();
    vms.forEach((id, a) -> jumps.put(id, a.jumps()));
    return series.build(driftSamples(), jumps, lastMs()).withPhysical(physical.series());
  }
}
