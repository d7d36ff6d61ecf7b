package logicalclocks.analysis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.vm.VirtualMachine;

/**
 * One VM's numbers, fed its log event by event: counts by type, clock jumps and queue lengths after
 * each tick, rates, and the queue at STOP. Times are milliseconds since the run's first event.
 */
final class VmAccumulator {
  private final int vm;
  private final long baseMs;
  private final Map<EventType, Long> counts = new EnumMap<>(EventType.class);
  private final List<Double> jumps = new ArrayList<>();
  private final List<Double> queues = new ArrayList<>();
  private final List<long[]> queueSeries = new ArrayList<>();
  private final List<Series.Point> points = new ArrayList<>();
  private int rate;
  private Integer sides;
  private boolean started;
  private long startClock;
  private long finalClock;
  private long prevClock = -1;
  private long firstMs = -1;
  private long lastMs = -1;
  private long firstTickMs = -1;
  private long lastTickMs = -1;
  private long ticks;
  private int queueAtStop;

  VmAccumulator(int vm, long baseMs) {
    this.vm = vm;
    this.baseMs = baseMs;
  }

  void accept(LogEvent e) {
    long t = e.ts().toEpochMilli() - baseMs;
    firstMs = firstMs < 0 ? t : firstMs;
    lastMs = t;
    counts.merge(e.event(), 1L, Long::sum);
    long jump = 0;
    switch (e.event()) {
      case START -> {
        if (!started) {
          rate = parseInt(e.get("rate"));
          sides = e.get("sides") == null ? null : parseInt(e.get("sides"));
          startClock = e.clock();
          started = true;
        }
        prevClock = e.clock();
      }
      case SEND, RECEIVE, INTERNAL -> {
        jump = prevClock < 0 ? e.clock() : e.clock() - prevClock;
        jumps.add((double) jump);
        queues.add((double) e.queue());
        queueSeries.add(new long[] {t, e.queue()});
        prevClock = e.clock();
        ticks++;
        firstTickMs = firstTickMs < 0 ? t : firstTickMs;
        lastTickMs = t;
      }
      case STOP -> queueAtStop = e.queue();
      case DROP -> {}
    }
    finalClock = e.clock();
    points.add(new Series.Point(vm, t, e.event(), e.clock(), e.queue(), jump, vectorOf(e)));
  }

  private static VectorClock vectorOf(LogEvent e) {
    try {
      return VirtualMachine.vectorOf(e);
    } catch (LogFormatException bad) {
      return null; // the verifier reports it
    }
  }

  int vm() {
    return vm;
  }

  int rate() {
    return rate;
  }

  /** Die faces from START, or null when the log does not say. */
  Integer sides() {
    return sides;
  }

  int queueAtStop() {
    return queueAtStop;
  }

  List<Series.Point> points() {
    return points;
  }

  double[] jumps() {
    return toArray(jumps);
  }

  double[] queues() {
    return toArray(queues);
  }

  /**
   * The VM's metrics, given what only the whole run knows: the die, the queue model's prediction
   * for it, the rate at which messages were sent to it, and the delays of the messages it received.
   */
  RunMetrics.VmMetrics metrics(
      int runSides, QueueModel.Prediction p, double observedArrivalRate, double[] delays) {
    long span = lastTickMs - firstTickMs;
    double observedRate = ticks > 1 && span > 0 ? (ticks - 1) * 1000.0 / span : ticks;
    long runMs = lastMs - firstMs;
    double clockRate = runMs > 0 ? (finalClock - startClock) * 1000.0 / runMs : 0;
    double utilization =
        ticks == 0 ? 0 : counts.getOrDefault(EventType.RECEIVE, 0L) / (double) ticks;
    Map<EventType, Long> events = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      events.put(type, counts.getOrDefault(type, 0L));
    }
    return new RunMetrics.VmMetrics(
        vm,
        rate,
        Analyzer.round(observedRate),
        runSides,
        events,
        startClock,
        finalClock,
        Analyzer.round(clockRate),
        Stats.of(jumps()),
        Stats.of(queues()),
        queueAtStop,
        Stats.of(delays),
        new RunMetrics.QueueCheck(
            Analyzer.round(p.arrivalRate()),
            p.serviceRate(),
            Analyzer.round(p.utilization()),
            p.stable(),
            Analyzer.round(observedArrivalRate),
            Analyzer.round(utilization),
            isGrowing()));
  }

  /**
   * At least 5 queued at the end, and a positive least-squares slope over the second half of the
   * run.
   */
  private boolean isGrowing() {
    if (queueSeries.size() < 4 || queueSeries.get(queueSeries.size() - 1)[1] < 5) {
      return false;
    }
    List<long[]> half = queueSeries.subList(queueSeries.size() / 2, queueSeries.size());
    double mx = 0;
    double my = 0;
    for (long[] q : half) {
      mx += q[0];
      my += q[1];
    }
    mx /= half.size();
    my /= half.size();
    double num = 0;
    double den = 0;
    for (long[] q : half) {
      num += (q[0] - mx) * (q[1] - my);
      den += (q[0] - mx) * (q[0] - mx);
    }
    return den > 0 && num / den > 0;
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException | NullPointerException e) {
      return 0;
    }
  }
}
