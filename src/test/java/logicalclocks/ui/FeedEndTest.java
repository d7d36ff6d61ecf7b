package logicalclocks.ui;

import static logicalclocks.ui.FeedTest.start;
import static logicalclocks.ui.FeedTest.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import logicalclocks.analysis.live.WatchModel;
import org.junit.jupiter.api.Test;

/**
 * A run followed with no browser on the page (serve in a container, nobody looking): it still ends,
 * and /api/state gives the run's verdict.
 */
class FeedEndTest {
  @Test
  void aRunEndsWithoutAnyBatchTaken() throws Exception {
    Feed f = new Feed(2, 100, "t", "live");
    for (int vm = 0; vm < 2; vm++) {
      f.line(vm, start(vm, 0).replace("peers=1", "peers=" + (1 - vm)), 0);
      f.line(vm, tick(vm, "INTERNAL", 1, "die=5"), 0);
      f.line(vm, tick(vm, "STOP", 1, "reason=finished"), 0);
      f.state(vm, WatchModel.State.FINISHED, "");
    }
    assertThat(f.endIfOver()).as("every log ended, no batch ever taken").isTrue();
    JsonNode s = FeedTest.JSON.readTree(f.state());
    assertThat(s.get("over").asBoolean()).isTrue();
    assertThat(s.get("verified").asBoolean()).as("%s", s).isTrue();
  }
}
