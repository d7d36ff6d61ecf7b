package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.event.EventType;

/**
 * Keeps what the charts draw, in bounded memory: per VM its events while there are at most {@link
 * #cap} of them, then a series thinned by doubling strides (START and STOP always kept); every
 * event inside a space-time window (at most {@link #PER_WINDOW} per window, with its vector clock);
 * and the messages sent inside a window (all of them while no VM was thinned).
 */
public final class SeriesBuilder {
  /** Events kept per space-time window. */
  public static final int PER_WINDOW = 5_000;

  private final int cap;
  private final List<Long> windows;
  private final int[] perWindow;
  private final Map<Integer, Lane> lanes = new TreeMap<>();
  private final List<Series.Msg> messages = new ArrayList<>();
  private final List<Series.Msg> windowMessages = new ArrayList<>();
  private boolean thinned;

  private static final class Lane {
    final List<Series.Point> points = new ArrayList<>();
    long[] index = new long[64];
    boolean[] pinned = new boolean[64];
    long count;
    long stride = 1;
  }

  /** {@code machines} VMs; windows starting at {@code windows}, each {@link Windows#WIDTH_MS}. */
  public SeriesBuilder(int machines, List<Long> windows) {
    this.cap = Math.max(6_000, 600_000 / Math.max(1, machines));
    this.windows = windows;
    this.perWindow = new int[windows.size()];
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
    Lane lane = lanes.computeIfAbsent(p.vm(), k -> new Lane());
    lane.count++;
    boolean pinned = window >= 0 || p.event() == EventType.START || p.event() == EventType.STOP;
    if (window >= 0) {
      perWindow[window]++;
    }
    if (!pinned && lane.count % lane.stride != 0) {
      return;
    }
    int size = lane.points.size();
    if (size == lane.index.length) {
      lane.index = Arrays.copyOf(lane.index, size * 2);
      lane.pinned = Arrays.copyOf(lane.pinned, size * 2);
    }
    lane.points.add(p);
    lane.index[size] = lane.count;
    lane.pinned[size] = pinned;
    if (lane.points.size() > cap) {
      thin(lane);
    }
  }

  private void thin(Lane lane) {
    thinned = true;
    messages.clear();
    lane.stride *= 2;
    int k = 0;
    for (int i = 0; i < lane.points.size(); i++) {
      if (lane.pinned[i] || lane.index[i] % lane.stride == 0) {
        lane.points.set(k, lane.points.get(i));
        lane.index[k] = lane.index[i];
        lane.pinned[k] = lane.pinned[i];
        k++;
      }
    }
    lane.points.subList(k, lane.points.size()).clear();
  }

  /** A message's final row. */
  public void message(Series.Msg m) {
    if (!thinned) {
      messages.add(m);
    }
    if (windowMessages.size() < PER_WINDOW * windows.size() && windowOf(m.sentMs()) >= 0) {
      windowMessages.add(m);
    }
  }

  /** The series; {@code jumps} from the VMs' accumulators. */
  public Series build(List<Series.DriftSample> drift, Map<Integer, Histogram> jumps, long endMs) {
    List<Series.Point> points = new ArrayList<>();
    lanes.values().forEach(l -> points.addAll(l.points));
    List<Series.Msg> msgs = thinned ? windowMessages : sortedLikeSends(messages);
    return new Series(points, msgs, drift, jumps, endMs);
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
