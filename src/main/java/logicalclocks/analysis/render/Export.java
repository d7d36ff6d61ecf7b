package logicalclocks.analysis.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.stream.LineSource;
import logicalclocks.analysis.stream.Pass;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.VirtualMachine;

/**
 * A run's logs in other tools' formats: ShiViz (the vector-clock log visualiser) and JSON Lines.
 * Several runs (an experiment variant) go into one file: separate executions for ShiViz, a {@code
 * run} key for JSONL.
 */
public final class Export {
  private Export() {}

  /** One run to export, and its label (e.g. {@code run-1}). */
  public record Run(String label, SortedMap<Integer, List<Line>> logs) {}

  /**
   * ShiViz's parser: a host line with the vector clock as JSON keyed by host name, then the event
   * text. Named groups {@code host}, {@code clock}, {@code event}, as ShiViz requires.
   */
  public static final String SHIVIZ_PARSER = "(?<host>\\S+) (?<clock>\\{.*\\})\\n(?<event>.*)";

  /** ShiViz's delimiter between executions; the {@code trace} group names each one. */
  public static final String SHIVIZ_DELIMITER = "=== (?<trace>.*) ===";

  /** The host name ShiViz shows for VM {@code id}. */
  public static String host(int id) {
    return "vm" + id;
  }

  /**
   * The ShiViz upload file: line 1 the parser, line 2 the delimiter (empty for one run), then each
   * run's tick events (SEND, RECEIVE, INTERNAL: the events vector clocks count) in Lamport's total
   * order (clock, then VM id). START, DROP and STOP are left out: they are not events of the causal
   * order. Each host's own entries then count 1..n, and a message carries its SEND's clock.
   *
   * @throws IllegalArgumentException when a run's logs carry no vector clocks
   */
  public static String shiviz(List<Run> runs) {
    StringBuilder out = new StringBuilder();
    try {
      shiviz(runs.stream().map(r -> new Source(r.label(), sources(r.logs()))).toList(), out);
    } catch (IOException | BadLogException e) {
      throw new AssertionError(e); // in memory
    }
    return out.toString();
  }

  /** One run to export as read from its files: its label and its logs. */
  public record Source(String label, SortedMap<Integer, LineSource> logs) {}

  private static SortedMap<Integer, LineSource> sources(SortedMap<Integer, List<Line>> logs) {
    SortedMap<Integer, LineSource> s = new TreeMap<>();
    logs.forEach((id, lines) -> s.put(id, LineSource.of(lines)));
    return s;
  }

