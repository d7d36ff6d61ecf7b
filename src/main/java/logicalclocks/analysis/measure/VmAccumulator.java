package logicalclocks.analysis.measure;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.vm.VirtualMachine;

/**
 * One VM's numbers, fed its log event by event: counts by type, clock jumps and queue lengths after
 * each tick (as histograms: exact, in memory bounded by the distinct values), rates, and the queue
 * at STOP, and the tick slots it skipped ({@code missed=}: how many, in how many gaps, the longest
 * gap's wall time). Times are milliseconds since the run's first event. Whether the queue was still
 * growing is a least-squares slope over the second half of its queue series, exact over the first
 * {@link #GROWTH_EXACT} ticks; a longer series is thinned to every 2nd, 4th, ... tick (a bounded
 * sample).
 */
public final class VmAccumulator {
  /** Ticks of the queue series kept one by one. */
  public static final int GROWTH_EXACT = 1 << 15;

  private final int vm;
  private final long baseMs;
  private final long[] counts = new long[EventType.values().length];
  private final Histogram jumps = new Histogram();
  private final Histogram queues = new Histogram();
  private long[] seriesT = new long[1024];
  private int[] seriesQ = new int[1024];
  private int seriesSize;
  private int stride = 1;
  private long strideCount;
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
  private long lastTickOrStartMs = -1;
  private long missed;
  private long gaps;
  private long longestGapMs;

  public VmAccumulator(int vm, long baseMs) {
    this.vm = vm;
    this.baseMs = baseMs;
  }

  /** Takes the VM's next event; returns its clock jump (0 for events that are not ticks). */
  public long accept(LogEvent e) {
    return accept(e, e.ts().toEpochMilli() - baseMs);
  }

  /**
   * Takes the VM's next event at {@code t} ms since the run's start (host time); returns its clock
   * jump.
   */
  public long accept(LogEvent e, long t) {
    firstMs = firstMs < 0 ? t : firstMs;
    lastMs = t;
    counts[e.event().ordinal()]++;
    if (e.event().isTick() || e.event() == EventType.STOP) {
      gap(e, t);
    }
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
        lastTickOrStartMs = t;
      }
      case SEND, RECEIVE, INTERNAL -> {
        jump = prevClock < 0 ? e.clock() : e.clock() - prevClock;
        jumps.add(jump);
        queues.add(e.queue());
        series(t, e.queue());
        prevClock = e.clock();
        ticks++;
        firstTickMs = firstTickMs < 0 ? t : firstTickMs;
        lastTickMs = t;
        lastTickOrStartMs = t;
      }
      case STOP -> queueAtStop = e.queue();
      case DROP -> {}
    }
    finalClock = e.clock();
    return jump;
  }

  /**
   * A line saying tick slots were skipped before it: one gap, as long as the wall time since the
   * VM's previous tick (or START). A malformed count is the verifier's; here it counts none.
   */
  private void gap(LogEvent e, long t) {
    long n;
    try {
      n = VirtualMachine.missedOf(e);
    } catch (LogFormatException bad) {
      return;
    }
    if (n == 0) {
      return;
    }
    missed += n;
    gaps++;
    if (lastTickOrStartMs >= 0) {
      longestGapMs = Math.max(longestGapMs, t - lastTickOrStartMs);
    }
  }

  private void series(long t, int q) {
    if (strideCount++ % stride != 0) {
      return;
    }
    if (seriesSize == seriesT.length) {
      if (seriesSize >= GROWTH_EXACT) {
        for (int i = 0; i < seriesSize / 2; i++) {
          seriesT[i] = seriesT[2 * i];
          seriesQ[i] = seriesQ[2 * i];
        }
        seriesSize /= 2;
        stride *= 2;
        strideCount = 1;
      } else {
        seriesT = Arrays.copyOf(seriesT, seriesSize * 2);
        seriesQ = Arrays.copyOf(seriesQ, seriesSize * 2);
      }
    }
    seriesT[seriesSize] = t;
    seriesQ[seriesSize] = q;
    seriesSize++;
  }

  public int vm() {
    return vm;
  }

  public int rate() {
    return rate;
  }

  /** Die faces from START, or null when the log does not say. */
  public Integer sides() {
    return sides;
  }

  public int queueAtStop() {
    return queueAtStop;
  }

  public Histogram jumps() {
    return jumps;
  }

  public Histogram queues() {
    return queues;
  }

  /**
   * The VM's metrics, given what only the whole run knows: the die, the queue model's prediction
   * for it, the rate at which messages were sent to it, and the delays of the messages it received.
   */
  public RunMetrics.VmMetrics metrics(
      int runSides, QueueModel.Prediction p, double observedArrivalRate, Histogram delays) {
    long span = lastTickMs - firstTickMs;
    double observedRate = ticks > 1 && span > 0 ? (ticks - 1) * 1000.0 / span : ticks;
    long runMs = lastMs - firstMs;
    double clockRate = runMs > 0 ? (finalClock - startClock) * 1000.0 / runMs : 0;
    double utilization = ticks == 0 ? 0 : counts[EventType.RECEIVE.ordinal()] / (double) ticks;
    Map<EventType, Long> events = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      events.put(type, counts[type.ordinal()]);
    }
    return new RunMetrics.VmMetrics(
        vm,
        rate,
        Stats.round(observedRate),
        runSides,
        events,
        startClock,
        finalClock,
        Stats.round(clockRate),
        jumps.stats(),
        queues.stats(),
        queueAtStop,
        delays.stats(),
        new RunMetrics.QueueCheck(
            Stats.round(p.arrivalRate()),
            p.serviceRate(),
            Stats.round(p.utilization()),
            p.stable(),
            Stats.round(observedArrivalRate),
            Stats.round(utilization),
            isGrowing()),
        missed == 0 ? null : new RunMetrics.Missed(missed, gaps, longestGapMs));
  }

  /**
   * At least 5 queued at the end, and a positive least-squares slope over the second half of the
   * run.
   */
  private boolean isGrowing() {
    if (seriesSize < 4 || seriesQ[seriesSize - 1] < 5) {
      return false;
    }
    int from = seriesSize / 2;
    int size = seriesSize - from;
    double mx = 0;
    double my = 0;
    for (int i = from; i < seriesSize; i++) {
      mx += seriesT[i];
      my += seriesQ[i];
    }
    mx /= size;
    my /= size;
    double num = 0;
    double den = 0;
    for (int i = from; i < seriesSize; i++) {
      num += (seriesT[i] - mx) * (seriesQ[i] - my);
      den += (seriesT[i] - mx) * (seriesT[i] - mx);
    }
    return den > 0 && num / den > 0;
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException | NullPointerException e) {
      return 0;
    }
  }
}
