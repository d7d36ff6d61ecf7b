package logicalclocks.analysis.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.stream.Fates;
import logicalclocks.analysis.stream.LineSource;
import logicalclocks.analysis.stream.MessageIds;
import logicalclocks.analysis.stream.Pass;
import logicalclocks.analysis.stream.RunInfo;
import logicalclocks.clock.HybridTime;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.VirtualMachine;

/**
 * Checks a run's logs against the event-log contract, in one pass (a consumer of {@link Pass}): the
 * run's members, per-VM clock rules, wall time order, every RECEIVE and DROP matched to its SEND,
 * and every message id ending in exactly one fate: RECEIVE, DROP, or named in its receiver's last
 * STOP as still queued. Its state is bounded by the number of VMs and the messages not yet settled
 * (see {@link Fates}); the verdict is known at {@link #end()}.
 */
public final class Verifier implements EventConsumer, Fates.Listener {
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
    /**
     * Wall time never goes backwards within a log, but by a step its START declares ({@code steps}:
     * a clock set back by an NTP correction), and then by at most the largest such step.
     */
    WALL_TIME_ORDER,
    /**
     * A log begins with START and ends with STOP; every event lies inside a START..STOP run; a
     * START after an unstopped run says {@code resumed=true}.
     */
    START_STOP,
    /** A restart never lowers the clock. */
    CLOCK_MONOTONIC,
    /**
     * SEND and INTERNAL are +1, RECEIVE is max(prev, sent)+1, DROP, SNAPSHOT and STOP leave the
     * clock.
     */
    CLOCK_RULE,
    /**
     * Keys hold what they must (lists of equal length, integers, ids of the form {@code
     * <sender>-<seq>} in SEND and RECEIVE, {@code missed} a positive integer on a tick line or STOP
     * only).
     */
    FIELDS,
    /** A VM's message ids increase, none is sent twice, and a VM DROPs only messages it sent. */
    MESSAGE_IDS,
    /**
     * A tick line's {@code die} is a face of its START's die (1..{@code sides}), and the event is
     * what that roll makes it ({@link logicalclocks.vm.DieRule}): INTERNAL for a roll above N, a
     * SEND to the k-th other VM (by id) for k in 1..N-1, to every other VM for N.
     */
    DIE,
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
    CLOCK_CONDITION,
    /**
     * In a log whose tick lines carry {@code hlc=<l>:<c>}: every tick line has one, and {@code l}
     * is never below the VM's own physical time (the line's {@code ts}, in ms).
     */
    HLC_PHYSICAL,
    /**
     * A VM's tick events have strictly increasing hybrid times {@code (l, c)}, restarts included.
     */
    HLC_MONOTONIC,
    /** A RECEIVE's hybrid time is above its SEND's. */
    HLC_RECEIVE,
    /**
     * A snapshot record ({@code snapshots/<id>.json}) is in its form, names each VM at most once
     * and only VMs of the run, and, when complete, every VM of the run.
     */
    SNAPSHOT_RECORD,
    /**
     * Each VM's state in a snapshot record is its log's: its log has a SNAPSHOT line with the
     * snapshot's id, after exactly the recorded number of events, at the recorded clock, with at
     * least as many messages queued as the record's queue holds.
     */
    SNAPSHOT_STATE,
    /** A snapshot's cut is consistent: no RECEIVE inside it has its SEND outside it. */
    SNAPSHOT_CUT,
    /**
     * A snapshot's queues and channels hold only messages sent inside its cut and not received
     * inside it, each once, at its receiver, in the channel from its sender; a complete one's hold
     * every such message but one its sender DROPped.
     */
    SNAPSHOT_CHANNELS;

    /** The name written in violations, e.g. {@code clock-rule}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Fates fates = new Fates();
  final List<Violation> out = new ArrayList<>();
  private final Map<Integer, VmCheck> vms = new HashMap<>();
  private final VectorCheck vectors;
  private final Map<Integer, Line> declaredAt = new TreeMap<>();
  private final List<Line> starts = new ArrayList<>();
  private final Map<Integer, Long> sentToAbsent = new HashMap<>(); // messages to VMs without a log
  private final List<Line> sendsToAbsent = new ArrayList<>();
  private final List<Line> receivesFromAbsent = new ArrayList<>();
  private final Set<Integer> unstopped = new TreeSet<>();
  private RunInfo run;
  private Set<Integer> members;

  public Verifier() {
    fates.listen(this);
    vectors = new VectorCheck(this, fates);
  }

  /** The message fates this verifier settles (other consumers may listen to them). */
  public Fates fates() {
    return fates;
  }

