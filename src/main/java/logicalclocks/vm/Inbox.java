package logicalclocks.vm;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

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

    /**
     * Replaces the journal's content with exactly {@code queued} (its compaction): every other
     * message it held has been RECEIVEd and logged. Called with the inbox locked, so no message is
     * accepted meanwhile.
     */
    default void rewrite(List<Message> queued) {}
  }

  /** Journal lines that trigger a compaction, at the least (see {@link #compactJournal}). */
  public static final int COMPACT_AFTER = 10_000;

  /**
   * How long a message id is remembered for deduplication. A sender gives up on a message within
   * seconds, and the receiver refuses any message sent longer ago than this (see {@link
   * #isTooOld}), so a retry can never outlive its entry; forgetting older ids keeps memory bounded
   * on long runs.
   */
  public static final long DEDUP_HORIZON_MS = 120_000;

  private final int capacity;
  private final LongSupplier nowMillis;
  private final ArrayDeque<Message> queue = new ArrayDeque<>();

  /** id -> {clock, accepted at}, in acceptance order. */
  private final LinkedHashMap<String, long[]> seen = new LinkedHashMap<>();

  private Journal journal = m -> {};
  private long journaled;
  private boolean closed;

  public Inbox(int capacity) {
    this(capacity, System::currentTimeMillis);
  }

  /**
   * @param nowMillis wall time, for forgetting old ids (a virtual clock in simulations)
   */
  public Inbox(int capacity, LongSupplier nowMillis) {
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

  /**
   * From now on, every accepted message is journaled before {@link #offer} returns ACCEPTED. The
   * journal is first rewritten to hold exactly the current queue (after {@link #restore}: what is
   * still to be received).
   */
  public synchronized void journalTo(Journal j) {
    this.journal = j;
    compact();
  }

  /**
   * Compacts the journal when it holds more than {@link #COMPACT_AFTER} lines and twice the queue:
   * it is rewritten to the queued messages. Call only from the VM's thread after a RECEIVE is
   * logged, so that every message the journal forgets is in the event log.
   */
  public synchronized void compactJournal() {
    if (journaled > COMPACT_AFTER && journaled > 2L * queue.size()) {
      compact();
    }
  }

  private void compact() {
    journal.rewrite(List.copyOf(queue));
    journaled = queue.size();
  }

  /**
   * Restores the state of an earlier run: every journaled and every received message counts as
   * seen; the journaled ones not yet received are queued again, in their original order.
   *
   * @param received id -> clock of every message the event log RECEIVEd
   */
  public synchronized void restore(List<Message> journaled, Map<String, Long> received) {
    long now = nowMillis.getAsLong();
    received.forEach((id, clock) -> seen.putIfAbsent(id, new long[] {clock, now}));
    for (Message m : journaled) {
      if (seen.putIfAbsent(m.id(), new long[] {m.clock(), now}) == null) {
        queue.addLast(m);
      }
    }
  }

  /**
   * Whether {@code m} is an exact retry (same id, same clock) of a message this inbox already took.
   * A retry is acknowledged as a duplicate whatever else holds (stopped, full, the sender over its
   * rate): it was delivered, and refusing it would make its sender log a DROP of a message that was
   * received.
   */
  public synchronized boolean isDuplicate(Message m) {
    long[] known = seen.get(m.id());
    return known != null && known[0] == m.clock();
  }

  /**
   * Offers a message. Deduplication comes first: an id seen before is DUPLICATE (same clock) or
   * CONFLICT (another clock) even when the inbox is closed or full.
   */
  public synchronized Offer offer(Message m) {
    forgetOld();
    long[] known = seen.get(m.id());
    if (known != null) {
      return known[0] == m.clock() ? Offer.DUPLICATE : Offer.CONFLICT;
    }
    if (closed) {
      return Offer.CLOSED;
    }
    if (queue.size() >= capacity) {
      return Offer.FULL;
    }
    journal.accepted(m);
    journaled++;
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

  /** Refuses every later new message and returns what is left in the queue, oldest first. */
  public synchronized List<Message> close() {
    closed = true;
    return List.copyOf(queue);
  }

  public int capacity() {
    return capacity;
  }
}
