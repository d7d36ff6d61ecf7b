package logicalclocks.config;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The network's weather, the same for every link of a run (each link draws from a stream of its
 * own): a fixed delay plus a jitter, loss, duplication, reordering, and partitions on a schedule.
 * {@link #NONE} is calm: no copy is touched and nothing random is drawn. Checked by {@link
 * ModelConfig.Builder} like the other knobs; the model itself is {@code
 * logicalclocks.network.LinkWeather}.
 *
 * @param delayMs fixed delay added to every copy of a message put on the wire
 * @param jitterMs extra delay, uniform in {@code [0, jitterMs)}, drawn per copy
 * @param loss probability that a copy is lost
 * @param duplicate probability that a copy that is not lost is followed by a second copy
 * @param reorder probability that a copy is held back {@code jitterMs + }{@link #REORDER_HOLD_MS}
 *     more, so the copies put on the wire in the next {@link #REORDER_HOLD_MS} overtake it
 * @param partitions cuts on a schedule (times from the run's start)
 */
public record WeatherConfig(
    int delayMs,
    int jitterMs,
    double loss,
    double duplicate,
    double reorder,
    List<Partition> partitions) {

  /** Calm: no delay, no loss, no duplicates, no reordering, no partitions. */
  public static final WeatherConfig NONE = new WeatherConfig(0, 0, 0, 0, 0, List.of());

  /** Longest delay or jitter (ms). */
  public static final int MAX_DELAY_MS = 60_000;

  /** Latest start and longest length of a partition (ms): a week. */
  public static final long MAX_PARTITION_MS = 7L * 24 * 3600 * 1000;

  /** Most partitions in one run. */
  public static final int MAX_PARTITIONS = 1000;

  /**
   * How long a reordered copy is held beyond its jitter: every copy put on the wire within this
   * much after it, and not held itself, arrives before it.
   */
  public static final int REORDER_HOLD_MS = 50;

  /**
   * A partition: from {@code atMs} for {@code forMs} (ms since the run started), the VMs in {@code
   * vms} and the others cannot reach each other (both directions); links within either side are
   * untouched.
   */
  public record Partition(long atMs, long forMs, SortedSet<Integer> vms) {
    public Partition {
      vms = new TreeSet<>(vms);
    }

    /** Whether this partition cuts the link between {@code from} and {@code to}. */
    public boolean cuts(int from, int to) {
      return vms.contains(from) != vms.contains(to);
    }

    /** Whether it is in force at any time of {@code [fromMs, toMs]}. */
    public boolean during(long fromMs, long toMs) {
      return fromMs < atMs + forMs && toMs >= atMs;
    }

    /** The spec form, {@code at=10000ms,for=5000ms,vms=0+2}. */
    public String spec() {
      StringBuilder ids = new StringBuilder();
      for (int id : vms) {
        ids.append(ids.isEmpty() ? "" : "+").append(id);
      }
      return "at=" + atMs + "ms,for=" + forMs + "ms,vms=" + ids;
    }
  }

  public WeatherConfig {
    partitions = List.copyOf(partitions);
  }

  /** Whether this weather touches nothing (then no random number is drawn for it). */
  public boolean calm() {
    return delayMs == 0
        && jitterMs == 0
        && loss == 0
        && duplicate == 0
        && reorder == 0
        && partitions.isEmpty();
  }

  /** The VM ids a partition may name in a run of {@code machines}. */
  static boolean validIds(Set<Integer> ids, int machines) {
    return !ids.isEmpty()
        && ids.size() < machines
        && ids.stream().allMatch(i -> i >= 0 && i < machines);
  }

  /** One line for START-like summaries and reports, e.g. {@code delay 20+U(0,10) ms, loss 0.02}. */
  public String label() {
    if (calm()) {
      return "calm";
    }
    StringBuilder s = new StringBuilder();
    if (delayMs > 0 || jitterMs > 0) {
      s.append("delay ").append(delayMs);
      if (jitterMs > 0) {
        s.append("+U(0,").append(jitterMs).append(")");
      }
      s.append(" ms");
    }
    append(s, "loss", loss);
    append(s, "duplicate", duplicate);
    append(s, "reorder", reorder);
    for (Partition p : partitions) {
      s.append(s.isEmpty() ? "" : ", ").append("partition ").append(p.spec());
    }
    return s.toString();
  }

  private static void append(StringBuilder s, String name, double p) {
    if (p > 0) {
      s.append(s.isEmpty() ? "" : ", ").append(name).append(' ').append(p);
    }
  }
}