  /** Checks logs already in memory (tests, small runs): the same pass. */
  public static List<Violation> verify(SortedMap<Integer, List<Line>> logs) {
    SortedMap<Integer, LineSource> sources = new TreeMap<>();
    logs.forEach((id, lines) -> sources.put(id, LineSource.of(lines)));
    Verifier v = new Verifier();
    try {
      Pass.run(sources, List.of(v));
    } catch (BadLogException e) {
      throw new AssertionError(e); // lines in memory are parsed already
    }
    return v.violations();
  }

  /**
   * The violations found: so far while the pass runs (a live view's verdict so far), all of them,
   * by file and line, once it has ended.
   */
  public List<Violation> violations() {
    return out;
  }

  private SnapshotCheck snapshots;

  /**
   * Also checks these snapshot records ({@link logicalclocks.log.SnapshotFiles}: {@code where} ->
   * record, or the reason it could not be read) against the logs. Call before the pass.
   */
  public void snapshots(Map<String, Object> records) {
    List<SnapshotCheck.Input> in = new ArrayList<>();
    records.forEach(
        (where, r) ->
            in.add(
                r instanceof logicalclocks.vm.Snapshots.Record rec
                    ? new SnapshotCheck.Input(where, rec, null)
                    : new SnapshotCheck.Input(where, null, String.valueOf(r))));
    snapshots = new SnapshotCheck(in, out);
  }

  @Override
  public void begin(RunInfo info) {
    run = info;
    if (snapshots != null) {
      snapshots.begin(info.logs());
    }
  }

  /** The other clock kinds' rules (none without such kinds on the class path). */
  private final KindCheck kinds = new KindCheck();

  @Override
  public void accept(int vm, Line line) {
    vms.computeIfAbsent(vm, id -> new VmCheck(id, this)).line(line);
    if (snapshots != null) {
      snapshots.line(vm, line);
    }
    if (!kinds.idle()) {
      kinds.line(vm, line, fates, this);
    }
  }

  @Override
  public void endOfLog(int vm, Line last) {
    VmCheck c = vms.computeIfAbsent(vm, id -> new VmCheck(id, this));
    c.end(last);
    fates.endOfLog(vm);
    vectors.endOfLog(vm);
  }

  @Override
  public void end() {
    vectors.end();
    if (snapshots != null) {
      snapshots.end();
    }
    members = new TreeSet<>(run.logs());
    members.addAll(declaredAt.keySet());
    checkMembership();
    fates.end();
    out.sort(Comparator.comparing(Violation::where, Verifier::byFileAndLine));
  }

  private static int byFileAndLine(String a, String b) {
    int ca = lineColon(a);
    int cb = lineColon(b);
    int byFile = a.substring(0, ca).compareTo(b.substring(0, cb));
    return byFile != 0 ? byFile : Long.compare(lineOf(a, ca), lineOf(b, cb));
  }

  /** Where a place's {@code :<line>} begins (its length when it names a file only). */
  private static int lineColon(String where) {
    int c = where.lastIndexOf(':');
    return c >= 0 && c + 1 < where.length() && where.substring(c + 1).matches("[0-9]{1,18}")
        ? c
        : where.length();
  }

  private static long lineOf(String where, int colon) {
    return colon == where.length() ? 0 : Long.parseLong(where.substring(colon + 1));
  }

  // --- what VmCheck reports to the run ---

  void add(Violation v) {
    out.add(v);
  }

  Set<Integer> logs() {
    return run.logs();
  }

  boolean hasLog(int vm) {
    return run.logs().contains(vm);
  }

  void start(Line l, Set<Integer> peers) {
    starts.add(l);
    if (peers != null) {
      peers.forEach(p -> declaredAt.putIfAbsent(p, l));
    }
  }

