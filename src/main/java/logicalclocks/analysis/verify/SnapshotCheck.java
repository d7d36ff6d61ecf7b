package logicalclocks.analysis.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.Snapshots;
import logicalclocks.vm.VirtualMachine;

/**
 * Checks every snapshot record of a run against its logs, in the verifier's one pass: the rules
 * {@code snapshot-record}, {@code snapshot-state}, {@code snapshot-cut} and {@code
 * snapshot-channels} ({@link Verifier.Rule}). Per snapshot it keeps the messages sent inside its
 * cut and not yet received inside it: those in transit at the cut.
 */
final class SnapshotCheck {
  /**
   * A record as read: {@code record} null when it could not be read, {@code error} saying why.
   *
   * @param where its file, as people read it ({@code snapshots/3.json})
   */
  record Input(String where, Snapshots.Record record, String error) {
    /** The id its file's name gives ({@code snapshots/<id>.json}), or 0 when it gives none. */
    long fileId() {
      return logicalclocks.log.SnapshotFiles.idOf(where.substring(where.lastIndexOf('/') + 1));
    }
  }

  /** One snapshot under check. */
  private static final class Snap {
    final String where;
    final Snapshots.Record record;
    final Map<Integer, Snapshots.VmState> states = new HashMap<>();

    /** msg id -> its SEND, for each message sent inside the cut and not received inside it. */
    final Map<String, Sent> transit = new LinkedHashMap<>();

    final Set<String> dropped = new HashSet<>();
    final Map<Integer, Boolean> lineSeen = new HashMap<>();

    /** Whether its record is whole enough to check what it holds (every VM of the run, once). */
    boolean whole = true;

    Snap(String where, Snapshots.Record record) {
      this.where = where;
      this.record = record;
    }
  }

  private record Sent(int from, int to, Line line) {}

  private final List<Violation> out;
  private final List<Snap> snaps = new ArrayList<>();
  private final Map<Integer, Long> ticks = new HashMap<>();

  /** The snapshot ids that have a record file (readable or not). */
  private final Set<Long> recorded = new HashSet<>();

  /** Each snapshot id the logs' SNAPSHOT lines name, with the first such line. */
  private final java.util.TreeMap<Long, String> begun = new java.util.TreeMap<>();

  SnapshotCheck(List<Input> inputs, List<Violation> out) {
    this.out = out;
    for (Input in : inputs) {
      if (in.fileId() == 0) {
        add(
            in.where(),
            Verifier.Rule.SNAPSHOT_RECORD,
            in.error() != null
                ? in.error()
                : "not a record's name (snapshots/<id>.json, the id from 1 written plainly)");
        continue;
      }
      recorded.add(in.fileId());
      if (in.record() == null) {
        add(in.where(), Verifier.Rule.SNAPSHOT_RECORD, in.error());
        continue;
      }
      if (in.record().id() != in.fileId()) {
        add(
            in.where(),
            Verifier.Rule.SNAPSHOT_RECORD,
            "its id is " + in.record().id() + ", not its file's " + in.fileId());
        continue;
      }
      Snap s = new Snap(in.where(), in.record());
      boolean ok = true;
      for (Snapshots.VmState v : in.record().vms()) {
        if (s.states.put(v.vm(), v) != null) {
          add(in.where(), Verifier.Rule.SNAPSHOT_RECORD, "vm " + v.vm() + " recorded twice");
          ok = false;
        }
      }
      if (ok) {
        snaps.add(s);
      }
    }
  }

  /** Before the first line: a complete snapshot records every VM of the run, and no other. */
  void begin(SortedSet<Integer> vms) {
    for (Snap s : snaps) {
      for (Snapshots.VmState v : s.states.values()) {
        if (!vms.contains(v.vm())) {
          add(s.where, Verifier.Rule.SNAPSHOT_RECORD, "vm " + v.vm() + " is not a VM of this run");
          s.whole = false;
          continue;
        }
        for (int from : v.channels().keySet()) {
          if (from == v.vm() || !vms.contains(from)) {
            add(
                s.where,
                Verifier.Rule.SNAPSHOT_RECORD,
                "vm "
                    + v.vm()
                    + " has a channel from "
                    + (from == v.vm() ? "itself" : "vm " + from + ", not a VM of this run"));
            s.whole = false;
          }
        }
      }
      if (s.record.complete()) {
        for (int vm : vms) {
          if (!s.states.containsKey(vm)) {
            add(
                s.where,
                Verifier.Rule.SNAPSHOT_RECORD,
                "complete, but vm " + vm + "'s state is not in it");
            s.whole = false;
          }
        }
      }
    }
  }

