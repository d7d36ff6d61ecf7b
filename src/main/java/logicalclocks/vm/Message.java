package logicalclocks.vm;

import logicalclocks.clock.VectorClock;

/**
 * A clock message between VMs.
 *
 * @param sender id of the sending VM
 * @param sequence per-sender sequence number, from 1
 * @param clock sender's logical clock after its SEND
 * @param sentMillis sender's wall time at sending, ms since the epoch
 * @param vector sender's vector clock after its SEND, or null when the sender keeps none
 */
public record Message(int sender, long sequence, long clock, long sentMillis, VectorClock vector) {
  /** A message without a vector clock. */
  public Message(int sender, long sequence, long clock, long sentMillis) {
    this(sender, sequence, clock, sentMillis, null);
  }

  /** The message id, {@code <sender>-<sequence>}, as written in the logs. */
  public String id() {
    return id(sender, sequence);
  }

  public static String id(int sender, long sequence) {
    return sender + "-" + sequence;
  }
}
