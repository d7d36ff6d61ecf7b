package logicalclocks.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import logicalclocks.analysis.live.LiveAnalysis;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.clock.HybridTime;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.VirtualMachine;

/**
 * What the live page is fed: every VM's lines as they come (each VM's in order) and every change of
 * a VM's state (connected, unreachable, its log ended), as one stream of items numbered in the
 * order they happened here, kept in a bounded buffer for browsers that join late; with each VM's
 * gauges (from {@link WatchModel}) and the verdict so far (from {@link LiveAnalysis}, the same
 * rules as {@code analyze}).
 *
 * <p><b>The feed's JSON contract</b> (read by the page's model, {@code model.js}; both sides are
 * tested on the same items, {@code FeedContractTest} and {@code src/test/js}). An item is a small
 * JSON object: {@code s} its number in the stream, {@code vm}, {@code h} host time in Unix ms (when
 * the line was read; a replay's host time), and either
 *
 * <ul>
 *   <li>a line: {@code n} its number in its VM's log, {@code e} its type, {@code c} its Lamport
 *       clock, {@code q} the queue after it, {@code ts} the VM's own wall time (Unix ms), {@code w}
 *       that time in host time (its START's declared offset, drift and steps undone: the wall axis
 *       places lines of skewed VMs side by side by it), {@code hl}/{@code hc} its hybrid clock,
 *       {@code to}, {@code from}, {@code m} (message ids), {@code sent} (the clock a RECEIVE's
 *       message carried), {@code die}, {@code missed}, {@code vc} (its vector clock, when the log
 *       has one), {@code reason} (DROP, STOP), {@code amb} (1 on a DROP whose reason leaves the
 *       message's fate open: a late delivery may follow), {@code queued} (the ids a STOP left in
 *       the queue), {@code rate} (START), {@code restart} (the how-many-th restart a START is),
 *       {@code st} (the state a STOP leaves its VM in: finished, stopped, failed), {@code clocks}
 *       (the values of the clock kinds besides the vector and hybrid ones, by key), {@code raw} its
 *       text; a line that does not parse (or whose clock value does not read) has {@code err} (why)
 *       and {@code raw} only;
 *   <li>or a state change ({@code e} = {@code STATE}): {@code st} the VM's new state ({@link
 *       WatchModel.State} in lower case) and {@code why}.
 * </ul>
 *
 * Items are kept as their JSON text (a replay keeps its whole run: about 250 bytes an event).
 * Thread-safe (one lock).
 */
public final class Feed {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Violations {@code /api/state} lists at most (the count is always there). */
  static final int VIOLATIONS_SHOWN = 200;

  /** Violations a browser is sent in one batch at most (it gets the next ones in the next). */
  static final int VIOLATIONS_PER_BATCH = 2000;

  /**
   * Violations a browser is sent at most (the count is always sent: the page says there are more).
   */
  static final int VIOLATIONS_SENT = 20_000;

  /** The type of a state-change item. */
  public static final String STATE = "STATE";

  /** An item of the stream: its number and its JSON text. */
  private record Item(long s, String json) {}

  private final int machines;
  private final int capacity;
  private final String title;
  private final String mode;
  private final double speed;
  private final Deque<Item> items = new ArrayDeque<>();
  private final WatchModel model;
  private final LiveAnalysis live;
  private final long[] lines;
  private final int[] starts;

  /**
   * Each VM's lines' ts in host time, by its latest START's declared clock (as Replay reads it).
   */
  private final logicalclocks.analysis.stream.HostTime host =
      new logicalclocks.analysis.stream.HostTime();

  /** Each VM's last state as the stream told it ({@code state + "\n" + why}), to tell changes. */
  private final String[] lastState;

  private final long started = System.nanoTime();
  private long seq;
  private long errors;

  /** The latest host time a line came with (a replay's state changes happen then). */
  private long lastHost = Long.MIN_VALUE;

  /**
   * @param capacity items kept for browsers that join (the oldest leave first)
   * @param mode "live" or "replay", shown on the page
   */
  public Feed(int machines, int capacity, String title, String mode) {
    this(machines, capacity, title, mode, 1);
  }