  void line(int vm, Line l) {
    LogEvent e = l.event();
    long before = ticks.getOrDefault(vm, 0L); // this VM's tick events before this line
    if (e.event().isTick()) {
      ticks.put(vm, before + 1);
    }
    long snap = 0; // a SNAPSHOT line's id, read once
    if (e.event() == logicalclocks.event.EventType.SNAPSHOT) {
      try {
        snap = VirtualMachine.snapshotOf(e);
        begun.putIfAbsent(snap, l.where());
      } catch (LogFormatException bad) {
        // a fields violation of the line's own
      }
    }
    if (snaps.isEmpty()) {
      return;
    }
    try {
      for (Snap s : snaps) {
        Snapshots.VmState mine = s.states.get(vm);
        boolean inside = mine != null && before < mine.events();
        switch (e.event()) {
          case SEND -> {
            if (inside) {
              String[] ids = e.get("msg").split(",", -1);
              String[] to = e.get("to").split(",", -1);
              for (int k = 0; k < ids.length && k < to.length; k++) {
                s.transit.put(ids[k], new Sent(vm, Integer.parseInt(to[k]), l));
              }
            }
          }
          case RECEIVE -> {
            String msg = e.get("msg");
            if (inside && s.transit.remove(msg) == null && sentInsideKnown(s, msg)) {
              add(
                  l,
                  Verifier.Rule.SNAPSHOT_CUT,
                  "snapshot "
                      + s.record.id()
                      + " ("
                      + s.where
                      + ") is not a consistent cut: this RECEIVE of "
                      + msg
                      + " is inside it (vm "
                      + vm
                      + "'s first "
                      + mine.events()
                      + " events) but its SEND is not");
            }
          }
          case DROP -> s.dropped.add(e.get("msg"));
          case SNAPSHOT -> {
            if (snap == s.record.id()) {
              s.lineSeen.put(vm, true);
              if (mine != null && mine.queue().size() > e.queue()) {
                add(
                    s.where,
                    Verifier.Rule.SNAPSHOT_STATE,
                    "vm "
                        + vm
                        + "'s recorded queue holds "
                        + mine.queue().size()
                        + " messages, but its SNAPSHOT line ("
                        + l.where()
                        + ") says its queue held "
                        + e.queue());
              }
              if (mine != null && (mine.events() != before || mine.clock() != e.clock())) {
                add(
                    s.where,
                    Verifier.Rule.SNAPSHOT_STATE,
                    "vm "
                        + vm
                        + " recorded events="
                        + mine.events()
                        + " clock="
                        + mine.clock()
                        + ", but its SNAPSHOT line ("
                        + l.where()
                        + ") comes after "
                        + before
                        + " events at clock "
                        + e.clock());
              }
            }
          }
          default -> {}
        }
      }
    } catch (LogFormatException | NumberFormatException | NullPointerException bad) {
      // the line's own rules report what is wrong with it
    }
  }

