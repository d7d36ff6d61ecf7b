package logicalclocks.analysis.live;

import java.time.Duration;
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
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;

/**
 * What {@code watch} shows, fed line by line from the VMs' logs as they are written: per VM its
 * state, rate, Lamport clock, queue, events and drops; and the cluster's events merged in one total
 * order, (clock, VM id, line number), each RECEIVE marked with the SEND it matches. Pure: no I/O,
 * no threads, no clock of its own (callers synchronize and pass the time).
 *
 * <p>An event {@code (c, v, n)} is released once no VM that is still expected to log can log one
 * that sorts before it. A VM's next line has a clock at least its latest one (DROP, STOP and a
 * resumed START repeat it), so VM {@code w} whose latest clock is {@code cw} can still log {@code
 * (cw, w, ·)}: the event waits while {@code c > cw}, or {@code c == cw} and {@code w < v}. A VM is
 * expected to log while it is live (its log goes on), and for {@code grace} after it was last live
 * or, never seen, after the watch started: not reachable yet, unreachable, or stopped by a signal
 * (its restart resumes the log). After the grace it is declared absent and holds nothing back; an
 * event of it that then comes in below what was already shown is shown marked {@code (late)}. A VM
 * whose log ended for good (STOP finished, clock-limit, failed or startup-timeout) holds nothing
 * back.
 */
public final class WatchModel {
  /** What is known of a VM. */
  public enum State {
    /** Not seen yet. */
    CONNECTING,
    /** Its log goes on. */
    LIVE,
    /** Its log ends with STOP reason=signal (or closed): a restart resumes it. */
    STOPPED,
    /** Its log ends with STOP reason=finished (or clock-limit). */
    FINISHED,
    /** Its log ends with STOP reason=failed or startup-timeout, or the VM says its run failed. */
    FAILED,
    /** It cannot be reached (it is tried again). */
    UNREACHABLE,
    /** Never seen within the grace: events are shown without it. */
    ABSENT;

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
    boolean seen;
    String stopReason;
    boolean over;
    long awaySince = -1;
    boolean givenUp;

    Vm(int id) {
      this.id = id;
    }

    /** Lines received so far (the next one to ask for is this + 1). */
    public long lines() {
      return lines;
    }

    public State state() {
      return state;
    }

    /** Ticks per second its latest START declared (0 before one). */
    public int rate() {
      return rate;
    }

    /** Its latest Lamport clock. */
    public long clock() {
      return clock;
    }

    /** Its inbox's length after its latest event. */
    public int queue() {
      return queue;
    }

    /** Its DROP lines so far. */
    public long drops() {
      return drops;
    }

    /** Its SEND, RECEIVE and INTERNAL events so far. */
    public long events() {
      return events;
    }

    /** Why it is in its state (e.g. the reason of its STOP, why it is unreachable). */
    public String detail() {
      return detail;
    }

    /** Whether its log goes on: seen, and its last line is not a STOP. */
    boolean running() {
      return seen && stopReason == null && state == State.LIVE;
    }
  }

  /** An event in the merged order, as shown: its clock, VM, line number in its log, and text. */
  public record Merged(long clock, int vm, long line, String text) {}

  private static final Comparator<Merged> TOTAL_ORDER =
      Comparator.comparingLong(Merged::clock)
          .thenComparingInt(Merged::vm)
          .thenComparingLong(Merged::line);

  private final List<Vm> vms = new ArrayList<>();
  private final PriorityQueue<Merged> pending = new PriorityQueue<>(TOTAL_ORDER);
  private Merged lastReleased;
  private final Map<String, long[]> sends = new HashMap<>();
  private final Deque<Merged> recent = new ArrayDeque<>();
  private final List<String> notices = new ArrayList<>();
  private final int keep;
  private final long graceMillis;
  private long now;

  /**
   * @param keep how many of the latest merged events the screen shows
   * @param grace how long a VM that is not live (not seen yet, unreachable, stopped by a signal)
   *     still holds the merge back
   * @param startMillis the time the watch starts, on the clock later passed to {@link #release}
   */
  public WatchModel(int machines, int keep, Duration grace, long startMillis) {
    for (int i = 0; i < machines; i++) {
      Vm v = new Vm(i);
      v.awaySince = startMillis;
      vms.add(v);
    }
    this.keep = keep;
    this.graceMillis = grace.toMillis();
    this.now = startMillis;
  }

  public Vm vm(int id) {
    return vms.get(id);
  }

  /**
   * What the follower of VM {@code id} reports: {@code LIVE} (connected), {@code UNREACHABLE}, or
   * how the VM says its log ended ({@code FINISHED}, {@code FAILED}: for good; {@code STOPPED}: a
   * restart is awaited); {@code detail} says why (shown beside the state).
   */
  public void state(int id, State state, String detail) {
    Vm v = vms.get(id);
    switch (state) {
      case FINISHED, FAILED, ABSENT -> v.over = true; // ABSENT told: it has no log at all
      case LIVE -> {
        if (v.stopReason != null) {
          return; // connected again after a STOP: its next line (a START) says more
        }
      }
      case UNREACHABLE -> {
        if (v.stopReason != null) { // its log ends with STOP: that stays its state
          if (!detail.equals(v.detail)) {
            notices.add("vm" + id + " unreachable: " + detail);
          }
          v.detail = detail;
          return;
        }
      }
      default -> {}
    }
    set(v, state, detail);
  }

