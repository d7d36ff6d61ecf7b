package logicalclocks.analysis;

import java.util.List;

/**
 * The time series behind the charts and CSV files. Times are milliseconds since the run's first START.
 *
 * @param points every event of every VM
 * @param messages every message, with its fate
 * @param drift clock spread sampled every 100 ms
 */
public record Series(List<Point> points, List<Msg> messages, List<DriftSample> drift) {
  /** One logged event. */
  public record Point(int vm, long tMs, String event, long clock, int queue, long jump) {}

  /**
   * One message: sent at {@code sentMs} by {@code from}; received at {@code recvMs} ({@code -1} when not).
   *
   * @param outcome received, dropped, or queued
   */
  public record Msg(String id, int from, int to, long sentMs, long sentClock, long recvMs, String outcome) {}

  /** Clocks of all VMs at one instant, and their spread. */
  public record DriftSample(long tMs, long[] clocks, long spread) {}
}
