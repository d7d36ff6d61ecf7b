package logicalclocks.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;

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
    if (t0 == null) {
      t0 = Instant.EPOCH;
      tEnd = Instant.EPOCH;
    }
    final long base = t0.toEpochMilli();
    double seconds = Math.max(0.001, (tEnd.toEpochMilli() - base) / 1000.0);

    // Messages: SENDs, then their fates.
    Map<String, Series.Msg> msgs = new LinkedHashMap<>();
    Map<Integer, Long> sentTo = new HashMap<>();
    for (List<Line> lines : logs.values()) {
      for (Line l : lines) {
        LogEvent e = l.event();
        if (e.event() == EventType.SEND) {
          List<String> ids = e.list("msg");
          List<String> to = e.list("to");
          for (int i = 0; i < Math.min(ids.size(), to.size()); i++) {
            int dest = parseInt(to.get(i));
            msgs.put(ids.get(i), new Series.Msg(ids.get(i), e.vm(), dest, ms(e, base), e.clock(), -1, "queued"));
            sentTo.merge(dest, 1L, Long::sum);
          }
        }
      }
    }
    long received = 0;
    long dropped = 0;
    long lateDeliveries = 0;
    Map<Integer, List<Double>> delaysByVm = new HashMap<>();
    for (List<Line> lines : logs.values()) {
      for (Line l : lines) {
        LogEvent e = l.event();
        Series.Msg m = msgs.get(e.get("msg"));
        if (m == null) {
          continue;
        }
        if (e.event() == EventType.RECEIVE) {
          received++;
          if (m.outcome().equals("dropped")) {
            dropped--;
            lateDeliveries++;
          }
          msgs.put(m.id(), new Series.Msg(m.id(), m.from(), m.to(), m.sentMs(), m.sentClock(), ms(e, base), "received"));
          delaysByVm.computeIfAbsent(e.vm(), k -> new ArrayList<>()).add((double) (ms(e, base) - m.sentMs()));
        } else if (e.event() == EventType.DROP) {
          if (m.outcome().equals("received")) {
            lateDeliveries++;
          } else {
            dropped++;
            msgs.put(m.id(), new Series.Msg(m.id(), m.from(), m.to(), m.sentMs(), m.sentClock(), -1, "dropped"));
          }
        }
      }
    }

    // A message its sender gave up on that is still in its receiver's queue at the last STOP got there: late.
    for (List<Line> lines : logs.values()) {
      for (String id : Verifier.queuedAtLastStop(lines)) {
        Series.Msg m = msgs.get(id);
        if (m != null && m.outcome().equals("dropped")) {
          dropped--;
          lateDeliveries++;
          msgs.put(id, new Series.Msg(m.id(), m.from(), m.to(), m.sentMs(), m.sentClock(), -1, "queued"));
        }
      }
    }

    // Per VM.
    int n = logs.size();
    int[] rates = new int[n];
    int sides = 10;
    List<Series.Point> points = new ArrayList<>();
    List<double[]> perVmJumps = new ArrayList<>();
    List<double[]> perVmQueues = new ArrayList<>();
    List<Map<String, Long>> perVmEvents = new ArrayList<>();
    long[] startClock = new long[n];
    long[] finalClock = new long[n];
    int[] queueAtStop = new int[n];
    double[] observedRate = new double[n];
    double[] clockRate = new double[n];
    double[] utilization = new double[n];
    boolean[] growing = new boolean[n];
    int idx = 0;
    List<Integer> ids = new ArrayList<>(logs.keySet());
    long queuedAtStop = 0;
    for (var entry : logs.entrySet()) {
      List<Line> lines = entry.getValue();
      EnumMap<EventType, Long> counts = new EnumMap<>(EventType.class);
      List<Double> jumps = new ArrayList<>();
      List<Double> queues = new ArrayList<>();
      List<long[]> queueSeries = new ArrayList<>();
      long prevClock = -1;
      long firstTickMs = -1;
      long lastTickMs = -1;
      long ticks = 0;
      boolean seenStart = false;
      for (Line l : lines) {
        LogEvent e = l.event();
        counts.merge(e.event(), 1L, Long::sum);
        long t = ms(e, base);
        long jump = 0;
        if (e.event() == EventType.START) {
          if (!seenStart) {
            rates[idx] = parseInt(e.get("rate"));
            sides = e.get("sides") == null ? sides : parseInt(e.get("sides"));
            startClock[idx] = e.clock();
            seenStart = true;
          }
          prevClock = e.clock();
        } else if (e.event().isTick()) {
          jump = prevClock < 0 ? e.clock() : e.clock() - prevClock;
          jumps.add((double) jump);
          queues.add((double) e.queue());
          queueSeries.add(new long[] {t, e.queue()});
          prevClock = e.clock();
          ticks++;
          firstTickMs = firstTickMs < 0 ? t : firstTickMs;
          lastTickMs = t;
        } else if (e.event() == EventType.STOP) {
          queueAtStop[idx] = e.queue();
        }
        finalClock[idx] = e.clock();
        points.add(new Series.Point(e.vm(), t, e.event().name(), e.clock(), e.queue(), jump));
      }
      queuedAtStop += queueAtStop[idx];
      long span = lastTickMs - firstTickMs;
      observedRate[idx] = ticks > 1 && span > 0 ? (ticks - 1) * 1000.0 / span : ticks;
      long runMs = lines.isEmpty() ? 0 : ms(lines.get(lines.size() - 1).event(), base) - ms(lines.get(0).event(), base);
      clockRate[idx] = runMs > 0 ? (finalClock[idx] - startClock[idx]) * 1000.0 / runMs : 0;
      utilization[idx] = ticks == 0 ? 0 : counts.getOrDefault(EventType.RECEIVE, 0L) / (double) ticks;
      growing[idx] = isGrowing(queueSeries);
      Map<String, Long> named = new LinkedHashMap<>();
      for (EventType t : EventType.values()) {
        named.put(t.name(), counts.getOrDefault(t, 0L));
      }
      perVmEvents.add(named);
      perVmJumps.add(toArray(jumps));
      perVmQueues.add(toArray(queues));
      idx++;
    }
    QueueModel.Prediction[] predictions = QueueModel.predict(
        java.util.Arrays.stream(rates).map(r -> Math.max(1, r)).toArray(), sides);
    List<RunMetrics.VmMetrics> vms = new ArrayList<>();
    List<Double> allJumps = new ArrayList<>();
    List<Double> allQueues = new ArrayList<>();
    List<Double> allDelays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = ids.get(i);
      for (double d : perVmJumps.get(i)) {
        allJumps.add(d);
      }
      for (double d : perVmQueues.get(i)) {
        allQueues.add(d);
      }
      List<Double> delays = delaysByVm.getOrDefault(id, List.of());
      allDelays.addAll(delays);
      QueueModel.Prediction p = predictions[i];
      vms.add(new RunMetrics.VmMetrics(id, rates[i], round(observedRate[i]), sides, perVmEvents.get(i), startClock[i],
          finalClock[i], round(clockRate[i]), Stats.of(perVmJumps.get(i)), Stats.of(perVmQueues.get(i)),
          queueAtStop[i], Stats.of(toArray(delays)),
          new RunMetrics.QueueCheck(round(p.arrivalRate()), p.serviceRate(), round(p.utilization()), p.stable(),
              round(sentTo.getOrDefault(id, 0L) / seconds), round(utilization[i]), growing[i])));
    }

    List<Series.DriftSample> drift = drift(points, ids, tEnd.toEpochMilli() - base);
    double[] spreads = drift.stream().mapToDouble(Series.DriftSample::spread).toArray();
    RunMetrics metrics = new RunMetrics(n, round(seconds), vms, Stats.of(toArray(allJumps)),
        Stats.of(toArray(allQueues)), Stats.of(toArray(allDelays)), Stats.of(spreads), msgs.size(), received,
        dropped, lateDeliveries, queuedAtStop, violations);
    return new Result(metrics, new Series(points, new ArrayList<>(msgs.values()), drift));
  }

  /** Clock of every VM every 100 ms, from the moment all have started to the moment the first stops. */
  private static List<Series.DriftSample> drift(List<Series.Point> points, List<Integer> ids, long endMs) {
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
      long stop = ps.stream().filter(p -> p.event().equals("STOP")).mapToLong(Series.Point::tMs).min().orElse(endMs);
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

  /** At least 5 queued at the end, and a positive least-squares slope over the second half of the run. */
  private static boolean isGrowing(List<long[]> queue) {
    if (queue.size() < 4 || queue.get(queue.size() - 1)[1] < 5) {
      return false;
    }
    List<long[]> half = queue.subList(queue.size() / 2, queue.size());
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

  private static long ms(LogEvent e, long base) {
    return e.ts().toEpochMilli() - base;
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException | NullPointerException e) {
      return 0;
    }
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
