package logicalclocks.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import logicalclocks.analysis.verify.Verifier.Rule;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.sim.Simulation;
import logicalclocks.sim.SnapshotSimTest;
import logicalclocks.vm.Snapshots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each snapshot rule of the verifier, with a corrupted record or log that breaks it: a run whose
 * snapshots verify, then one change each, and the rule that must catch it.
 */
public class SnapshotCheckTest {
  /** The rules whose corruptions live here. */
  public static final java.util.Set<Rule> RULES =
      java.util.EnumSet.of(
          Rule.SNAPSHOT_RECORD, Rule.SNAPSHOT_STATE, Rule.SNAPSHOT_CUT, Rule.SNAPSHOT_CHANNELS);

  /** The rules a corruption here was caught by. */
  static final java.util.Set<String> caught = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @org.junit.jupiter.api.AfterAll
  static void everyRuleCaughtACorruption() {
    assertThat(caught).containsExactlyInAnyOrderElementsOf(RULES.stream().map(Rule::id).toList());
  }

  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path clean;

  /** A complete snapshot with a message in a queue or a channel. */
  static long busy;

  @BeforeAll
  static void run() throws Exception {
    clean = tmp.resolve("clean");
    Files.createDirectories(clean);
    Simulation.run(
        new Simulation.Config(
            SnapshotSimTest.stormy(2),
            Duration.ofSeconds(12),
            2,
            Simulation.DEFAULT_DELAY,
            Duration.ofSeconds(1)),
        clean);
    assertThat(Analyzer.analyze(clean).metrics().violations()).isEmpty();
    for (var e : SnapshotFiles.files(clean).entrySet()) {
      Snapshots.Record r = SnapshotFiles.read(e.getValue());
      long held =
          r.vms().stream()
              .mapToLong(
                  v ->
                      v.queue().size() + v.channels().values().stream().mapToLong(List::size).sum())
              .sum();
      if (r.complete() && held > 0 && r.vms().stream().allMatch(v -> v.events() > 0)) {
        busy = e.getKey();
        break;
      }
    }
    assertThat(busy).as("a complete snapshot holding messages").isPositive();
  }

  static int copies;

  /** A copy of the clean run with the busy snapshot's record changed by {@code change}. */
  Path withRecord(Consumer<ObjectNode> change) throws Exception {
    Path dir = copy();
    Path f = dir.resolve(SnapshotFiles.DIR).resolve(busy + ".json");
    ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
    change.accept(root);
    Files.writeString(f, JSON.writeValueAsString(root));
    return dir;
  }

