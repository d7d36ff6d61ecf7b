package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import logicalclocks.config.ModelConfig;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's predicate box's server side: answers, and one clear error for each bad input. */
class PredicateApiTest {
  @TempDir Path tmp;

  @Test
  void answersAndRefusals() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().machines(3).seed(2L).build(),
            Duration.ofSeconds(5),
            2,
            Duration.ofMillis(100)),
        dir);
    Feed feed = new Feed(3, 1000, "t", "replay", 0);
    UiServer s = new UiServer(feed, "127.0.0.1", 0, 4, dir);
    var ok = s.predicate("clock[0] >= 1", "0:1,1:0,2:0");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json()).contains("\"possibly\":true").contains("\"consistent\":true");
    for (String bad :
        new String[] {
          "garbage",
          "0:-1,1:0,2:0",
          "0:1,1:2",
          "0:1,1:0,2:0,3:0",
          "1:0,0:0,2:0",
          "0:99999999,1:0,2:0"
        }) {
      var a = s.predicate("clock[0] >= 1", bad);
      assertThat(a.status()).as(bad).isEqualTo(400);
      assertThat(a.json()).as(bad).contains("is not one of this run");
    }
    var tooLong = s.predicate("1 == 1 || ".repeat(300) + "1 == 1", null);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json()).contains("at most 2000 characters");
    var badExpr = s.predicate("queue[7] > 1", null);
    assertThat(badExpr.status()).isEqualTo(400);
    assertThat(badExpr.json()).contains("queue[7]");
    var live = new UiServer(feed, "127.0.0.1", 0, 4, null).predicate("clock[0] >= 1", null);
    assertThat(live.status()).isEqualTo(404);
  }
}
