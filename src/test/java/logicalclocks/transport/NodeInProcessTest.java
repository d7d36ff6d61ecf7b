package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.Node;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole nodes over grpc-java's in-process transport: no ports to race for, no sockets. */
class NodeInProcessTest {
  @TempDir Path logs;
  final InProcessNetwork network = new InProcessNetwork();

  static List<HostPort> peers(int n) {
    return IntStream.range(0, n).mapToObj(i -> new HostPort("vm" + i, 1)).toList();
  }

  /** VM {@code id} of {@code peers} on this test's in-process network, run until stopped. */
  Node node(List<HostPort> peers, int id, ModelConfig model, long seed) {
    return new Node(
        new Node.Spec(
            id, peers, InProcessNetwork.at(peers.get(id)), model, seed, logs, Duration.ZERO, false),
        Clock.systemUTC(),
        network);
  }

  @Test
  void threeNodesKeepEveryRule() throws Exception {
    List<HostPort> peers = peers(3);
    ModelConfig model = ModelConfig.builder().rates(List.of(50, 200, 400)).seed(3L).build();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(node(peers, i, model, 3L));
    }
    TestNodes.start(nodes);
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.get(0).stats().events() >= 100);
    for (Node n : nodes) {
      n.stop("signal");
    }
    var all = EventLogReader.readDir(logs);
    assertThat(Verifier.verify(all)).isEmpty();
    long received =
        all.values().stream()
            .flatMap(List::stream)
            .filter(l -> l.event().event() == EventType.RECEIVE)
            .count();
    assertThat(received).as("messages went through the in-process transport").isPositive();
  }

  @Test
  void aVmWithVectorClocksAndOneWithoutStillTalk() throws Exception {
    List<HostPort> peers = peers(2);
    // A 4-sided die: half the idle ticks send. (With 2 sides every idle tick sends, and two VMs at
    // the
    // same rate can lock in: one receives on every tick, so it never idles and never sends.)
    ModelConfig.Builder model =
        ModelConfig.builder().machines(2).tickRate(200).dieSides(4).seed(5L);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      nodes.add(node(peers, i, model.vectorClocks(i == 0).build(), 5L));
    }
    TestNodes.start(nodes);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().allMatch(n -> n.stats().receives() >= 20));
    for (Node n : nodes) {
      n.haltTicking();
    }
    for (Node n : nodes) {
      n.stop("signal");
    }
    var all = EventLogReader.readDir(logs);
    assertThat(Verifier.verify(all)).isEmpty();
    assertThat(all.get(0))
        .filteredOn(l -> l.event().event().isTick())
        .allSatisfy(l -> assertThat(l.event().get("vc")).isNotNull());
    assertThat(all.get(1)).allSatisfy(l -> assertThat(l.event().get("vc")).isNull());
  }

  /** A peer that is up (health SERVING) but never answers a delivery. */
  static final class SilentPeer extends ClockServiceGrpc.ClockServiceImplBase {
    @Override
    public StreamObserver<ClockMessage> stream(StreamObserver<Ack> reply) {
      // reads every message, never acknowledges one: every attempt runs into its deadline
      return new StreamObserver<>() {
        @Override
        public void onNext(ClockMessage m) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  @Test
  void stopWaitsForEverySendToSettle() throws Exception {
    List<HostPort> peers = peers(2);
    HealthStatusManager health = new HealthStatusManager();
    Server silent =
        network
            .server(InProcessNetwork.at(peers.get(1)))
            .addService(new SilentPeer())
            .addService(health.getHealthService())
            .build()
            .start();
    health.setStatus("", ServingStatus.SERVING);
    ModelConfig model =
        ModelConfig.builder()
            .machines(2)
            .tickRate(100)
            .dieSides(2)
            .seed(1L)
            .sendTimeout(Duration.ofMillis(100))
            .build();
    Node node = node(peers, 0, model, 1L);
    try {
      TestNodes.start(List.of(node));
      await().atMost(Duration.ofSeconds(30)).until(() -> node.stats().sends() >= 20);
      node.stop("signal");
    } finally {
      silent.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    List<LogEvent> log =
        EventLogReader.read(logs.resolve(EventLogFormat.fileName(0))).stream()
            .map(EventLogReader.Line::event)
            .toList();
    assertThat(log.get(log.size() - 1).event()).isEqualTo(EventType.STOP);
    long sends =
        log.stream()
            .filter(e -> e.event() == EventType.SEND)
            .mapToLong(e -> e.get("msg").split(",").length)
            .sum();
    Map<String, Long> drops =
        log.stream()
            .filter(e -> e.event() == EventType.DROP)
            .collect(Collectors.groupingBy(e -> e.get("reason"), Collectors.counting()));
    assertThat(drops)
        .as("every message sent to a silent peer is dropped at its deadline before STOP")
        .isEqualTo(Map.of("deadline", sends));
  }
}