  /**
   * @param speed the pace the page starts playing at (a replay's {@code --speed}; 0: at once to the
   *     end)
   */
  public Feed(int machines, int capacity, String title, String mode, double speed) {
    this.machines = machines;
    this.capacity = capacity;
    this.title = title;
    this.mode = mode;
    this.speed = speed;
    this.model = new WatchModel(machines, 1, Duration.ofDays(365), 0);
    this.live = new LiveAnalysis(machines);
    this.lines = new long[machines];
    this.starts = new int[machines];
    this.lastState = new String[machines];
  }

  public int machines() {
    return machines;
  }

  /** VM {@code vm}'s next line ({@code hostMs}: when it was read, or the replay's host time). */
  public synchronized void line(int vm, String text, long hostMs) {
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    LogEvent e = null;
    String bad = null;
    try {
      e = EventLogFormat.parse(t);
    } catch (RuntimeException unreadable) {
      bad = String.valueOf(unreadable.getMessage());
    }
    line(vm, t, e, bad, hostMs);
  }

  /**
   * VM {@code vm}'s next line {@code text} (no newline), parsed already: {@code e}, or null when it
   * did not parse ({@code bad} says why). Each line is parsed once on the page's path: the gauges,
   * the verifier and the JSON all take the parsed event.
   */
  public synchronized void line(int vm, String text, LogEvent e, String bad, long hostMs) {
    if (vm < 0 || vm >= machines) {
      return;
    }
    long n = ++lines[vm];
    lastHost = Math.max(lastHost, hostMs);
    if (e != null) {
      model.line(vm, e);
      live.line(vm, e); // a line naming another VM is the verifier's to judge, as in analyze
      if (e.vm() != vm) {
        bad = "vm=" + e.vm() + " in the log of vm " + vm;
      }
    } else {
      model.unreadable(vm, bad);
      live.unreadable(vm, bad);
    }
    ObjectNode o = JSON.objectNode();
    o.put("s", ++seq);
    o.put("vm", vm);
    o.put("n", n);
    o.put("h", hostMs);
    if (bad == null) {
      try {
        put(o, e);
        host.line(vm, e);
        o.put("w", host.ms(vm, e.ts().toEpochMilli()));
        if (e.event() == EventType.START) {
          lastState[vm] = "live\n";
          if (++starts[vm] > 1) {
            o.put("restart", starts[vm] - 1);
          }
        } else if (e.event() == EventType.STOP) {
          String st = word(WatchModel.stateAfterStop(e.get("reason")));
          o.put("st", st);
          lastState[vm] = st + "\n";
        }
      } catch (RuntimeException unreadable) { // a field that does not read, such as its hlc
        bad = String.valueOf(unreadable.getMessage());
      }
    }
    if (bad != null) {
      errors++;
      o = JSON.objectNode(); // an unreadable line: only what is sure
      o.put("s", seq);
      o.put("vm", vm);
      o.put("n", n);
      o.put("h", hostMs);
      o.put("err", bad);
    }
    o.put("raw", text.length() > 2000 ? text.substring(0, 2000) : text);
    keep(o);
  }

  private void keep(ObjectNode o) {
    items.addLast(new Item(o.get("s").asLong(), o.toString()));
    while (items.size() > capacity) {
      items.removeFirst();
    }
  }

