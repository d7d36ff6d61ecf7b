package logicalclocks.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.VirtualMachine;

/**
 * Checks a run's logs against the event-log contract: the run's members, per-VM clock rules, wall
 * time order, every RECEIVE and DROP matched to its SEND, and every message id ending in exactly
 * one fate: RECEIVE, DROP, or named in its receiver's last STOP as still queued.
 */
public final class Verifier {
  private Verifier() {}

  /** The rules, by the name a violation carries. */
  public enum Rule {
    /** Every VM named in a START's {@code peers} has its {@code machine_<id>.log}. */
    MISSING_LOG,
    /**
     * Every START names exactly the run's other VMs; every SEND goes to one of them (never to its
     * sender itself); every RECEIVE's {@code from} is one of them.
     */
    MEMBERSHIP,
    /** Every line of {@code machine_<id>.log} says {@code vm=<id>}. */
    VM_ID,
    /** Wall time never goes backwards within a log. */
    WALL_TIME_ORDER,
    /**
     * A log begins with START and ends with STOP; every event lies inside a START..STOP run; a
     * START after an unstopped run says {@code resumed=true}.
     */
    START_STOP,
    /** A restart never lowers the clock. */
    CLOCK_MONOTONIC,
    /** SEND and INTERNAL are +1, RECEIVE is max(prev, sent)+1, DROP and STOP leave the clock. */
    CLOCK_RULE,
    /**
     * Keys hold what they must (lists of equal length, integers, ids of the form {@code
     * <sender>-<seq>} in SEND and RECEIVE).
     */
    FIELDS,
    /** A VM's message ids increase, none is sent twice, and a VM DROPs only messages it sent. */
    MESSAGE_IDS,
    /**
     * A RECEIVE names a SENT message (sent by a VM of the run), by its recipient, with the SEND's
     * clock and sender.
     */
    RECEIVE_MATCHES_SEND,
    /** A DROP names the recipient its SEND did. */
    DROP_MATCHES_SEND,
    /** A DROP's reason is one a sender writes ({@link DropReason}). */
    DROP_REASON,
    /** STOP's {@code queue} equals the number of ids its {@code queued} names. */
    STOP_QUEUE,
    /** Every message has exactly one fate: RECEIVE, DROP, or queued at its receiver's last STOP. */
    MESSAGES_ACCOUNTED,
    /**
     * In a log that keeps vector clocks (its tick lines carry {@code vc}): every tick line has one;
     * SEND and INTERNAL add 1 to the VM's own entry and change nothing else; RECEIVE is the
     * element-wise max of the VM's previous vector and the SEND's vector, then own entry + 1.
     */
    VECTOR_CLOCK,
    /**
     * Lamport's clock condition on the events that make happens-before: a VM's tick events have
     * strictly increasing clocks, and a RECEIVE's clock is above its SEND's.
     */
    CLOCK_CONDITION;

    /** The name written in violations, e.g. {@code clock-rule}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  record Sent(Line line, int to, long clock) {}

  /** A tick line and the vector clock it carries (null when it has none or it is unreadable). */
  record VectorLine(Line line, VectorClock vector) {}

  /** What the per-VM pass collects for the cross-VM checks. */
  static final class Run {
    final Map<String, Sent> sent = new LinkedHashMap<>();
    final Map<String, List<Line>> fates = new HashMap<>();
    final Map<Integer, Line> declaredAt = new TreeMap<>();
    final List<Line> starts = new ArrayList<>();
    final List<Line> sends = new ArrayList<>();
    final List<Line> receives = new ArrayList<>();
    final Set<Integer> unstopped = new HashSet<>();
    final List<Violation> out = new ArrayList<>();
    final Map<Integer, List<VectorLine>> vectorLines = new TreeMap<>();

    void fate(String msg, Line l) {
      fates.computeIfAbsent(msg, k -> new ArrayList<>()).add(l);
    }
  }

  public static List<Violation> verify(SortedMap<Integer, List<Line>> logs) {
    Run run = new Run();
    for (var entry : logs.entrySet()) {
      new VmCheck(entry.getKey(), run).check(entry.getValue());
    }
    Set<Integer> members = new TreeSet<>(logs.keySet());
    members.addAll(run.declaredAt.keySet());
    checkMembership(logs, members, run);
    checkMessages(logs, members, run);
    checkVectors(run);
    checkClockCondition(run);
    return run.out;
  }

  /** The ids a STOP line names as still queued. */
  public static List<String> queuedIds(LogEvent stop) {
    return stop.list("queued");
  }

