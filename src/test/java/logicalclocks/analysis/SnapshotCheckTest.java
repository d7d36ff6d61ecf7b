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
    assertThat(rules(withRecord(r -> ((ArrayNode) vm(r, 0).get("queue")).add("1-99999"))))
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
}
