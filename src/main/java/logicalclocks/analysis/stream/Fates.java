package logicalclocks.analysis.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.event.EventType;
import logicalclocks.event.Extras;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader.Line;

/**
 * Every message's fate, settled as the pass reads it: a SEND's messages are pending until a fate
 * names them (a RECEIVE, a DROP, or the receiver's last STOP naming it as queued), then they are
 * remembered compactly (ranges of sequences per sender), so a later second fate is still found. A
 * second fate that with the first makes a late delivery (an ambiguous DROP and a RECEIVE or a place
 * in the queue) is {@link Listener#late}; any other is {@link Listener#extra}. Memory: the pending
 * messages, one range per gap in each sender's settled sequences, the ambiguous DROPs not yet
 * followed by their other fate, and the details of the last {@link #DETAILS} settled messages (to
 * name the first fate's line when a second comes).
 */
public final class Fates {
  /** Settled messages whose first fate's line is remembered, newest first out of memory last. */
  public static final int DETAILS = 1 << 12;

  /** A message as its SEND wrote it. */
  public record Sent(String id, int from, long seq, int to, long clock, Line line) {
    public long tMs(long baseMs) {
      return line.event().ts().toEpochMilli() - baseMs;
    }

    /** The same, its line kept without the keys no later fate needs (only the clock kinds'). */
    Sent slim() {
      return new Sent(id, from, seq, to, clock, Fates.slim(line, KIND_KEYS));
    }
  }

  /** The log keys of every clock kind: a SEND's stamps, which a late fate's checks read. */
  private static final String[] KIND_KEYS =
      ClockKinds.all().stream().map(ClockKind::key).toArray(String[]::new);

  /** A line's where, time, event and clock, and of its extra keys only {@code keep}. */
  static Line slim(Line l, String... keep) {
    LogEvent e = l.event();
    Extras x = new Extras(keep.length);
    for (String k : keep) {
      String v = e.get(k);
      if (v != null) {
        x.put(k, v);
      }
    }
    return new Line(
        l.file(), l.number(), new LogEvent(e.ts(), e.vm(), e.event(), e.clock(), e.queue(), x));
  }

  /** What became of a message, once final. */
  public enum Outcome {
    RECEIVED,
    DROPPED,
    QUEUED
  }

  /** Told of each step of each message's fate. */
  public interface Listener {
    /** A message sent. */
    default void sent(Sent s) {}

    /** Its first fate ({@code ambiguous}: a DROP whose reason leaves the fate unknown). */
    default void settled(Sent s, Line fate, boolean ambiguous) {}

    /** A second fate that with the first is a late delivery ({@code s} null when forgotten). */
    default void late(String id, Sent s, Line fate) {}

    /**
     * A fate after the first that is not a late delivery; {@code first} is the first fate's line
     * when still remembered, else null; {@code firstType} its event.
     */
    default void extra(String id, Sent s, Line fate, Line first, EventType firstType) {}

    /** At the end: a fate of an id no SEND named. */
    default void orphan(String id, Line fate) {}

    /** At the end: a message with no fate at all. */
    default void unsettled(Sent s) {}

    /** A message's outcome is final ({@code recvMs} its RECEIVE's time, else -1). */
    default void outcome(Sent s, Outcome outcome, Line receive) {}
  }

  private static final class Sender {
    final SeqRanges sent = new SeqRanges();
    final SeqRanges delivered = new SeqRanges(); // first fate RECEIVE or queued at STOP
    final SeqRanges dropped = new SeqRanges(); // first fate a DROP that is definite
  }

  private record Settled(Sent sent, Line first, int fates) {}

