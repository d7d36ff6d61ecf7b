package logicalclocks.vm;

/**
 * A clock message between VMs.
 *
 * @param sender id of the sending VM
 * @param sequence per-sender sequence number, from 1
 * @param clock sender's logical clock after its SEND
 * @param sentMillis sender's wall time at sending, ms since the epoch
 */
public record Message(int sender, long sequence, long clock, long sentMillis) {
  /** The message id, {@code <sender>-<sequence>}, as written in the logs. */
  public String id() {
    return id(sender, sequence);
  }

  public static String id(int sender, long sequence) {
    return sender + "-" + sequence;
  }
}
