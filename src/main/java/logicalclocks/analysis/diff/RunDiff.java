package logicalclocks.analysis.diff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    // each VM's two logs streamed side by side, VMs in parallel; what lies at or after a VM's
    // first divergence (the only place a message's events can differ) kept per message
    Tails tails = new Tails();
    List<CompletableFuture<Vm>> passes = new ArrayList<>();
    List<Tails.Local> locals = new ArrayList<>();
    // its own threads: the common pool has one worker on two cores
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(1, Math.min(ids.size(), Runtime.getRuntime().availableProcessors())),
            r -> {
              Thread t = new Thread(r, "diff");
              t.setDaemon(true);
              return t;
            });
    for (int id : ids) {
      Tails.Local local = new Tails.Local();
      locals.add(local);
      passes.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return compareVm(id, fa.get(id), fb.get(id), local);
                } catch (BadRun e) {
                  throw new CompletionException(e);
                }
              },
              pool));
    }
    pool.shutdown();
    List<Vm> vms = new ArrayList<>();
    for (CompletableFuture<Vm> p : passes) {
      try {
        vms.add(p.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof BadRun bad) {
          throw bad;
        }
        throw e;
      }
    }
    for (Tails.Local l : locals) {
      tails.add(l);
    }
    locals.clear();
    long first = -1;
    long firstClock = Long.MAX_VALUE;
    for (Map.Entry<Integer, Tails.Sender> e : tails.senders.entrySet()) {
      Tails.Sender t = e.getValue();
      long[] x = t.data;
      for (int i = 0; i < t.capacity; i++) {
        int o = i * 4 * WIDTH;
        boolean sendDiffers = differs(x, o, 0, 2);
        boolean receiveDiffers = differs(x, o, 1, 3);
        if (!sendDiffers && !receiveDiffers) {
          continue;
        }
        long c = Long.MAX_VALUE;
        if (sendDiffers) {
          c = Math.min(c, Math.min(clock(x, o, 0), clock(x, o, 2)));
        }
        if (receiveDiffers) {
          c = Math.min(c, Math.min(clock(x, o, 1), clock(x, o, 3)));
        }
        if (first < 0
            || c < firstClock) { // senders, then sequences, ascending: ties keep the first
          first = ((long) e.getKey() << 40) | (t.base + i);
          firstClock = c;
        }
      }
    }
    Message message = first < 0 ? null : complete(idOf(first), fa, fb);
    return new Result(vms, message);
  }

  /** Per message, per slot (0 SEND in A, 1 RECEIVE in A, 2 SEND in B, 3 RECEIVE in B): 3 longs. */
  private static final int WIDTH = 3;

  /**
   * A slot never filled: the event lies in the common prefix (or, facing a filled one, nowhere).
   */
  private static final long PREFIX = -1;

  /**
   * The tails' events, per sender, in one flat array over the range of its sequences met (message
   * ids are dense per sender): {@code 4 x WIDTH} longs per message, no object per message. Slots
   * never filled hold {@link #PREFIX}.
   */
  private static final class Tails {
    final java.util.TreeMap<Integer, Sender> senders = new java.util.TreeMap<>();

    static final class Sender {
      long base = -1;
      int capacity;
      long[] data = new long[0];

      void put(long seq, int slot, long pos, long h, long clock) {
        if (base < 0) {
          base = seq;
        }
        if (seq < base) {
          // room below too, but never below sequence 0 (a negative base would read as unset)
          long shift = Math.min(base, Math.max(base - seq, capacity / 2 + 1));
          grow((int) Math.max(capacity + shift, 1024), (int) shift);
          base -= shift;
        } else if (seq - base >= capacity) {
          grow((int) Math.max(seq - base + 1, Math.max(1024, capacity * 2L)), 0);
        }
        int o = (int) (seq - base) * 4 * WIDTH + slot * WIDTH;
        data[o] = pos;
        data[o + 1] = h;
        data[o + 2] = clock;
      }

      private void grow(int to, int shift) {
        long[] d = new long[to * 4 * WIDTH];
        java.util.Arrays.fill(d, PREFIX);
        System.arraycopy(data, 0, d, shift * 4 * WIDTH, data.length);
        data = d;
        capacity = to;
      }
    }

    /** One VM pass's records, kept apart (no lock while the passes run), added after. */
    static final class Local {
      long[] r = new long[4 * 1024];
      int n;

      void put(long key, int slot, long pos, long h, long clock) {
        if (key == Long.MAX_VALUE) {
          return; // not a message id: nothing to match it with
        }
        if (n + 5 > r.length) {
          r = java.util.Arrays.copyOf(r, r.length * 2);
        }
        r[n++] = key;
        r[n++] = slot;
        r[n++] = pos;
        r[n++] = h;
        r[n++] = clock;
      }
    }

    /** Adds one pass's records, in their order (a later one of a slot replaces an earlier). */
    void add(Local l) {
      long[] r = l.r;
      for (int i = 0; i < l.n; i += 5) {
        long key = r[i];
        senders
            .computeIfAbsent((int) (key >>> 40), k -> new Sender())
            .put(key & ((1L << 40) - 1), (int) r[i + 1], r[i + 2], r[i + 3], r[i + 4]);
      }
      l.r = null;
    }
  }

  private static boolean differs(long[] x, int o, int p, int q) {
    return x[o + p * WIDTH] != x[o + q * WIDTH]
        || x[o + p * WIDTH + 1] != x[o + q * WIDTH + 1]
        || x[o + p * WIDTH + 2] != x[o + q * WIDTH + 2];
  }

  private static long clock(long[] x, int o, int slot) {
    return x[o + slot * WIDTH] == PREFIX ? Long.MAX_VALUE : x[o + slot * WIDTH + 2];
  }

  static long key(String id) {
    int dash = id.indexOf('-');
    try {
      return (Long.parseLong(id.substring(0, dash)) << 40) | Long.parseLong(id.substring(dash + 1));
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  static String idOf(long key) {
    return (key >>> 40) + "-" + (key & ((1L << 40) - 1));
  }

  /**
   * A line's required fields, read on the fast path; a line that does not fit is parsed in full.
   */
  private static final class Fields {
    EventType type;
    long clock;
    int queue;

    /** Where the line's body (all but its ts) begins, in its bytes. */
    int bodyStart;

    void read(Path f, long n, LogCursor.Bytes v) throws BadRun {
      byte[] t = v.array;
      int end = v.from + v.length;
      int sp = indexOf(t, v.from, end, (byte) ' ');
      if (sp > 0 && v.ascii && startsWith(t, sp + 1, end, VM)) {
        int e = find(t, sp + 1, end, EVENT);
        int c = e < 0 ? -1 : find(t, e + EVENT.length, end, CLOCK);
        int q = c < 0 ? -1 : find(t, c + CLOCK.length, end, QUEUE);
        EventType ty = e < 0 || c < 0 ? null : typeAt(t, e + EVENT.length, c);
        long cl = q < 0 ? -1 : digits(t, c + CLOCK.length, q);
        int qe = q < 0 ? -1 : indexOf(t, q + QUEUE.length, end, (byte) ' ');
        long qu = q < 0 ? -1 : digits(t, q + QUEUE.length, qe < 0 ? end : qe);
        if (ty != null && cl >= 0 && qu >= 0 && qu <= Integer.MAX_VALUE) {
          type = ty;
          clock = cl;
          queue = (int) qu;
          bodyStart = sp + 1;
          return;
        }
      }
      LogEvent e = parse(f, n, v.text());
      type = e.event();
      clock = e.clock();
      queue = e.queue();
      bodyStart = sp < 0 ? v.from : sp + 1;
    }

    private static EventType typeAt(byte[] t, int from, int to) {
      for (int k = 0; k < TYPES.length; k++) {
        byte[] n = NAMES[k];
        if (to - from == n.length && startsWith(t, from, to, n)) {
          return TYPES[k];
        }
      }
      return null;
    }
  }

  private static final EventType[] TYPES = EventType.values();
  private static final byte[][] NAMES = new byte[TYPES.length][];

  static {
    for (int k = 0; k < TYPES.length; k++) {
      NAMES[k] = TYPES[k].name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  private static final byte[] VM = ascii("vm=");
  private static final byte[] EVENT = ascii(" event=");
  private static final byte[] CLOCK = ascii(" clock=");
  private static final byte[] QUEUE = ascii(" queue=");
  private static final byte[] MSG = ascii(" msg=");

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static int indexOf(byte[] t, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (t[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] t, int at, int end, byte[] p) {
    return end - at >= p.length && java.util.Arrays.equals(t, at, at + p.length, p, 0, p.length);
  }

  /** Where {@code p} next occurs in {@code t[from, to)}, or -1. */
  private static int find(byte[] t, int from, int to, byte[] p) {
    byte first = p[0];
    for (int i = from, last = to - p.length; i <= last; i++) {
      if (t[i] == first && java.util.Arrays.equals(t, i, i + p.length, p, 0, p.length)) {
        return i;
      }
    }
    return -1;
  }

  private static long digits(byte[] t, int from, int to) {
    if (to <= from || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int ch = t[i];
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** A 64-bit fingerprint of {@code t[from, to)}, eight bytes at a time: what tells lines apart. */
  private static long hash(byte[] t, int from, int to) {
    long h = 0xcbf29ce484222325L ^ (to - from);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = (h ^ (long) LONGS.get(t, i)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    for (; i < to; i++) {
      h = (h ^ (t[i] & 0xff)) * 0x100000001b3L;
    }
    return h ^ (h >>> 32);
  }

  /** A message id {@code <sender>-<seq>} in {@code t[from, to)} as a key, or MAX when it is not. */
  private static long key(byte[] t, int from, int to) {
    int dash = indexOf(t, from, to, (byte) '-');
    long sender = dash < 0 ? -1 : digits(t, from, dash);
    long seq = dash < 0 ? -1 : digits(t, dash + 1, to);
    return sender < 0 || seq < 0 || sender > Integer.MAX_VALUE || seq >= 1L << 40
        ? Long.MAX_VALUE
        : (sender << 40) | seq;
  }

  /** Records a tail line's SEND or RECEIVE into its message's slots. */
  private static void record(
      LogCursor.Bytes v, Fields f, int vm, long event, int run, Tails.Local tails) {
    if (f.type != EventType.SEND && f.type != EventType.RECEIVE) {
      return;
    }
    byte[] t = v.array;
    int end = v.from + v.length;
    int m = find(t, f.bodyStart, end, MSG);
    if (m < 0) {
      return;
    }
    int from = m + MSG.length;
    int stop = indexOf(t, from, end, (byte) ' ');
    stop = stop < 0 ? end : stop;
    long pos = ((long) vm << 48) | event;
    long h = hash(t, f.bodyStart, end);
    int slot = run * 2 + (f.type == EventType.SEND ? 0 : 1);
    if (f.type == EventType.SEND) {
      while (from < stop) {
        int comma = indexOf(t, from, stop, (byte) ',');
        int to = comma < 0 ? stop : comma;
        tails.put(key(t, from, to), slot, pos, h, f.clock);
        from = to + 1;
      }
    } else {
      tails.put(key(t, from, stop), slot, pos, h, f.clock);
    }
  }

  /**
   * The first differing message with its events in full: one more pass over both runs, looking only
   * at the lines that name it.
   */
  private static Message complete(String msg, Map<Integer, Path> fa, Map<Integer, Path> fb)
      throws BadRun {
    At[] full = new At[4];
    int sender = (int) (key(msg) >>> 40);
    for (int run = 0; run < 2; run++) {
      Map<Integer, Path> files = run == 0 ? fa : fb;
      List<Path> order = new ArrayList<>();
      if (files.containsKey(sender)) {
        order.add(files.get(sender)); // its SEND is there; its RECEIVE, most likely, elsewhere
      }
      files.forEach(
          (id, f) -> {
            if (id != sender) {
              order.add(f);
            }
          });
      for (Path f : order) {
        if (full[run * 2] != null && full[run * 2 + 1] != null) {
          break;
        }
        scan(f, msg, full, run);
      }
    }
    return new Message(msg, full[0], full[1], full[2], full[3]);
  }

  /** Finds {@code msg}'s SEND and RECEIVE in one log; stops once this run has both. */
  private static void scan(Path file, String msg, At[] out, int run) throws BadRun {
    try (LogCursor c = LogCursor.open(file)) {
      long ticks = 0;
      Fields f = new Fields();
      LogCursor.Bytes v;
      while ((v = next(c)) != null) {
        f.read(file, c.lines(), v);
        long event = f.type.isTick() ? ++ticks : ticks + 1;
        if (f.type != EventType.SEND && f.type != EventType.RECEIVE) {
          continue;
        }
        String text = v.text();
        String named = EventLogFormat.plainValue(text, "msg");
        if (named == null || !named.contains(msg)) {
          continue;
        }
        LogEvent e = parse(file, c.lines(), text);
        if (e.event() == EventType.SEND && e.list("msg").contains(msg)) {
          out[run * 2] = new At(e.vm(), event, body(text), e.clock());
        } else if (e.event() == EventType.RECEIVE && msg.equals(e.get("msg"))) {
          out[run * 2 + 1] = new At(e.vm(), event, body(text), e.clock());
        }
        if (out[run * 2] != null && out[run * 2 + 1] != null) {
          return;
        }
      }
    } catch (EventLogReader.BadLogException e) {
      throw new BadRun(e.getMessage());
    }
  }

  private static LogCursor.Bytes next(LogCursor c) throws EventLogReader.BadLogException {
    try {
      return c.nextBytes();
    } catch (EventLogReader.BadLogException e) {
      if (e.getMessage().contains("truncated")) {
        return null; // a last line cut off mid-write is not compared
      }
      throw e;
    }
  }

  private static LogCursor open(Path f) throws BadRun {
    try {
      return f == null ? null : LogCursor.open(f);
    } catch (EventLogReader.BadLogException e) {
      throw new BadRun(e.getMessage());
    }
  }

  private static Vm compareVm(int id, Path a, Path b, Tails.Local tails) throws BadRun {
    Acc sa = new Acc();
    Acc sb = new Acc();
    long line = 0;
    long event = 0;
    String la = null;
    String lb = null;
    Fields fa = new Fields();
    Fields fb = new Fields();
    try (LogCursor ca = open(a);
        LogCursor cb = open(b)) {
      long n = 0;
      long ticksA = 0;
      long ticksB = 0;
      while (true) {
        LogCursor.Bytes va = ca == null ? null : next(ca);
        LogCursor.Bytes vb = cb == null ? null : next(cb);
        if (va == null && vb == null) {
          break;
        }
        n++;
        if (va != null) {
          fa.read(a, n, va);
          sa.add(fa);
        }
        if (vb != null) {
          fb.read(b, n, vb);
          sb.add(fb);
        }
        long eventA = va == null ? 0 : fa.type.isTick() ? ++ticksA : ticksA + 1;
        long eventB = vb == null ? 0 : fb.type.isTick() ? ++ticksB : ticksB + 1;
        if (line == 0
            && (va == null
                || vb == null
                || !java.util.Arrays.equals(
                    va.array,
                    fa.bodyStart,
                    va.from + va.length,
                    vb.array,
                    fb.bodyStart,
                    vb.from + vb.length))) {
          line = n;
          event = va != null ? eventA : eventB;
          la = va == null ? null : va.text();
          lb = vb == null ? null : vb.text();
        }
        if (line != 0) {
          if (va != null) {
            record(va, fa, id, eventA, 0, tails);
          }
          if (vb != null) {
            record(vb, fb, id, eventB, 1, tails);
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

    void add(Fields f) {
      lines++;
      if (f.type.isTick()) {
        events++;
        maxJump = Math.max(maxJump, f.clock - last);
      }
      if (f.type == EventType.DROP) {
        drops++;
      }
      last = f.clock;
      maxQueue = Math.max(maxQueue, f.queue);
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
      String same = sameEventsOtherLines(m);
      if (same != null) {
        s.append("  (").append(same).append(")\n");
      }
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

  /**
   * When a message's SEND and RECEIVE are at the same events in both runs, which of their lines
   * differ (its clocks, its queue, a skipped slot, its time); null otherwise.
   */
  static String sameEventsOtherLines(Message m) {
    boolean sendAt = at(m.sendA(), m.sendB());
    boolean receiveAt = at(m.receiveA(), m.receiveB());
    if (!sendAt || !receiveAt) {
      return null;
    }
    boolean send = m.sendA() != null && !m.sendA().line().equals(m.sendB().line());
    boolean receive = m.receiveA() != null && !m.receiveA().line().equals(m.receiveB().line());
    return "the same events, but "
        + (send && receive
            ? "its SEND's and its RECEIVE's lines differ"
            : send ? "its SEND's line differs" : "its RECEIVE's line differs");
  }

  private static boolean at(At x, At y) {
    return x == null ? y == null : y != null && x.vm() == y.vm() && x.event() == y.event();
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
