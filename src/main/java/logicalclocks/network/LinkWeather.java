package logicalclocks.network;

import java.util.List;
import java.util.random.RandomGenerator;
import logicalclocks.config.WeatherConfig;
import logicalclocks.vm.Seeds;

/**
 * The weather of one link (VM {@code from} to VM {@code to}): pure and seeded, the same in a live
 * run ({@code GrpcTransport}) and in the simulation. For each copy of a message put on the wire at
 * time t (ms since the run started), {@link #next} says whether it is lost, after what delay it
 * arrives, and whether a duplicate copy follows it (and after what delay).
 *
 * <ul>
 *   <li><b>Delay</b>: {@code delayMs} plus a jitter uniform in {@code [0, jitterMs)}, drawn per
 *       copy; copies with different jitter overtake each other, as on a real network.
 *   <li><b>Loss</b>: with probability {@code loss}, or when a partition cutting this link is in
 *       force at any time between the copy's departure and its arrival. A lost copy never arrives;
 *       the sender's own retry (no Ack within its send timeout) sends it again.
 *   <li><b>Duplicate</b>: with probability {@code duplicate}, a copy that is not lost is followed
 *       by a second copy with a delay of its own (fixed plus its own jitter, no hold); the receiver
 *       takes the message once and acknowledges the other copy as a duplicate.
 *   <li><b>Reorder</b>: with probability {@code reorder}, a copy is held back {@code jitterMs +}
 *       {@link WeatherConfig#REORDER_HOLD_MS} beyond its delay, so that every copy put on the wire
 *       within {@code REORDER_HOLD_MS} after it (and not held itself) overtakes it.
 * </ul>
 *
 * <p>Every copy draws exactly five numbers from the link's own stream ({@link Seeds#forLink}),
 * whatever its fate, so the n-th copy on a link meets the same weather in any engine. Calm weather
 * has no model at all ({@link #of} returns null): nothing is drawn.
 */
public final class LinkWeather {
  /**
   * One copy's fate.
   *
   * @param lost it never arrives
   * @param delayNanos when not lost, how long after its departure it arrives
   * @param duplicate a second copy follows
   * @param duplicateDelayNanos when {@code duplicate}, how long after the departure the second
   *     arrives
   * @param reordered it was held back (its delay includes the hold)
   */
  public record Copy(
      boolean lost,
      long delayNanos,
      boolean duplicate,
      long duplicateDelayNanos,
      boolean reordered) {}

  private static final long MS = 1_000_000L;

  private final WeatherConfig weather;
  private final RandomGenerator random;
  private final List<WeatherConfig.Partition> cuts;

  private LinkWeather(WeatherConfig weather, RandomGenerator random, int from, int to) {
    this.weather = weather;
    this.random = random;
    this.cuts = weather.partitions().stream().filter(p -> p.cuts(from, to)).toList();
  }

  /**
   * The weather of the link from {@code from} to {@code to} in a run seeded with {@code seed}, or
   * null when {@code weather} is calm (nothing to model, nothing drawn).
   */
  public static LinkWeather of(WeatherConfig weather, long seed, int from, int to) {
    if (weather == null || weather.calm()) {
      return null;
    }
    return new LinkWeather(weather, Seeds.forLink(seed, from, to), from, to);
  }

  /** The fate of the next copy put on this link's wire at {@code tMillis} since the run started. */
  public synchronized Copy next(long tMillis) {
    double uLoss = random.nextDouble();
    double uJitter = random.nextDouble();
    double uDuplicate = random.nextDouble();
    double uDuplicateJitter = random.nextDouble();
    double uReorder = random.nextDouble();
    long fixed = weather.delayMs() * MS;
    long jitter = weather.jitterMs() * MS;
    boolean reordered = uReorder < weather.reorder();
    long delay =
        fixed
            + (long) (uJitter * jitter)
            + (reordered ? jitter + WeatherConfig.REORDER_HOLD_MS * MS : 0);
    if (uLoss < weather.loss() || cut(tMillis, tMillis + ceilMillis(delay))) {
      return new Copy(true, 0, false, 0, false);
    }
    long second = fixed + (long) (uDuplicateJitter * jitter);
    boolean duplicate =
        uDuplicate < weather.duplicate() && !cut(tMillis, tMillis + ceilMillis(second));
    return new Copy(false, delay, duplicate, duplicate ? second : 0, reordered);
  }

  /** Whether a partition cuts this link at any time of {@code [fromMs, toMs]}. */
  public boolean cut(long fromMs, long toMs) {
    for (WeatherConfig.Partition p : cuts) {
      if (p.during(fromMs, toMs)) {
        return true;
      }
    }
    return false;
  }

  private static long ceilMillis(long nanos) {
    return (nanos + MS - 1) / MS;
  }
}
