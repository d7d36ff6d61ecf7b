package logicalclocks.vm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

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

  private final int capacity;
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final Map<String, Long> seen = new HashMap<>();
  private Journal journal = m -> { };
  private boolean closed;

  public Inbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    this.capacity = capacity;
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
      if (seen.putIfAbsent(m.id(), m.clock()) == null && !received.contains(m.id())) {
        queue.addLast(m);
      }
    }
  }

  public synchronized Offer offer(Message m) {
    if (closed) {
      return Offer.CLOSED;
    }
    Long clock = seen.get(m.id());
    if (clock != null) {
      return clock == m.clock() ? Offer.DUPLICATE : Offer.CONFLICT;
    }
    if (queue.size() >= capacity) {
      return Offer.FULL;
    }
    journal.accepted(m);
    seen.put(m.id(), m.clock());
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

  public synchronized boolean isClosed() {
    return closed;
  }

  public int capacity() {
    return capacity;
  }
}
