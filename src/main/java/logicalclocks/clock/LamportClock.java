package logicalclocks.clock;

/**
 * A Lamport logical clock: +1 for a local event (SEND, INTERNAL), max(local, received) + 1 for a RECEIVE.
 *
 * <p>Not thread-safe: each VM owns one and touches it only from its tick thread. Values are bounded by
 * {@link #MAX_ACCEPTED}, so no arithmetic here can overflow; the transport refuses larger received values
 * before they reach a clock.
 */
public final class LamportClock {
  /** Largest clock value accepted from a peer (2^53, exact in every JSON/float consumer of the logs). */
  public static final long MAX_ACCEPTED = 1L << 53;

  private long time;

  public LamportClock() {
    this(0);
  }

  public LamportClock(long start) {
    if (start < 0 || start > MAX_ACCEPTED) {
      throw new IllegalArgumentException("clock start out of range [0, 2^53]: " + start);
    }
    this.time = start;
  }

  public long time() {
    return time;
  }

  /** A local event (SEND or INTERNAL): clock = clock + 1. */
  public long tick() {
    return advanceTo(time);
  }

  /** A RECEIVE of a message stamped {@code sent}: clock = max(clock, sent) + 1. */
  public long receive(long sent) {
    if (!isAcceptable(sent)) {
      throw new IllegalArgumentException("received clock out of range [0, 2^53]: " + sent);
    }
    return advanceTo(Math.max(time, sent));
  }

  private long advanceTo(long base) {
    if (base >= MAX_ACCEPTED + Integer.MAX_VALUE) {
      throw new IllegalStateException("logical clock exhausted at " + base);
    }
    time = base + 1;
    return time;
  }

  /** Whether a clock value received from the network may be applied to a clock. */
  public static boolean isAcceptable(long received) {
    return received >= 0 && received <= MAX_ACCEPTED;
  }
}
