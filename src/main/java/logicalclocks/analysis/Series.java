package logicalclocks.analysis;

import java.util.List;
import java.util.Locale;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;

/**
 * The time series behind the charts and CSV files. Times are milliseconds since the run's first
 * START.
 *
 * @param points every event of every VM
 * @param messages every message, with its fate
 * @param drift clock spread sampled every 100 ms
 */
public record Series(List<Point> points, List<Msg> messages, List<DriftSample> drift) {
  /** One logged event. */
  /** One logged event, with its vector clock when the log carries one (else null). */
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
      String id, int from, int to, long sentMs, long sentClock, long recvMs, Fate outcome) {
    Msg with(Fate fate, long atMs) {
      return new Msg(id, from, to, sentMs, sentClock, atMs, fate);
    }
  }

  /** Clocks of all VMs at one instant, and their spread. */
  public record DriftSample(long tMs, long[] clocks, long spread) {}
}
