package logicalclocks.network;

import java.time.Duration;

/**
 * How a sender retries a message that got no Ack within its send timeout: the ONE schedule, used by
 * the live transport ({@code GrpcTransport}) and by the simulation's sender, so a copy lost to the
 * weather costs the same in both. Attempt 1 at once; attempt k (k >= 2) {@link #backoffMillis}(k)
 * after attempt k - 1 timed out; after {@link #ATTEMPTS} attempts, or {@link #giveUpAfter} from the
 * first, the message is DROPped as {@code deadline}.
 */
public final class Retries {
  private Retries() {}

  /** Attempts per message. */
  public static final int ATTEMPTS = 3;

  /**
   * Unacknowledged messages per link, at most: one more is refused at once as {@code backpressure}
   * (the live transport's window, and the simulated one's under weather).
   */
  public static final int WINDOW = 128;

  /** The wait before attempt {@code attempt} (2 or more): 100 ms, then 200 ms. */
  public static long backoffMillis(int attempt) {
    return 100L << (attempt - 2);
  }

  /**
   * How long after its first attempt a sender gives up on a message: every attempt plus the
   * backoffs.
   */
  public static Duration giveUpAfter(Duration sendTimeout) {
    return sendTimeout.multipliedBy(ATTEMPTS).plusMillis(300);
  }
}
