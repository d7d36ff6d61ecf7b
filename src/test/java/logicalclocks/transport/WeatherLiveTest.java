package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.network.Flights;
import logicalclocks.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each knob of the network weather on live nodes (real gRPC streams, in-process channels, real
 * time): its effect on the logs, and every message one fate ({@link Verifier}: no rule broken).
 */
class WeatherLiveTest {
  @TempDir Path tmp;
  final InProcessNetwork network = new InProcessNetwork();

  /** 3 VMs at 20 ticks/s, a 4-sided die (3 of 4 rolls send), a 300 ms send timeout. */
  static ModelConfig.Builder busy() {
    return ModelConfig.builder().tickRate(20).dieSides(4).sendTimeout(Duration.ofMillis(300));
  }

  record Run(Flights flights, long duplicateAcks) {}

  /** Runs the nodes for {@code seconds}, stops them as LocalCluster does, checks every rule. */
  Run run(ModelConfig.Builder model, String name, int seconds) throws Exception {
    ModelConfig m = model.seed(9L).build();
    Path dir = Files.createDirectories(tmp.resolve(name));
    List<HostPort> peers = NodeInProcessTest.peers(m.machines());
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < m.machines(); i++) {
      nodes.add(
          new Node(
              new Node.Spec(
                  i,
                  peers,
                  InProcessNetwork.at(peers.get(i)),
                  m,
                  9L,
                  dir,
                  Duration.ofSeconds(seconds),
                  false),
              Clock.systemUTC(),
              network));
    }
    try {
      TestNodes.start(nodes);
      for (Node n : nodes) {
        n.awaitFinished();
      }
      for (Node n : nodes) {
        n.haltTicking();
      }
      for (Node n : nodes) {
        assertThat(n.awaitSends()).isTrue();
      }
    } finally {
      // all at once, as LocalCluster does: each waits for its server's streams to end
      List<Thread> stops = new ArrayList<>();
      for (Node n : nodes) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    n.stop("finished");
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        stops.add(t);
      }
      for (Thread t : stops) {
        t.join();
      }
    }
    long dups = nodes.stream().mapToLong(n -> n.transport().duplicateAcks()).sum();
    Flights f = new Flights(dir);
    assertThat(Verifier.verify(f.logs)).as("every rule, every message one fate").isEmpty();
    return new Run(f, dups);
  }

  @Test
  void lostCopiesAreSentAgainAndEveryMessageHasOneFate() throws Exception {
    Flights f = run(busy().set(ModelConfig.Field.NET_LOSS, "0.2"), "loss", 3).flights();
    assertThat(f.received()).isNotEmpty();
    assertThat(f.received().stream().filter(x -> x.gap().toMillis() >= 300))
        .as("delivered by a re-send after the send timeout")
        .isNotEmpty();
    assertThat(f.byId.values().stream().filter(x -> x.dropReason != null))
        .allSatisfy(x -> assertThat(x.dropReason).isEqualTo("deadline"));
  }

  @Test
  void everyCopyTakesAtLeastTheFixedDelay() throws Exception {
    Flights f =
        run(
                busy()
                    .set(ModelConfig.Field.NET_DELAY_MS, "80")
                    .set(ModelConfig.Field.NET_JITTER_MS, "20"),
                "delay",
                3)
            .flights();
    assertThat(f.received()).isNotEmpty();
    assertThat(f.received()).allSatisfy(x -> assertThat(x.gap().toMillis()).isGreaterThan(79));
    assertThat(f.byId.values()).allSatisfy(x -> assertThat(x.dropReason).isNull());
  }

  @Test
  void duplicatesArriveTwiceAndAreTakenOnce() throws Exception {
    Run r = run(busy().set(ModelConfig.Field.NET_DUPLICATE, "0.5"), "dup", 3);
    assertThat(r.duplicateAcks()).as("Acks of copies the receiver already held").isPositive();
    assertThat(r.flights().byId.values()).allSatisfy(x -> assertThat(x.dropReason).isNull());
  }

  @Test
  void reorderedCopiesAreOvertaken() throws Exception {
    ModelConfig.Builder fast = busy().tickRate(100).machines(2).dieSides(2);
    assertThat(run(fast, "in-order", 2).flights().overtaken()).isZero();
    Flights f = run(fast.set(ModelConfig.Field.NET_REORDER, "0.2"), "reorder", 2).flights();
    assertThat(f.overtaken()).isPositive();
  }

  @Test
  void aPartitionCutsItsLinksForItsWindow() throws Exception {
    // VM 2 cut off from 1.5 s for 500 ms: the third attempt (>= 900 ms after the first) is after it
    Flights f =
        run(busy().set(ModelConfig.Field.NET_PARTITION, "at=1500ms,for=500ms,vms=2"), "cut", 3)
            .flights();
    // a VM's weather clock starts at most one tick period (50 ms) before its START
    Map<Integer, Instant> start =
        f.logs.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0).event().ts()));
    List<Flights.Flight> across =
        f.byId.values().stream()
            .filter(x -> (x.from == 2) != (x.to == 2))
            .filter(
                x -> {
                  Instant s = start.get(x.from);
                  return !x.sent.isBefore(s.plusMillis(1500))
                      && x.sent.isBefore(s.plusMillis(1950));
                })
            .toList();
    assertThat(across).isNotEmpty();
    // each is delivered late, after the cut, or (its retries used up by the stream's failures
    // meanwhile: a live sender re-sends every unacknowledged message on a new stream) DROPped
    assertThat(across)
        .allSatisfy(
            x -> {
              Instant end = start.get(x.from).plusMillis(1950);
              if (x.received != null) {
                assertThat(x.received).as(x.toString()).isAfterOrEqualTo(end);
              } else {
                assertThat(x.dropReason).as(x.toString()).isEqualTo("deadline");
              }
            });
    assertThat(across).anySatisfy(x -> assertThat(x.received).isNotNull());
    assertThat(f.logs.get(2).stream().filter(l -> l.event().event() == EventType.RECEIVE))
        .isNotEmpty();
    // cut for longer than a message's give-up time (3 x 300 ms + 300 ms): the first ones DROP
    Flights g =
        run(busy().set(ModelConfig.Field.NET_PARTITION, "at=1s,for=2s,vms=2"), "long", 3).flights();
    assertThat(g.byId.values().stream().filter(x -> x.dropReason != null))
        .isNotEmpty()
        .allSatisfy(
            x -> {
              assertThat(x.dropReason).isEqualTo("deadline");
              assertThat((x.from == 2) != (x.to == 2)).isTrue();
            });
  }
}
