package logicalclocks.analysis.measure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;
import logicalclocks.event.EventType;

/**
 * The god's-eye drift: every VM's clock every {@link #SAMPLE_MS} of wall time, from the moment all
 * have started to the moment the first stops. Each VM samples its own clock on the common grid as
 * its events are read (its clock at {@code t} is that of its last event at or before {@code t}); a
 * grid point's sample is given to the sink as soon as every VM's events have passed it, and
 * forgotten, so memory holds only the grid points some VM has not passed yet — bounded by how far
 * the VMs are apart in the pass, not by the run's duration or its events.
 */
public final class Drift {
  /** Interval of the samples. */
  public static final long SAMPLE_MS = 100;

  private final List<Integer> ids;
  private final long from;
  private final Lane[] lanes;
  private final Map<Integer, Integer> slot = new HashMap<>();
  private final Consumer<Series.DriftSample> sink;

  /** A segment tree of the lanes' {@code filled}: its root is the least. */
  private final long[] tree;

  private final int leaves;

  /** The next grid point to give to the sink. */
  private long emitted;

  /** The earliest first STOP seen, ms (no sample after it is given); MAX_VALUE while none. */
  private long stopLimit = Long.MAX_VALUE;

  private boolean finished;

  /**
   * One VM's clock on the grid, as runs: grid points {@code [start[i], start[i+1])} hold {@code
   * clock[i]}; points from {@code filled} on hold the VM's latest clock. A run is added only when
   * an event crosses a grid point, so a long silence (a VM restarted weeks later) costs one run;
   * runs every VM has passed are dropped.
   */
  private static final class Lane {
    long[] start = new long[16];
    long[] clocks = new long[16];
    int first; // runs before it are dropped
    int runs;
    long filled;
    long clock = -1;
    long firstStopMs = -1;

    long at(long k) {
      if (k >= filled) {
        return clock;
      }
      int lo = first;
      int hi = runs - 1;
      while (lo < hi) { // the last run starting at or before k
        int mid = (lo + hi + 1) >>> 1;
        if (start[mid] <= k) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return clocks[lo];
    }

    /**
     * Drops the runs wholly before grid point {@code k} (the last one starting at or before it
     * stays).
     */
    void forget(long k) {
      while (first + 1 < runs && start[first + 1] <= k) {
        first++;
      }
      if (first > 64 && first > runs / 2) {
        int n = runs - first;
        System.arraycopy(start, first, start, 0, n);
        System.arraycopy(clocks, first, clocks, 0, n);
        runs = n;
        first = 0;
      }
    }
  }

  /**
   * {@code firstMs}: each VM's first event, in ms since the run's first; {@code sink} takes each
   * grid point's sample once every VM has passed it.
   */
  public Drift(
      List<Integer> ids, SortedMap<Integer, Long> firstMs, Consumer<Series.DriftSample> sink) {
    this.ids = ids;
    this.from = firstMs.values().stream().mapToLong(Long::longValue).max().orElse(0);
    this.sink = sink;
    this.lanes = new Lane[ids.size()];
    int n = 1;
    while (n < Math.max(1, ids.size())) {
      n *= 2;
    }
    this.leaves = n;
    this.tree = new long[2 * n];
    java.util.Arrays.fill(tree, Long.MAX_VALUE);
    for (int i = 0; i < ids.size(); i++) {
      lanes[i] = new Lane();
      slot.put(ids.get(i), i);
      set(i, 0);
    }
  }

  private void set(int i, long filled) {
    int p = leaves + i;
    tree[p] = filled;
    for (p >>= 1; p >= 1; p >>= 1) {
      tree[p] = Math.min(tree[2 * p], tree[2 * p + 1]);
    }
  }

  /** VM {@code vm}'s event at {@code tMs} left its clock at {@code clock}. */
  public void accept(int vm, long tMs, EventType type, long clock) {
    Integer at = slot.get(vm);
    if (at == null || finished) {
      return;
    }
    Lane lane = lanes[at];
    if (lane.clock < 0) {
      lane.clock = clock; // the first event holds for every grid point before it
    }
    // grid points strictly before this event take the clock of the event before it
    long before = tMs <= from ? 0 : (tMs - from + SAMPLE_MS - 1) / SAMPLE_MS;
    if (before > lane.filled) {
      if (lane.runs > lane.first && lane.clocks[lane.runs - 1] == lane.clock) {
        // the same clock goes on: the last run grows
      } else {
        if (lane.runs == lane.start.length) {
          lane.start = java.util.Arrays.copyOf(lane.start, lane.runs * 2);
          lane.clocks = java.util.Arrays.copyOf(lane.clocks, lane.runs * 2);
        }
        lane.start[lane.runs] = lane.filled;
        lane.clocks[lane.runs] = lane.clock;
        lane.runs++;
      }
      lane.filled = before;
      set(at, before);
    }
    lane.clock = clock;
    if (type == EventType.STOP && lane.firstStopMs < 0) {
      lane.firstStopMs = tMs;
      stopLimit = Math.min(stopLimit, tMs);
    }
    emitUpTo(tree[1], stopLimit);
  }

  /** Gives the sink every grid point before {@code k} (at most up to {@code limitMs}). */
  private void emitUpTo(long k, long limitMs) {
    long next = emitted;
    while (next < k && from + next * SAMPLE_MS <= limitMs) {
      sample(next);
      next++;
    }
    if (next != emitted) {
      emitted = next;
      for (Lane lane : lanes) {
        lane.forget(emitted);
      }
    }
  }

  private void sample(long k) {
    long[] clocks = new long[lanes.length];
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < lanes.length; i++) {
      clocks[i] = lanes[i].at(k);
      min = Math.min(min, clocks[i]);
      max = Math.max(max, clocks[i]);
    }
    sink.accept(new Series.DriftSample(from + k * SAMPLE_MS, clocks, max - min));
  }

  /**
   * Gives the sink the rest of the samples, once every event has been read: to the first STOP, or
   * to {@code endMs} (the run's last event) when a VM never stopped; none when a VM has no event.
   */
  public void finish(long endMs) {
    if (finished) {
      return;
    }
    finished = true;
    long to = endMs;
    for (Lane lane : lanes) {
      if (lane.clock < 0) {
        return;
      }
      to = Math.min(to, lane.firstStopMs >= 0 ? lane.firstStopMs : endMs);
    }
    emitUpTo(Long.MAX_VALUE, to);
  }
}
