package logicalclocks.vm;

import logicalclocks.clock.ClockKind;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.Stamps;
import logicalclocks.clock.VectorClock;

/**
 * A clock message between VMs.
 *
 * @param sender id of the sending VM
 * @param sequence per-sender sequence number, from 1
 * @param clock sender's logical clock after its SEND
 * @param sentMillis sender's wall time at sending, ms since the epoch (informational: no fate
 *     depends on it)
 * @param settledBelow every message of this sender to the same recipient with a lower sequence is
 *     settled at the sender (acknowledged, or its DROP logged), so the recipient may forget their
 *     ids; 0 when not known
 * @param stamps the sender's other clocks after its SEND (its vector and hybrid clocks, and any
 *     other kind it keeps): a kind it keeps none of is absent
 * @param snapshot its colour: how many snapshots its sender had recorded its state for when it sent
 *     it ({@link Snapshots}); a message of colour {@code c} was sent inside the cut of every
 *     snapshot above {@code c} and outside those up to {@code c}
 */
public record Message(
    int sender,
    long sequence,
    long clock,
    long sentMillis,
    long settledBelow,
    Stamps stamps,
    long snapshot) {
  public Message {
    stamps = stamps == null ? Stamps.NONE : stamps;
  }

  /** A message sent before any snapshot (colour 0). */
  public Message(
      int sender, long sequence, long clock, long sentMillis, long settledBelow, Stamps stamps) {
    this(sender, sequence, clock, sentMillis, settledBelow, stamps, 0);
  }

  /** A message with a vector clock and a hybrid clock (either null: none). */
  public Message(
      int sender,
      long sequence,
      long clock,
      long sentMillis,
      VectorClock vector,
      long settledBelow,
      HybridTime hlc) {
    this(sender, sequence, clock, sentMillis, settledBelow, stamps(vector, hlc));
  }

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

  private static Stamps stamps(VectorClock vector, HybridTime hlc) {
    java.util.Map<ClockKind<?>, Object> m = new java.util.LinkedHashMap<>();
    if (hlc != null) {
      m.put(ClockKind.HYBRID, hlc);
    }
    if (vector != null) {
      m.put(ClockKind.VECTOR, vector);
    }
    return Stamps.of(m);
  }

  /** The sender's vector clock after its SEND, or null when it keeps none. */
  public VectorClock vector() {
    return stamps.get(ClockKind.VECTOR);
  }

  /** The sender's hybrid clock after its SEND, or null when it sent none. */
  public HybridTime hlc() {
    return stamps.get(ClockKind.HYBRID);
  }

  /** The same message, saying that its sender has settled every lower sequence to its recipient. */
  public Message withSettledBelow(long below) {
    return new Message(sender, sequence, clock, sentMillis, below, stamps, snapshot);
  }

  /** The message id, {@code <sender>-<sequence>}, as written in the logs. */
  public String id() {
    return id(sender, sequence);
  }

  public static String id(int sender, long sequence) {
    return sender + "-" + sequence;
  }
}