  private void set(Vm v, State state, String detail) {
    if (v.state != state) {
      notices.add("vm" + v.id + " " + state.word() + (detail.isEmpty() ? "" : ": " + detail));
    }
    v.state = state;
    v.detail = detail;
  }

  /** The next line of VM {@code id}'s log. */
  public void line(int id, String line) {
    LogEvent e;
    try {
      e = EventLogFormat.parse(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
    } catch (LogFormatException bad) {
      unreadable(id, bad.getMessage());
      return;
    }
    line(id, e);
  }

  /** The next line of VM {@code id}'s log did not parse ({@code why}): counted and noticed. */
  public void unreadable(int id, String why) {
    Vm v = vms.get(id);
    v.lines++;
    v.seen = true;
    notices.add("vm" + id + " line " + v.lines + " unreadable: " + why);
  }

  /** The next line of VM {@code id}'s log, parsed by the caller. */
  public void line(int id, LogEvent e) {
    Vm v = vms.get(id);
    v.lines++;
    v.seen = true;
    if (e.event() == EventType.START) {
      v.stopReason = null;
    }
    if (e.event() != EventType.STOP && v.stopReason == null) {
      if (v.state != State.LIVE) {
        set(v, State.LIVE, "");
      }
      v.awaySince = -1;
      v.givenUp = false;
    }
    v.clock = e.clock();
    v.queue = e.queue();
    String text = e.event().name();
    switch (e.event()) {
      case START -> {
        v.rate = Integer.parseInt(e.get("rate"));
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
        String reason = e.get("reason");
        v.stopReason = reason;
        text += " reason=" + reason;
        set(v, stateAfterStop(reason), "reason=" + reason);
      }
      default -> {}
    }
    pending.add(new Merged(e.clock(), id, v.lines, text));
  }

  /** The state a STOP with this reason leaves a VM in. */
  public static State stateAfterStop(String reason) {
    return switch (reason == null ? "" : reason) {
      case "finished", "clock-limit" -> State.FINISHED;
      case "signal", "closed" -> State.STOPPED;
      default -> State.FAILED;
    };
  }

  /**
   * Whether VM {@code v} may still log an event that sorts before what is pending, at {@code
   * nowMillis}; declares it absent once its grace is over.
   */
  private boolean holdsBack(Vm v, long nowMillis) {
    if (v.over) {
      return false;
    }
    if (v.running()) {
      return true;
    }
    if (v.stopReason != null && v.state != State.STOPPED) {
      return false; // its log ended for good (finished or failed)
    }
    if (v.awaySince < 0) {
      v.awaySince = nowMillis;
    }
    if (nowMillis - v.awaySince < graceMillis) {
      return true;
    }
    if (!v.givenUp) {
      v.givenUp = true;
      if (!v.seen) {
        set(v, State.ABSENT, "not seen within " + graceSeconds() + " s");
      }
      notices.add(
          "vm"
              + v.id
              + (v.seen ? " not back" : " not seen")
              + " within "
              + graceSeconds()
              + " s: events are shown without it");
    }
    return false;
  }

  private String graceSeconds() {
    return String.format(Locale.ROOT, "%.0f", graceMillis / 1000.0);
  }

  /**
   * Events that can now be placed in the total order, in that order (each once), at {@code
   * nowMillis} (on the clock the model was started with).
   */
  public List<Merged> release(long nowMillis) {
    now = nowMillis;
    List<Vm> holders = new ArrayList<>();
    for (Vm v : vms) {
      if (holdsBack(v, nowMillis)) {
        holders.add(v);
      }
    }
    List<Merged> out = new ArrayList<>();
    while (!pending.isEmpty() && safe(pending.peek(), holders)) {
      Merged m = pending.poll();
      if (lastReleased != null && TOTAL_ORDER.compare(m, lastReleased) < 0) {
        m = new Merged(m.clock(), m.vm(), m.line(), m.text() + " (late)");
      } else {
        lastReleased = m;
      }
      out.add(m);
      recent.addLast(m);
      if (recent.size() > keep) {
        recent.removeFirst();
      }
    }
    return out;
  }

  /** Whether no VM that holds back can still log an event that sorts before {@code m}. */
  private static boolean safe(Merged m, List<Vm> holders) {
    for (Vm w : holders) {
      if (w.id != m.vm() && (m.clock() > w.clock || m.clock() == w.clock && w.id < m.vm())) {
        return false;
      }
    }
    return true;
  }

  /** State changes and unreadable lines since the last call, oldest first. */
  public List<String> notices() {
    List<String> out = new ArrayList<>(notices);
    notices.clear();
    return out;
  }

  /**
   * Whether every VM's log has ended for good (the VM said its run finished or failed) and every
   * event was released.
   */
  public boolean allEnded() {
    return vms.stream().allMatch(v -> v.over) && pending.isEmpty();
  }

  /** The VMs whose log ended failed (see {@link #allEnded}). */
  public List<Integer> failed() {
    return vms.stream().filter(v -> v.over && v.state == State.FAILED).map(v -> v.id).toList();
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
              v.state.word(),
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
    for (Vm v : vms) {
      if (!v.over && !v.running() && v.awaySince >= 0 && !v.givenUp) {
        long left = Math.max(0, v.awaySince + graceMillis - now);
        sb.append(
            String.format(
                Locale.ROOT,
                "(waiting for vm%d: %d s more before showing events without it)%n",
                v.id,
                (left + 999) / 1000));
      }
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
