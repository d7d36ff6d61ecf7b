package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps what the charts draw, in memory bounded by the number of VMs, never by the run's length:
 * per VM a {@link LaneSummary} of its clock and queue over time (every minimum and maximum kept);
 * every event inside a space-time window (at most {@link #PER_WINDOW} per window, with its vector
 * clock); the messages sent inside a window.
 */
public final class SeriesBuilder {
  /** Events kept per space-time window. */
  public static final int PER_WINDOW = 5_000;

  /**
   * A VM's buckets when there are few VMs (fewer each with many: 100,000 in all; a chart is about
   * 1,000 pixels wide).
   */
  public static final int LANE_BUCKETS = 1024;

  /**
   * The most VMs whose window events keep their vector clocks (for the report's causal view, a lane
   * each): above, a vector of hundreds of entries per event is neither drawn nor decoded.
   */
  public static final int CAUSAL_VIEW_VMS = 32;

  private final int machines;
  private final int buckets;
  private final List<Long> windows;
  private final int[] perWindow;
  private final Map<Integer, LaneSummary> lanes = new TreeMap<>();
  private final List<Series.Point> points = new ArrayList<>();
  private final List<Series.Msg> windowMessages = new ArrayList<>();

  /** {@code machines} VMs; windows starting at {@code windows}, each {@link Windows#WIDTH_MS}. */
  public SeriesBuilder(int machines, List<Long> windows) {
    this.machines = machines;
    this.buckets = Math.max(16, Math.min(LANE_BUCKETS, 100_000 / Math.max(1, machines)));
    this.windows = windows;
    this.perWindow = new int[windows.size()];
  }

  /** Whether the window events keep their vector clocks (see {@link #CAUSAL_VIEW_VMS}). */
  public boolean keepsVectors() {
    return machines <= CAUSAL_VIEW_VMS;
  }

  /** Which window {@code tMs} is in (closed at both ends), or -1. */
  public int window(long tMs) {
    int i = windowOf(tMs);
    return i >= 0 && perWindow[i] < PER_WINDOW ? i : -1;
  }

  /** Which window {@code tMs} is in, full or not, or -1. */
  private int windowOf(long tMs) {
    for (int i = 0; i < windows.size(); i++) {
      if (tMs >= windows.get(i) && tMs <= windows.get(i) + Windows.WIDTH_MS) {
        return i;
      }
    }
    return -1;
  }

  /** A VM's next event (with its vector clock when in a window). */
  public void add(Series.Point p, int window) {
    lanes.computeIfAbsent(p.vm(), k -> new LaneSummary(buckets)).add(p.tMs(), p.clock(), p.queue());
    if (window >= 0) {
      perWindow[window]++;
      points.add(p);
    }
  }

  /** A message's final row. */
  public void message(Series.Msg m) {
    if (windowMessages.size() < PER_WINDOW * windows.size() && windowOf(m.sentMs()) >= 0) {
      windowMessages.add(m);
    }
  }

  /** The series; {@code jumps} from the VMs' accumulators. */
  public Series build(List<Series.DriftSample> drift, Map<Integer, Histogram> jumps, long endMs) {
    List<Series.Point> byVm = new ArrayList<>(points);
    byVm.sort(java.util.Comparator.comparingInt(Series.Point::vm)); // stable: each VM's in order
    return new Series(
        byVm,
        sortedLikeSends(windowMessages),
        drift,
        jumps,
        endMs,
        Map.of(),
        java.util.Collections.unmodifiableMap(new TreeMap<>(lanes)));
  }

  /** Messages by sender, then sequence: the order their SENDs have in the logs. */
  static List<Series.Msg> sortedLikeSends(List<Series.Msg> messages) {
    List<Series.Msg> out = new ArrayList<>(messages);
    out.sort(
        (a, b) -> {
          int byFrom = Integer.compare(a.from(), b.from());
          return byFrom != 0 ? byFrom : Long.compare(seq(a.id()), seq(b.id()));
        });
    return out;
  }

  private static long seq(String id) {
    return logicalclocks.analysis.stream.MessageIds.seqOf(id);
  }
}
