package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One VM's events summarised in at most {@code cap} buckets of time (a bucket's width doubles, two
 * merging into one, as the run grows past what they cover): per bucket its events, and its clock
 * and queue at their lowest and highest, each with when, and its last. A chart drawn from it keeps
 * every minimum and every maximum — a queue's spike between two drawn points never disappears — in
 * memory bounded by {@code cap}, not by the run's length.
 */
public final class LaneSummary {
  /**
   * One bucket: from {@code fromMs} (inclusive) to {@code toMs} (exclusive), ms since the run's
   * start, and its events' extremes ({@code ...T}: when each was).
   */
  public record Bucket(
      long fromMs,
      long toMs,
      long events,
      long clockMin,
      long clockMinT,
      long clockMax,
      long clockMaxT,
      int queueMin,
      long queueMinT,
      int queueMax,
      long queueMaxT,
      long clockLast,
      int queueLast,
      long lastT) {}

  private final int cap;
  private long width = 16; // ms a bucket
  private long[] events;
  private long[] clockMin;
  private long[] clockMinT;
  private long[] clockMax;
  private long[] clockMaxT;
  private int[] queueMin;
  private long[] queueMinT;
  private int[] queueMax;
  private long[] queueMaxT;
  private long[] clockLast;
  private int[] queueLast;
  private long[] lastT;

  /** A summary of at most {@code cap} buckets (at least 2). */
  public LaneSummary(int cap) {
    this.cap = Math.max(2, cap);
    events = new long[this.cap];
    clockMin = new long[this.cap];
    clockMinT = new long[this.cap];
    clockMax = new long[this.cap];
    clockMaxT = new long[this.cap];
    queueMin = new int[this.cap];
    queueMinT = new long[this.cap];
    queueMax = new int[this.cap];
    queueMaxT = new long[this.cap];
    clockLast = new long[this.cap];
    queueLast = new int[this.cap];
    lastT = new long[this.cap];
  }

  /** The VM's next event: at {@code tMs} (ms since the run's start, never below 0). */
  public void add(long tMs, long clock, int queue) {
    long t = Math.max(0, tMs);
    while (t / width >= cap) {
      halve();
    }
    int i = (int) (t / width);
    if (events[i] == 0) {
      clockMin[i] = clockMax[i] = clock;
      clockMinT[i] = clockMaxT[i] = t;
      queueMin[i] = queueMax[i] = queue;
      queueMinT[i] = queueMaxT[i] = t;
    } else {
      if (clock < clockMin[i]) {
        clockMin[i] = clock;
        clockMinT[i] = t;
      }
      if (clock > clockMax[i]) {
        clockMax[i] = clock;
        clockMaxT[i] = t;
      }
      if (queue < queueMin[i]) {
        queueMin[i] = queue;
        queueMinT[i] = t;
      }
      if (queue > queueMax[i]) {
        queueMax[i] = queue;
        queueMaxT[i] = t;
      }
    }
    events[i]++;
    if (t >= lastT[i] || events[i] == 1) {
      clockLast[i] = clock;
      queueLast[i] = queue;
      lastT[i] = t;
    }
  }

  /** Doubles the buckets' width: bucket i and i + 1 become one. */
  private void halve() {
    for (int i = 0; i < cap; i++) {
      int a = 2 * i;
      int b = a + 1;
      if (a >= cap) {
        clear(i);
        continue;
      }
      copy(a, i);
      if (b < cap && events[b] > 0) {
        merge(b, i);
      }
    }
    width *= 2;
  }

  private void clear(int i) {
    events[i] = 0;
    lastT[i] = 0;
  }

  private void copy(int from, int to) {
    if (from == to) {
      return;
    }
    events[to] = events[from];
    clockMin[to] = clockMin[from];
    clockMinT[to] = clockMinT[from];
    clockMax[to] = clockMax[from];
    clockMaxT[to] = clockMaxT[from];
    queueMin[to] = queueMin[from];
    queueMinT[to] = queueMinT[from];
    queueMax[to] = queueMax[from];
    queueMaxT[to] = queueMaxT[from];
    clockLast[to] = clockLast[from];
    queueLast[to] = queueLast[from];
    lastT[to] = lastT[from];
  }

  private void merge(int from, int to) {
    if (events[to] == 0) {
      copy(from, to);
      return;
    }
    if (clockMin[from] < clockMin[to]) {
      clockMin[to] = clockMin[from];
      clockMinT[to] = clockMinT[from];
    }
    if (clockMax[from] > clockMax[to]) {
      clockMax[to] = clockMax[from];
      clockMaxT[to] = clockMaxT[from];
    }
    if (queueMin[from] < queueMin[to]) {
      queueMin[to] = queueMin[from];
      queueMinT[to] = queueMinT[from];
    }
    if (queueMax[from] > queueMax[to]) {
      queueMax[to] = queueMax[from];
      queueMaxT[to] = queueMaxT[from];
    }
    if (lastT[from] >= lastT[to]) {
      clockLast[to] = clockLast[from];
      queueLast[to] = queueLast[from];
      lastT[to] = lastT[from];
    }
    events[to] += events[from];
  }

  /**
   * The points a chart draws of this lane, {@code {t ms, value}} in time order: each bucket's
   * lowest, highest and last clock ({@code queue} false) or queue length, a point repeated only
   * once.
   */
  public List<long[]> points(boolean queue) {
    List<long[]> out = new ArrayList<>();
    for (Bucket b : buckets()) {
      long[][] pts =
          queue
              ? new long[][] {
                {b.queueMinT(), b.queueMin()},
                {b.queueMaxT(), b.queueMax()},
                {b.lastT(), b.queueLast()}
              }
              : new long[][] {
                {b.clockMinT(), b.clockMin()},
                {b.clockMaxT(), b.clockMax()},
                {b.lastT(), b.clockLast()}
              };
      Arrays.sort(pts, java.util.Comparator.comparingLong(p -> p[0]));
      for (long[] p : pts) {
        long[] prev = out.isEmpty() ? null : out.get(out.size() - 1);
        if (prev == null || prev[0] != p[0] || prev[1] != p[1]) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** The buckets that hold events, in time order. */
  public List<Bucket> buckets() {
    List<Bucket> out = new ArrayList<>();
    for (int i = 0; i < cap; i++) {
      if (events[i] > 0) {
        out.add(
            new Bucket(
                i * width,
                (i + 1) * width,
                events[i],
                clockMin[i],
                clockMinT[i],
                clockMax[i],
                clockMaxT[i],
                queueMin[i],
                queueMinT[i],
                queueMax[i],
                queueMaxT[i],
                clockLast[i],
                queueLast[i],
                lastT[i]));
      }
    }
    return out;
  }

  /** Events summarised. */
  public long events() {
    return Arrays.stream(events).sum();
  }

  /** A bucket's width now, ms. */
  public long widthMs() {
    return width;
  }
}