  private static String word(WatchModel.State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  /** The keys of a line the page reads as they are, under the page's names. */
  private static final List<String[]> KEYS =
      List.of(
          new String[] {"to", "to"},
          new String[] {"from", "from"},
          new String[] {"msg", "m"},
          new String[] {"vc", "vc"},
          new String[] {"reason", "reason"},
          new String[] {"queued", "queued"});

  /** The keys of a line the page reads as numbers. */
  private static final List<String> NUMBERS =
      List.of("sent", "die", "missed", "rate", VirtualMachine.SNAPSHOT_KEY);

  private static void put(ObjectNode o, LogEvent e) {
    o.put("e", e.event().name());
    o.put("c", e.clock());
    o.put("q", e.queue());
    o.put("ts", e.ts().toEpochMilli());
    HybridTime h = VirtualMachine.hlcOf(e);
    if (h != null) {
      o.put("hl", h.l());
      o.put("hc", h.c());
    }
    for (String[] k : KEYS) {
      String v = e.get(k[0]);
      if (v != null) {
        o.put(k[1], v);
      }
    }
    for (String k : NUMBERS) {
      String v = e.get(k);
      if (v != null) {
        try {
          o.put(k, Long.parseLong(v));
        } catch (NumberFormatException notANumber) {
          o.put(k, v); // the verifier names it; the page shows it as written
        }
      }
    }
    if (e.event() == EventType.DROP
        && DropReason.of(e.get("reason")).map(DropReason::ambiguous).orElse(false)) {
      o.put("amb", 1);
    }
    // the clock kinds besides the vector and hybrid clocks, by key, as their text (checked)
    ObjectNode clocks = null;
    for (logicalclocks.clock.ClockKind<?> k : logicalclocks.clock.ClockKinds.extra()) {
      Object v = VirtualMachine.valueOf(e, k);
      if (v != null) {
        if (clocks == null) {
          clocks = o.putObject("clocks");
        }
        clocks.put(k.key(), e.get(k.key()));
      }
    }
  }

  /**
   * What the follower of VM {@code vm} says of it (connected, unreachable, its log ended): the
   * gauges take it, and the stream carries it as an item when it changes the VM's state or why.
   */
  public synchronized void state(int vm, WatchModel.State state, String detail) {
    if (vm < 0 || vm >= machines) {
      return;
    }
    model.state(vm, state, detail);
    String st = word(state);
    String key = st + "\n" + Objects.toString(detail, "");
    if (key.equals(lastState[vm])) {
      return;
    }
    lastState[vm] = key;
    ObjectNode o = JSON.objectNode();
    o.put("s", ++seq);
    o.put("vm", vm);
    if (!mode.equals("replay")) {
      o.put("h", System.currentTimeMillis());
    } else if (lastHost != Long.MIN_VALUE) {
      o.put("h", lastHost); // a replay's: at the time of its last line (none before the first)
    }
    o.put("e", STATE);
    o.put("st", st);
    o.put("why", Objects.toString(detail, ""));
    keep(o);
  }

  /** Runs the end-of-run checks once every VM's log has ended for good (a no-op before). */
  public synchronized boolean endIfOver() {
    // the model's merge buffer drained here too, not only when a browser is sent a batch: with
    // none following it held every line (memory) and the run was never over (/api/state); at the
    // feed's own time (a year's grace: no unreachable VM is given up)
    model.release((System.nanoTime() - started) / 1_000_000);
    if (!live.ended() && model.allEnded()) {
      live.end();
    }
    return live.ended();
  }

  /** The latest sequence number. */
  public synchronized long seq() {
    return seq;
  }

  /** What a browser that joins is told first. */
  public synchronized String hello(int maxClients) {
    ObjectNode o = JSON.objectNode();
    o.put("machines", machines);
    o.put("title", title);
    o.put("mode", mode);
    o.put("capacity", capacity);
    o.put("maxClients", maxClients);
    o.put("speed", speed);
    o.put("seq", seq); // the items there are now (a replay read whole: all of its run)
    return o.toString();
  }

  /**
   * The items after {@code after} still kept (at most {@code max}: the latest), the gauges, the
   * counters and the verdict so far, as one JSON object.
   */
  public synchronized Batch batch(long after, int max) {
    return batch(after, max, false, 0);
  }

  /**
   * As {@link #batch(long, int)}, but {@code oldest}: the first {@code max} items after {@code
   * after} still kept (a browser catching up on the buffer, a chunk at a time); its {@link
   * Batch#seq} is then the last of them.
   */
  public synchronized Batch batch(long after, int max, boolean oldest) {
    return batch(after, max, oldest, 0);
  }

  /**
   * As {@link #batch(long, int, boolean)}, with the violations found from the {@code
   * violationsFrom}-th on (a browser is sent each once: {@link Batch#violations} says how many it
   * has then).
   */
  public synchronized Batch batch(long after, int max, boolean oldest, int violationsFrom) {
    // its merge buffer is not used here: keep it empty (its grace is a year: no VM is given up)
    model.release((System.nanoTime() - started) / 1_000_000);
    long first = items.isEmpty() ? seq + 1 : items.peekFirst().s();
    long from =
        oldest ? Math.max(after + 1, first) : Math.max(after + 1, Math.max(first, seq - max + 1));
    long to = oldest ? Math.min(seq, from + max - 1) : seq;
    StringBuilder sb = new StringBuilder(256 + (int) Math.max(0, to - from + 1) * 200);
    sb.append("{\"events\":[");
    boolean comma = false;
    if (to >= from) {
      // the buffer's items are numbered without gaps: skip to the first one wanted
      java.util.Iterator<Item> it = items.iterator();
      long skip = from - first;
      for (long i = 0; i < skip && it.hasNext(); i++) {
        it.next();
      }
      while (it.hasNext()) {
        Item i = it.next();
        if (i.s() > to) {
          break;
        }
        if (comma) {
          sb.append(',');
        }
        sb.append(i.json());
        comma = true;
      }
    }
    sb.append("],\"seq\":").append(to);
    if (from > after + 1) {
      sb.append(",\"skipped\":").append(from - after - 1);
    }
    ObjectNode o = JSON.objectNode();
    int sent = state(o, violationsFrom, VIOLATIONS_PER_BATCH);
    String rest = o.toString();
    sb.append(',').append(rest, 1, rest.length());
    return new Batch(sb.toString(), to, sent);
  }

  /**
   * A batch's JSON, the last sequence number it covers, and the violations its browser has with it.
   */
  public record Batch(String json, long seq, int violations) {}

  /** The gauges, counters and verdict, without events (the {@code /api/state} answer). */
  public synchronized String state() {
    ObjectNode o = JSON.objectNode();
    o.put("seq", seq);
    state(o, -1, VIOLATIONS_SHOWN);
    return o.toString();
  }

  /**
   * The gauges, counters and verdict into {@code o}, with the violations from the {@code from}-th
   * on (at most {@code most}; {@code from} -1: the first ones, without saying where they start);
   * returns the index after the last violation put.
   */
  private int state(ObjectNode o, int from, int most) {
    ArrayNode vms = o.putArray("vms");
    for (int i = 0; i < machines; i++) {
      WatchModel.Vm v = model.vm(i);
      ObjectNode g = vms.addObject();
      g.put("id", i);
      g.put("state", word(v.state()));
      g.put("detail", v.detail());
      g.put("rate", v.rate());
      g.put("clock", v.clock());
      g.put("queue", v.queue());
      g.put("drops", v.drops());
      g.put("events", v.events());
      g.put("lines", lines[i]);
      g.put("restarts", Math.max(0, starts[i] - 1));
    }
    ObjectNode c = o.putObject("counters");
    for (Map.Entry<String, Long> e : live.counters().entrySet()) {
      c.put(e.getKey(), e.getValue());
    }
    c.put("errors", errors);
    o.put("verdict", live.verdict());
    o.put("over", live.ended());
    o.put("verified", live.verified());
    int start = Math.max(0, from);
    int end = Math.min(live.violations(), Math.min(start + most, VIOLATIONS_SENT));
    if (from >= 0) {
      o.put("violationsFrom", start);
    }
    ArrayNode bad = o.putArray("violations");
    for (Violation v : live.violations(start, end)) {
      ObjectNode b = bad.addObject();
      b.put("where", v.where());
      b.put("rule", v.rule());
      b.put("message", v.message());
      if (v.vm() >= 0 && v.line() > 0) {
        b.put("vm", v.vm());
        b.put("n", v.line());
      }
    }
    return Math.max(from, end);
  }
}
