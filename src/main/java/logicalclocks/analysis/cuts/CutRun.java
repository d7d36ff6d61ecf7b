package logicalclocks.analysis.cuts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.EventLogReader.BadLogException;

/**
 * A finished run as its consistent cuts see it. A cut is a vector {@code e}: {@code e[i]} of VM i's
 * events (its SEND, RECEIVE and INTERNAL lines, in log order) are inside. It is consistent when no
 * RECEIVE inside has its SEND outside. VM i's state at the cut is its state after its {@code
 * e[i]}-th event ({@code 0}: before any, as its first START left it).
 *
 * <p>Per VM and event it keeps the state the predicates read (clock, queue, messages sent and
 * received so far) and, per other VM, the highest event of that VM its events so far received a
 * message from ({@link #need}): a cut is consistent exactly when {@code need(j, i, e[j]) <= e[i]}
 * for every pair.
 */
public final class CutRun {
  /** Most of {@code VMs x events} the model holds (its dependency table is that many ints). */
  public static final long MAX_CELLS = 200_000_000L;

  final int n;
  final int[] events;
  final long[][] clock;
  final int[][] queue;
  final int[][] sent;
  final int[][] received;

  /** {@code need[j][i][k]}: highest event of VM i that VM j's first k events received from. */
  final int[][][] need;

  private CutRun(int n) {
    this.n = n;
    events = new int[n];
    clock = new long[n][];
    queue = new int[n][];
    sent = new int[n][];
    received = new int[n][];
    need = new int[n][n][];
  }

  /** VMs. */
  public int machines() {
    return n;
  }

  /** VM {@code vm}'s events. */
  public int events(int vm) {
    return events[vm];
  }

  /** Every VM's events (the final cut). */
  public int[] eventsAll() {
    return events.clone();
  }