  /**
   * Whether a RECEIVE's SEND, not inside the cut, is one the cut should have held: its sender is in
   * the record (a failed snapshot may lack some VMs' states).
   */
  private static boolean sentInsideKnown(Snap s, String msg) {
    int dash = msg.indexOf('-');
    if (dash <= 0) {
      return false;
    }
    try {
      return s.states.containsKey(Integer.parseInt(msg.substring(0, dash)));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  void end() {
    // VM 0 begins a snapshot only once the last one ended: every one below the latest begun has a
    // record (a VM 0 restarted in the middle of one writes it as failed); only the latest may lack
    // one (VM 0 ended during it and never came back)
    if (!begun.isEmpty()) {
      long latest = begun.lastKey();
      for (var b : begun.headMap(latest).entrySet()) {
        if (!recorded.contains(b.getKey())) {
          add(
              "snapshots/" + b.getKey() + ".json",
              Verifier.Rule.SNAPSHOT_RECORD,
              "missing: snapshot "
                  + b.getKey()
                  + " was begun ("
                  + b.getValue()
                  + " records a state for it) and a later one too, so it ended, but its record is"
                  + " not here");
        }
      }
    }
    for (Snap s : snaps) {
      for (Snapshots.VmState v : s.states.values()) {
        if (!s.lineSeen.containsKey(v.vm())) {
          add(
              s.where,
              Verifier.Rule.SNAPSHOT_STATE,
              "vm " + v.vm() + "'s log has no SNAPSHOT line for snapshot " + s.record.id());
        }
      }
      if (s.whole) {
        channels(s);
      }
    }
  }

  /**
   * A complete snapshot's queues and channels hold exactly the messages in transit at its cut, each
   * once, at its receiver, under its sender; one its sender DROPped may be missing (it never
   * reached a queue, or reached it after its sender gave up on it: a late delivery).
   */
  private void channels(Snap s) {
    Set<String> seen = new HashSet<>();
    for (Snapshots.VmState v : s.states.values()) {
      List<String[]> held = new ArrayList<>();
      v.queue().forEach(id -> held.add(new String[] {id, "queue"}));
      v.channels()
          .forEach((from, ids) -> ids.forEach(id -> held.add(new String[] {id, "" + from})));
      for (String[] h : held) {
        String id = h[0];
        String place =
            "vm " + v.vm() + "'s " + (h[1].equals("queue") ? "queue" : "channel from vm " + h[1]);
        if (!seen.add(id)) {
          add(
              s.where,
              Verifier.Rule.SNAPSHOT_CHANNELS,
              id + " is recorded twice (again in " + place + ")");
          continue;
        }
        Sent sent = s.transit.get(id);
        if (sent == null && !s.record.complete() && !sentInsideKnown(s, id)) {
          continue; // sent by a VM a failed snapshot has no state of: nothing says where its cut
          // was
        }
        if (sent == null) {
          add(
              s.where,
              Verifier.Rule.SNAPSHOT_CHANNELS,
              place
                  + " holds "
                  + id
                  + ", which was not in transit at the cut (not sent inside it, or received inside"
                  + " it)");
        } else if (sent.to() != v.vm()) {
          add(
              s.where,
              Verifier.Rule.SNAPSHOT_CHANNELS,
              place + " holds " + id + ", which was sent to vm " + sent.to());
        } else if (!h[1].equals("queue") && Integer.parseInt(h[1]) != sent.from()) {
          add(
              s.where,
              Verifier.Rule.SNAPSHOT_CHANNELS,
              place + " holds " + id + ", which vm " + sent.from() + " sent");
        }
      }
    }
    if (!s.record.complete()) {
      return; // a failed snapshot's channels may be incomplete: what it holds is checked above
    }
    int missing = 0;
    String first = null;
    for (Map.Entry<String, Sent> e : s.transit.entrySet()) {
      if (!seen.contains(e.getKey()) && !s.dropped.contains(e.getKey())) {
        missing++;
        if (first == null) {
          first =
              e.getKey()
                  + " (sent "
                  + e.getValue().line().where()
                  + ", to vm "
                  + e.getValue().to()
                  + ")";
        }
      }
    }
    if (missing > 0) {
      add(
          s.where,
          Verifier.Rule.SNAPSHOT_CHANNELS,
          missing
              + " message(s) in transit at the cut are in no queue or channel of the record and"
              + " were not dropped, the first "
              + first);
    }
  }

  private void add(String where, Verifier.Rule rule, String message) {
    out.add(new Violation(where, rule.id(), message, -1, 0));
  }

  private void add(Line l, Verifier.Rule rule, String message) {
    out.add(Verifier.v(l, rule, message));
  }
}
