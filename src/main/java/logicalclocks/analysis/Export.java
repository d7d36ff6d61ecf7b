package logicalclocks.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.LogEvent;
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
    StringBuilder out = new StringBuilder(SHIVIZ_PARSER).append('\n');
    out.append(runs.size() > 1 ? SHIVIZ_DELIMITER : "").append('\n');
    for (Run run : runs) {
      if (runs.size() > 1) {
        out.append("=== ").append(run.label()).append(" ===\n");
      }
      List<LogEvent> ticks = new ArrayList<>();
      run.logs()
          .values()
          .forEach(
              lines ->
                  lines.forEach(
                      l -> {
                        if (l.event().event().isTick()) {
                          ticks.add(l.event());
                        }
                      }));
      if (!ticks.isEmpty()
          && ticks.stream().allMatch(e -> e.get(VirtualMachine.VECTOR_KEY) == null)) {
        throw new IllegalArgumentException(
            run.label() + " has no vector clocks (run with them on)");
      }
      ticks.sort(Comparator.comparingLong(LogEvent::clock).thenComparingInt(LogEvent::vm));
      for (LogEvent e : ticks) {
        String vc = e.get(VirtualMachine.VECTOR_KEY);
        if (vc == null) {
          throw new IllegalArgumentException(
              run.label() + ": a " + e.event() + " of VM " + e.vm() + " has no vector clock");
        }
        out.append(host(e.vm())).append(' ').append(clockJson(VectorClock.parse(vc))).append('\n');
        out.append(eventText(e)).append('\n');
      }
    }
    return out.toString();
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
   * The event as the log writes it, without ts, vm and vc: {@code SEND clock=2 queue=0 to=1 ...}.
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
    return sb.toString();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NUMBERS = Set.of("rate", "sides", "seed", "die", "sent", "from");
  private static final Set<String> NUMBER_LISTS = Set.of("to", "peers");
  private static final Set<String> TEXT_LISTS = Set.of("msg", "queued");

  /**
   * One JSON object per line and event, every key typed: numbers as numbers, {@code to}/{@code
   * peers} as arrays of numbers, {@code msg}/{@code queued} as arrays of ids, {@code vc} as an
   * object (VM id to counter), {@code resumed} as a boolean; with {@code run} when several runs.
   */
  public static String jsonl(List<Run> runs) {
    StringBuilder out = new StringBuilder();
    for (Run run : runs) {
      for (List<Line> lines : run.logs().values()) {
        for (Line l : lines) {
          out.append(json(l.event(), runs.size() > 1 ? run.label() : null)).append('\n');
        }
      }
    }
    return out.toString();
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
                VectorClock.parse(v)
                    .entries()
                    .forEach((vm, count) -> vc.put(String.valueOf(vm), count));
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
