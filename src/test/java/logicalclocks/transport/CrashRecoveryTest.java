package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.clock.VectorClock;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.Node;
import logicalclocks.recovery.InboxJournal;
import logicalclocks.reliability.Reliability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of whole nodes over gRPC (grpc-java's in-process transport: the real service,
 * stubs and channels, no sockets): a VM killed mid-write (its log and its inbox journal each end in
 * a torn record) is restarted, runs, is restarted again, and in the end every clock rule holds and
 * every message is accounted for. A restart never runs past the end of its run.
 */
class CrashRecoveryTest {
  @TempDir Path logs;

  static final int RATE = 100;
  final ModelConfig model = ModelConfig.builder().tickRate(RATE).seed(5L).build();

  /** One in-process network for the whole test: a restarted VM is found under the same name. */
  final InProcessNetwork network = new InProcessNetwork();

  static final List<HostPort> PEERS = List.of(new HostPort("vm0", 1), new HostPort("vm1", 1));

  List<Node> start(Duration duration) throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      nodes.add(
          new Node(
              new Node.Spec(
                  i, PEERS, InProcessNetwork.at(PEERS.get(i)), model, 5L, logs, duration, true),
              Clock.systemUTC(),
              network));
    }
    return TestNodes.start(nodes);
  }

  void runUntil(List<Node> nodes, long events) throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().allMatch(n -> n.stats().events() >= events));
    for (Node n : nodes) {
      n.stop("signal");
    }
  }

  @Test
  void killedMidRecordRestartedTwiceEverythingAccounted() throws Exception {
    runUntil(start(Duration.ZERO), 150);

    // VM 1 "dies" mid-write: no STOP, a torn log line, and a torn journal record.
    Path log1 = logs.resolve(EventLogFormat.fileName(1));
    List<String> lines = new ArrayList<>(Files.readAllLines(log1));
    String stop = lines.remove(lines.size() - 1);
    assertThat(stop).contains("event=STOP");
    Files.write(log1, lines);
    Files.writeString(log1, "ts=2026-11-27T10:00:00.000Z vm=1 event=SE", StandardOpenOption.APPEND);
    Path journal1 = InboxJournal.file(logs, 1);
    Files.writeString(journal1, "0 9", StandardOpenOption.APPEND);

    runUntil(start(Duration.ZERO), 150);
    String journal = Files.readString(journal1, StandardCharsets.UTF_8);
    assertThat(journal)
        .as("the torn record was cut off, not glued to the next one")
        .doesNotContain("0 90")
        .satisfiesAnyOf(j -> assertThat(j).isEmpty(), j -> assertThat(j).endsWith("\n"));
    runUntil(start(Duration.ZERO), 100);

    var all = EventLogReader.readDir(logs);
    assertThat(Verifier.verify(all)).as("every rule, every message, across two restarts").isEmpty();
    List<LogEvent> vm1 = all.get(1).stream().map(EventLogReader.Line::event).toList();
    assertThat(vm1.stream().filter(e -> e.event() == EventType.START))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.clock()).isGreaterThanOrEqualTo(0));
    assertThat(vm1.stream().filter(e -> "true".equals(e.get("resumed")))).hasSize(2);
    List<Long> own =
        vm1.stream()
            .filter(e -> e.event().isTick())
            .map(e -> VectorClock.parse(e.get("vc")).get(1))
            .toList();
    assertThat(own)
        .as("VM 1's own vector entry counts its tick events 1..n across both restarts")
        .isEqualTo(LongStream.rangeClosed(1, own.size()).boxed().toList());
    long events =
        all.values().stream().flatMap(List::stream).filter(l -> l.event().event().isTick()).count();
    Reliability.record(
        "15-torn-records",
        "Killed mid-write: torn last log line and torn inbox journal record",
        "2 VMs at "
            + RATE
            + " ticks/s over gRPC (in-process transport); VM 1's STOP removed, a partial log line and a partial"
            + " journal record appended; restarted, run, restarted again",
        Reliability.checked(
            "both restarts resumed (START resumed=true, clock never lower)",
            vm1.stream().filter(e -> "true".equals(e.get("resumed"))).count() == 2,
            "the torn journal record was cut off on open, not glued to the next record",
            !journal.contains("0 90")),
        Reliability.checked(
            "verifier: 0 violations over "
                + events
                + " tick events; every message received, dropped"
                + " or queued at STOP",
            Verifier.verify(all).isEmpty()));
  }

  @Test
  void aRestartRunsOnlyWhatIsLeftOfItsRun() throws Exception {
    Node node =
        new Node(
            new Node.Spec(
                0,
                PEERS,
                InProcessNetwork.at(PEERS.get(0)),
                model,
                5L,
                logs,
                Duration.ofSeconds(10),
                true),
            Clock.systemUTC(),
            network);
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    assertThat(node.ticksLeft(null, now)).as("a new run: all of DURATION").isEqualTo(10L * RATE);
    assertThat(node.ticksLeft(now.minusSeconds(4), now)).as("6 s left of 10").isEqualTo(6L * RATE);
    assertThat(node.ticksLeft(now.minusSeconds(11), now)).as("past the end").isZero();
    node.close();
  }

  @Test
  void restartedPastTheEndItLogsStopAtOnce() throws Exception {
    runUntil(start(Duration.ZERO), 50);
    // The same run, now with a DURATION that has already passed since its first START.
    Instant firstStart =
        EventLogReader.read(logs.resolve(EventLogFormat.fileName(0))).get(0).event().ts();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Instant.now().isAfter(firstStart.plusSeconds(1)));
    List<Node> again = start(Duration.ofSeconds(1));
    for (Node n : again) {
      n.awaitFinished();
      n.stop("finished");
    }
    var all = EventLogReader.readDir(logs);
    assertThat(Verifier.verify(all)).isEmpty();
    for (var lines : all.values()) {
      List<LogEvent> tail =
          lines.subList(lines.size() - 2, lines.size()).stream()
              .map(EventLogReader.Line::event)
              .toList();
      assertThat(tail.get(0).event()).isEqualTo(EventType.START);
      assertThat(tail.get(0).get("resumed")).isEqualTo("true");
      assertThat(tail.get(1).event()).as("no tick after the run's end").isEqualTo(EventType.STOP);
      assertThat(tail.get(1).get("reason")).isEqualTo("finished");
    }
  }
}
