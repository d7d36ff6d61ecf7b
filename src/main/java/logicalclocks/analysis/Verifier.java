package logicalclocks.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.log.EventType;
import logicalclocks.log.LogEvent;
import logicalclocks.log.LogFormatException;

/**
 * Checks a run's logs against the event-log contract: per-VM clock rules, wall time order, every RECEIVE
 * matched to its SEND with the same clock, and every message accounted for exactly once (received, dropped,
 * or in the receiver's queue at its STOP).
 */
public final class Verifier {
  private Verifier() {}

  private record Sent(Line line, int to, long clock) {}

  public static List<Violation> verify(SortedMap<Integer, List<Line>> logs) {
    List<Violation> out = new ArrayList<>();
    Map<String, Sent> sent = new HashMap<>();
    Map<String, Line> settled = new HashMap<>();
    List<Line> receives = new ArrayList<>();
    for (var entry : logs.entrySet()) {
      checkVm(entry.getKey(), entry.getValue(), sent, settled, receives, out);
    }
    Map<Integer, Integer> unsettled = new HashMap<>();
    for (Line r : receives) {
      LogEvent e = r.event();
      String msg = e.get("msg");
      Sent s = sent.get(msg);
      if (s == null) {
        out.add(v(r, "receive-matches-send", "RECEIVE of " + msg + " has no SEND"));
        continue;
      }
      if (s.to() != e.vm()) {
        out.add(v(r, "receive-matches-send", msg + " was sent to VM " + s.to() + ", received by VM " + e.vm()));
      }
      if (safeLong(e, "sent") != s.clock()) {
        out.add(v(r, "receive-matches-send", "RECEIVE of " + msg + " says sent=" + e.get("sent")
            + " but its SEND (" + s.line().where() + ") has clock " + s.clock()));
      }
      if (!String.valueOf(s.line().event().vm()).equals(e.get("from"))) {
        out.add(v(r, "receive-matches-send", "RECEIVE of " + msg + " says from=" + e.get("from")));
      }
    }
    for (var s : sent.entrySet()) {
      if (!settled.containsKey(s.getKey())) {
        unsettled.merge(s.getValue().to(), 1, Integer::sum);
      }
    }
    for (var entry : logs.entrySet()) {
      List<Line> lines = entry.getValue();
      // A restarted VM takes back what was queued at an earlier STOP (its inbox journal), so only the last counts.
      int queuedAtStops = 0;
      for (Line l : lines) {
        if (l.event().event() == EventType.STOP) {
          queuedAtStops = l.event().queue();
        }
      }
      int expected = unsettled.getOrDefault(entry.getKey(), 0);
      if (expected != queuedAtStops && !lines.isEmpty()) {
        out.add(v(lines.get(lines.size() - 1), "messages-accounted",
            expected + " message(s) to VM " + entry.getKey() + " were neither received nor dropped, but its STOP"
                + " line reports " + queuedAtStops + " queued"));
      }
    }
    return out;
  }

