package logicalclocks.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;

/**
 * Every message of a run and its fate, fed every SEND first, then every RECEIVE and DROP, then each
 * log's queue at its last STOP. A RECEIVE (or a place in the queue at STOP) after an ambiguous DROP
 * is a late delivery: the message counts as delivered, not dropped.
 */
final class MessageLedger {
  private final long baseMs;
  private final Map<String, Series.Msg> messages = new LinkedHashMap<>();
  private final Map<Integer, Long> sentTo = new HashMap<>();
  private final Map<Integer, List<Double>> delaysTo = new HashMap<>();
  private long received;
  private long dropped;
  private long late;

  MessageLedger(long baseMs) {
    this.baseMs = baseMs;
  }

  /** Records the messages a SEND names (other events are ignored). */
  void send(LogEvent e) {
    if (e.event() != EventType.SEND) {
      return;
    }
    List<String> ids = e.list("msg");
    List<String> to = e.list("to");
    for (int i = 0; i < Math.min(ids.size(), to.size()); i++) {
      int dest;
      try {
        dest = Integer.parseInt(to.get(i));
      } catch (NumberFormatException bad) {
        continue;
      }
      messages.put(
          ids.get(i),
          new Series.Msg(ids.get(i), e.vm(), dest, ms(e), e.clock(), -1, Series.Fate.QUEUED));
      sentTo.merge(dest, 1L, Long::sum);
    }
  }

  /** Records a RECEIVE or a DROP of a known message (other events are ignored). */
  void fate(LogEvent e) {
    Series.Msg m =
        e.event() == EventType.RECEIVE || e.event() == EventType.DROP
            ? messages.get(e.get("msg"))
            : null;
    if (m == null) {
      return;
    }
    if (e.event() == EventType.RECEIVE) {
      received++;
      if (m.outcome() == Series.Fate.DROPPED) {
        dropped--;
        late++;
      }
      messages.put(m.id(), m.with(Series.Fate.RECEIVED, ms(e)));
      delaysTo.computeIfAbsent(e.vm(), k -> new ArrayList<>()).add((double) (ms(e) - m.sentMs()));
    } else if (m.outcome() == Series.Fate.RECEIVED) {
      late++;
    } else {
      dropped++;
      messages.put(m.id(), m.with(Series.Fate.DROPPED, -1));
    }
  }

  /**
   * Messages still in a receiver's queue at its last STOP got there: a DROP of one of them was
   * late.
   */
  void queuedAtStop(List<String> ids) {
    for (String id : ids) {
      Series.Msg m = messages.get(id);
      if (m != null && m.outcome() == Series.Fate.DROPPED) {
        dropped--;
        late++;
        messages.put(id, m.with(Series.Fate.QUEUED, -1));
      }
    }
  }

  List<Series.Msg> messages() {
    return new ArrayList<>(messages.values());
  }

  long sent() {
    return messages.size();
  }

  long sentTo(int vm) {
    return sentTo.getOrDefault(vm, 0L);
  }

  double[] delaysTo(int vm) {
    return VmAccumulator.toArray(delaysTo.getOrDefault(vm, List.of()));
  }

  long received() {
    return received;
  }

  long dropped() {
    return dropped;
  }

  long late() {
    return late;
  }

  private long ms(LogEvent e) {
    return e.ts().toEpochMilli() - baseMs;
  }
}
