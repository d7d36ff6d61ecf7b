package logicalclocks.analysis.verify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.analysis.stream.Fates;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.VirtualMachine;

/**
 * The clock kinds besides the vector and hybrid clocks ({@link ClockKinds#extra}), each tick line's
 * value checked by its kind's own rule ({@link ClockKind#check}) under its rule's id: a value that
 * does not read as the kind's is a {@code fields} violation; a log keeps a kind from its first tick
 * line on (every later tick line carries it, or none does); a RECEIVE's message value is its SEND
 * line's. Nothing to do when no such kind is on the class path.
 */
final class KindCheck {
  private final List<ClockKind<?>> kinds = ClockKinds.extra();
  private final Map<Integer, Map<ClockKind<?>, Object>> last = new HashMap<>();
  private final Map<Integer, Map<ClockKind<?>, Boolean>> keeps = new HashMap<>();

  boolean idle() {
    return kinds.isEmpty();
  }

  void line(int vm, Line l, Fates fates, Verifier out) {
    LogEvent e = l.event();
    if (!e.event().isTick()) {
      return;
    }
    Map<ClockKind<?>, Object> mine = last.computeIfAbsent(vm, k -> new HashMap<>());
    Map<ClockKind<?>, Boolean> kept = keeps.computeIfAbsent(vm, k -> new HashMap<>());
    for (ClockKind<?> k : kinds) {
      check(k, vm, l, e, fates, mine, kept, out);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void check(
      ClockKind k,
      int vm,
      Line l,
      LogEvent e,
      Fates fates,
      Map<ClockKind<?>, Object> mine,
      Map<ClockKind<?>, Boolean> kept,
      Verifier out) {
    Object v;
    try {
      v = VirtualMachine.valueOf(e, k);
    } catch (LogFormatException bad) {
      out.add(Verifier.v(l, Verifier.Rule.FIELDS, bad.getMessage()));
      return;
    }
    Boolean keeps = kept.get(k);
    if (keeps == null) {
      kept.put(k, v != null);
      keeps = v != null;
    }
    if (keeps && v == null) {
      out.add(
          Verifier.v(
              l,
              k.rule(),
              "no " + k.key() + " on a tick line of a log that keeps the " + k.name() + " clock"));
      return;
    }
    if (!keeps) {
      if (v != null) {
        out.add(
            Verifier.v(
                l, k.rule(), k.key() + " on a line of a log whose first tick line has none"));
      }
      return;
    }
    Object message = null;
    boolean receive = e.event() == logicalclocks.event.EventType.RECEIVE;
    if (receive) {
      Fates.Sent s = fates.sentOf(e.get("msg"));
      if (s != null) {
        try {
          message = VirtualMachine.valueOf(s.line().event(), k);
        } catch (LogFormatException bad) {
          message = null; // a fields violation at the SEND
        }
      }
    }
    Object before = mine.getOrDefault(k, k.zero());
    String why = k.check(before, message, v, receive, vm, e.ts().toEpochMilli());
    if (why != null) {
      out.add(Verifier.v(l, k.rule(), why));
    }
    mine.put(k, v);
  }
}
