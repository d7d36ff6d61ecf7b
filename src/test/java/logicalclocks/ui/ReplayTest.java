package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of logs that are not what a run writes: bytes that are not UTF-8, a line far longer than
 * any (without a newline), VM ids beyond any run. Each is shown for what it is and the rest of the
 * run is replayed; nothing ends the replay without a word.
 */
class ReplayTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static List<JsonNode> replay(Path dir) throws Exception {
    SortedMap<Integer, Path> logs = Replay.logs(dir);
    Feed feed = new Feed(logs.lastKey() + 1, 1000, "t", "replay");
    Replay r = Replay.of(logs, feed, 0);
    r.run();
    assertThat(r.done()).isTrue();
    JsonNode b = JSON.readTree(feed.batch(0, 1000).json());
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : b.get("events")) {
      if (!Feed.STATE.equals(e.path("e").asText())) { // the lines, not the VMs' state changes
        out.add(e);
      }
    }
    out.add(b); // the state last
    return out;
  }

  static String at(int vm, int second, String event, long clock, String extra) {
    return String.format(
        "ts=2026-12-02T05:17:%02d.000Z vm=%d event=%s clock=%d queue=0 %s",
        second, vm, event, clock, extra);
  }

  @Test
  void linesComeInTheOrderTheyHappenedSoARestartIsWhereItRestarted() throws Exception {
    // vm1 is killed at 10 s and restarts at 30 s with its clock, 74, far above vm0's
    Path dir = Files.createDirectories(tmp.resolve("run"));
    List<String> vm0 = new ArrayList<>();
    vm0.add(at(0, 0, "START", 0, "rate=1 sides=10 seed=1 peers=1"));
    for (int t = 1; t <= 40; t++) {
      vm0.add(at(0, t, "INTERNAL", t, "die=7"));
    }
    Files.write(dir.resolve("machine_0.log"), vm0);
    Files.write(
        dir.resolve("machine_1.log"),
        List.of(
            at(1, 0, "START", 0, "rate=1 sides=10 seed=1 peers=0"),
            at(1, 10, "INTERNAL", 73, "die=7"),
            at(1, 30, "START", 73, "rate=1 sides=10 seed=1 peers=0 resumed=true"),
            at(1, 31, "INTERNAL", 74, "die=7")));
    List<JsonNode> out = replay(dir);
    List<String> order =
        out.subList(0, out.size() - 1).stream()
            .map(e -> e.get("vm").asInt() + ":" + e.get("n").asInt())
            .toList();
    int restart = order.indexOf("1:3");
    assertThat(order.get(restart - 1)).as("the line before vm1's restart").isEqualTo("0:31");
    assertThat(order.indexOf("1:4")).isLessThan(order.indexOf("0:33")); // at 31 s, before 32 s
    assertThat(order.indexOf("1:2")).isLessThan(order.indexOf("0:12"));
    assertThat(out.get(restart).get("restart").asInt()).isEqualTo(1);
    // each line's host time is the time it happened
    assertThat(out.get(restart).get("h").asLong())
        .isEqualTo(java.time.Instant.parse("2026-12-02T05:17:30Z").toEpochMilli());
  }

  @Test
  void aByteThatIsNotUtf8MakesItsLineUnreadableAndTheRestIsReplayed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("machine_0.log"), FeedTest.start(0, 0) + "\n");
    try (OutputStream o = Files.newOutputStream(dir.resolve("machine_1.log"))) {
      o.write((FeedTest.start(1, 0) + "\n").getBytes(StandardCharsets.UTF_8));
      o.write(new byte[] {(byte) 0xff, (byte) 0xfe, ' ', (byte) 0xc3, '(', '\n'});
      o.write((FeedTest.tick(1, "INTERNAL", 1, "die=5") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    List<JsonNode> out = replay(dir);
    List<JsonNode> vm1 = out.stream().filter(e -> e.path("vm").asInt(-1) == 1).toList();
    assertThat(vm1).hasSize(3);
    assertThat(vm1.get(0).path("e").asText()).isEqualTo("START");
    assertThat(vm1.get(1).has("err")).isTrue();
    assertThat(vm1.get(2).path("e").asText()).isEqualTo("INTERNAL");
    assertThat(out.get(out.size() - 1).get("counters").get("errors").asLong()).isEqualTo(1);
  }

  @Test
  void aLineLongerThanAnyIsCutAndShownUnreadable() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    try (OutputStream o = Files.newOutputStream(dir.resolve("machine_0.log"))) {
      o.write((FeedTest.start(0, 0) + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] x = new byte[1 << 16];
      java.util.Arrays.fill(x, (byte) 'x');
      for (int i = 0; i < (3 * Replay.MAX_LINE) / x.length; i++) {
        o.write(x);
      }
      o.write('\n');
      o.write((FeedTest.tick(0, "INTERNAL", 1, "die=5") + "\n").getBytes(StandardCharsets.UTF_8));
      o.write(x); // and no newline at the end
    }
    List<JsonNode> out = replay(dir);
    assertThat(out).hasSize(4 + 1);
    assertThat(out.get(1).has("err")).isTrue();
    assertThat(out.get(1).get("raw").asText())
        .startsWith("line longer than " + Replay.MAX_LINE + " characters, cut: xxx")
        .hasSizeLessThanOrEqualTo(2000);
    assertThat(out.get(2).path("e").asText()).isEqualTo("INTERNAL");
    assertThat(out.get(3).has("err")).isTrue();
  }

  @Test
  void aVmIdBeyondAnyRunIsRefusedNamingItsFile() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("machine_0.log"), FeedTest.start(0, 0) + "\n");
    Files.writeString(dir.resolve("machine_999999.log"), FeedTest.start(0, 0) + "\n");
    assertThatThrownBy(() -> Replay.logs(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("machine_999999.log names VM 999999, beyond the largest run");
  }

  @Test
  void aLinkToAFileOutsideTheDirectoryIsNotReplayed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("machine_0.log"), FeedTest.start(0, 0) + "\n");
    Files.writeString(tmp.resolve("secret.txt"), "SECRET\n");
    Files.createSymbolicLink(dir.resolve("machine_1.log"), tmp.resolve("secret.txt"));
    Files.createSymbolicLink(dir.resolve("machine_2.log"), dir.resolve("machine_0.log"));
    List<JsonNode> out = replay(dir);
    assertThat(out.toString()).doesNotContain("SECRET");
    JsonNode vms = out.get(out.size() - 1).get("vms");
    assertThat(vms.get(1).get("state").asText())
        .as("the link's VM is shown, not left out")
        .isEqualTo("failed");
    assertThat(vms.get(1).get("detail").asText())
        .isEqualTo("machine_1.log links to a file outside the directory: not replayed");
    assertThat(vms.get(2).get("state").asText())
        .as("a link to a log of the directory itself is replayed")
        .isEqualTo("finished");
    assertThat(out.get(out.size() - 1).get("over").asBoolean()).isTrue();
  }

  @Test
  void aVmWithoutALogInTheDirectoryIsShownAbsentAndTheReplayEnds() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("machine_0.log"), FeedTest.start(0, 0) + "\n");
    Files.writeString(dir.resolve("machine_2.log"), FeedTest.start(2, 0) + "\n");
    List<JsonNode> out = replay(dir);
    JsonNode vm1 = out.get(out.size() - 1).get("vms").get(1);
    assertThat(vm1.get("state").asText()).isEqualTo("absent");
    assertThat(vm1.get("detail").asText()).isEqualTo("no machine_1.log in the directory");
    assertThat(out.get(out.size() - 1).get("vms").get(0).get("state").asText())
        .isEqualTo("finished");
    assertThat(out.get(out.size() - 1).get("over").asBoolean())
        .as("the replay's verdict is given: no VM is waited for")
        .isTrue();
  }
}
