package logicalclocks.analysis.diff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.LogCursor;

/**
 * Where two runs of the same VMs (a run and its replay, or its fork, or two seeds) first differ:
 * per VM, the first line that is not the same in every field but {@code ts}; then the first message
 * whose SEND or RECEIVE differs (the first difference in happens-before); and a summary of each VM
 * side by side. Both runs are streamed, twice at most: memory grows with the messages sent or
 * received after a VM's first divergence, never with the lines before it.
 */
public final class RunDiff {
  /**
   * One VM's comparison.
   *
   * @param vm its id
   * @param line the first differing line's number (from 1), or 0 when identical
   * @param event the tick event (SEND, RECEIVE, INTERNAL; from 1) the first differing line is, or
   *     the next one after it (the line belongs to that event's step), or 0 when identical
   * @param a run A's line there (null: A's log ended, or has no such VM)
   * @param b run B's line there (null: likewise)
   * @param sumA run A's summary of this VM (null: no log)
   * @param sumB run B's
   */
  public record Vm(int vm, long line, long event, String a, String b, Summary sumA, Summary sumB) {
    public boolean identical() {
      return line == 0;
    }
  }

  /**
   * A VM's run in numbers.
   *
   * @param lines lines
   * @param events tick events (SEND, RECEIVE, INTERNAL)
   * @param finalClock the last line's clock
   * @param maxJump the largest clock rise at one tick event
   * @param maxQueue the longest queue a line shows
   * @param drops DROP lines
   */
  public record Summary(
      long lines, long events, long finalClock, long maxJump, long maxQueue, long drops) {}

  /**
   * Where a message is sent or received: the VM, its tick event (from 1), the line without its
   * {@code ts}, and its clock.
   */
  public record At(int vm, long event, String line, long clock) {}

  /**
   * The first message whose SEND or RECEIVE is not the same event in both runs.
   *
   * @param msg its id
   * @param sendA its SEND in run A (null: not sent there)
   * @param receiveA its RECEIVE in run A (null: not received there)
   */
  public record Message(String msg, At sendA, At receiveA, At sendB, At receiveB) {}

  /** The whole comparison; {@code firstMessage} null when every message's events agree. */
  public record Result(List<Vm> vms, Message firstMessage) {
    public boolean identical() {
      return firstMessage == null && vms.stream().allMatch(Vm::identical);
    }
  }

  private RunDiff() {}

  /** Thrown when a log cannot be read. */
  public static final class BadRun extends Exception {
    public BadRun(String message) {
      super(message);
    }
  }

  /** The line without its leading {@code ts=...} key: what the comparison looks at. */
  static String body(String line) {
    int sp = line.indexOf(' ');
    return line.startsWith("ts=") && sp > 0 ? line.substring(sp + 1) : line;
  }

  /** Compares run {@code a} with run {@code b} (folders of machine_<id>.log). */
  public static Result compare(Path a, Path b) throws BadRun {
    Map<Integer, Path> fa = files(a);
    Map<Integer, Path> fb = files(b);
    TreeSet<Integer> ids = new TreeSet<>(fa.keySet());
    ids.addAll(fb.keySet());
    List<Vm> vms = new ArrayList<>();
    Map<Integer, Long> diverge = new HashMap<>();
    for (int id : ids) {
      Vm v = compareVm(id, fa.get(id), fb.get(id));
      vms.add(v);
      diverge.put(id, v.identical() ? Long.MAX_VALUE : v.line());
    }
    // happens-before: only what lies at or after a VM's first divergence can differ
    Map<String, At[]> tails = new HashMap<>();
    for (int id : ids) {
      long from = diverge.get(id);
      if (from == Long.MAX_VALUE) {
        continue;
      }
      tail(fa.get(id), from, tails, 0);
      tail(fb.get(id), from, tails, 1);
    }
    Message first = null;
    long firstClock = Long.MAX_VALUE;
    for (Map.Entry<String, At[]> m : tails.entrySet()) {
      At[] x = m.getValue();
      boolean sendDiffers = differs(x[0], x[2]);
      boolean receiveDiffers = differs(x[1], x[3]);
      if (!sendDiffers && !receiveDiffers) {
        continue;
      }
      long c = Long.MAX_VALUE;
      if (sendDiffers) {
        c = Math.min(c, Math.min(clock(x[0]), clock(x[2])));
      }
      if (receiveDiffers) {
        c = Math.min(c, Math.min(clock(x[1]), clock(x[3])));
      }
      if (first == null || c < firstClock || (c == firstClock && before(m.getKey(), first.msg()))) {
        first = new Message(m.getKey(), x[0], x[1], x[2], x[3]);
        firstClock = c;
      }
    }
    if (first != null) {
      first = complete(first, fa, fb, diverge);
    }
    return new Result(vms, first);
  }

  /** A message id order: by sender, then sequence. */
  static boolean before(String x, String y) {
    long[] p = parts(x);
    long[] q = parts(y);
    return p[0] != q[0] ? p[0] < q[0] : p[1] < q[1];
  }