  void sendTo(Line l, int dest) {
    if (dest == l.event().vm()) {
      add(v(l, Rule.MEMBERSHIP, "SEND to VM " + dest + " itself: a VM sends only to others"));
    } else if (dest >= 0 && !hasLog(dest)) {
      sendsToAbsent.add(l);
    }
  }

  void sent(String msg, int from, long seq, int to, long clock, Line line) {
    if (!hasLog(to)) {
      sentToAbsent.merge(to, 1L, Long::sum);
    }
    fates.send(msg, from, seq, to, clock, line);
  }

  void received(Line l) {
    int from = parseIntOr(l.event().get("from"), -1);
    if (from >= 0 && !hasLog(from)) {
      receivesFromAbsent.add(l);
    }
    fates.fate(l.event().get("msg"), l, false);
  }

  void dropped(Line l, boolean ambiguous) {
    fates.fate(l.event().get("msg"), l, ambiguous);
  }

  void queuedAtLastStop(Line stop) {
    for (String msg : queuedIds(stop.event())) {
      fates.fate(msg, stop, false);
    }
  }

  void vectorLine(int vm, Line l) {
    vectors.line(vm, l);
  }

  void unstopped(int vm) {
    unstopped.add(vm);
  }

  boolean wasSent(int from, long seq) {
    return fates.wasSent(from, seq);
  }

  // --- fates ---

  @Override
  public void settled(Fates.Sent s, Line fate, boolean ambiguous) {
    matches(s, fate);
  }

  @Override
  public void late(String id, Fates.Sent s, Line fate) {
    if (s != null) {
      matches(s, fate);
    }
  }

  @Override
  public void extra(String id, Fates.Sent s, Line fate, Line first, EventType firstType) {
    if (s != null && !hasLog(s.to())) {
      return;
    }
    if (s != null) {
      matches(s, fate);
    }
    add(
        v(
            fate,
            Rule.MESSAGES_ACCOUNTED,
            id
                + " already "
                + firstType
                + (firstType == EventType.STOP ? " (queued)" : "")
                + (first == null ? "" : " at " + first.where())));
  }

  @Override
  public void orphan(String id, Line fate) {
    int sender = MessageIds.senderOf(id);
    if (members.contains(sender) && !hasLog(sender)) {
      return; // its sender's log is missing (reported once, as missing-log)
    }
    switch (fate.event().event()) {
      case RECEIVE -> {
        if (fromAMember(fate)) { // else membership, once
          add(
              v(
                  fate,
                  Rule.RECEIVE_MATCHES_SEND,
                  "RECEIVE of "
                      + id
                      + " has no SEND"
                      + (members.contains(sender)
                          ? ""
                          : " (VM " + sender + " is not in the run)")));
        }
      }
      case STOP ->
          add(
              v(
                  fate,
                  Rule.MESSAGES_ACCOUNTED,
                  "STOP names " + id + " as queued, but no VM sent it"));
      default -> {} // a DROP of a message its VM never sent: message-ids, per VM
    }
  }

  @Override
  public void unsettled(Fates.Sent s) {
    if (hasLog(s.to()) && !unstopped.contains(s.to())) {
      add(
          v(
              s.line(),
              Rule.MESSAGES_ACCOUNTED,
              "message "
                  + s.id()
                  + " to VM "
                  + s.to()
                  + " was neither received, nor dropped, nor queued at its receiver's last STOP"));
    }
  }