  /**
   * The ids queued at a log's LAST STOP, or none: a restarted VM takes back what was queued at an
   * earlier STOP (its inbox journal), so only the last one is a fate.
   */
  static List<String> queuedAtLastStop(List<Line> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).event().event() == EventType.STOP) {
        return queuedIds(lines.get(i).event());
      }
    }
    return List.of();
  }

  private static void checkMembership(
      SortedMap<Integer, List<Line>> logs, Set<Integer> members, Run run) {
    for (var d : run.declaredAt.entrySet()) {
      if (!logs.containsKey(d.getKey())) {
        long toIt = run.sent.values().stream().filter(s -> s.to() == d.getKey()).count();
        run.out.add(
            v(
                d.getValue(),
                Rule.MISSING_LOG,
                "VM "
                    + d.getKey()
                    + " is named in peers but "
                    + EventLogFormat.fileName(d.getKey())
                    + " is missing: "
                    + toIt
                    + " message(s) sent to it and"
                    + " whatever it sent cannot be accounted for"));
      }
    }
    for (Line l : run.starts) {
      Set<Integer> expected = new TreeSet<>(members);
      expected.remove(l.event().vm());
      Set<Integer> peers = peersOf(l.event());
      if (peers != null && !peers.equals(expected)) {
        run.out.add(
            v(
                l,
                Rule.MEMBERSHIP,
                "START names peers " + peers + " but the run's other VMs are " + expected));
      }
    }
    for (Line l : run.sends) {
      for (String to : l.event().list("to")) {
        int dest = parseIntOr(to, -1);
        if (dest >= 0 && !members.contains(dest)) {
          run.out.add(
              v(
                  l,
                  Rule.MEMBERSHIP,
                  "SEND to VM " + dest + ", which is not a VM of this run " + members));
        } else if (dest == l.event().vm()) {
          run.out.add(
              v(l, Rule.MEMBERSHIP, "SEND to VM " + dest + " itself: a VM sends only to others"));
        }
      }
    }
    for (Line l : run.receives) {
      int from = parseIntOr(l.event().get("from"), -1);
      if (from >= 0 && !members.contains(from)) {
        run.out.add(
            v(
                l,
                Rule.MEMBERSHIP,
                "RECEIVE from VM " + from + ", which is not a VM of this run " + members));
      }
    }
  }

  /** Whether a RECEIVE's {@code from} names a VM of the run (else membership reports it). */
  private static boolean fromAMember(Line l, Set<Integer> members) {
    int from = parseIntOr(l.event().get("from"), -1);
    return from < 0 || members.contains(from);
  }

  /**
   * Every vector clock against the one the rules give: the VMs' tick lines are replayed in an order
   * where each SEND comes before its RECEIVE (the smallest Lamport clock next, each VM in its own
   * order), each VM continuing from the vector it should have had, so one wrong line is one
   * violation.
   */
  private static void checkVectors(Run run) {
    Map<Integer, VectorClock> current = new HashMap<>();
    Map<String, VectorClock> sentVector = new HashMap<>();
    Map<Integer, Integer> next = new HashMap<>();
    // The next line of every VM, in Lamport order (clock, then VM id): a k-way merge.
    record Head(VectorLine line, int owner) {}
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.comparingLong((Head h) -> h.line().line().event().clock())
                .thenComparingInt(Head::owner));
    for (var e : run.vectorLines.entrySet()) {
      next.put(e.getKey(), 0);
      if (!e.getValue().isEmpty()) {
        heads.add(new Head(e.getValue().get(0), e.getKey()));
      }
    }
    Head head;
    while ((head = heads.poll()) != null) {
      VectorLine pick = head.line();
      int owner = head.owner();
      LogEvent e = pick.line().event();
      int k = next.merge(owner, 1, Integer::sum);
      List<VectorLine> lines = run.vectorLines.get(owner);
      if (k < lines.size()) {
        heads.add(new Head(lines.get(k), owner));
      }
      VectorClock before = current.getOrDefault(owner, VectorClock.zero());
      VectorClock expected;
      VectorClock carried = null;
      if (e.event() == EventType.RECEIVE) {
        carried = sentVector.remove(e.get("msg"));
        if (carried == null) {
          Sent sent = run.sent.get(e.get("msg"));
          carried = sent == null ? VectorClock.zero() : vectorOrZero(sent.line());
        }
        expected = before.merge(carried).tick(owner);
      } else {
        expected = before.tick(owner);
      }
      if (pick.vector() != null && !pick.vector().equals(expected)) {
        String why =
            carried != null
                ? "max(previous " + before.format() + ", the SEND's " + carried.format() + ")"
                : "the previous " + before.format();
        run.out.add(
            v(
                pick.line(),
                Rule.VECTOR_CLOCK,
                e.event()
                    + " vc is "
                    + pick.vector().format()
                    + ", expected "
                    + why
                    + " with own entry + 1: "
                    + expected.format()));
      }
      current.put(owner, expected);
      if (e.event() == EventType.SEND) {
        VectorClock sent = expected;
        e.list("msg").forEach(id -> sentVector.put(id, sent));
      }
    }
  }

  private static VectorClock vectorOrZero(Line l) {
    try {
      VectorClock v = VirtualMachine.vectorOf(l.event());
      return v == null ? VectorClock.zero() : v;
    } catch (LogFormatException bad) {
      return VectorClock.zero(); // fields, at the SEND
    }
  }

  /** The clock condition over every message: a RECEIVE's clock is above its SEND's. */
  private static void checkClockCondition(Run run) {
    for (var s : run.sent.entrySet()) {
      for (Line l : run.fates.getOrDefault(s.getKey(), List.of())) {
        if (l.event().event() == EventType.RECEIVE && l.event().clock() <= s.getValue().clock()) {
          run.out.add(
              v(
                  l,
                  Rule.CLOCK_CONDITION,
                  "RECEIVE of "
                      + s.getKey()
                      + " at clock "
                      + l.event().clock()
                      + " is not above its SEND's "
                      + s.getValue().clock()));
        }
      }
    }
  }

  private static void checkMessages(
      SortedMap<Integer, List<Line>> logs, Set<Integer> members, Run run) {
    // Fates naming an id no VM sent.
    for (var f : run.fates.entrySet()) {
      String msg = f.getKey();
      int sender = senderOf(msg);
      if (run.sent.containsKey(msg) || members.contains(sender) && !logs.containsKey(sender)) {
        continue; // matched below, or its sender's log is missing (reported once, as missing-log)
      }
      for (Line l : f.getValue()) {
        switch (l.event().event()) {
          case RECEIVE -> {
            if (fromAMember(l, members)) { // else membership, once
              run.out.add(
                  v(
                      l,
                      Rule.RECEIVE_MATCHES_SEND,
                      "RECEIVE of "
                          + msg
                          + " has no SEND"
                          + (members.contains(sender)
                              ? ""
                              : " (VM " + sender + " is not in the run)")));
            }
          }
          case STOP ->
              run.out.add(
                  v(
                      l,
                      Rule.MESSAGES_ACCOUNTED,
                      "STOP names " + msg + " as queued, but no VM sent it"));
          default -> {} // a DROP of a message its VM never sent: message-ids, per VM
        }
      }
    }
    for (var s : run.sent.entrySet()) {
      String msg = s.getKey();
      Sent sent = s.getValue();
      if (!logs.containsKey(sent.to())) {
        continue; // missing-log or membership, reported once
      }
      List<Line> fates = run.fates.getOrDefault(msg, List.of());
      for (Line l : fates) {
        matchesSend(msg, sent, l, members, run.out);
      }
      if (fates.isEmpty() && !run.unstopped.contains(sent.to())) {
        run.out.add(
            v(
                sent.line(),
                Rule.MESSAGES_ACCOUNTED,
                "message "
                    + msg
                    + " to VM "
                    + sent.to()
                    + " was neither received, nor dropped, nor queued at its receiver's last STOP"));
      } else if (fates.size() > 1 && !isLateDelivery(fates)) {
        Line first = fates.get(0);
        for (Line l : fates.subList(1, fates.size())) {
          run.out.add(
              v(
                  l,
                  Rule.MESSAGES_ACCOUNTED,
                  msg
                      + " already "
                      + first.event().event()
                      + (first.event().event() == EventType.STOP ? " (queued)" : "")
                      + " at "
                      + first.where()));
        }
      }
    }
  }

  /**
   * Whether a message's two fates are a late delivery: a DROP whose reason leaves the fate unknown
   * ({@link DropReason#ambiguous}) and a RECEIVE of it, or its receiver's STOP still holding it.
   */
  static boolean isLateDelivery(List<Line> fates) {
    if (fates.size() != 2) {
      return false;
    }
    int drops = 0;
    int ambiguous = 0;
    for (Line l : fates) {
      if (l.event().event() == EventType.DROP) {
        drops++;
        ambiguous +=
            DropReason.of(l.event().get("reason")).map(DropReason::ambiguous).orElse(false) ? 1 : 0;
      }
    }
    return drops == 1 && ambiguous == 1;
  }

  private static void matchesSend(
      String msg, Sent s, Line l, Set<Integer> members, List<Violation> out) {
    LogEvent e = l.event();
    switch (e.event()) {
      case RECEIVE -> {
        if (s.to() != e.vm()) {
          out.add(
              v(
                  l,
                  Rule.RECEIVE_MATCHES_SEND,
                  msg + " was sent to VM " + s.to() + ", received by VM " + e.vm()));
        }
        if (parseLongOr(e.get("sent"), -1) != s.clock()) {
          out.add(
              v(
                  l,
                  Rule.RECEIVE_MATCHES_SEND,
                  "RECEIVE of "
                      + msg
                      + " says sent="
                      + e.get("sent")
                      + " but its SEND ("
                      + s.line().where()
                      + ") has clock "
                      + s.clock()));
        }
        if (!String.valueOf(s.line().event().vm()).equals(e.get("from"))
            && fromAMember(l, members)) {
          out.add(
              v(
                  l,
                  Rule.RECEIVE_MATCHES_SEND,
                  "RECEIVE of "
                      + msg
                      + " says from="
                      + e.get("from")
                      + " but VM "
                      + s.line().event().vm()
                      + " sent it"));
        }
      }
      case DROP -> {
        if (parseIntOr(e.get("to"), -1) != s.to()) {
          out.add(
              v(
                  l,
                  Rule.DROP_MATCHES_SEND,
                  "DROP of "
                      + msg
                      + " says to="
                      + e.get("to")
                      + " but its SEND ("
                      + s.line().where()
                      + ") sent it to VM "
                      + s.to()));
        }
      }
      case STOP -> {
        if (s.to() != e.vm()) {
          out.add(
              v(
                  l,
                  Rule.MESSAGES_ACCOUNTED,
                  "STOP of VM "
                      + e.vm()
                      + " names "
                      + msg
                      + " as queued, but it"
                      + " was sent to VM "
                      + s.to()));
        }
      }
      default -> throw new AssertionError(e.event());
    }
  }

  /** A START's peers as ids, or null when they are not ids. */
  static Set<Integer> peersOf(LogEvent start) {
    Set<Integer> peers = new TreeSet<>();
    for (String p : start.list("peers")) {
      int id = parseIntOr(p, -1);
      if (id < 0) {
        return null;
      }
      peers.add(id);
    }
    return peers;
  }

  static long sequenceOf(String msg, int sender) {
    String prefix = sender + "-";
    long seq =
        msg == null || !msg.startsWith(prefix) ? -1 : canonical(msg.substring(prefix.length()));
    if (seq < 0) {
      throw new LogFormatException("message id '" + msg + "' is not " + sender + "-<seq>");
    }
    return seq;
  }

  /**
   * A number written as the writer writes it: ASCII digits, no sign, no leading zero, at most 18
   * digits (so it fits a long); else -1. A message id is matched as text, so two spellings of one
   * number ({@code 0-1}, {@code 0-01}, {@code 0-+1}) must not both pass as well formed.
   */
  static long canonical(String s) {
    if (s == null || s.isEmpty() || s.length() > 18 || (s.length() > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * Checks that a message id is well formed, {@code <sender>-<seq>}: a VM id and a sequence, both
   * written canonically (see {@link #canonical}); their order is {@code message-ids}'s.
   *
   * @throws LogFormatException when it is not
   */
  static void checkMessageId(String msg) {
    int dash = msg == null ? -1 : msg.indexOf('-');
    if (dash <= 0
        || dash > 10
        || canonical(msg.substring(0, dash)) < 0
        || canonical(msg.substring(dash + 1)) < 0) {
      throw new LogFormatException("message id '" + msg + "' is not <sender>-<seq>");
    }
  }

  /** The sender of a message id {@code <sender>-<seq>}, or -1. */
  static int senderOf(String msg) {
    int dash = msg == null ? -1 : msg.indexOf('-');
    long v = dash <= 0 || dash > 10 ? -1 : canonical(msg.substring(0, dash));
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  static void expectClock(Line l, long expected, String rule, List<Violation> out) {
    if (l.event().clock() != expected) {
      out.add(
          v(
              l,
              Rule.CLOCK_RULE,
              rule + ": expected clock " + expected + ", got " + l.event().clock()));
    }
  }

  static int parseIntOr(String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  static long parseLongOr(String s, long fallback) {
    try {
      return s == null ? fallback : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  static Violation v(Line l, Rule rule, String message) {
    return new Violation(l.where(), rule.id(), message);
  }
}