  private final List<Listener> listeners = new ArrayList<>();
  private final Map<Integer, Sender> senders = new HashMap<>();
  private final Map<String, Sent> pending = new LinkedHashMap<>();
  private final Map<String, Settled> ambiguous = new LinkedHashMap<>();
  private final Map<String, List<Line>> orphans = new LinkedHashMap<>();
  private final LinkedHashMap<String, Settled> details =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Settled> eldest) {
          return size() > DETAILS;
        }
      };

  public Fates listen(Listener l) {
    listeners.add(l);
    return this;
  }

  /** Whether VM {@code from} sent sequence {@code seq} (to anyone) so far. */
  public boolean wasSent(int from, long seq) {
    Sender s = senders.get(from);
    return s != null && s.sent.contains(seq);
  }

  /** A message's SEND while it is remembered (pending, or settled recently), else null. */
  public Sent sentOf(String id) {
    Sent s = pending.get(id);
    if (s != null) {
      return s;
    }
    Settled a = ambiguous.get(id);
    if (a != null) {
      return a.sent();
    }
    Settled d = details.get(id);
    return d == null ? null : d.sent();
  }

  /** Messages sent and not settled yet. */
  public int pending() {
    return pending.size();
  }

  /** A message a SEND names; its id must be well formed and new (the caller checks). */
  public void send(String id, int from, long seq, int to, long clock, Line line) {
    senders.computeIfAbsent(from, k -> new Sender()).sent.add(seq);
    Sent s = new Sent(id, from, seq, to, clock, line);
    pending.put(id, s);
    listeners.forEach(l -> l.sent(s));
    List<Line> early = orphans.remove(id);
    if (early != null) {
      early.forEach(f -> fate(id, f, false));
    }
  }

  /** A fate of {@code id} ({@code ambiguousDrop}: a DROP whose reason leaves the fate unknown). */
  public void fate(String id, Line fate, boolean ambiguousDrop) {
    Sent s = pending.remove(id);
    if (s != null) {
      first(s, fate, ambiguousDrop);
      return;
    }
    Settled amb = ambiguous.get(id);
    if (amb != null) {
      if (amb.fates() == 1 && fate.event().event() != EventType.DROP) {
        ambiguous.put(id, new Settled(amb.sent(), amb.first(), 2));
        listeners.forEach(l -> l.late(id, amb.sent(), fate));
        finalOutcome(amb.sent(), fate);
      } else {
        listeners.forEach(
            l -> l.extra(id, amb.sent(), fate, amb.first(), amb.first().event().event()));
      }
      return;
    }
    int from = MessageIds.senderOf(id);
    long seq = MessageIds.seqOf(id);
    Sender sender = senders.get(from);
    if (sender == null || seq < 0 || !sender.sent.contains(seq)) {
      orphans.computeIfAbsent(id, k -> new ArrayList<>()).add(fate);
      return;
    }
    Settled d = details.get(id);
    Sent known = d == null ? null : d.sent();
    Line first = d == null ? null : d.first();
    boolean delivered = sender.delivered.contains(seq);
    if (ambiguousDrop && delivered && (d == null || d.fates() == 1)) {
      details.put(id, new Settled(known, first, 2));
      listeners.forEach(l -> l.late(id, known, fate));
      return;
    }
    EventType firstType =
        first != null ? first.event().event() : delivered ? EventType.RECEIVE : EventType.DROP;
    listeners.forEach(l -> l.extra(id, known, fate, first, firstType));
  }

  private void first(Sent s, Line fate, boolean ambiguousDrop) {
    listeners.forEach(l -> l.settled(s, fate, ambiguousDrop));
    if (ambiguousDrop) {
      // Its fate is open until its receiver's log ends: kept slim (a peer unreachable all run makes
      // many of these).
      ambiguous.put(s.id(), new Settled(s.slim(), slim(fate), 1));
      return;
    }
    Sender sender = senders.get(s.from());
    if (fate.event().event() == EventType.DROP) {
      sender.dropped.add(s.seq());
    } else {
      sender.delivered.add(s.seq());
    }
    details.put(s.id(), new Settled(s.slim(), slim(fate), 1));
    finalOutcome(s, fate);
  }

  private void finalOutcome(Sent s, Line fate) {
    Outcome o =
        switch (fate.event().event()) {
          case RECEIVE -> Outcome.RECEIVED;
          case DROP -> Outcome.DROPPED;
          default -> Outcome.QUEUED;
        };
    Line receive = o == Outcome.RECEIVED ? fate : null;
    listeners.forEach(l -> l.outcome(s, o, receive));
  }

  /**
   * VM {@code receiver}'s log has ended: no RECEIVE of it and no place in its queue can follow, so
   * each ambiguous DROP of a message to it is final (dropped, or a late delivery already counted),
   * remembered from now on as a range like any settled message.
   */
  public void endOfLog(int receiver) {
    for (var it = ambiguous.entrySet().iterator(); it.hasNext(); ) {
      Settled a = it.next().getValue();
      if (a.sent().to() != receiver) {
        continue;
      }
      it.remove();
      Sender sender = senders.get(a.sent().from());
      if (a.fates() == 1) {
        sender.dropped.add(a.sent().seq());
        listeners.forEach(l -> l.outcome(a.sent(), Outcome.DROPPED, null));
      } else {
        sender.delivered.add(a.sent().seq());
      }
      details.put(a.sent().id(), a);
    }
  }

  /** After the last line: orphans, messages without a fate, DROPs never followed. */
  public void end() {
    orphans.forEach((id, lines) -> lines.forEach(f -> listeners.forEach(l -> l.orphan(id, f))));
    for (Sent s : pending.values()) {
      listeners.forEach(l -> l.unsettled(s));
      listeners.forEach(l -> l.outcome(s, Outcome.QUEUED, null));
    }
    for (Settled a : ambiguous.values()) {
      if (a.fates() == 1) {
        listeners.forEach(l -> l.outcome(a.sent(), Outcome.DROPPED, null));
      }
    }
  }
}
