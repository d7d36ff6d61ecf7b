package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import logicalclocks.analysis.Analyzer;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.WeatherConfig;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.node.Node;
import logicalclocks.transport.proto.SnapshotServiceGrpc;
import logicalclocks.transport.proto.TakeReply;
import logicalclocks.transport.proto.TakeRequest;
import logicalclocks.vm.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of a cluster of nodes over gRPC (grpc-java's in-process transport: the real services,
 * stubs and channels), as {@code snapshot PEERS} takes them: VM 0 initiates, its markers and the
 * VMs' states travel over their own links. Under lossy, duplicating, reordering weather the
 * complete snapshots verify; a VM killed as SIGKILL leaves it, mid-snapshot, fails the snapshot
 * with the reason, never a wrong record; after its restart on its log the next snapshot completes.
 */
class SnapshotClusterTest {
  @TempDir Path logs;

  static final List<HostPort> PEERS =
      List.of(new HostPort("vm0", 1), new HostPort("vm1", 1), new HostPort("vm2", 1));
  final InProcessNetwork network = new InProcessNetwork();

  static ModelConfig model(WeatherConfig weather) {
    return ModelConfig.builder()
        .machines(3)
        .tickRate(200)
        .seed(13L)
        .sendTimeout(Duration.ofMillis(500))
        .weather(weather)
        .build();
  }

  Node node(int id, ModelConfig model) {
    return new Node(
        new Node.Spec(
            id, PEERS, InProcessNetwork.at(PEERS.get(id)), model, 13L, logs, Duration.ZERO, true),
        Clock.systemUTC(),
        network);
  }

  TakeReply take() {
    ManagedChannel c = network.channel(PEERS.get(0));
    try {
      return SnapshotServiceGrpc.newBlockingStub(c)
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .take(TakeRequest.getDefaultInstance());
    } finally {
      c.shutdownNow();
    }
  }

  static void stopAll(Node... nodes) throws Exception {
    for (Node n : nodes) {
      n.haltTicking();
    }
    for (Node n : nodes) {
      n.awaitSends();
    }
    for (Node n : nodes) {
      n.stop("signal");
    }
  }

  @Test
  void snapshotsUnderWeatherAtLoadVerify() throws Exception {
    ModelConfig m = model(new WeatherConfig(2, 5, 0.1, 0.05, 0.3, List.of()));
    Node[] n = {node(0, m), node(1, m), node(2, m)};
    TestNodes.start(List.of(n));
    for (int i = 0; i < 5; i++) {
      TakeReply r = take();
      assertThat(r.getComplete()).as("snapshot %d: %s", r.getId(), r.getReason()).isTrue();
      assertThat(r.getId()).isEqualTo(i + 1);
    }
    stopAll(n);
    assertThat(Analyzer.analyze(logs).metrics().violations()).isEmpty();
    assertThat(SnapshotFiles.files(logs)).hasSize(5);
  }

  @Test
  void aVmKilledMidSnapshotFailsItWithTheReasonAndTheNextOneAfterItsRestartCompletes()
      throws Exception {
    // VM 1 cut off for 6 s: the messages it sends inside the cut stay unsettled (retried, then
    // dropped), so the snapshot is still open when VM 2 is killed
    ModelConfig m =
        model(
            new WeatherConfig(
                0,
                0,
                0,
                0,
                0,
                List.of(new WeatherConfig.Partition(0, 6000, new TreeSet<>(List.of(1))))));
    Node[] n = {node(0, m), node(1, m), node(2, m)};
    TestNodes.start(List.of(n));
    CompletableFuture<TakeReply> first = CompletableFuture.supplyAsync(this::take);
    await().atMost(Duration.ofSeconds(10)).until(() -> n[2].vm().snapshotColour() >= 1);
    n[2].kill(); // it recorded its state; the snapshot cannot have ended (VM 1's sends are open)
    TakeReply failed = first.get(30, TimeUnit.SECONDS);
    assertThat(failed.getComplete()).isFalse();
    assertThat(failed.getReason())
        .contains("vm 2 did not answer (UNAVAILABLE: paused, down or unreachable)")
        .contains("(its timeout: 10000 ms)");
    Snapshots.Record rec = SnapshotFiles.read(SnapshotFiles.files(logs).get(failed.getId()));
    assertThat(rec.complete()).isFalse();
    assertThat(rec.vms()).extracting(Snapshots.VmState::vm).doesNotContain(2);

    Node again = node(2, m);
    again.startServer();
    again.startTicking();
    assertThat(again.vm().snapshotColour()).as("its colour resumed from its log").isEqualTo(1);
    TakeReply next = take();
    assertThat(next.getComplete()).as(next.getReason()).isTrue();
    assertThat(next.getId()).isEqualTo(2);
    stopAll(n[0], n[1], again);
    assertThat(Analyzer.analyze(logs).metrics().violations()).isEmpty();
  }

  @Test
  void theInitiatorKilledMidSnapshotWritesItAsFailedOnItsRestart() throws Exception {
    ModelConfig m =
        model(
            new WeatherConfig(
                0,
                0,
                0,
                0,
                0,
                List.of(new WeatherConfig.Partition(0, 5000, new TreeSet<>(List.of(1))))));
    Node[] n = {node(0, m), node(1, m), node(2, m)};
    TestNodes.start(List.of(n));
    CompletableFuture<TakeReply> first = CompletableFuture.supplyAsync(this::take);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                n[0].vm().snapshotColour() >= 1
                    && n[1].vm().snapshotColour() >= 1
                    && n[2].vm().snapshotColour() >= 1);
    n[0].kill(); // every VM recorded its state; VM 1's sends keep the snapshot open
    assertThat(first.handle((r, e) -> e).get(30, TimeUnit.SECONDS)).as("no reply").isNotNull();
    Node again = node(0, m);
    again.startServer();
    again.startTicking();
    Snapshots.Record failed = SnapshotFiles.read(SnapshotFiles.files(logs).get(1L));
    assertThat(failed.complete()).isFalse();
    assertThat(failed.reason()).startsWith("VM 0, which initiates snapshots, ended");
    TakeReply next = take();
    assertThat(next.getId()).isEqualTo(2);
    assertThat(next.getComplete()).as(next.getReason()).isTrue();
    stopAll(again, n[1], n[2]);
    assertThat(Analyzer.analyze(logs).metrics().violations()).isEmpty();
  }
}
