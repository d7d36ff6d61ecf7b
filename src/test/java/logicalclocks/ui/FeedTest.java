package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import logicalclocks.analysis.live.WatchModel;
import org.junit.jupiter.api.Test;

class FeedTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String start(int vm, long clock) {
    return "ts=2026-12-02T05:17:37.362Z vm="
        + vm
        + " event=START clock="
        + clock
        + " queue=0 rate=6 sides=10 seed=3 peers=1";
  }

  static String tick(int vm, String event, long clock, String extra) {
    return "ts=2026-12-02T05:17:38.000Z vm="
        + vm
        + " event="
        + event
        + " clock="
        + clock
        + " queue=0 "
        + extra;
  }

  @Test
  void eachLineLeavesWithItsFieldsAndAMalformedOneAsAnError() throws Exception {
    Feed f = new Feed(2, 100, "t", "live");
    f.line(0, start(0, 0) + "\n", 5);
    f.line(0, tick(0, "SEND", 1, "to=1 msg=0-1 die=1 hlc=1796188657528:3 vc=0:1"), 6);
    f.line(1, "not a log line", 7);
    f.line(1, tick(0, "INTERNAL", 1, "die=5"), 8); // vm=0 in vm 1's log
    JsonNode b = JSON.readTree(f.batch(0, 100).json());
    JsonNode ev = b.get("events");
    assertThat(ev).hasSize(4);
    assertThat(ev.get(1).get("e").asText()).isEqualTo("SEND");
    assertThat(ev.get(1).get("m").asText()).isEqualTo("0-1");
    assertThat(ev.get(1).get("to").asText()).isEqualTo("1");
    assertThat(ev.get(1).get("hl").asLong()).isEqualTo(1796188657528L);
    assertThat(ev.get(1).get("hc").asLong()).isEqualTo(3);
    assertThat(ev.get(1).get("vc").asText()).isEqualTo("0:1");
    assertThat(ev.get(1).get("n").asLong()).isEqualTo(2);
    assertThat(ev.get(2).has("err")).isTrue();
    assertThat(ev.get(2).get("raw").asText()).isEqualTo("not a log line");
    assertThat(ev.get(3).get("err").asText()).contains("vm=0 in the log of vm 1");
    assertThat(b.get("counters").get("errors").asLong()).isEqualTo(2);
    assertThat(b.get("verdict").asText()).contains("unreadable");
  }

  /**
   * A line's w is its ts in host time, its START's declared clock undone (the page's wall axis): VM
   * 1, whose clock is declared 180 s ahead, is placed beside VM 0; ts stays its own.
   */
  @Test
  void aLineCarriesItsHostTimeWithItsDeclaredClockUndone() throws Exception {
    Feed f = new Feed(2, 100, "t", "live");
    f.line(0, start(0, 0), 1);
    f.line(
        1,
        start(1, 0).replace("2026-12-02T05:17:37.362Z", "2026-12-02T05:20:37.362Z")
            + " offset_ms=180000",
        2);
    f.line(0, tick(0, "INTERNAL", 1, "die=5"), 3);
    f.line(1, tick(1, "INTERNAL", 1, "die=5").replace("05:17:38.000Z", "05:20:38.000Z"), 4);
    JsonNode ev = JSON.readTree(f.batch(0, 100).json()).get("events");
    assertThat(ev.get(2).get("w").asLong()).isEqualTo(ev.get(2).get("ts").asLong());
    assertThat(ev.get(3).get("w").asLong())
        .as("VM 1's INTERNAL in host time: beside VM 0's")
        .isEqualTo(ev.get(2).get("w").asLong());
    assertThat(ev.get(3).get("ts").asLong() - ev.get(3).get("w").asLong()).isEqualTo(180_000);
  }

  @Test
  void theBufferIsBoundedAndABatchSaysWhatItSkipped() throws Exception {
    Feed f = new Feed(1, 100, "t", "live");
    f.line(0, start(0, 0), 0);
    for (int i = 1; i <= 300; i++) {
      f.line(0, tick(0, "INTERNAL", i, "die=5"), i);
    }
    JsonNode all = JSON.readTree(f.batch(0, Integer.MAX_VALUE).json());
    assertThat(all.get("events")).hasSize(100);
    assertThat(all.get("events").get(0).get("s").asLong()).isEqualTo(202);
    assertThat(all.get("skipped").asLong()).isEqualTo(201);
    JsonNode some = JSON.readTree(f.batch(250, 10).json());
    assertThat(some.get("events")).hasSize(10);
    assertThat(some.get("events").get(0).get("s").asLong()).isEqualTo(292);
    assertThat(some.get("skipped").asLong()).isEqualTo(41);
    assertThat(JSON.readTree(f.batch(301, 10).json()).get("events")).isEmpty();
  }

  @Test
  void aRestartIsMarkedAndTheStatesAndVerdictFollowTheLogs() throws Exception {
    Feed f = new Feed(1, 100, "t", "live");
    f.line(0, start(0, 0), 0);
    f.line(0, tick(0, "INTERNAL", 1, "die=5 vc=0:1"), 0);
    f.line(0, tick(0, "STOP", 1, "reason=signal"), 0);
    f.state(0, WatchModel.State.STOPPED, "waiting for its restart");
    assertThat(JSON.readTree(f.state()).get("vms").get(0).get("state").asText())
        .isEqualTo("stopped");
    f.line(0, start(0, 1) + " resumed=true", 0);
    f.line(0, tick(0, "STOP", 2, "reason=finished"), 0);
    f.state(0, WatchModel.State.FINISHED, "");
    JsonNode b = JSON.readTree(f.batch(0, 100).json());
    // the follower's word after the STOP is an item of the stream too: the VM's state changed
    assertThat(b.get("events").get(3).get("e").asText()).isEqualTo(Feed.STATE);
    assertThat(b.get("events").get(3).get("st").asText()).isEqualTo("stopped");
    assertThat(b.get("events").get(3).get("why").asText()).isEqualTo("waiting for its restart");
    assertThat(b.get("events").get(4).get("restart").asInt()).isEqualTo(1);
    assertThat(b.get("events").get(2).get("st").asText()).isEqualTo("stopped");
    assertThat(b.get("vms").get(0).get("restarts").asInt()).isEqualTo(1);
    assertThat(f.endIfOver()).isTrue();
    JsonNode s = JSON.readTree(f.state());
    assertThat(s.get("over").asBoolean()).isTrue();
  }

  @Test
  void aStateChangeIsAnItemOnceAndTheLinesCarryWhatThePageNeeds() throws Exception {
    Feed f = new Feed(2, 100, "t", "live");
    f.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE: io exception");
    f.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE: io exception"); // no change: no item
    f.line(0, start(0, 0), 10);
    f.line(0, tick(0, "SEND", 1, "to=1 msg=0-1 die=2"), 11);
    f.line(0, tick(0, "DROP", 1, "to=1 msg=0-1 reason=deadline"), 12);
    f.line(0, tick(0, "DROP", 1, "to=1 msg=0-2 reason=backpressure"), 13);
    f.line(0, tick(0, "RECEIVE", 3, "from=1 msg=1-4 sent=2"), 14);
    f.line(0, tick(0, "STOP", 3, "reason=finished queued=1-5,1-6"), 15);
    JsonNode ev = JSON.readTree(f.batch(0, 100).json()).get("events");
    assertThat(ev).hasSize(7);
    assertThat(ev.get(0).get("e").asText()).isEqualTo(Feed.STATE);
    assertThat(ev.get(0).get("st").asText()).isEqualTo("unreachable");
    assertThat(ev.get(2).get("die").asLong()).isEqualTo(2);
    assertThat(ev.get(3).get("amb").asInt()).as("deadline: its fate is open").isEqualTo(1);
    assertThat(ev.get(4).has("amb")).as("backpressure: refused").isFalse();
    assertThat(ev.get(5).get("sent").asLong()).isEqualTo(2);
    assertThat(ev.get(6).get("queued").asText()).isEqualTo("1-5,1-6");
    assertThat(ev.get(6).get("st").asText()).isEqualTo("finished");
    assertThat(ev.get(1).get("h").asLong()).isEqualTo(10);
  }

  @Test
  void aBrowserIsSentEveryViolationOnceInTurnAndTheStateTheFirstOnes() throws Exception {
    Feed f = new Feed(1, 10_000, "t", "live");
    f.line(0, start(0, 0), 0);
    for (int i = 0; i < 3000; i++) {
      f.line(0, tick(0, "INTERNAL", 0, "die=5"), 0); // the clock never moves: a violation each
    }
    Feed.Batch first = f.batch(0, 100_000, false, 0);
    JsonNode a = JSON.readTree(first.json());
    assertThat(a.get("violationsFrom").asInt()).isZero();
    assertThat(a.get("violations").size()).isEqualTo(Feed.VIOLATIONS_PER_BATCH);
    assertThat(first.violations()).isEqualTo(Feed.VIOLATIONS_PER_BATCH);
    Feed.Batch second = f.batch(first.seq(), 100_000, false, first.violations());
    JsonNode b = JSON.readTree(second.json());
    long total = b.get("counters").get("violations").asLong();
    assertThat(total).isGreaterThanOrEqualTo(3000); // (two rules break on each such line)
    assertThat(b.get("violationsFrom").asInt()).isEqualTo(Feed.VIOLATIONS_PER_BATCH);
    assertThat(b.get("violations").size())
        .isEqualTo((int) Math.min(Feed.VIOLATIONS_PER_BATCH, total - Feed.VIOLATIONS_PER_BATCH));
    assertThat(second.violations()).isEqualTo(2 * Feed.VIOLATIONS_PER_BATCH);
    // the last of the first batch and the first of the second are one after the other
    assertThat(b.get("violations").get(0).get("n").asInt())
        .isGreaterThanOrEqualTo(
            a.get("violations").get(Feed.VIOLATIONS_PER_BATCH - 1).get("n").asInt());
    assertThat(JSON.readTree(f.state()).get("violations").size()).isEqualTo(Feed.VIOLATIONS_SHOWN);
  }

  @Test
  void aViolationNamesItsVmAndLine() throws Exception {
    Feed f = new Feed(1, 100, "t", "live");
    f.line(0, start(0, 0), 0);
    f.line(0, tick(0, "INTERNAL", 1, "die=5"), 0);
    f.line(0, tick(0, "INTERNAL", 1, "die=5"), 0); // the clock did not move
    JsonNode v = JSON.readTree(f.state()).get("violations");
    assertThat(v).isNotEmpty();
    assertThat(v.get(0).get("vm").asInt()).isEqualTo(0);
    assertThat(v.get(0).get("n").asInt()).isEqualTo(3);
  }

  @Test
  void aRunIsOverWithoutABrowserEverAskingForABatch() throws Exception {
    Feed f = new Feed(1, 100, "t", "live");
    f.line(0, start(0, 0), 1);
    f.line(0, tick(0, "STOP", 0, "reason=finished"), 2);
    f.state(0, WatchModel.State.FINISHED, "");
    assertThat(f.endIfOver()).as("over once its only VM's log ended").isTrue();
    JsonNode s = JSON.readTree(f.state());
    assertThat(s.get("over").asBoolean()).isTrue();
    assertThat(s.get("verdict").asText()).as(s.toString()).doesNotStartWith("verdict so far");
  }
}
