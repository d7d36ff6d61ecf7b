package logicalclocks.vm;

import logicalclocks.clock.HybridTime;
import logicalclocks.clock.VectorClock;

/**
 * A clock message between VMs.
 *
 * @param sender id of the sending VM
 * @param sequence per-sender sequence number, from 1
 * @param clock sender's logical clock after its SEND
 * @param sentMillis sender's wall time at sending, ms since the epoch (informational: no fate
 *     depends on it)
 * @param vector sender's vector clock after its SEND, or null when the sender keeps none
 * @param settledBelow every message of this sender to the same recipient with a lower sequence is
 *     settled at the sender (acknowledged, or its DROP logged), so the recipient may forget their
 *     ids; 0 when not known
 * @param hlc sender's hybrid logical clock after its SEND, or null when it sent none
 */
public record Message(
    int sender,
    long sequence,
    long clock,
    long sentMillis,
    VectorClock vector,
    long settledBelow,
    HybridTime hlc) {
  /** A message without a hybrid clock. */
  public Message(
      int sender,
      long sequence,
      long clock,
      long sentMillis,
      VectorClock vector,
      long settledBelow) {
    this(sender, sequence, clock, sentMillis, vector, settledBelow, null);
  }

  /** A message without a vector clock. */
  public Message(int sender, long sequence, long clock, long sentMillis) {
    this(sender, sequence, clock, sentMillis, null, 0);
  }

  /** A message that says nothing of what its sender has settled. */
  public Message(int sender, long sequence, long clock, long sentMillis, VectorClock vector) {
    this(sender, sequence, clock, sentMillis, vector, 0);
  }

  /** The same message, saying that its sender has settled every lower sequence to its recipient. */
  public Message withSettledBelow(long below) {
    return new Message(sender, sequence, clock, sentMillis, vector, below, hlc);
  }

  /** The message id, {@code <sender>-<sequence>}, as written in the logs. */
  public String id() {
    return id(sender, sequence);
  }

  public static String id(int sender, long sequence) {
    return sender + "-" + sequence;
  }
}