  /** Whether cut {@code e} is consistent. */
  public boolean consistent(int[] e) {
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        if (need[j][i][e[j]] > e[i]) {
          return false;
        }
      }
    }
    return true;
  }

  /** VM i's value of {@code var} at cut {@code e}. */
  long value(Expr.Var var, int i, int[] e) {
    int k = e[i];
    return switch (var) {
      case CLOCK -> clock[i][k];
      case QUEUE -> queue[i][k];
      case SENT -> sent[i][k];
      case RECEIVED -> received[i][k];
    };
  }

  /** Messages sent inside cut {@code e} and not received inside it (whatever became of them). */
  public long inTransit(int[] e) {
    long t = 0;
    for (int i = 0; i < n; i++) {
      t += sent[i][e[i]] - received[i][e[i]];
    }
    return t;
  }

  /** One VM's tick events as read: per event its state, and its RECEIVEs' message ids. */
  private static final class Lane {
    long startClock;
    boolean started;
    final List<long[]> states = new ArrayList<>(); // {clock, queue, sent so far, received so far}
    final List<int[]> receives = new ArrayList<>(); // {event index, index into ids}
    final List<String> receiveIds = new ArrayList<>();
    final List<String> where = new ArrayList<>();
  }

  /** Reads every {@code machine_<id>.log} of {@code dir}. */
  public static CutRun read(Path dir) throws BadLogException {
    TreeMap<Integer, Path> files = EventLogReader.logFiles(dir);
    int n = files.lastKey() + 1;
    if (files.size() != n) {
      throw new BadLogException(
          dir
              + ": machine_<id>.log files for ids 0.."
              + (n - 1)
              + " expected, found "
              + files.keySet());
    }
    Lane[] lanes = new Lane[n];
    Map<String, long[]> sends = new HashMap<>(); // msg id -> {vm, event index, destination}
    Map<String, String> received = new HashMap<>(); // msg id -> where it was received
    for (var f : files.entrySet()) {
      int vm = f.getKey();
      Lane lane = new Lane();
      lanes[vm] = lane;
      long[] tally = new long[2];
      EventLogReader.forEach(
          f.getValue(),
          line -> {
            LogEvent ev = line.event();
            if (ev.event() == EventType.START && !lane.started) {
              lane.started = true;
              lane.startClock = ev.clock();
            }
            if (!ev.event().isTick()) {
              return;
            }
            int index = lane.states.size() + 1;
            if (ev.event() == EventType.SEND) {
              List<String> ids = ev.list("msg");
              List<String> to = ev.list("to");
              for (int m = 0; m < ids.size(); m++) {
                String id = ids.get(m);
                long dest =
                    m < to.size() && LogEvent.asciiInteger(to.get(m))
                        ? Long.parseLong(to.get(m))
                        : -1;
                if (sends.put(id, new long[] {vm, index, dest}) != null) {
                  throw new BadLogException(line.where() + ": message " + id + " sent twice");
                }
                tally[0]++;
              }
            } else if (ev.event() == EventType.RECEIVE) {
              String before = received.put(ev.get("msg"), line.where());
              if (before != null) {
                throw new BadLogException(
                    line.where()
                        + ": message "
                        + ev.get("msg")
                        + " received twice (first at "
                        + before
                        + ")");
              }
              tally[1]++;
              lane.receives.add(new int[] {index, lane.receiveIds.size()});
              lane.receiveIds.add(ev.get("msg"));
              lane.where.add(line.where());
            }
            lane.states.add(new long[] {ev.clock(), ev.queue(), tally[0], tally[1]});
          });
    }
    long cells = 0;
    for (Lane l : lanes) {
      cells += (long) n * (l.states.size() + 1);
    }
    if (cells > MAX_CELLS) {
      throw new BadLogException(
          dir
              + ": "
              + n
              + " VMs x their events is "
              + cells
              + " dependency cells, past the "
              + MAX_CELLS
              + " the lattice commands hold; take a shorter run or fewer VMs");
    }
    CutRun r = new CutRun(n);
    for (int vm = 0; vm < n; vm++) {
      Lane l = lanes[vm];
      int e = l.states.size();
      r.events[vm] = e;
      r.clock[vm] = new long[e + 1];
      r.queue[vm] = new int[e + 1];
      r.sent[vm] = new int[e + 1];
      r.received[vm] = new int[e + 1];
      r.clock[vm][0] = l.startClock;
      for (int k = 1; k <= e; k++) {
        long[] s = l.states.get(k - 1);
        r.clock[vm][k] = s[0];
        r.queue[vm][k] = (int) s[1];
        r.sent[vm][k] = (int) s[2];
        r.received[vm][k] = (int) s[3];
      }
      for (int i = 0; i < n; i++) {
        r.need[vm][i] = new int[e + 1];
      }
      for (int[] rc : l.receives) {
        String id = l.receiveIds.get(rc[1]);
        long[] from = sends.get(id);
        if (from == null) {
          throw new BadLogException(
              l.where.get(rc[1]) + ": RECEIVE of message " + id + " whose SEND is in no log");
        }
        if (from[2] >= 0 && from[2] != vm) {
          throw new BadLogException(
              l.where.get(rc[1])
                  + ": RECEIVE of message "
                  + id
                  + " on VM "
                  + vm
                  + ", sent to VM "
                  + from[2]);
        }
        int[] row = r.need[vm][(int) from[0]];
        row[rc[0]] = Math.max(row[rc[0]], (int) from[1]);
      }
      for (int i = 0; i < n; i++) {
        int[] row = r.need[vm][i];
        for (int k = 1; k <= e; k++) {
          row[k] = Math.max(row[k], row[k - 1]); // what the first k events received from, so far
        }
      }
    }
    r.acyclic(dir);
    return r;
  }

  /**
   * Fails when no order of the events keeps every SEND before its RECEIVE (the logs' messages form
   * a cycle: edited or corrupted logs): the lattice would have no path from the first cut to the
   * last. Advances every VM as far as what it received allows until none can move.
   */
  private void acyclic(Path dir) throws BadLogException {
    int[] e = new int[n];
    boolean moved = true;
    while (moved) {
      moved = false;
      for (int vm = 0; vm < n; vm++) {
        while (e[vm] < events[vm]) {
          boolean ok = true;
          for (int j = 0; j < n && ok; j++) {
            ok = need[vm][j][e[vm] + 1] <= e[j];
          }
          if (!ok) {
            break;
          }
          e[vm]++;
          moved = true;
        }
      }
    }
    for (int vm = 0; vm < n; vm++) {
      if (e[vm] < events[vm]) {
        throw new BadLogException(
            dir
                + ": no order of the events keeps every SEND before its RECEIVE (VM "
                + vm
                + "'s event "
                + (e[vm] + 1)
                + " receives a message whose SEND comes after a RECEIVE that waits for it): the"
                + " logs' messages form a cycle; analyze without these flags lists what is broken");
      }
    }
  }
}
