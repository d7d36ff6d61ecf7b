package logicalclocks.analysis.verify;

import java.util.List;
import java.util.Set;
import logicalclocks.analysis.stream.MessageIds;
import logicalclocks.clock.HybridTime;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.VirtualMachine;

/**
 * One VM's log, checked line by line: START..STOP structure, wall-time order, each event's clock
 * rule, its own message ids; what it sent and the fates it logged go to the run for the cross-VM
 * checks.
 */
final class VmCheck {
  private final int id;
  private final Verifier run;
  private final List<Violation> out;
  private final java.util.Set<String> malformedIds = new java.util.HashSet<>();
  private Line prev;
  private Line lastStop;
  private boolean running;
  private long lastSeq;
  private Boolean keepsVectors;
  private Boolean keepsHybrid;
  private boolean mixedHybridReported;
  private HybridTime lastHybrid;
  private Line lastHybridLine;
  private long stepBackMs;
  private Declared declared;
  private boolean mixedReported;
  private Line lastTick;

  VmCheck(int id, Verifier run) {
    this.id = id;
    this.run = run;
    this.out = run.out;
  }

  /** The log has ended; {@code last} is its last line, or null when it had none. */
  void end(Line last) {
    if (last == null) {
      out.add(
          new Violation(
              EventLogFormat.fileName(id) + ":0",
              Verifier.Rule.START_STOP.id(),
              "empty log",
              id,
              0));
      return;
    }
    if (running) {
      // Its queue at the end is unknown: messages to it are not checked one by one; this says so.
      run.unstopped(id);
      out.add(
          Verifier.v(
              last,
              Verifier.Rule.START_STOP,
              "log ends without STOP (killed?): the"
                  + " messages queued at its end are unknown, so messages to VM "
                  + id
                  + " cannot all be accounted for"));
    }
    // A restarted VM takes back what was queued at an earlier STOP (its inbox journal): only the
    // last STOP's queue is a fate.
    if (lastStop != null) {
      run.queuedAtLastStop(lastStop);
    }
  }

  void line(Line l) {
    check(l);
    prev = l;
  }