  Path copy() throws Exception {
    Path dir = tmp.resolve("copy" + copies++);
    Files.createDirectories(dir.resolve(SnapshotFiles.DIR));
    try (var s = Files.walk(clean)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          Files.copy(p, dir.resolve(clean.relativize(p)));
        }
      }
    }
    return dir;
  }

  static List<String> rules(Path dir) throws Exception {
    List<String> r =
        Analyzer.analyze(dir).metrics().violations().stream().map(Violation::rule).toList();
    caught.addAll(r);
    return r;
  }

  static ObjectNode vm(ObjectNode root, int i) {
    return (ObjectNode) root.get("vms").get(i);
  }

  /** The first message the record holds: {vm index, "queue" or sender, id}. */
  static String[] firstHeld(ObjectNode root) {
    for (int i = 0; i < root.get("vms").size(); i++) {
      ObjectNode v = vm(root, i);
      if (v.get("queue").size() > 0) {
        return new String[] {"" + i, "queue", v.get("queue").get(0).textValue()};
      }
      for (var it = v.get("channels").fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().size() > 0) {
          return new String[] {"" + i, e.getKey(), e.getValue().get(0).textValue()};
        }
      }
    }
    throw new AssertionError("holds none");
  }

  static ArrayNode place(ObjectNode root, String[] held) {
    ObjectNode v = vm(root, Integer.parseInt(held[0]));
    return (ArrayNode) (held[1].equals("queue") ? v.get("queue") : v.get("channels").get(held[1]));
  }

  @Test
  void aRecordThatIsNotInItsFormOrMissesAVmIsCaught() throws Exception {
    assertThat(rules(withRecord(r -> ((ArrayNode) r.get("vms")).remove(1))))
        .contains("snapshot-record");
    assertThat(rules(withRecord(r -> r.put("complete", "yes")))).contains("snapshot-record");
    assertThat(rules(withRecord(r -> ((ArrayNode) r.get("vms")).add(vm(r, 0).deepCopy()))))
        .contains("snapshot-record");
    assertThat(rules(withRecord(r -> vm(r, 0).put("vm", 7)))).contains("snapshot-record");
  }

  @Test
  void aRecordedStateThatIsNotTheLogsIsCaught() throws Exception {
    assertThat(rules(withRecord(r -> vm(r, 1).put("clock", vm(r, 1).get("clock").asLong() + 1))))
        .contains("snapshot-state");
    assertThat(rules(withRecord(r -> vm(r, 1).put("events", vm(r, 1).get("events").asLong() + 1))))
        .contains("snapshot-state");
    // the log loses its SNAPSHOT line
    Path dir = copy();
    Path log = dir.resolve("machine_1.log");
    List<String> lines = Files.readAllLines(log);
    lines.removeIf(l -> l.contains("event=SNAPSHOT") && l.endsWith("snap=" + busy));
    Files.write(log, lines);
    assertThat(rules(dir)).containsExactly("snapshot-state");
  }

  @Test
  void anInconsistentCutIsCaught() throws Exception {
    // move VM 0's cut back before its first SEND whose message VM 1 or 2 received inside the cut:
    // found by trying every shorter cut of VM 0 and keeping one the cut rule rejects
    boolean caught = false;
    for (int back = 1; back <= 20 && !caught; back++) {
      int b = back;
      Path dir =
          withRecord(r -> vm(r, 0).put("events", Math.max(0, vm(r, 0).get("events").asLong() - b)));
      caught = rules(dir).contains("snapshot-cut");
    }
    assertThat(caught).as("some earlier cut of VM 0 is inconsistent with the others").isTrue();
  }

  @Test
  void queuesAndChannelsThatAreNotWhatWasInTransitAreCaught() throws Exception {
    // a message in transit left out
    assertThat(
            rules(
                withRecord(
                    r -> {
                      String[] h = firstHeld(r);
                      place(r, h).remove(0);
                    })))
        .containsExactly("snapshot-channels");
    // recorded twice
    assertThat(
            rules(
                withRecord(
                    r -> {
                      String[] h = firstHeld(r);
                      place(r, h).add(h[2]);
                    })))
        .containsExactly("snapshot-channels");
    // a message that was not in transit
    assertThat(
            rules(withRecord(r -> ((ArrayNode) vm(r, 0).get("channels").get("1")).add("1-99999"))))
        .containsExactly("snapshot-channels");
    // at another VM than its receiver
    assertThat(
            rules(
                withRecord(
                    r -> {
                      String[] h = firstHeld(r);
                      place(r, h).remove(0);
                      int other = (Integer.parseInt(h[0]) + 1) % 3;
                      ((ArrayNode) vm(r, other).get("queue")).add(h[2]);
                    })))
        .contains("snapshot-channels");
  }

  @Test
  void strayFilesAnIdNotItsFilesAndAMissingRecordAreCaught() throws Exception {
    Path dir = copy();
    Files.writeString(dir.resolve(SnapshotFiles.DIR).resolve("abc.json"), "{}");
    Files.createDirectories(dir.resolve(SnapshotFiles.DIR).resolve("99.json"));
    assertThat(rules(dir)).containsExactly("snapshot-record", "snapshot-record");
    Path renamed = copy();
    Files.move(
        renamed.resolve(SnapshotFiles.DIR).resolve(busy + ".json"),
        renamed.resolve(SnapshotFiles.DIR).resolve("777.json"));
    assertThat(rules(renamed)).contains("snapshot-record");
    Path missing = copy();
    Files.delete(missing.resolve(SnapshotFiles.DIR).resolve("1.json"));
    assertThat(
            Analyzer.analyze(missing).metrics().violations().stream()
                .map(Violation::toString)
                .toList())
        .containsExactly(
            "snapshots/1.json: [snapshot-record] missing: snapshot 1 was begun ("
                + firstSnapshotLine(missing, 1)
                + " records a state for it) and a later one too, so it ended, but its record is"
                + " not here");
    caught.add("snapshot-record");
  }

  static String firstSnapshotLine(Path dir, long id) throws Exception {
    String best = null;
    long bestTs = Long.MAX_VALUE;
    for (int vm = 0; vm < 3; vm++) {
      List<String> lines = Files.readAllLines(dir.resolve("machine_" + vm + ".log"));
      for (int n = 0; n < lines.size(); n++) {
        if (lines.get(n).contains("event=SNAPSHOT") && lines.get(n).endsWith("snap=" + id)) {
          long ts = java.time.Instant.parse(lines.get(n).substring(3, 27)).toEpochMilli();
          if (best == null || ts < bestTs) {
            best = "machine_" + vm + ".log:" + (n + 1);
            bestTs = ts;
          }
          break;
        }
      }
    }
    return best;
  }

  @Test
  void aChannelFromItselfAndAFailedRecordHoldingAWrongMessageAreCaught() throws Exception {
    assertThat(rules(withRecord(r -> ((ObjectNode) vm(r, 0).get("channels")).putArray("0"))))
        .contains("snapshot-record");
    assertThat(
            rules(
                withRecord(
                    r -> {
                      r.put("complete", false);
                      r.put("reason", "made up");
                      ((ArrayNode) vm(r, 0).get("channels").get("1")).add("1-99999");
                    })))
        .containsExactly("snapshot-channels");
  }

  @Test
  void aRecordedQueueLongerThanItsSnapshotLinesIsCaught() throws Exception {
    // a message moved from a VM's channel into its queue: the queue now holds more than the
    // VM's SNAPSHOT line says it held
    Path dir = copy();
    long id = -1;
    int vm = -1;
    for (var e : SnapshotFiles.files(dir).entrySet()) {
      Snapshots.Record r = SnapshotFiles.read(e.getValue());
      for (Snapshots.VmState v : r.vms()) {
        if (r.complete() && !v.queue().isEmpty() && id < 0) {
          id = r.id();
          vm = v.vm();
        }
      }
    }
    assertThat(id).as("a complete snapshot with a queue").isPositive();
    Path log = dir.resolve("machine_" + vm + ".log");
    long snap = id;
    List<String> lines =
        Files.readAllLines(log).stream()
            .map(
                l ->
                    l.contains("event=SNAPSHOT") && l.endsWith("snap=" + snap)
                        ? l.replaceFirst(" queue=[0-9]+ ", " queue=0 ")
                        : l)
            .toList();
    Files.write(log, lines);
    assertThat(rules(dir)).containsExactly("snapshot-state");
  }
}
