package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import logicalclocks.event.EventType;

/**
 * The god's-eye drift: every VM's clock every {@link #SAMPLE_MS} of wall time, from the moment all
 * have started to the moment the first stops. Each VM samples its own clock on the common grid as
 * its events are read (its clock at {@code t} is that of its last event at or before {@code t}), so
 * the state is one clock per VM and grid point: bounded by the run's duration over 100 ms, not by
 * its events.
 */
public final class Drift {
  /** Interval of the samples. */
  public static final long SAMPLE_MS = 100;

  private final List<Integer> ids;
  private final long from;
  private final Map<Integer, Lane> lanes = new HashMap<>();

  /**
   * One VM's clock on the grid, as runs: grid points {@code [start[i], start[i+1])} hold {@code
   * clock[i]}; points from {@code filled} on hold the VM's latest clock. A run is added only when
   * an event crosses a grid point, so a long silence (a VM restarted weeks later) costs one run.
   */
  private static final class Lane {
    long[] start = new long[16];
    long[] clocks = new long[16];
    int runs;
    long filled;
    long clock = -1;
    long firstStopMs = -1;

    long at(long k) {
      if (k >= filled) {
        return clock;
      }
      int lo = 0;
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
  }

  /** {@code firstMs}: each VM's first event, in ms since the run's first. */
  public Drift(List<Integer> ids, SortedMap<Integer, Long> firstMs) {
    this.ids = ids;
    this.from = firstMs.values().stream().mapToLong(Long::longValue).max().orElse(0);
    ids.forEach(id -> lanes.put(id, new Lane()));
  }

  /** VM {@code vm}'s event at {@code tMs} left its clock at {@code clock}. */
  public void accept(int vm, long tMs, EventType type, long clock) {
    Lane lane = lanes.get(vm);
    if (lane == null) {
      return;
    }
    if (lane.clock < 0) {
      lane.clock = clock; // the first event holds for every grid point before it
    }
    // grid points strictly before this event take the clock of the event before it
    long before = tMs <= from ? 0 : (tMs - from + SAMPLE_MS - 1) / SAMPLE_MS;
    if (before > lane.filled) {
      if (lane.runs > 0 && lane.clocks[lane.runs - 1] == lane.clock) {
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
    }
    lane.clock = clock;
    if (type == EventType.STOP && lane.firstStopMs < 0) {
      lane.firstStopMs = tMs;
    }
  }

  /** The samples, once every event has been read; {@code endMs} is the run's last event. */
  public List<Series.DriftSample> samples(long endMs) {
    long to = endMs;
    for (int id : ids) {
      Lane lane = lanes.get(id);
      if (lane.clock < 0) {
        return List.of();
      }
      to = Math.min(to, lane.firstStopMs >= 0 ? lane.firstStopMs : endMs);
    }
    List<Series.DriftSample> out = new ArrayList<>();
    int k = 0;
    for (long t = from; t <= to; t += SAMPLE_MS, k++) {
      long[] clocks = new long[ids.size()];
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < ids.size(); i++) {
        Lane lane = lanes.get(ids.get(i));
        clocks[i] = lane.at(k);
        min = Math.min(min, clocks[i]);
        max = Math.max(max, clocks[i]);
      }
      out.add(new Series.DriftSample(t, clocks, max - min));
    }
    return out;
  }
}
