package logicalclocks.vm;

import java.util.ArrayDeque;

/**
 * A VM's network queue: filled by the transport from any thread, drained by the VM's tick thread.
 * Bounded, deduplicating by message id, and closed for good when the VM stops.
 */
public final class Inbox {
  /** What happened to an offered message. */
  public enum Offer {
    /** Enqueued. */
    ACCEPTED,
    /** The same message (id and clock) was accepted before: not enqueued again. */
    DUPLICATE,
    /** The id was accepted before with another clock: refused. */
    CONFLICT,
    /** The queue is at capacity: refused. */
    FULL,
    /** The VM stopped: refused. */
    CLOSED
  }

  /** Durably records a message before it is acknowledged. */
  @FunctionalInterface
  public interface Journal {
    void accepted(Message m);
  }

  /**
   * How long a message id is remembered for deduplication. A sender gives up on a message within seconds,
   * and the receiver refuses any message sent longer ago than this (see {@link #isTooOld}), so a retry can
   * never outlive its entry; forgetting older ids keeps memory bounded on long runs.
   */
  public static final long DEDUP_HORIZON_MS = 120_000;

  private final int capacity;
  private final java.util.function.LongSupplier nowMillis;
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  /** id -> {clock, accepted at}, in acceptance order. */
  private final java.util.LinkedHashMap<String, long[]> seen = new java.util.LinkedHashMap<>();
  private Journal journal = m -> { };
  private boolean closed;

  public Inbox(int capacity) {
    this(capacity, System::currentTimeMillis);
  }

  /** @param nowMillis wall time, for forgetting old ids (a virtual clock in simulations) */
  public Inbox(int capacity, java.util.function.LongSupplier nowMillis) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    this.capacity = capacity;
    this.nowMillis = nowMillis;
  }

  /** Whether a message sent at {@code sentMillis} is past the dedup horizon and must be refused. */
  public boolean isTooOld(long sentMillis) {
    return sentMillis > 0 && sentMillis < nowMillis.getAsLong() - DEDUP_HORIZON_MS + 10_000;
  }

  /** Ids currently remembered for deduplication. */
  public synchronized int remembered() {
    return seen.size();
  }

  private void forgetOld() {
    long cutoff = nowMillis.getAsLong() - DEDUP_HORIZON_MS;
    var it = seen.values().iterator();
    while (it.hasNext() && it.next()[1] < cutoff) {
      it.remove();
    }
  }

  /** From now on, every accepted message is journaled before {@link #offer} returns ACCEPTED. */
  public synchronized void journalTo(Journal j) {
    this.journal = j;
  }

  /**
   * Restores the state of an earlier run: every journaled message counts as seen; those not yet received
   * are queued again, in their original order.
   */
  public synchronized void restore(java.util.List<Message> journaled, java.util.Set<String> received) {
    for (Message m : journaled) {
      if (seen.putIfAbsent(m.id(), new long[] {m.clock(), nowMillis.getAsLong()}) == null
          && !received.contains(m.id())) {
        queue.addLast(m);
      }
    }
  }

  public synchronized Offer offer(Message m) {
    if (closed) {
      return Offer.CLOSED;
    }
    forgetOld();
    long[] known = seen.get(m.id());
    if (known != null) {
      return known[0] == m.clock() ? Offer.DUPLICATE : Offer.CONFLICT;
    }
    if (queue.size() >= capacity) {
      return Offer.FULL;
    }
    journal.accepted(m);
    seen.put(m.id(), new long[] {m.clock(), nowMillis.getAsLong()});
    queue.addLast(m);
    return Offer.ACCEPTED;
  }

  /** Takes the oldest message, or null when empty. */
  public synchronized Message poll() {
    return queue.pollFirst();
  }

  public synchronized int size() {
    return queue.size();
  }

  /** Refuses every later offer and returns the queue length at that moment. */
  public synchronized int close() {
    closed = true;
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }
}