  /** A fate against its SEND, and Lamport's condition for a RECEIVE. */
  private void matches(Fates.Sent s, Line l) {
    if (!hasLog(s.to())) {
      return; // missing-log or membership, reported once
    }
    LogEvent e = l.event();
    String msg = s.id();
    switch (e.event()) {
      case RECEIVE -> {
        if (s.to() != e.vm()) {
          add(
              v(
                  l,
                  Rule.RECEIVE_MATCHES_SEND,
                  msg + " was sent to VM " + s.to() + ", received by VM " + e.vm()));
        }
        if (parseLongOr(e.get("sent"), -1) != s.clock()) {
          add(
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
        if (!String.valueOf(s.from()).equals(e.get("from")) && fromAMemberLater(l)) {
          add(
              v(
                  l,
                  Rule.RECEIVE_MATCHES_SEND,
                  "RECEIVE of "
                      + msg
                      + " says from="
                      + e.get("from")
                      + " but VM "
                      + s.from()
                      + " sent it"));
        }
        hybridAbove(s, l);
        if (e.clock() <= s.clock()) {
          add(
              v(
                  l,
                  Rule.CLOCK_CONDITION,
                  "RECEIVE of "
                      + msg
                      + " at clock "
                      + e.clock()
                      + " is not above its SEND's "
                      + s.clock()));
        }
      }
      case DROP -> {
        if (parseIntOr(e.get("to"), -1) != s.to()) {
          add(
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
          add(
              v(
                  l,
                  Rule.MESSAGES_ACCOUNTED,
                  "STOP of VM "
                      + e.vm()
                      + " names "
                      + msg
                      + " as queued, but it was sent to VM "
                      + s.to()));
        }
      }
      default -> throw new AssertionError(e.event());
    }
  }

  /**
   * Whether a RECEIVE's {@code from} may be a member: a VM with a log always is; any other is
   * decided with the START lines at the end (membership reports it there, once).
   */
  private boolean fromAMemberLater(Line l) {
    int from = parseIntOr(l.event().get("from"), -1);
    return from < 0 || hasLog(from) || members != null && members.contains(from);
  }

  private boolean fromAMember(Line l) {
    int from = parseIntOr(l.event().get("from"), -1);
    return from < 0 || members.contains(from);
  }

  private void checkMembership() {
    for (var d : declaredAt.entrySet()) {
      if (!hasLog(d.getKey())) {
        long toIt = sentToAbsent.getOrDefault(d.getKey(), 0L);
        add(
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
    for (Line l : starts) {
      Set<Integer> expected = new TreeSet<>(members);
      expected.remove(l.event().vm());
      Set<Integer> peers = peersOf(l.event());
      if (peers != null && !peers.equals(expected)) {
        add(
            v(
                l,
                Rule.MEMBERSHIP,
                "START names peers " + peers + " but the run's other VMs are " + expected));
      }
    }
    for (Line l : sendsToAbsent) {
      for (String to : l.event().list("to")) {
        int dest = parseIntOr(to, -1);
        if (dest >= 0 && !members.contains(dest)) {
          add(
              v(
                  l,
                  Rule.MEMBERSHIP,
                  "SEND to VM " + dest + ", which is not a VM of this run " + members));
        }
      }
    }
    for (Line l : receivesFromAbsent) {
      int from = parseIntOr(l.event().get("from"), -1);
      if (!members.contains(from)) {
        add(
            v(
                l,
                Rule.MEMBERSHIP,
                "RECEIVE from VM " + from + ", which is not a VM of this run " + members));
      }
    }
  }

  /** The ids a STOP line names as still queued. */
  public static List<String> queuedIds(LogEvent stop) {
    return stop.list("queued");
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

  /**
   * Checks that a message id is well formed, {@code <sender>-<seq>}: a VM id and a sequence, both
   * written canonically (see {@link MessageIds#canonical}); their order is {@code message-ids}'s.
   *
   * @throws LogFormatException when it is not
   */
  static void checkMessageId(String msg) {
    if (MessageIds.seqOf(msg) < 0) {
      throw new LogFormatException("message id '" + msg + "' is not <sender>-<seq>");
    }
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

  /** A RECEIVE's hybrid time against its SEND's, when both carry one. */
  private void hybridAbove(Fates.Sent s, Line receive) {
    HybridTime sent;
    HybridTime got;
    try {
      sent = VirtualMachine.hlcOf(s.line().event());
      got = VirtualMachine.hlcOf(receive.event());
    } catch (LogFormatException bad) {
      return; // a fields violation at the line that has it
    }
    if (sent != null && got != null && got.compareTo(sent) <= 0) {
      add(
          v(
              receive,
              Rule.HLC_RECEIVE,
              "RECEIVE of "
                  + s.id()
                  + " at hlc "
                  + got
                  + " is not above its SEND's "
                  + sent
                  + " ("
                  + s.line().where()
                  + ")"));
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
    return v(l, rule.id(), message);
  }

  /** A violation of a rule named by its id (a clock kind's own rule). */
  static Violation v(Line l, String rule, String message) {
    return new Violation(
        l.where(),
        rule,
        message,
        logicalclocks.log.EventLogFormat.idOfFileName(l.file().getFileName().toString()),
        l.number());
  }
}
