package logicalclocks.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import logicalclocks.analysis.live.LiveAnalysis;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.clock.HybridTime;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;

/**
 * What the live page is fed: every VM's lines as they come (each VM's in order), kept in a bounded
 * buffer of the latest events for browsers that join late, with each VM's gauges (from {@link
 * WatchModel}) and the verdict so far (from {@link LiveAnalysis}, the same rules as {@code
 * analyze}). An event leaves as a small JSON object: {@code s} its sequence number here, {@code
 * vm}, {@code n} its line in its VM's log, {@code e} its type, {@code c} its Lamport clock, {@code
 * q} the queue, {@code ts} the VM's own wall time (Unix ms), {@code h} host time (pacing), {@code
 * hl}/{@code hc} its hybrid clock, {@code to}, {@code from}, {@code m} (message ids), {@code vc}
 * (its vector clock when the log has one), {@code raw} its line; a line that does not parse leaves
 * as {@code err} with its {@code raw} text. Thread-safe (one lock).
 */
public final class Feed {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final java.util.regex.Pattern WHERE =
      java.util.regex.Pattern.compile("machine_(\\d+)\\.log:(\\d+)");

  /** Violations sent to the page at most (the count is always sent). */
  static final int VIOLATIONS_SHOWN = 200;

  private final int machines;
  private final int capacity;
  private final String title;
  private final String mode;
  private final Deque<ObjectNode> events = new ArrayDeque<>();
  private final WatchModel model;
  private final LiveAnalysis live;
  private final long[] lines;
  private final int[] starts;
  private final long started = System.nanoTime();
  private long seq;
  private long errors;

  /**
   * @param capacity events kept for browsers that join (the oldest leave first)
   * @param mode "live" or "replay", shown on the page
   */
  public Feed(int machines, int capacity, String title, String mode) {
    this.machines = machines;
    this.capacity = capacity;
    this.title = title;
    this.mode = mode;
    this.model = new WatchModel(machines, 1, Duration.ofDays(365), 0);
    this.live = new LiveAnalysis(machines);
    this.lines = new long[machines];
    this.starts = new int[machines];
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
    if (bad == null) {
      try {
        put(o, e, hostMs);
        if (e.event() == logicalclocks.event.EventType.START && ++starts[vm] > 1) {
          o.put("restart", starts[vm] - 1);
        }
      } catch (RuntimeException unreadable) { // a field that does not read, such as its hlc
        bad = String.valueOf(unreadable.getMessage());
      }
    }
    if (bad != null) {
      errors++;
      o.put("err", bad);
      o.put("h", hostMs);
    }
    o.put("raw", text.length() > 2000 ? text.substring(0, 2000) : text);
    events.addLast(o);
    while (events.size() > capacity) {
      events.removeFirst();
    }
  }

  private static void put(ObjectNode o, LogEvent e, long hostMs) {
    o.put("e", e.event().name());
    o.put("c", e.clock());
    o.put("q", e.queue());
    o.put("ts", e.ts().toEpochMilli());
    o.put("h", hostMs);
    String hlc = e.get("hlc");
    if (hlc != null) {
      HybridTime h = HybridTime.parse(hlc);
      o.put("hl", h.l());
      o.put("hc", h.c());
    }
    for (String k : List.of("to", "from", "msg", "vc", "reason", "rate")) {
      String v = e.get(k);
      if (v != null) {
        o.put(k.equals("msg") ? "m" : k, v);
      }
    }
  }

  /** What the follower of VM {@code vm} says of it (connected, unreachable, its log ended). */
  public synchronized void state(int vm, WatchModel.State state, String detail) {
    if (vm >= 0 && vm < machines) {
      model.state(vm, state, detail);
    }
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
    return o.toString();
  }

  /**
   * The events after {@code after} still kept (at most {@code max}: the latest), the gauges, the
   * counters and the verdict so far, as one JSON object.
   */
  public synchronized Batch batch(long after, int max) {
    return batch(after, max, false);
  }

  /**
   * As {@link #batch(long, int)}, but {@code oldest}: the first {@code max} events after {@code
   * after} still kept (a browser catching up on the buffer, a chunk at a time); its {@link
   * Batch#seq} is then the last of them.
   */
  public synchronized Batch batch(long after, int max, boolean oldest) {
    // its merge buffer is not used here: keep it empty (its grace is a year: no VM is given up)
    model.release((System.nanoTime() - started) / 1_000_000);
    ObjectNode o = JSON.objectNode();
    ArrayNode ev = o.putArray("events");
    long first = events.isEmpty() ? seq + 1 : events.peekFirst().get("s").asLong();
    long from =
        oldest ? Math.max(after + 1, first) : Math.max(after + 1, Math.max(first, seq - max + 1));
    long to = oldest ? Math.min(seq, from + max - 1) : seq;
    if (from > after + 1) {
      o.put("skipped", from - after - 1);
    }
    for (ObjectNode e : events) {
      long s = e.get("s").asLong();
      if (s > to) {
        break;
      }
      if (s >= from) {
        ev.add(e);
      }
    }
    o.put("seq", to);
    state(o);
    return new Batch(o.toString(), to);
  }

  /** A batch's JSON and the last sequence number it covers. */
  public record Batch(String json, long seq) {}

  /** The gauges, counters and verdict, without events (the {@code /api/state} answer). */
  public synchronized String state() {
    ObjectNode o = JSON.objectNode();
    o.put("seq", seq);
    state(o);
    return o.toString();
  }

  private void state(ObjectNode o) {
    ArrayNode vms = o.putArray("vms");
    for (int i = 0; i < machines; i++) {
      WatchModel.Vm v = model.vm(i);
      ObjectNode g = vms.addObject();
      g.put("id", i);
      g.put("state", v.state().name().toLowerCase(java.util.Locale.ROOT));
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
    ArrayNode bad = o.putArray("violations");
    for (Violation v : live.violationsFrom(0)) {
      if (bad.size() >= VIOLATIONS_SHOWN) {
        break;
      }
      ObjectNode b = bad.addObject();
      b.put("where", v.where());
      b.put("rule", v.rule());
      b.put("message", v.message());
      int[] at = where(v.where());
      if (at != null) {
        b.put("vm", at[0]);
        b.put("n", at[1]);
      }
    }
  }

  /** {@code machine_3.log:17} as {vm 3, line 17}; null when it names no line. */
  static int[] where(String where) {
    java.util.regex.Matcher m = WHERE.matcher(where);
    if (!m.find()) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String json(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