  private static long[] parts(String id) {
    int dash = id.indexOf('-');
    try {
      return new long[] {
        Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))
      };
    } catch (RuntimeException e) {
      return new long[] {Long.MAX_VALUE, Long.MAX_VALUE};
    }
  }

  /** A marker for an event in the common prefix of both runs (the same event in both). */
  private static final At PREFIX = new At(-1, -1, "", Long.MAX_VALUE);

  private static boolean differs(At x, At y) {
    if (x == PREFIX && y == PREFIX) {
      return false;
    }
    if (x == null || y == null) {
      return x != y;
    }
    return x.vm() != y.vm() || x.event() != y.event() || !x.line().equals(y.line());
  }

  private static long clock(At x) {
    return x == null || x == PREFIX ? Long.MAX_VALUE : x.clock();
  }

  /**
   * Fills in the events of {@code m} that lie in the common prefix (marked {@link #PREFIX}, or
   * absent from the tails): one more pass over the sender's and receiver's logs.
   */
  private static Message complete(
      Message m, Map<Integer, Path> fa, Map<Integer, Path> fb, Map<Integer, Long> diverge)
      throws BadRun {
    At[] x = {m.sendA(), m.receiveA(), m.sendB(), m.receiveB()};
    boolean need = false;
    for (At at : x) {
      need |= at == PREFIX || at == null;
    }
    if (!need) {
      return m;
    }
    // look the message up in full in both runs (null stays null when it is truly absent)
    At[] full = new At[4];
    for (int run = 0; run < 2; run++) {
      for (Path f : (run == 0 ? fa : fb).values()) {
        scan(f, Long.MAX_VALUE, m.msg(), full, run);
      }
    }
    return new Message(m.msg(), full[0], full[1], full[2], full[3]);
  }

  /** Records the SEND and RECEIVE events in {@code file} from line {@code from} on. */
  private static void tail(Path file, long from, Map<String, At[]> out, int run) throws BadRun {
    if (file == null) {
      return;
    }
    each(
        file,
        (n, event, text, e) -> {
          if (n < from) {
            return;
          }
          record(e, event, text, out, run);
        });
    // a message whose other event is in the prefix: mark it as such for the other run's side
  }

  private static void record(LogEvent e, long event, String text, Map<String, At[]> out, int run) {
    if (e.event() == EventType.SEND) {
      for (String id : e.list("msg")) {
        At[] x = out.computeIfAbsent(id, k -> prefixed());
        x[run * 2] = new At(e.vm(), event, body(text), e.clock());
      }
    } else if (e.event() == EventType.RECEIVE) {
      At[] x = out.computeIfAbsent(e.get("msg"), k -> prefixed());
      x[run * 2 + 1] = new At(e.vm(), event, body(text), e.clock());
    }
  }

  /**
   * A message first met in a tail: its other events are in the common prefix until a tail says
   * otherwise; a RECEIVE met nowhere is absent (null) — resolved by {@link #complete} when it
   * matters.
   */
  private static At[] prefixed() {
    return new At[] {PREFIX, PREFIX, PREFIX, PREFIX};
  }

  private static void scan(Path file, long from, String msg, At[] out, int run) throws BadRun {
    each(
        file,
        (n, event, text, e) -> {
          if (e.event() == EventType.SEND && e.list("msg").contains(msg)) {
            out[run * 2] = new At(e.vm(), event, body(text), e.clock());
          } else if (e.event() == EventType.RECEIVE && msg.equals(e.get("msg"))) {
            out[run * 2 + 1] = new At(e.vm(), event, body(text), e.clock());
          }
        });
  }

  @FunctionalInterface
  private interface Each {
    /** Line {@code n} (from 1), in tick event {@code event}'s step (from 1). */
    void line(long n, long event, String text, LogEvent e);
  }

  /** Streams a log's lines with their number and tick event (its own or the next one's). */
  private static void each(Path file, Each each) throws BadRun {
    try (LogCursor c = LogCursor.open(file)) {
      long ticks = 0;
      String text;
      while ((text = next(c)) != null) {
        LogEvent e = EventLogFormat.parse(text);
        long event = e.event().isTick() ? ++ticks : ticks + 1;
        each.line(c.lines(), event, text, e);
      }
    } catch (EventLogReader.BadLogException e) {
      throw new BadRun(e.getMessage());
    } catch (LogFormatException e) {
      throw new BadRun(file + ": " + e.getMessage());
    }
  }

  private static String next(LogCursor c) throws EventLogReader.BadLogException {
    try {
      return c.nextText();
    } catch (EventLogReader.BadLogException e) {
      if (e.getMessage().contains("truncated")) {
        return null; // a last line cut off mid-write is not compared
      }
      throw e;
    }
  }

  private static Vm compareVm(int id, Path a, Path b) throws BadRun {
    Acc sa = new Acc();
    Acc sb = new Acc();
    long line = 0;
    long event = 0;
    String la = null;
    String lb = null;
    try (LogCursor ca = a == null ? null : LogCursor.open(a);
        LogCursor cb = b == null ? null : LogCursor.open(b)) {
      long n = 0;
      long ticks = 0;
      while (true) {
        String ta = ca == null ? null : next(ca);
        String tb = cb == null ? null : next(cb);
        if (ta == null && tb == null) {
          break;
        }
        n++;
        LogEvent ea = ta == null ? null : parse(a, n, ta);
        LogEvent eb = tb == null ? null : parse(b, n, tb);
        if (ea != null) {
          sa.add(ea);
        }
        if (eb != null) {
          sb.add(eb);
        }
        if (line == 0) {
          if (ta == null || tb == null || !body(ta).equals(body(tb))) {
            line = n;
            event = ticks + 1;
            la = ta;
            lb = tb;
          } else if (ea.event().isTick()) {
            ticks++;
          }
        }
      }
    } catch (EventLogReader.BadLogException e) {
      throw new BadRun(e.getMessage());
    }
    return new Vm(
        id, line, event, la, lb, a == null ? null : sa.summary(), b == null ? null : sb.summary());
  }

  private static LogEvent parse(Path f, long n, String text) throws BadRun {
    try {
      return EventLogFormat.parse(text);
    } catch (LogFormatException e) {
      throw new BadRun(f + ":" + n + ": " + e.getMessage());
    }
  }

  private static final class Acc {
    long lines;
    long events;
    long last;
    long maxJump;
    long maxQueue;
    long drops;

    void add(LogEvent e) {
      lines++;
      if (e.event().isTick()) {
        events++;
        maxJump = Math.max(maxJump, e.clock() - last);
      }
      if (e.event() == EventType.DROP) {
        drops++;
      }
      last = e.clock();
      maxQueue = Math.max(maxQueue, e.queue());
    }

    Summary summary() {
      return new Summary(lines, events, last, maxJump, maxQueue, drops);
    }
  }

  private static Map<Integer, Path> files(Path dir) throws BadRun {
    if (!Files.isDirectory(dir)) {
      throw new BadRun(dir + ": not a folder of machine_<id>.log files");
    }
    try {
      Map<Integer, Path> f = EventLogReader.logFiles(dir);
      if (f.isEmpty()) {
        throw new BadRun(dir + ": no machine_<id>.log files");
      }
      return f;
    } catch (EventLogReader.BadLogException e) {
      throw new BadRun(e.getMessage());
    }
  }

  /** The comparison as text: one line per VM, the first message, a summary side by side. */
  public static String text(Result r, String nameA, String nameB) {
    StringBuilder s = new StringBuilder();
    for (Vm v : r.vms()) {
      if (v.identical()) {
        s.append("vm").append(v.vm()).append(": identical\n");
      } else {
        s.append("vm")
            .append(v.vm())
            .append(": first divergence at event ")
            .append(v.event())
            .append(" (line ")
            .append(v.line())
            .append(")\n");
        s.append("  A: ").append(v.a() == null ? "(no line: its log ends)" : v.a()).append('\n');
        s.append("  B: ").append(v.b() == null ? "(no line: its log ends)" : v.b()).append('\n');
      }
    }
    Message m = r.firstMessage();
    if (m == null) {
      s.append(
          "happens-before: the same in both runs (every message sent and received by the same"
              + " events)\n");
    } else {
      s.append("happens-before: first difference at message ").append(m.msg()).append('\n');
      s.append("  A: ").append(where(m.sendA(), m.receiveA())).append('\n');
      s.append("  B: ").append(where(m.sendB(), m.receiveB())).append('\n');
    }
    s.append(String.format("%n%-5s %-10s %12s %12s%n", "", "", "A", "B"));
    for (Vm v : r.vms()) {
      row(s, v, "events", Summary::events);
      row(s, v, "final clock", Summary::finalClock);
      row(s, v, "max jump", Summary::maxJump);
      row(s, v, "max queue", Summary::maxQueue);
      row(s, v, "drops", Summary::drops);
    }
    s.append("A: ").append(nameA).append("\nB: ").append(nameB).append('\n');
    return s.toString();
  }

  static String where(At send, At receive) {
    return (send == null ? "never sent" : "sent at vm" + send.vm() + " event " + send.event())
        + ", "
        + (receive == null
            ? "never received"
            : "received at vm" + receive.vm() + " event " + receive.event());
  }

  private static void row(
      StringBuilder s, Vm v, String what, java.util.function.ToLongFunction<Summary> f) {
    s.append(
        String.format(
            "%-5s %-11s %12s %12s%n",
            "vm" + v.vm(),
            what,
            v.sumA() == null ? "-" : Long.toString(f.applyAsLong(v.sumA())),
            v.sumB() == null ? "-" : Long.toString(f.applyAsLong(v.sumB()))));
  }
}
