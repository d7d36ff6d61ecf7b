package logicalclocks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.render.Export;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import logicalclocks.sim.Simulation;
import logicalclocks.ui.Feed;
import logicalclocks.ui.Replay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clock kind is one class: {@code ShadowClockKind}, which exists only in the tests and is
 * registered from outside the main code (the test tree's {@code
 * META-INF/services/logicalclocks.clock.ClockKind}), flows through the simulation, the log, a live
 * run over gRPC (the wire, the inbox journal), {@code analyze} (its own rule checked on every line,
 * a corrupted line and a malformed value caught), the JSONL export and the live page's feed, with
 * no main file changed for it.
 */
class ClockKindTest {
  @TempDir Path tmp;

  static final ObjectMapper JSON = new ObjectMapper();

  static ModelConfig model(int rate) {
    return ModelConfig.builder()
        .machines(3)
        .tickRate(rate)
        .seed(3L)
        .extraClocks(List.of("shadow"))
        .build();
  }

  /** Every tick line of {@code dir} with its sh value (and none without). */
  static long shLines(Path dir) throws Exception {
    long n = 0;
    for (List<EventLogReader.Line> lines : EventLogReader.readDir(dir).values()) {
      for (EventLogReader.Line l : lines) {
        if (l.event().event().isTick()) {
          assertThat(l.event().get("sh")).as(l.where()).isNotNull();
          n++;
        }
      }
    }
    return n;
  }

  static List<Violation> violations(Path dir) throws Exception {
    return Analyzer.analyze(dir).metrics().violations();
  }

  @Test
  void aClockKindRegisteredByTheTestsFlowsThroughEverything() throws Exception {
    ClockKind<?> shadow = ClockKinds.named("shadow");
    assertThat(shadow).as("found on the class path").isNotNull();
    assertThat(model(20).clockKinds()).contains(shadow);
    assertThat(ModelConfig.defaults().clockKinds()).doesNotContain(shadow);

    // the simulation, and the log
    Path sim = tmp.resolve("sim");
    Simulation.run(
        new Simulation.Config(model(20), Duration.ofSeconds(5), 3, Simulation.DEFAULT_DELAY), sim);
    assertThat(shLines(sim)).isGreaterThan(200);
    // analyze: its rule holds on every line
    assertThat(violations(sim)).isEmpty();

    // a corrupted value and a malformed one are caught, each at its line, under its rule
    Path bad = Files.createDirectories(tmp.resolve("bad"));
    for (int i = 0; i < 3; i++) {
      Files.copy(sim.resolve(EventLogFormat.fileName(i)), bad.resolve(EventLogFormat.fileName(i)));
    }
    Path log1 = bad.resolve(EventLogFormat.fileName(1));
    List<String> lines = new ArrayList<>(Files.readAllLines(log1, StandardCharsets.UTF_8));
    int receive = -1;
    for (int i = 0; i < lines.size() && receive < 0; i++) {
      if (lines.get(i).contains(" event=RECEIVE ") && i > 10) {
        receive = i;
      }
    }
    LogEvent e = EventLogFormat.parse(lines.get(receive));
    long sh = Long.parseLong(e.get("sh"));
    lines.set(receive, lines.get(receive).replace(" sh=" + sh, " sh=" + (sh + 7)));
    lines.set(receive + 3, lines.get(receive + 3).replaceFirst(" sh=[0-9]+", " sh=x"));
    Files.write(log1, lines, StandardCharsets.UTF_8);
    List<Violation> found = violations(bad);
    int at = receive;
    assertThat(found)
        .anyMatch(v -> v.rule().equals("shadow-rule") && v.vm() == 1 && v.line() == at + 1);
    assertThat(found).anyMatch(v -> v.rule().equals("fields") && v.vm() == 1 && v.line() == at + 4);

    // the JSONL export carries it on every tick line
    String jsonl = Export.jsonl(List.of(new Export.Run("sim", EventLogReader.readDir(sim))));
    long exported = jsonl.lines().filter(l -> l.contains("\"sh\":")).count();
    assertThat(exported).isEqualTo(shLines(sim));

    // the live page's feed: each tick item says it
    SortedMap<Integer, Path> logs = Replay.logs(sim);
    Feed feed = new Feed(3, 1_000_000, "t", "replay", 0);
    Replay.of(logs, feed, 0).run();
    long fed = 0;
    for (JsonNode it : JSON.readTree(feed.batch(0, 1_000_000).json()).get("events")) {
      if (it.has("clocks")) {
        assertThat(it.get("clocks").get("sh").asText()).isNotEmpty();
        fed++;
      }
    }
    assertThat(fed).isEqualTo(shLines(sim));

    // a live run over gRPC: messages carry it on the wire (a RECEIVE's value is the max with its
    // SEND's, checked by analyze), the inbox journal keeps it
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = Math.min(s.getLocalPort(), 60000);
    }
    Path live = Files.createDirectories(tmp.resolve("live"));
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(base, Duration.ofSeconds(3), model(40), live), 3, Clock.systemUTC());
    cluster.start();
    try {
      cluster.awaitFinished();
    } finally {
      cluster.stop("finished");
    }
    assertThat(shLines(live)).isGreaterThan(100);
    assertThat(violations(live)).isEmpty();
    // a RECEIVE whose own clock was below its message's took the message's value
    boolean jumped = false;
    for (List<EventLogReader.Line> l : EventLogReader.readDir(live).values()) {
      long prev = 0;
      for (EventLogReader.Line x : l) {
        String v = x.event().get("sh");
        if (v == null) {
          continue;
        }
        long now = Long.parseLong(v);
        jumped |= x.event().event() == logicalclocks.event.EventType.RECEIVE && now > prev + 1;
        prev = now;
      }
    }
    assertThat(jumped).as("a RECEIVE that took its message's value").isTrue();
  }
}
