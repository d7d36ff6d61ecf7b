package logicalclocks.analysis.verify;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import logicalclocks.analysis.stream.Fates;
import logicalclocks.analysis.stream.MessageIds;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.VirtualMachine;

/**
 * Every vector clock against the one the rules give, replayed as the pass reads the tick lines:
 * each VM continues from the vector it should have had (so one wrong line is one violation), a
 * RECEIVE takes the vector its SEND should have had. The expected vectors are kept as mutable
 * arrays (SEND and INTERNAL add 1 in place), and a line's {@code vc} is compared as text against
 * them without being parsed unless it differs: the cost of a line is the length of its vc. A
 * RECEIVE read before its SEND (a live stream) waits, with the rest of its VM's lines, until the
 * SEND is read or its sender's log ends.
 */
final class VectorCheck implements Fates.Listener {
  private final Verifier run;
  private final Fates fates;
  private final Map<Integer, long[]> current = new HashMap<>();
  private final Map<String, long[]> sentVector = new HashMap<>();
  private final Map<Integer, ArrayDeque<Line>> waiting = new HashMap<>();
  private final Set<Integer> ended = new HashSet<>();

  VectorCheck(Verifier run, Fates fates) {
    this.run = run;
    this.fates = fates;
    fates.listen(this);
  }

  void line(int vm, Line l) {
    ArrayDeque<Line> queue = waiting.get(vm);
    if (queue != null) {
      queue.add(l);
      return;
    }
    if (mustWait(l)) {
      waiting.computeIfAbsent(vm, k -> new ArrayDeque<>()).add(l);
      return;
    }
    replay(vm, l);
  }

  /** A RECEIVE whose SEND is not read yet while its sender may still log it. */
  private boolean mustWait(Line l) {
    LogEvent e = l.event();
    if (e.event() != EventType.RECEIVE) {
      return false;
    }
    String msg = e.get("msg");
    int from = MessageIds.senderOf(msg);
    long seq = MessageIds.seqOf(msg);
    return seq >= 0
        && !sentVector.containsKey(msg)
        && !fates.wasSent(from, seq)
        && run.hasLog(from)
        && !ended.contains(from);
  }

  /** Lines that waited for a SEND just read (or for a log that ended). */
  private void release() {
    boolean progress = true;
    while (progress && !waiting.isEmpty()) {
      progress = false;
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var w = it.next();
        ArrayDeque<Line> q = w.getValue();
        while (!q.isEmpty() && !mustWait(q.peek())) {
          replay(w.getKey(), q.poll());
          progress = true;
        }
        if (q.isEmpty()) {
          it.remove();
        }
      }
    }
  }

  @Override
  public void sent(Fates.Sent s) {
    if (!waiting.isEmpty()) {
      release();
    }
  }

  @Override
  public void settled(Fates.Sent s, Line fate, boolean ambiguous) {
    if (fate.event().event() != EventType.RECEIVE) {
      sentVector.remove(s.id()); // a late RECEIVE takes the SEND's written vector
    }
  }

  void endOfLog(int vm) {
    ended.add(vm);
    if (!waiting.isEmpty()) {
      release();
    }
  }

  void end() {
    ended.addAll(run.logs());
    release();
  }

  private void replay(int owner, Line l) {
    LogEvent e = l.event();
    long[] vc = current.computeIfAbsent(owner, k -> new long[Math.max(owner + 1, 4)]);
    long[] before = null;
    long[] carried = null;
    if (e.event() == EventType.RECEIVE) {
      String msg = e.get("msg");
      carried = sentVector.remove(msg);
      if (carried == null && fates.sentOf(msg) == null) {
        // Its SEND is in no log (a missing log, a deleted line: reported as such): what the SEND
        // carried cannot be known, so the line is checked as far as it can be and the VM goes on
        // from what it wrote, one violation at most, not one on every line after it.
        unknowable(owner, l, vc);
        return;
      }
      if (carried == null) {
        carried = writtenVectorOfSend(msg);
      }
    }
    String text = e.get(VirtualMachine.VECTOR_KEY);
    boolean compare = text != null;
    vc = grow(vc, owner + 1);
    if (carried != null) {
      before = vc.clone(); // a merge costs the vector's length anyway
      vc = grow(vc, carried.length);
      for (int i = 0; i < carried.length; i++) {
        vc[i] = Math.max(vc[i], carried[i]);
      }
    }
    vc[owner]++;
    current.put(owner, vc);
    if (compare && !VectorText.equals(text, vc)) {
      if (before == null) {
        before = vc.clone();
        before[owner]--;
      }
      try {
        VectorClock written = VirtualMachine.vectorOf(e);
        String why =
            carried != null
                ? "max(previous "
                    + VectorText.format(before)
                    + ", the SEND's "
                    + VectorText.format(carried)
                    + ")"
                : "the previous " + VectorText.format(before);
        run.add(
            Verifier.v(
                l,
                Verifier.Rule.VECTOR_CLOCK,
                e.event()
                    + " vc is "
                    + written.format()
                    + ", expected "
                    + why
                    + " with own entry + 1: "
                    + VectorText.format(vc)));
      } catch (LogFormatException bad) {
        run.add(Verifier.v(l, Verifier.Rule.FIELDS, bad.getMessage()));
      }
    }
    if (e.event() == EventType.SEND) {
      long[] sent = Arrays.copyOf(vc, vc.length);
      for (String id : e.list("msg")) {
        sentVector.put(id, sent);
      }
    }
  }

  /**
   * A RECEIVE whose SEND no log holds: its own entry must be the previous + 1 and no entry may be
   * below the previous vector's; the VM continues from what it wrote.
   */
  private void unknowable(int owner, Line l, long[] before) {
    LogEvent e = l.event();
    long[] prev = grow(before, owner + 1);
    String text = e.get(VirtualMachine.VECTOR_KEY);
    long[] next = prev.clone();
    next[owner]++;
    if (text != null) {
      try {
        VectorClock written = VirtualMachine.vectorOf(e);
        long[] w = VectorText.toArray(written);
        boolean ok = w.length > owner && w[owner] == prev[owner] + 1;
        for (int i = 0; i < prev.length && ok; i++) {
          ok = i == owner || (i < w.length ? w[i] : 0) >= prev[i];
        }
        if (!ok) {
          run.add(
              Verifier.v(
                  l,
                  Verifier.Rule.VECTOR_CLOCK,
                  "RECEIVE vc is "
                      + written.format()
                      + ", expected at least the previous "
                      + VectorText.format(prev)
                      + " with own entry + 1 (its SEND is in no log, so the SEND's entries cannot"
                      + " be checked)"));
        }
        next = grow(next, w.length);
        for (int i = 0; i < w.length; i++) {
          if (i != owner) {
            next[i] = Math.max(next[i], w[i]);
          }
        }
      } catch (LogFormatException bad) {
        run.add(Verifier.v(l, Verifier.Rule.FIELDS, bad.getMessage()));
      }
    }
    current.put(owner, next);
  }

  /** The vector a SEND line wrote, when the expected one is not known (zero if none). */
  private long[] writtenVectorOfSend(String msg) {
    Fates.Sent s = fates.sentOf(msg);
    if (s == null) {
      return new long[0];
    }
    try {
      VectorClock v = VirtualMachine.vectorOf(s.line().event());
      return v == null ? new long[0] : VectorText.toArray(v);
    } catch (LogFormatException bad) {
      return new long[0]; // fields, at the SEND
    }
  }

  private static long[] grow(long[] a, int size) {
    return a.length >= size ? a : Arrays.copyOf(a, size); // at most the number of VMs
  }
}
