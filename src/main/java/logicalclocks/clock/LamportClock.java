package logicalclocks.clock;

/**
 * A Lamport logical clock: +1 for a local event (SEND, INTERNAL), max(local, received) + 1 for a
 * RECEIVE.
 *
 * <p>Not thread-safe: each VM owns one and touches it only from its tick thread. Values are bounded
 * by {@link #MAX}: a clock never holds more, so no arithmetic here can overflow and every value is
 * exact in JSON and float consumers of the logs. A received clock is acceptable only when applying
 * it cannot take a clock past the bound ({@link #isAcceptable}); a clock AT the bound can take no
 * further event, and its VM stops ({@code STOP reason=clock-limit}).
 */
public final class LamportClock {
  /** The largest value a clock may hold: 2^53. */
  public static final long MAX = 1L << 53;

  private long time;

  public LamportClock() {
    this(0);
  }

  public LamportClock(long start) {
    if (start < 0 || start > MAX) {
      throw new IllegalArgumentException("clock start out of range [0, 2^53]: " + start);
    }
    this.time = start;
  }

  public long time() {
    return time;
  }

  /** Whether the clock is at its bound: no further event can move it. */
  public boolean atLimit() {
    return time >= MAX;
  }

  /** A local event (SEND or INTERNAL): clock = clock + 1. */
  public long tick() {
    return advanceTo(time);
  }

  /** A RECEIVE of a message stamped {@code sent}: clock = max(clock, sent) + 1. */
  public long receive(long sent) {
    if (!isAcceptable(sent)) {
      throw new IllegalArgumentException("received clock out of range [0, 2^53 - 1]: " + sent);
    }
    return advanceTo(Math.max(time, sent));
  }

  private long advanceTo(long base) {
    if (base >= MAX) {
      throw new IllegalStateException("logical clock at its bound 2^53");
    }
    time = base + 1;
    return time;
  }

  /**
   * Whether a clock value received from the network may be applied: {@code 0 <= received < 2^53},
   * so that max(clock, received) + 1 never passes {@link #MAX}.
   */
  public static boolean isAcceptable(long received) {
    return received >= 0 && received < MAX;
  }
}
