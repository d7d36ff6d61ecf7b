package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import logicalclocks.clock.VectorClock;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exports read back the way their consumers read them. */
class ExportTest {
  @TempDir Path dir;
  static final ObjectMapper JSON = new ObjectMapper();

  Export.Run simulate(String label, long seed, ModelConfig.Builder model) throws Exception {
    Path logs = Files.createDirectories(dir.resolve(label));
    Simulation.run(
        new Simulation.Config(
            model.seed(seed).build(), Duration.ofSeconds(30), seed, Simulation.DEFAULT_DELAY),
        logs);
    return new Export.Run(label, EventLogReader.readDir(logs));
  }

  /**
   * Parses one execution's text with ShiViz's own regex (line 1 of the file; JavaScript's named
   * groups read the same in Java) and checks ShiViz's rules: each host's own entries count 1..n;
   * every entry for another host lies between 1 and that host's event count; a RECEIVE's entry for
   * its sender is the max of what the receiver knew and the SEND's own entry; no trailing blanks.
   */
  static int checkExecution(Pattern parser, String text) throws Exception {
    Matcher m = parser.matcher(text);
    Map<String, Long> own = new HashMap<>();
    Map<String, Map<String, Long>> last = new HashMap<>();
    Map<String, Long> sendOwn = new HashMap<>();
    List<Map<String, Long>> clocks = new ArrayList<>();
    int events = 0;
    while (m.find()) {
      String host = m.group("host");
      assertThat(host).matches("vm\\d+");
      Map<String, Long> clock = new LinkedHashMap<>();
      JSON.readTree(m.group("clock"))
          .fields()
          .forEachRemaining(f -> clock.put(f.getKey(), f.getValue().asLong()));
      long n = own.merge(host, 1L, Long::sum);
      assertThat(clock.get(host)).as("%s's own entry counts its events", host).isEqualTo(n);
      String event = m.group("event");
      Matcher msg = Pattern.compile(" msg=([^ ]+)").matcher(event);
      if (event.startsWith("SEND") && msg.find()) {
        for (String id : msg.group(1).split(",")) {
          sendOwn.put(id, n);
        }
      } else if (event.startsWith("RECEIVE") && msg.find()) {
        String sender = "vm" + msg.group(1).split("-")[0];
        long known = last.getOrDefault(host, Map.of()).getOrDefault(sender, 0L);
        assertThat(clock.get(sender))
            .as("%s's entry for %s at %s", host, sender, event)
            .isEqualTo(Math.max(known, sendOwn.get(msg.group(1))));
      }
      last.put(host, clock);
      clocks.add(clock);
      events++;
    }
    for (Map<String, Long> clock : clocks) {
      clock.forEach((h, c) -> assertThat(c).isBetween(1L, own.getOrDefault(h, 0L)));
    }
    return events;
  }

  @Test
  void shivizLoadsTheFileAsIs() throws Exception {
    Export.Run run = simulate("run-1", 7, ModelConfig.builder().rates(List.of(2, 3, 6)));
    String file = Export.shiviz(List.of(run));
    List<String> lines = file.lines().toList();
    assertThat(file).endsWith("\n");
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    assertThat(lines.get(0)).isEqualTo(Export.SHIVIZ_PARSER);
    assertThat(lines.get(1)).as("one execution: no delimiter").isEmpty();
    Pattern parser = Pattern.compile(lines.get(0), Pattern.MULTILINE);
    String body = file.substring(file.indexOf('\n', file.indexOf('\n') + 1) + 1);
    long ticks =
        run.logs().values().stream()
            .flatMap(List::stream)
            .filter(l -> l.event().event().isTick())
            .count();
    assertThat(checkExecution(parser, body)).isEqualTo(ticks);
  }

  @Test
  void severalRunsAreSeparateExecutions() throws Exception {
    List<Export.Run> runs =
        List.of(
            simulate("run-1", 1, ModelConfig.builder()),
            simulate("run-2", 2, ModelConfig.builder()));
    String file = Export.shiviz(runs);
    List<String> lines = file.lines().toList();
    assertThat(lines.get(1)).isEqualTo(Export.SHIVIZ_DELIMITER);
    Pattern delimiter = Pattern.compile(lines.get(1), Pattern.MULTILINE);
    String body = file.substring(file.indexOf('\n', file.indexOf('\n') + 1) + 1);
    List<String> executions =
        delimiter.splitAsStream(body).filter(s -> !s.isBlank()).collect(Collectors.toList());
    assertThat(executions).hasSize(2);
    Matcher labels = delimiter.matcher(body);
    List<String> names = new ArrayList<>();
    while (labels.find()) {
      names.add(labels.group("trace"));
    }
    assertThat(names).containsExactly("run-1", "run-2");
    Pattern parser = Pattern.compile(lines.get(0), Pattern.MULTILINE);
    for (String execution : executions) {
      assertThat(checkExecution(parser, execution)).isPositive();
    }
  }

  @Test
  void withoutVectorClocksThereIsNothingForShiviz() throws Exception {
    Export.Run run = simulate("run-1", 3, ModelConfig.builder().vectorClocks(false));
    assertThatThrownBy(() -> Export.shiviz(List.of(run))).hasMessageContaining("no vector clocks");
  }

  @Test
  void jsonlReadsBackIntoTheSameLines() throws Exception {
    Export.Run run = simulate("run-1", 5, ModelConfig.builder());
    String jsonl = Export.jsonl(List.of(run));
    List<String> original =
        run.logs().values().stream()
            .flatMap(List::stream)
            .map(l -> EventLogFormat.format(l.event()))
            .toList();
    List<String> back = new ArrayList<>();
    for (String line : jsonl.lines().toList()) {
      JsonNode o = JSON.readTree(line);
      assertThat(o.get("clock").isNumber()).isTrue();
      Map<String, String> extra = new LinkedHashMap<>();
      o.fields()
          .forEachRemaining(
              f -> {
                String k = f.getKey();
                if (List.of("ts", "vm", "event", "clock", "queue").contains(k)) {
                  return;
                }
                JsonNode v = f.getValue();
                if (k.equals("vc")) {
                  assertThat(v.isObject()).isTrue();
                  Map<Integer, Long> e = new HashMap<>();
                  v.fields()
                      .forEachRemaining(
                          x -> e.put(Integer.parseInt(x.getKey()), x.getValue().asLong()));
                  extra.put(k, VectorClock.of(e).format());
                } else if (k.equals("hlc")) {
                  assertThat(v.get("l").isNumber() && v.get("c").isNumber()).as("hlc").isTrue();
                  extra.put(k, v.get("l").asLong() + ":" + v.get("c").asLong());
                } else if (v.isArray()) {
                  assertThat(k).isIn("to", "peers", "msg", "queued");
                  extra.put(
                      k,
                      StreamSupport.stream(v.spliterator(), false)
                          .map(JsonNode::asText)
                          .collect(Collectors.joining(",")));
                } else {
                  if (List.of(
                          "rate", "sides", "seed", "die", "sent", "from", "offset_ms", "drift_ppm")
                      .contains(k)) {
                    assertThat(v.isNumber()).as(k).isTrue();
                  }
                  extra.put(k, v.asText());
                }
              });
      back.add(
          EventLogFormat.format(
              new LogEvent(
                  Instant.parse(o.get("ts").asText()),
                  o.get("vm").asInt(),
                  EventType.valueOf(o.get("event").asText()),
                  o.get("clock").asLong(),
                  o.get("queue").asInt(),
                  extra)));
    }
    assertThat(back).isEqualTo(original);
  }
}
