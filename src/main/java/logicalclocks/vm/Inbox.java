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

  private final int capacity;
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final Map<String, Long> seen = new HashMap<>();
  private boolean closed;

  public Inbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    this.capacity = capacity;
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
