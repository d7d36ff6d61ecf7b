package logicalclocks.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;

/**
 * What {@code watch} shows, fed line by line from the VMs' logs as they are written: per VM its
 * state, rate, Lamport clock, queue, events and drops; and the cluster's events merged in Lamport's
 * total order (clock, then VM id), each RECEIVE marked with the SEND it matches. Pure: no I/O, no
 * threads (callers synchronize).
 *
 * <p>An event is released in total order once no VM still connected can log an earlier one: every
 * live VM's latest clock is at least the event's (a VM's later events have higher clocks) — the
 * condition Lamport's mutual exclusion algorithm waits for. A VM that finished, or cannot be
 * reached, holds nothing back.
 */
public final class WatchModel {
  /** What is known of a VM's connection. */
  public enum State {
    CONNECTING,
    LIVE,
    FINISHED,
    UNREACHABLE;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One VM's row. */
  public static final class Vm {
    final int id;
    State state = State.CONNECTING;
    String detail = "";
    int rate;
    long clock;
    int queue;
    long events;
    long drops;
    long lines;
    boolean stopped;

    Vm(int id) {
      this.id = id;
    }

    /** Lines received so far (the next one to ask for is this + 1). */
    public long lines() {
      return lines;
    }
  }

  /** An event in the merged order, as shown. */
  public record Merged(long clock, int vm, String text) {}

  private final List<Vm> vms = new ArrayList<>();

  /**
   * A logged event waiting for its place; {@code order} keeps one VM's equal clocks in log order.
   */
  private record Waiting(Merged event, long order) {}

  private final PriorityQueue<Waiting> pending =
      new PriorityQueue<>(
          Comparator.comparingLong((Waiting w) -> w.event().clock())
              .thenComparingInt(w -> w.event().vm())
              .thenComparingLong(Waiting::order));
  private long order;
  private final Map<String, long[]> sends = new HashMap<>();
  private final Deque<Merged> recent = new ArrayDeque<>();
  private final List<String> notices = new ArrayList<>();
  private final int keep;

  /**
   * @param keep how many of the latest merged events the screen shows
   */
  public WatchModel(int machines, int keep) {
    for (int i = 0; i < machines; i++) {
      vms.add(new Vm(i));
    }
    this.keep = keep;
  }

  public Vm vm(int id) {
    return vms.get(id);
  }

  /** VM {@code id}'s connection changed; {@code detail} says why (shown beside the state). */
  public void state(int id, State state, String detail) {
    Vm v = vms.get(id);
    if (v.state != state) {
      notices.add("vm" + id + " " + state.word() + (detail.isEmpty() ? "" : ": " + detail));
    }
    v.state = state;
    v.detail = detail;
  }

  /** The next line of VM {@code id}'s log. */
  public void line(int id, String line) {
    Vm v = vms.get(id);
    v.lines++;
    if (v.state != State.LIVE) {
      state(id, State.LIVE, "");
    }
    LogEvent e;
    try {
      e = EventLogFormat.parse(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
    } catch (LogFormatException bad) {
      notices.add("vm" + id + " line " + v.lines + " unreadable: " + bad.getMessage());
      return;
    }
    v.clock = e.clock();
    v.queue = e.queue();
    String text = e.event().name();
    switch (e.event()) {
      case START -> {
        v.rate = Integer.parseInt(e.get("rate"));
        v.stopped = false;
        text += " rate=" + e.get("rate") + ("true".equals(e.get("resumed")) ? " resumed" : "");
      }
      case SEND -> {
        v.events++;
        for (String msg : e.list("msg")) {
          sends.put(msg, new long[] {id, e.clock()});
        }
        text += " to=" + e.get("to") + " msg=" + e.get("msg");
      }
      case RECEIVE -> {
        v.events++;
        long[] sent = sends.remove(e.get("msg"));
        text +=
            " msg="
                + e.get("msg")
                + (sent == null
                    ? " (its SEND not seen)"
                    : " <- SEND on vm" + sent[0] + " at clock " + sent[1]);
      }
      case INTERNAL -> v.events++;
      case DROP -> {
        v.drops++;
        text += " msg=" + e.get("msg") + " reason=" + e.get("reason");
      }
      case STOP -> {
        v.stopped = true;
        text += " reason=" + e.get("reason");
      }
      default -> {}
    }
    pending.add(new Waiting(new Merged(e.clock(), id, text), order++));
  }

  /** Events that can now be placed in the total order, in that order (each once). */
  public List<Merged> release() {
    long horizon = Long.MAX_VALUE;
    for (Vm v : vms) {
      boolean holdsBack = v.state == State.LIVE && !v.stopped || v.state == State.CONNECTING;
      if (holdsBack) {
        horizon = Math.min(horizon, v.state == State.CONNECTING ? -1 : v.clock);
      }
    }
    List<Merged> out = new ArrayList<>();
    while (!pending.isEmpty() && pending.peek().event().clock() <= horizon) {
      Merged m = pending.poll().event();
      out.add(m);
      recent.addLast(m);
      if (recent.size() > keep) {
        recent.removeFirst();
      }
    }
    return out;
  }

  /** State changes and unreadable lines since the last call, oldest first. */
  public List<String> notices() {
    List<String> out = new ArrayList<>(notices);
    notices.clear();
    return out;
  }

  /** Whether every VM finished its run (and every event was released). */
  public boolean allFinished() {
    return vms.stream().allMatch(v -> v.state == State.FINISHED) && pending.isEmpty();
  }

  /** The screen: one row per VM, then the latest events in Lamport order. */
  public String screen(String title) {
    StringBuilder sb = new StringBuilder(title).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "%-4s %-12s %5s %9s %6s %8s %6s%n",
            "VM",
            "state",
            "rate",
            "clock",
            "queue",
            "events",
            "drops"));
    for (Vm v : vms) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-4d %-12s %5s %9d %6d %8d %6d%s%n",
              v.id,
              v.state == State.LIVE && v.stopped ? "stopped" : v.state.word(),
              v.rate == 0 ? "-" : Integer.toString(v.rate),
              v.clock,
              v.queue,
              v.events,
              v.drops,
              v.detail.isEmpty() ? "" : "  " + v.detail));
    }
    sb.append("\nIn Lamport's total order (clock, then VM):\n");
    for (Merged m : recent) {
      sb.append(String.format(Locale.ROOT, "%9d  vm%-3d %s%n", m.clock(), m.vm(), m.text()));
    }
    int waiting = pending.size();
    if (waiting > 0) {
      sb.append(
          String.format(Locale.ROOT, "(%d event(s) wait for a VM to pass their clock)%n", waiting));
    }
    return sb.toString();
  }

  /** A released event as one plain line. */
  public static String plain(Merged m) {
    return String.format(Locale.ROOT, "%d vm%d %s", m.clock(), m.vm(), m.text());
  }

  /** Rows in a stable order, for tests. */
  Map<Integer, State> states() {
    Map<Integer, State> m = new LinkedHashMap<>();
    vms.forEach(v -> m.put(v.id, v.state));
    return m;
  }
}