  private void check(Line l) {
    LogEvent e = l.event();
    if (e.vm() != id) {
      out.add(
          Verifier.v(l, Verifier.Rule.VM_ID, "line says vm=" + e.vm() + " in the log of VM " + id));
    }
    long allowed = stepBackMs;
    if (e.event() == EventType.START) {
      Declared now = Declared.of(e, out, l);
      // a restart may set the clock otherwise: back by what the earlier run's clock added at most
      // over what this one adds
      allowed =
          declared == null || prev == null
              ? 0
              : Math.max(0, declared.mostAdded(prev.event().ts().toEpochMilli()) - now.offset());
      declared = now;
      stepBackMs = now.largestStepBack(); // this run's clock may be set back by its steps
      allowed = Math.max(allowed, stepBackMs);
    }
    if (prev != null && e.ts().isBefore(prev.event().ts().minusMillis(allowed))) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.WALL_TIME_ORDER,
              "ts "
                  + e.ts()
                  + " is before the previous line's "
                  + prev.event().ts()
                  + (allowed > 0
                      ? " by more than its declared clocks allow (" + allowed + " ms)"
                      : "")));
    }
    if (prev == null && e.event() != EventType.START) {
      out.add(Verifier.v(l, Verifier.Rule.START_STOP, "log does not begin with START"));
    } else if (!running && e.event() != EventType.STOP && e.event() != EventType.START) {
      out.add(Verifier.v(l, Verifier.Rule.START_STOP, e.event() + " outside a START..STOP run"));
    }
    long before = prev == null ? 0 : prev.event().clock();
    try {
      if (e.event().isTick()) {
        if (lastTick != null && e.clock() <= lastTick.event().clock()) {
          out.add(
              Verifier.v(
                  l,
                  Verifier.Rule.CLOCK_CONDITION,
                  "clock "
                      + e.clock()
                      + " is not above this VM's"
                      + " previous event's "
                      + lastTick.event().clock()
                      + " ("
                      + lastTick.where()
                      + ")"));
        }
        lastTick = l;
        vectorOf(l);
        hybridOf(l);
      }
      switch (e.event()) {
        case START -> {
          start(l, before);
          lastTick = l; // a lowered restart is clock-monotonic's; ticks follow the START
        }
        case SEND -> {
          send(l, before);
          die(l);
        }
        case INTERNAL -> {
          Verifier.expectClock(l, before + 1, "INTERNAL is +1", out);
          die(l);
        }
        case RECEIVE -> {
          Verifier.expectClock(
              l, Math.max(before, e.longValue("sent")) + 1, "RECEIVE is max(prev, sent)+1", out);
          Verifier.checkMessageId(e.get("msg"));
          run.received(l);
        }
        case DROP -> drop(l, before);
        case SNAPSHOT -> snapshot(l, before);
        case STOP -> stop(l, before);
        default -> throw new AssertionError(e.event());
      }
    } catch (LogFormatException | NumberFormatException ex) {
      out.add(Verifier.v(l, Verifier.Rule.FIELDS, ex.getMessage()));
    }
    missed(l);
  }

  /**
   * Tick slots skipped before a line: a positive integer, on a tick line or on STOP (slots skipped
   * at the end of a run); a VM never writes it on START or DROP.
   */
  private void missed(Line l) {
    LogEvent e = l.event();
    if (e.get(VirtualMachine.MISSED_KEY) == null) {
      return;
    }
    if (!e.event().isTick() && e.event() != EventType.STOP) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.FIELDS,
              VirtualMachine.MISSED_KEY
                  + " on a "
                  + e.event()
                  + " line: only a tick line or STOP says tick slots were skipped"));
      return;
    }
    try {
      VirtualMachine.missedOf(e);
    } catch (LogFormatException ex) {
      out.add(Verifier.v(l, Verifier.Rule.FIELDS, ex.getMessage()));
    }
  }

  /** A tick line's vector clock: present in every tick line of a log that keeps them. */
  private void vectorOf(Line l) {
    String text = l.event().get(VirtualMachine.VECTOR_KEY);
    if (keepsVectors == null) {
      keepsVectors = text != null;
    }
    if (!keepsVectors) {
      if (text != null && !mixedReported) {
        mixedReported = true; // once per log: the rest of it would say the same
        out.add(
            Verifier.v(
                l,
                Verifier.Rule.VECTOR_CLOCK,
                "vc on a line of a log whose first tick line has none"));
      }
      return;
    }
    if (text == null) {
      out.add(
          Verifier.v(l, Verifier.Rule.VECTOR_CLOCK, "no vc, in a log whose tick lines carry one"));
    }
    run.vectorLine(id, l); // the line still counts as the VM's event, even with none to compare
  }

  /**
   * The physical clock a START declares: {@code offset_ms}, {@code drift_ppm}, {@code steps} (each
   * checked: a malformed one is a fields violation and counts as absent).
   */
  private record Declared(long offset, long ppm, long[] stepAt, long[] stepBy, long startMs) {
    /**
     * What {@code start} declares; a declaration that is wrong is a {@code fields} violation and
     * read as absent (an exact clock), as every other reader of it reads it.
     */
    static Declared of(LogEvent start, List<Violation> out, Line l) {
      VirtualMachine.DeclaredClock d = VirtualMachine.declaredClockOf(start);
      if (d.error() != null) {
        out.add(Verifier.v(l, Verifier.Rule.FIELDS, d.error()));
      }
      logicalclocks.clock.PhysicalClock.Spec spec = d.specOrExact();
      long[] at =
          spec.steps().stream().mapToLong(logicalclocks.clock.PhysicalClock.Step::atMs).toArray();
      long[] by =
          spec.steps().stream().mapToLong(logicalclocks.clock.PhysicalClock.Step::byMs).toArray();
      return new Declared(spec.offsetMs(), spec.driftPpm(), at, by, start.ts().toEpochMilli());
    }

    long largestStepBack() {
      long back = 0;
      for (long b : stepBy) {
        back = Math.max(back, -b);
      }
      return back;
    }

    /** The most this clock had added to host time by raw time {@code untilMs}. */
    long mostAdded(long untilMs) {
      long up = 0;
      long sum = 0;
      for (long b : stepBy) {
        sum += b;
        up = Math.max(up, sum);
      }
      long elapsed = Math.max(0, untilMs - startMs);
      return offset + up + (Math.abs(ppm) * elapsed + 999_999) / 1_000_000;
    }
  }

  /**
   * A tick line's hybrid time: present in every tick line of a log that keeps them, never below the
   * line's own physical time, and above the VM's previous one.
   */
  private void hybridOf(Line l) {
    LogEvent e = l.event();
    String text = e.get(VirtualMachine.HLC_KEY);
    if (keepsHybrid == null) {
      keepsHybrid = text != null;
    }
    if (!keepsHybrid) {
      if (text != null && !mixedHybridReported) {
        mixedHybridReported = true;
        out.add(
            Verifier.v(
                l,
                Verifier.Rule.HLC_PHYSICAL,
                "hlc on a line of a log whose first tick line has none"));
      }
      return;
    }
    if (text == null) {
      out.add(
          Verifier.v(l, Verifier.Rule.HLC_PHYSICAL, "no hlc, in a log whose tick lines carry one"));
      return;
    }
    HybridTime h = VirtualMachine.hlcOf(e); // a malformed one is a fields violation
    long pt = e.ts().toEpochMilli();
    if (h.l() < pt) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.HLC_PHYSICAL,
              "hlc " + h + ": l is below the VM's physical time " + pt + " (its ts)"));
    }
    if (lastHybrid != null && h.compareTo(lastHybrid) <= 0) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.HLC_MONOTONIC,
              "hlc "
                  + h
                  + " is not above this VM's previous event's "
                  + lastHybrid
                  + " ("
                  + lastHybridLine.where()
                  + ")"));
    }
    lastHybrid = h;
    lastHybridLine = l;
  }

  private void start(Line l, long before) {
    LogEvent e = l.event();
    if (running && !"true".equals(e.get("resumed"))) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.START_STOP,
              "START without a STOP before it (a crash?), and not resumed=true"));
    }
    if (e.clock() < before) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.CLOCK_MONOTONIC,
              "restarted at clock " + e.clock() + " below the earlier " + before));
    }
    Set<Integer> peers = Verifier.peersOf(e);
    run.start(l, peers);
    others = peers == null ? null : new java.util.ArrayList<>(new java.util.TreeSet<>(peers));
    String sidesText = e.get("sides");
    sides = sidesText != null && LogEvent.asciiInteger(sidesText) ? Long.parseLong(sidesText) : -1;
    if (peers == null) {
      out.add(
          Verifier.v(
              l, Verifier.Rule.FIELDS, "peers must be VM ids, got '" + e.get("peers") + "'"));
    }
    running = true;
  }

  /** The other VMs of the current run (by id) and its die's faces, from its START. */
  private List<Integer> others;

  private long sides = -1;

  /** The die rule: a tick line's roll (when it has one) is a face, and made the event it did. */
  private void die(Line l) {
    LogEvent e = l.event();
    String text = e.get("die");
    if (text == null || others == null || sides < 1) {
      return; // a log without rolls (written outside the project), or a START already refused
    }
    long roll = e.longValue("die");
    if (roll < 1 || roll > sides) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.DIE,
              "die=" + roll + " is not a face of the START's " + sides + "-sided die"));
      return;
    }
    List<Integer> expected = logicalclocks.vm.DieRule.recipients((int) roll, others);
    List<Integer> to = new java.util.ArrayList<>();
    if (e.event() == EventType.SEND) {
      for (String dest : e.list("to")) {
        to.add(Verifier.parseIntOr(dest, -1));
      }
    }
    if (!others.containsAll(to)) {
      return; // a SEND outside the run is membership's to report, not a second rule's
    }
    if (!to.equals(expected)) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.DIE,
              "die="
                  + roll
                  + " makes "
                  + (expected.isEmpty()
                      ? "an INTERNAL event"
                      : "a SEND to " + expected.stream().map(v -> "vm" + v).toList())
                  + " (other VMs by id: "
                  + others
                  + "), not "
                  + (e.event() == EventType.SEND
                      ? "a SEND to " + to.stream().map(v -> "vm" + v).toList()
                      : "an " + e.event())));
    }
  }

  private void send(Line l, long before) {
    LogEvent e = l.event();
    Verifier.expectClock(l, before + 1, "SEND is +1", out);
    List<String> to = e.list("to");
    for (String dest : to) {
      run.sendTo(l, Verifier.parseIntOr(dest, -1));
    }
    List<String> msgs = e.list("msg");
    if (to.size() != msgs.size()) {
      out.add(
          Verifier.v(l, Verifier.Rule.FIELDS, "SEND needs to= and msg= lists of the same length"));
    }
    for (int i = 0; i < Math.min(to.size(), msgs.size()); i++) {
      String msg = msgs.get(i);
      long known = MessageIds.senderOf(msg) == id ? MessageIds.seqOf(msg) : -1;
      if (known >= 0 && run.wasSent(id, known)) {
        out.add(Verifier.v(l, Verifier.Rule.MESSAGE_IDS, "message id " + msg + " sent twice"));
        continue;
      }
      if (known < 0) {
        malformedIds.add(msg); // a fields violation; its DROP is not also message-ids
        throw new LogFormatException("message id '" + msg + "' is not " + id + "-<seq>");
      }
      long seq = known;
      if (seq <= lastSeq) {
        out.add(
            Verifier.v(
                l,
                Verifier.Rule.MESSAGE_IDS,
                "message id " + msg + " is not after the previous " + id + "-" + lastSeq));
      }
      lastSeq = Math.max(lastSeq, seq);
      run.sent(msg, id, seq, Integer.parseInt(to.get(i)), e.clock(), l);
    }
  }

  private void drop(Line l, long before) {
    LogEvent e = l.event();
    Verifier.expectClock(l, before, "DROP leaves the clock", out);
    String msg = e.get("msg");
    var reason = DropReason.of(e.get("reason"));
    if (reason.isEmpty()) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.DROP_REASON,
              "DROP reason '" + e.get("reason") + "' is none a sender writes"));
    }
    long seq = MessageIds.senderOf(msg) == id ? MessageIds.seqOf(msg) : -1;
    if (seq < 0 && malformedIds.contains(msg)) {
      return; // its SEND's id is a fields violation already
    }
    if (seq < 0 || !run.wasSent(id, seq)) {
      out.add(
          Verifier.v(
              l, Verifier.Rule.MESSAGE_IDS, "DROP of " + msg + ", which this VM never sent"));
    } else {
      run.dropped(l, reason.map(DropReason::ambiguous).orElse(false));
    }
  }

  /** The last snapshot id this VM's log recorded its state for (they only increase). */
  private long lastSnapshot;

  /**
   * A SNAPSHOT leaves the clock; its {@code snap} is a positive integer above the log's last one (a
   * VM's colour only grows: a restart resumes it from its log).
   */
  private void snapshot(Line l, long before) {
    LogEvent e = l.event();
    Verifier.expectClock(l, before, "SNAPSHOT leaves the clock", out);
    long id = VirtualMachine.snapshotOf(e);
    if (id <= lastSnapshot) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.FIELDS,
              VirtualMachine.SNAPSHOT_KEY
                  + "="
                  + id
                  + " is not above this log's previous snapshot "
                  + lastSnapshot));
    }
    lastSnapshot = Math.max(lastSnapshot, id);
  }

  private void stop(Line l, long before) {
    LogEvent e = l.event();
    Verifier.expectClock(l, before, "STOP leaves the clock", out);
    if (!running && prev != null) {
      out.add(Verifier.v(l, Verifier.Rule.START_STOP, "STOP without START"));
    }
    List<String> queued = Verifier.queuedIds(e);
    if (queued.size() != e.queue()) {
      out.add(
          Verifier.v(
              l,
              Verifier.Rule.STOP_QUEUE,
              "STOP says queue="
                  + e.queue()
                  + " but names "
                  + queued.size()
                  + " queued message(s)"));
    }
    lastStop = l;
    running = false;
  }
}
