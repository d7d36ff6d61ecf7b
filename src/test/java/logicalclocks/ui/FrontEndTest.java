package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.WeatherConfig;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's model and playback ({@code model.js}, {@code playback.js}) unit-tested under Node.js's
 * own test runner ({@code node --test src/test/js}), and the feed's JSON contract tested on both
 * sides: this test writes what {@link Feed} sends for real runs (a simulated run under heavy
 * weather, with drops and late deliveries; a run with a crash, a restart, a violation and
 * unreadable lines) to {@code target/feed-contract/}, and the JS tests read it into the page's
 * model and check it against the server's own counts. Without {@code node} the test is skipped,
 * unless LC_REQUIRE_NODE=true (CI), where it fails.
 */
class FrontEndTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static Path project() {
    return Path.of(System.getProperty("lc.projectDir", ".")).toAbsolutePath();
  }

  /** Every item the feed holds, in one batch, with the hello. */
  static ObjectNode fixture(Feed feed) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.set("hello", JSON.readTree(feed.hello(4)));
    ArrayNode batches = o.putArray("batches");
    // as a browser gets them: in chunks, oldest first
    long after = 0;
    while (after < feed.seq()) {
      Feed.Batch b = feed.batch(after, 700, true);
      batches.add(JSON.readTree(b.json()));
      after = b.seq();
    }
    return o;
  }

  static Path weatherRun(Path dir) throws IOException {
    ModelConfig model =
        ModelConfig.builder()
            .machines(3)
            .tickRate(20)
            .seed(5L)
            .sendTimeout(Duration.ofMillis(300))
            .weather(
                new WeatherConfig(
                    20,
                    40,
                    0.25,
                    0.05,
                    0.1,
                    List.of(
                        new WeatherConfig.Partition(
                            4000, 3000, new java.util.TreeSet<>(List.of(2))))))
            .build();
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(12), 5, Simulation.DEFAULT_DELAY), dir);
    return dir;
  }

  static String line(int vm, String ts, String event, long clock, int queue, String extra) {
    return "ts=2026-12-02T05:17:"
        + ts
        + "Z vm="
        + vm
        + " event="
        + event
        + " clock="
        + clock
        + " queue="
        + queue
        + (extra.isEmpty() ? "" : " " + extra);
  }

  /** Two VMs: vm1 is killed and restarts; a violation; an unreadable line; a STOP with a queue. */
  static Feed crashRun() {
    Feed f = new Feed(2, 10_000, "crash", "live");
    long h = 1_000_000;
    f.state(0, WatchModel.State.LIVE, "");
    f.state(1, WatchModel.State.LIVE, "");
    f.line(0, line(0, "10.000", "START", 0, 0, "rate=2 sides=10 seed=1 peers=1"), h);
    f.line(1, line(1, "10.000", "START", 0, 0, "rate=2 sides=10 seed=1 peers=0"), h);
    f.line(
        0,
        line(0, "10.500", "SEND", 1, 0, "to=1 msg=0-1 die=1 hlc=1796188630500:0 vc=0:1"),
        h + 500);
    f.line(
        1,
        line(1, "10.510", "RECEIVE", 2, 0, "from=0 msg=0-1 sent=1 hlc=1796188630510:0 vc=0:1,1:1"),
        h + 510);
    f.line(
        1,
        line(1, "11.000", "SEND", 3, 0, "to=0 msg=1-1 die=1 hlc=1796188631000:0 vc=0:1,1:2"),
        h + 1000);
    f.line(
        0,
        line(0, "11.000", "SEND", 2, 1, "to=1 msg=0-2 die=1 hlc=1796188631000:0 vc=0:2"),
        h + 1001);
    // vm1 is killed: its log ends, the follower cannot reach it
    f.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE: io exception (Connection refused)");
    f.line(
        0,
        line(0, "11.500", "RECEIVE", 4, 0, "from=1 msg=1-1 sent=3 hlc=1796188631500:0 vc=0:3,1:2"),
        h + 1500);
    f.line(
        0,
        line(0, "12.000", "INTERNAL", 4, 0, "die=7 hlc=1796188632000:0 vc=0:4,1:2"),
        h + 2000); // no tick: a violation
    f.line(0, "this is not a log line", h + 2100);
    f.line(
        1,
        line(1, "13.000", "START", 3, 1, "rate=2 sides=10 seed=1 peers=0 resumed=true"),
        h + 3000);
    f.state(1, WatchModel.State.LIVE, "");
    f.line(0, line(0, "13.200", "DROP", 4, 0, "to=1 msg=0-2 reason=deadline"), h + 3200);
    f.line(
        1,
        line(1, "13.500", "RECEIVE", 4, 0, "from=0 msg=0-2 sent=2 hlc=1796188633500:0 vc=0:2,1:3"),
        h + 3500);
    f.line(
        0,
        line(0, "14.000", "SEND", 5, 0, "to=1 msg=0-3 die=1 hlc=1796188634000:0 vc=0:5,1:2"),
        h + 4000);
    f.line(1, line(1, "14.100", "STOP", 4, 1, "reason=finished queued=0-3"), h + 4100);
    f.line(0, line(0, "14.200", "STOP", 5, 0, "reason=finished"), h + 4200);
    f.state(0, WatchModel.State.FINISHED, "");
    f.state(1, WatchModel.State.FINISHED, "");
    f.endIfOver();
    return f;
  }

  @Test
  void theModelAndPlaybackPassTheirTestsUnderNodeOnWhatTheFeedSends() throws Exception {
    Path out = Files.createDirectories(project().resolve("target/feed-contract"));
    Path logs = weatherRun(tmp.resolve("weather"));
    Feed weather = new Feed(3, 1_000_000, "weather", "replay", 2);
    Replay.of(Replay.logs(logs), weather, 0).run();
    Files.writeString(out.resolve("weather.json"), fixture(weather).toString());
    JsonNode counters = JSON.readTree(weather.state()).get("counters");
    // the runs must exercise what the page draws: drops, late deliveries, a crash
    assertThat(counters.get("dropped").asLong()).as("drops").isPositive();
    Feed crash = crashRun();
    assertThat(JSON.readTree(crash.state()).get("counters").get("late").asLong()).isEqualTo(1);
    Files.writeString(out.resolve("crash.json"), fixture(crash).toString());

    boolean node;
    try {
      node = new ProcessBuilder("node", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException absent) {
      node = false;
    }
    if ("true".equals(System.getenv("LC_REQUIRE_NODE"))) {
      assertThat(node).as("node on the PATH (LC_REQUIRE_NODE=true)").isTrue();
    }
    Assumptions.assumeTrue(node, "no node: the page's JS tests skipped");
    Process p =
        new ProcessBuilder("node", "--test", "src/test/js/")
            .directory(project().toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    System.out.println(text);
    assertThat(p.exitValue()).as("node --test src/test/js/:%n%s", text).isZero();
    assertThat(text).contains("# fail 0").doesNotContain("# pass 0\n");
  }
}