  private static void checkVm(int id, List<Line> lines, Map<String, Sent> sent, Map<String, Line> settled,
      List<Line> receives, List<Violation> out) {
    if (lines.isEmpty()) {
      out.add(new Violation("machine_" + id + ".log:0", "start-stop", "empty log"));
      return;
    }
    Line prev = null;
    boolean running = false;
    long lastSeq = 0;
    Set<String> ownIds = new HashSet<>();
    for (Line l : lines) {
      LogEvent e = l.event();
      if (e.vm() != id) {
        out.add(v(l, "vm-id", "line says vm=" + e.vm() + " in the log of VM " + id));
      }
      if (prev != null && e.ts().isBefore(prev.event().ts())) {
        out.add(v(l, "wall-time-order", "ts " + e.ts() + " is before the previous line's " + prev.event().ts()));
      }
      long before = prev == null ? 0 : prev.event().clock();
      try {
        switch (e.event()) {
          case START -> {
            if (running && !"true".equals(e.get("resumed"))) {
              out.add(v(l, "start-stop", "START without a STOP before it (a crash?), and not resumed"));
            }
            if (prev != null && e.clock() < before) {
              out.add(v(l, "clock-monotonic", "restarted at clock " + e.clock() + " below the earlier " + before));
            }
            running = true;
          }
          case SEND -> {
            expectClock(l, before + 1, "SEND is +1", out);
            List<String> to = e.list("to");
            List<String> msgs = e.list("msg");
            if (to.isEmpty() || to.size() != msgs.size()) {
              out.add(v(l, "send-fields", "SEND needs to= and msg= lists of the same length"));
            }
            for (int i = 0; i < Math.min(to.size(), msgs.size()); i++) {
              String msg = msgs.get(i);
              long seq = sequenceOf(msg, id);
              if (seq <= lastSeq) {
                out.add(v(l, "message-ids", "message id " + msg + " is not after the previous " + id + "-" + lastSeq));
              }
              lastSeq = Math.max(lastSeq, seq);
              if (!ownIds.add(msg) || sent.containsKey(msg)) {
                out.add(v(l, "message-ids", "message id " + msg + " sent twice"));
              }
              sent.put(msg, new Sent(l, Integer.parseInt(to.get(i)), e.clock()));
            }
          }
          case INTERNAL -> expectClock(l, before + 1, "INTERNAL is +1", out);
          case RECEIVE -> {
            long s = e.longValue("sent");
            expectClock(l, Math.max(before, s) + 1, "RECEIVE is max(prev, sent)+1", out);
            settle(l, e.get("msg"), settled, out);
            receives.add(l);
          }
          case DROP -> {
            expectClock(l, before, "DROP leaves the clock", out);
            String msg = e.get("msg");
            if (msg == null || !ownIds.contains(msg)) {
              out.add(v(l, "message-ids", "DROP of " + msg + ", which this VM never sent"));
            }
            settle(l, msg, settled, out);
          }
          case STOP -> {
            expectClock(l, before, "STOP leaves the clock", out);
            if (!running) {
              out.add(v(l, "start-stop", "STOP without START"));
            }
            running = false;
          }
          default -> throw new AssertionError(e.event());
        }
        if (prev == null && e.event() != EventType.START) {
          out.add(v(l, "start-stop", "log does not begin with START"));
        }
        if (!running && e.event() != EventType.STOP && e.event() != EventType.START) {
          out.add(v(l, "start-stop", e.event() + " outside a START..STOP run"));
        }
      } catch (LogFormatException | NumberFormatException ex) {
        out.add(v(l, "fields", ex.getMessage()));
      }
      prev = l;
    }
    if (running) {
      out.add(v(lines.get(lines.size() - 1), "start-stop", "log ends without STOP (killed?)"));
    }
  }

  private static long sequenceOf(String msg, int sender) {
    String prefix = sender + "-";
    if (msg == null || !msg.startsWith(prefix)) {
      throw new LogFormatException("message id '" + msg + "' is not " + sender + "-<seq>");
    }
    return Long.parseLong(msg.substring(prefix.length()));
  }

  /**
   * Records a message's fate. A message is settled by its RECEIVE if it has one, else by its DROP. A sender's
   * DROP for a reason that leaves the fate unknown ({@link #AMBIGUOUS_DROPS}: its attempts timed out or the
   * peer became unreachable mid-call) may meet a RECEIVE of the same message: the request got through but the
   * acknowledgement did not. That is not a violation; any other second fate is.
   */
  private static void settle(Line l, String msg, Map<String, Line> settled, List<Violation> out) {
    String id = String.valueOf(msg);
    Line earlier = settled.get(id);
    if (earlier == null) {
      settled.put(id, l);
      return;
    }
    Line receive = earlier.event().event() == EventType.RECEIVE ? earlier : l;
    Line drop = earlier.event().event() == EventType.DROP ? earlier : l;
    boolean receiveAndAmbiguousDrop = receive != drop && receive.event().event() == EventType.RECEIVE
        && drop.event().event() == EventType.DROP && AMBIGUOUS_DROPS.contains(drop.event().get("reason"));
    if (receiveAndAmbiguousDrop) {
      settled.put(id, receive);
      return;
    }
    out.add(v(l, "messages-accounted", msg + " already " + earlier.event().event() + " at " + earlier.where()));
  }

  /** DROP reasons after which the receiver may still have the message. */
  public static final java.util.Set<String> AMBIGUOUS_DROPS = java.util.Set.of("deadline", "unreachable");

  private static void expectClock(Line l, long expected, String rule, List<Violation> out) {
    if (l.event().clock() != expected) {
      out.add(v(l, "clock-rule", rule + ": expected clock " + expected + ", got " + l.event().clock()));
    }
  }

  private static long safeLong(LogEvent e, String key) {
    try {
      return e.longValue(key);
    } catch (LogFormatException ex) {
      return -1;
    }
  }

  private static Violation v(Line l, String rule, String message) {
    return new Violation(l.where(), rule, message);
  }
}
