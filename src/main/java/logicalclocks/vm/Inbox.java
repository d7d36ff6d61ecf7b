package logicalclocks.vm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A VM's network queue: filled by the transport from any thread, drained by the VM's tick thread.
 * Bounded, deduplicating by message id, and closed for good when the VM stops.
 *
 * <p>Admission is one atomic step ({@link #offer(Message, BooleanSupplier)}): deduplication, then
 * the refusals that depend on state or load, then the journal, then the queue, under one lock.
 *
 * <p><b>What it remembers.</b> For each sender, every id it took at or above that sender's
 * <em>settled floor</em>: the lowest sequence the sender may still send again, which the sender
 * states in each message ({@link Message#settledBelow}). Below the floor the sender has settled
 * every message (acknowledged, or its DROP logged) and will never send one again, so an arrival
 * below it is a duplicate. Memory is thus bounded by what a sender can still re-send, never by a
 * wall-clock horizon; no wall clock is read.
 */
public final class Inbox {
  /** What happened to an offered message. */
  public enum Offer {
    /** Enqueued. */
    ACCEPTED,
    /** The same message (id and clock) was accepted before, or lies below its settled floor. */
    DUPLICATE,
    /** The id was accepted before with another clock: refused. */
    CONFLICT,
    /** The queue is at capacity, or the sender has more ids remembered than it may: refused. */
    FULL,
    /** The VM stopped: refused. */
    CLOSED,
    /** The caller's admission check (e.g. the sender's rate) refused it. */
    REFUSED
  }

  /** Durably records a message before it is acknowledged. */
  @FunctionalInterface
  public interface Journal {
    void accepted(Message m);

    /**
     * Replaces the journal's content with exactly {@code queued} and each sender's settled floor
     * (its compaction): every other message it held has been RECEIVEd and logged. Called with the
     * inbox locked, so no message is accepted meanwhile.
     */
    default void rewrite(List<Message> queued, Map<Integer, Long> floors) {}
  }

  /** Journal lines that trigger a compaction, at the least (see {@link #compactJournal}). */
  public static final int COMPACT_AFTER = 10_000;

  /**
   * Most ids remembered per sender. An honest sender keeps at most its rate times its give-up time
   * unsettled (10,000 ticks/s x 6.3 s = 63,000); a client that never states a floor is refused
   * (RESOURCE_EXHAUSTED) past this instead of growing the receiver's memory.
   */
  public static final int MAX_REMEMBERED_PER_SENDER = 262_144;

  /**
   * One sender's memory: its settled floor, the ids taken at or above it (seq -> clock), and the
   * ids refused at or above it (seq -> how), so that another copy of a refused message (a duplicate
   * the network made, a retry after a lost Ack) is refused again, never taken: a message has one
   * fate.
   */
  private static final class Sender {
    long floor;
    final TreeMap<Long, Long> held = new TreeMap<>();
    final TreeMap<Long, Offer> refused = new TreeMap<>();

    void settle(long below) {
      if (below > floor) {
        floor = below;
        held.headMap(below).clear();
        refused.headMap(below).clear();
      }
    }

    Offer refuse(long seq, Offer how) {
      if (refused.size() < MAX_REMEMBERED_PER_SENDER) {
        refused.put(seq, how);
      }
      return how;
    }

    boolean holds(long seq) {
      return seq < floor || held.containsKey(seq);
    }
  }

  private final int capacity;
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final Map<Integer, Sender> senders = new HashMap<>();

  /** The highest snapshot colour seen on an offered message or announced by a marker. */
  private volatile long seen; // written under the lock, read on every tick without it

  /**
   * The snapshots whose channels this inbox records: per snapshot id, per sender, the ids of the
   * messages of a lower colour (sent inside the cut) accepted after this VM's cut.
   */
  private final Map<Long, Map<Integer, List<String>>> recording = new TreeMap<>();

  private Journal journal = m -> {};
  private long journaled;
  private boolean closed;

  public Inbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    this.capacity = capacity;
  }

  private Sender sender(int id) {
    return senders.computeIfAbsent(id, k -> new Sender());
  }

  /** Ids currently remembered for deduplication, over all senders. */
  public synchronized int remembered() {
    return senders.values().stream().mapToInt(s -> s.held.size()).sum();
  }

  /** Each sender's settled floor (0 when it never stated one). */
  public synchronized Map<Integer, Long> floors() {
    Map<Integer, Long> out = new TreeMap<>();
    senders.forEach((id, s) -> out.put(id, s.floor));
    return out;
  }

  /**
   * From now on, every accepted message is journaled before {@link #offer} returns ACCEPTED. The
   * journal is first rewritten to hold exactly the current queue and floors (after {@link
   * #restore}: what is still to be received).
   */
  public synchronized void journalTo(Journal j) {
    this.journal = j;
    compact();
  }

  /**
   * Compacts the journal when it holds more than {@link #COMPACT_AFTER} lines and twice the queue:
   * it is rewritten to the queued messages and floors. Call only from the VM's thread after a
   * RECEIVE is logged, so that every message the journal forgets is in the event log.
   */
  public synchronized void compactJournal() {
    if (journaled > COMPACT_AFTER && journaled > 2L * queue.size()) {
      compact();
    }
  }

  private void compact() {
    journal.rewrite(List.copyOf(queue), floors());
    journaled = queue.size();
  }

  /**
   * Restores the state of an earlier run: each sender's floor, then every journaled and every
   * received message counts as taken; the journaled ones not yet received are queued again, in
   * their original order.
   *
   * @param journaled the journal's messages, in order
   * @param received id -> clock of the messages the event log RECEIVEd (at least those at or above
   *     their sender's floor, and those in the journal)
   * @param floors each sender's settled floor, as journaled
   */
  public synchronized void restore(
      List<Message> journaled, Map<String, Long> received, Map<Integer, Long> floors) {
    floors.forEach((id, f) -> sender(id).settle(f));
    received.forEach(
        (id, clock) -> {
          int dash = id.indexOf('-');
          int from = Integer.parseInt(id.substring(0, dash));
          long seq = Long.parseLong(id.substring(dash + 1));
          Sender s = sender(from);
          if (seq >= s.floor) {
            s.held.putIfAbsent(seq, clock);
          }
        });
    for (Message m : journaled) {
      Sender s = sender(m.sender());
      s.settle(m.settledBelow());
      if (!received.containsKey(m.id())) {
        if (m.sequence() >= s.floor) {
          s.held.put(m.sequence(), m.clock());
        }
        queue.addLast(m);
      }
    }
  }

  /**
   * Of {@code sequences} of {@code sender}'s messages, those this inbox has taken (or that lie
   * below the sender's floor): what a restarted sender need not send again.
   */
  public synchronized List<Long> held(int sender, Collection<Long> sequences) {
    Sender s = senders.get(sender);
    List<Long> out = new ArrayList<>();
    if (s != null) {
      for (long q : sequences) {
        if (s.holds(q)) {
          out.add(q);
        }
      }
    }
    return out;
  }

  /**
   * Offers a message with no other admission check. See {@link #offer(Message, BooleanSupplier)}.
   */
  public synchronized Offer offer(Message m) {
    return offer(m, () -> true);
  }

  /**
   * Offers a message, in one atomic step. Deduplication comes first: an id taken before is
   * DUPLICATE (same clock) or CONFLICT (another clock), and one below its sender's floor is
   * DUPLICATE, even when the inbox is closed or full. An id refused before (FULL or REFUSED) is
   * refused again the same way, so no second copy of it is ever taken. A new message is then
   * refused when the inbox is closed, when {@code admitNew} (asked only for a new message) says no,
   * or when the inbox is full; otherwise journaled, remembered and queued.
   */
  public synchronized Offer offer(Message m, BooleanSupplier admitNew) {
    return offer(m, admitNew, () -> true);
  }

  /**
   * As {@link #offer(Message, BooleanSupplier)}, but a refusal by {@code admitNew} is remembered
   * (every later copy refused too) only when {@code definite} says so once it has refused: a
   * refusal the sender logs as ambiguous (e.g. {@code deadline}) may be followed by a copy that is
   * taken, a late delivery; a definite one ({@code backpressure}) may not.
   */
  public synchronized Offer offer(Message m, BooleanSupplier admitNew, BooleanSupplier definite) {
    seen = Math.max(seen, m.snapshot());
    Sender s = sender(m.sender());
    s.settle(m.settledBelow());
    if (m.sequence() < s.floor) {
      return Offer.DUPLICATE;
    }
    Long known = s.held.get(m.sequence());
    if (known != null) {
      return known == m.clock() ? Offer.DUPLICATE : Offer.CONFLICT;
    }
    Offer before = s.refused.get(m.sequence());
    if (before != null) {
      return before;
    }
    if (closed) {
      return Offer.CLOSED;
    }
    if (!admitNew.getAsBoolean()) {
      return definite.getAsBoolean() ? s.refuse(m.sequence(), Offer.REFUSED) : Offer.REFUSED;
    }
    if (queue.size() >= capacity || s.held.size() >= MAX_REMEMBERED_PER_SENDER) {
      return s.refuse(m.sequence(), Offer.FULL);
    }
    journal.accepted(m);
    journaled++;
    s.held.put(m.sequence(), m.clock());
    queue.addLast(m);
    if (!recording.isEmpty()) {
      recording.forEach(
          (id, channels) -> {
            if (m.snapshot() < id) {
              channels.computeIfAbsent(m.sender(), k -> new ArrayList<>()).add(m.id());
            }
          });
    }
    return Offer.ACCEPTED;
  }

  /**
   * A marker: snapshot {@code id} has begun, so this VM records its state at its next step (a
   * message of that colour says the same).
   */
  public synchronized void announce(long id) {
    seen = Math.max(seen, id);
  }

  /** The highest snapshot colour seen or announced. */
  public long seen() {
    return seen;
  }

  /**
   * This VM's cut for snapshot {@code id}, in one atomic step: the ids of the messages in the queue
   * sent inside the cut (colour below {@code id}; one of a higher colour came after its sender's
   * cut, so after this one), oldest first; from now on every accepted message of a lower colour is
   * recorded as in transit at the cut, until {@link #endRecording}.
   */
  public synchronized List<String> cut(long id) {
    List<String> inside = new ArrayList<>();
    for (Message m : queue) {
      if (m.snapshot() < id) {
        inside.add(m.id());
      }
    }
    recording.put(id, new TreeMap<>());
    return inside;
  }

  /**
   * Stops recording snapshot {@code id}'s channels: per sender, the ids of the messages sent inside
   * the cut that were accepted after this VM's cut (none: an empty map).
   */
  public synchronized Map<Integer, List<String>> endRecording(long id) {
    Map<Integer, List<String>> channels = recording.remove(id);
    return channels == null ? Map.of() : channels;
  }

  /** Takes the oldest message, or null when empty. */
  public synchronized Message poll() {
    return queue.pollFirst();
  }

  public synchronized int size() {
    return queue.size();
  }

  /** Whether the inbox refuses new messages (its VM stopped). */
  public synchronized boolean isClosed() {
    return closed;
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
