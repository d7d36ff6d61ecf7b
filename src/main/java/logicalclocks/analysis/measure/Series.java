package logicalclocks.analysis.measure;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;

/**
 * The time series behind the charts, in memory bounded by what a chart can show, never by the run's
 * length. Times are milliseconds since the run's first START.
 *
 * @param points the events inside the space-time windows (at most {@link SeriesBuilder#PER_WINDOW}
 *     a window), each VM's in its order
 * @param messages the messages, with their fates, sent inside the space-time windows
 * @param drift clock spread sampled every 100 ms: every sample of a run of up to 4,096 of them,
 *     else the widest of each stretch
 * @param jumps per VM, how often each clock jump happened (every tick)
 * @param endMs the run's last event
 * @param physical per VM, points {@code {t ms, hybrid l - pt ms, Lamport clock - own events}}
 *     ({@link PhysicalTime}; empty when the logs carry no hybrid clocks)
 * @param lanes per VM, its clock and queue over time with every minimum and maximum kept ({@link
 *     LaneSummary}): what its charts are drawn from
 */
public record Series(
    List<Point> points,
    List<Msg> messages,
    List<DriftSample> drift,
    Map<Integer, Histogram> jumps,
    long endMs,
    Map<Integer, List<long[]>> physical,
    Map<Integer, LaneSummary> lanes) {

  public Series(
      List<Point> points,
      List<Msg> messages,
      List<DriftSample> drift,
      Map<Integer, Histogram> jumps,
      long endMs) {
    this(points, messages, drift, jumps, endMs, Map.of(), lanesOf(points));
  }

  /** The same series with these physical-time points. */
  public Series withPhysical(Map<Integer, List<long[]>> points) {
    return new Series(this.points, messages, drift, jumps, endMs, points, lanes);
  }

  /** Each VM's events summarised for the charts of its clock and queue over time. */
  static Map<Integer, LaneSummary> lanesOf(List<Point> points) {
    Map<Integer, LaneSummary> out = new TreeMap<>();
    for (Point p : points) {
      out.computeIfAbsent(p.vm(), k -> new LaneSummary(SeriesBuilder.LANE_BUCKETS))
          .add(p.tMs(), p.clock(), p.queue());
    }
    return out;
  }

  /** A series of every event and message given (tests, small runs). */
  public Series(List<Point> points, List<Msg> messages, List<DriftSample> drift) {
    this(
        points,
        messages,
        drift,
        jumpsOf(points),
        points.stream().mapToLong(Point::tMs).max().orElse(0));
  }

  private static Map<Integer, Histogram> jumpsOf(List<Point> points) {
    Map<Integer, Histogram> out = new TreeMap<>();
    for (Point p : points) {
      if (p.event().isTick()) {
        out.computeIfAbsent(p.vm(), k -> new Histogram()).add(p.jump());
      }
    }
    return out;
  }

  /**
   * One logged event, with its vector clock when the log carries one and it is kept (else null).
   */
  public record Point(
      int vm, long tMs, EventType event, long clock, int queue, long jump, VectorClock vc) {}

  /** What became of a message. */
  public enum Fate {
    /** Taken off its receiver's queue (RECEIVE). */
    RECEIVED,
    /** Dropped by its sender, and never got to its receiver. */
    DROPPED,
    /**
     * Still in its receiver's queue at the receiver's last STOP (or, for a run cut short, not yet
     * known).
     */
    QUEUED;

    /** The word in messages.csv. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One message: sent at {@code sentMs} by {@code from}; received at {@code recvMs} ({@code -1}
   * when not).
   *
   * @param outcome what became of it
   */
  public record Msg(
      String id, int from, int to, long sentMs, long sentClock, long recvMs, Fate outcome) {}

  /** Clocks of all VMs at one instant, and their spread. */
  public record DriftSample(long tMs, long[] clocks, long spread) {}
}