  /**
   * As {@link #shiviz(List)}, streamed: each run's logs are merged in Lamport's order by the same
   * pass the analysis makes, written as they are read.
   */
  public static void shiviz(List<Source> runs, Appendable out) throws IOException, BadLogException {
    out.append(SHIVIZ_PARSER).append('\n');
    out.append(runs.size() > 1 ? SHIVIZ_DELIMITER : "").append('\n');
    for (Source run : runs) {
      if (runs.size() > 1) {
        out.append("=== ").append(run.label()).append(" ===\n");
      }
      boolean[] ticks = new boolean[1];
      try {
        Pass.run(
            run.logs(),
            List.of(
                (EventConsumer)
                    (vm, l) -> {
                      LogEvent e = l.event();
                      if (!e.event().isTick()) {
                        return;
                      }
                      String vc = e.get(VirtualMachine.VECTOR_KEY);
                      if (vc == null) {
                        throw new IllegalArgumentException(
                            ticks[0]
                                ? run.label()
                                    + ": a "
                                    + e.event()
                                    + " of VM "
                                    + e.vm()
                                    + " has no vector clock"
                                : run.label() + " has no vector clocks (run with them on)");
                      }
                      ticks[0] = true;
                      try {
                        out.append(host(e.vm()))
                            .append(' ')
                            .append(clockJson(VirtualMachine.vectorOf(e)))
                            .append('\n');
                        out.append(eventText(e)).append('\n');
                      } catch (IOException io) {
                        throw new UncheckedIOException(io);
                      }
                    }));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** {"vm0":3,"vm2":1}: the non-zero entries, keyed by host name. */
  static String clockJson(VectorClock vc) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<Integer, Long> e : vc.entries().entrySet()) {
      sb.append(sb.length() > 1 ? "," : "").append('"').append(host(e.getKey())).append("\":");
      sb.append(e.getValue());
    }
    return sb.append('}').toString();
  }

  /**
   * The event as the log writes it, without vm and vc, its physical time last: {@code SEND clock=2
   * queue=0 to=1 ... hlc=<l>:<c> ts=<the VM's own wall time>}.
   */
  static String eventText(LogEvent e) {
    StringBuilder sb = new StringBuilder(e.event().name());
    sb.append(" clock=").append(e.clock()).append(" queue=").append(e.queue());
    e.extra()
        .forEach(
            (k, v) -> {
              if (!k.equals(VirtualMachine.VECTOR_KEY)) {
                sb.append(' ').append(k).append('=').append(v);
              }
            });
    return sb.append(" ts=").append(e.ts()).toString();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NUMBERS =
      Set.of(
          "rate",
          "sides",
          "seed",
          "die",
          "sent",
          "from",
          "offset_ms",
          "drift_ppm",
          VirtualMachine.MISSED_KEY);
  private static final Set<String> NUMBER_LISTS = Set.of("to", "peers");
  private static final Set<String> TEXT_LISTS = Set.of("msg", "queued");

  /**
   * One JSON object per line and event, every key typed: numbers as numbers ({@code missed} too),
   * {@code to}/{@code peers} as arrays of numbers, {@code msg}/{@code queued} as arrays of ids,
   * {@code vc} as an object (VM id to counter), {@code hlc} as {@code {"l": ms, "c": counter}},
   * {@code resumed} as a boolean; with {@code run} when several runs. {@code ts} is the VM's own
   * physical time.
   */
  public static String jsonl(List<Run> runs) {
    StringBuilder out = new StringBuilder();
    try {
      jsonl(runs.stream().map(r -> new Source(r.label(), sources(r.logs()))).toList(), out);
    } catch (IOException | BadLogException e) {
      throw new AssertionError(e); // in memory
    }
    return out.toString();
  }

  /** As {@link #jsonl(List)}, streamed: each VM's log after the other's, each line as read. */
  public static void jsonl(List<Source> runs, Appendable out) throws IOException, BadLogException {
    for (Source run : runs) {
      for (LineSource lines : run.logs().values()) {
        Line l;
        while ((l = lines.next()) != null) {
          out.append(json(l.event(), runs.size() > 1 ? run.label() : null)).append('\n');
        }
      }
    }
  }

  static String json(LogEvent e, String run) {
    ObjectNode o = JSON.createObjectNode();
    if (run != null) {
      o.put("run", run);
    }
    o.put("ts", e.ts().toString());
    o.put("vm", e.vm());
    o.put("event", e.event().name());
    o.put("clock", e.clock());
    o.put("queue", e.queue());
    e.extra()
        .forEach(
            (k, v) -> {
              if (k.equals(VirtualMachine.VECTOR_KEY)) {
                ObjectNode vc = o.putObject(k);
                VirtualMachine.vectorOf(e)
                    .entries()
                    .forEach((vm, count) -> vc.put(String.valueOf(vm), count));
              } else if (k.equals(VirtualMachine.HLC_KEY)) {
                HybridTime h = VirtualMachine.hlcOf(e);
                o.putObject(k).put("l", h.l()).put("c", h.c());
              } else if (NUMBERS.contains(k)) {
                o.put(k, Long.parseLong(v));
              } else if (NUMBER_LISTS.contains(k)) {
                ArrayNode a = o.putArray(k);
                e.list(k).forEach(x -> a.add(Long.parseLong(x)));
              } else if (TEXT_LISTS.contains(k)) {
                ArrayNode a = o.putArray(k);
                e.list(k).forEach(a::add);
              } else if (k.equals("resumed")) {
                o.put(k, Boolean.parseBoolean(v));
              } else {
                o.put(k, v);
              }
            });
    return o.toString();
  }
}
