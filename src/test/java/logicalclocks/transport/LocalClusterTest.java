package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import logicalclocks.vm.TickSlots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-VM cluster over gRPC on loopback, at 200 ticks/s; its logs are read back and checked
 * line by line.
 */
class LocalClusterTest {
  @Test
  void threeVmsAtHighRateKeepEveryRule(@TempDir Path logs) throws Exception {
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = s.getLocalPort() < 60000 ? s.getLocalPort() : 40000;
    }
    ModelConfig model = ModelConfig.builder().tickRate(200).seed(11L).build();
    LocalConfig config = new LocalConfig(base, Duration.ofSeconds(3), model, logs);
    LocalCluster cluster = new LocalCluster(config, 11L, Clock.systemUTC());
    cluster.start();
    cluster.awaitFinished();
    cluster.stop("finished");

    var all = EventLogReader.readDir(logs);
    assertThat(all.keySet()).containsExactly(0, 1, 2);
    assertThat(Verifier.verify(all))
        .as("every clock rule and every message accounted for")
        .isEmpty();
    for (var lines : all.values()) {
      List<LogEvent> events = lines.stream().map(EventLogReader.Line::event).toList();
      assertThat(events.get(0).event()).isEqualTo(EventType.START);
      assertThat(events.get(events.size() - 1).event()).isEqualTo(EventType.STOP);
      // a loaded machine may skip a slot now and then (TickLoop): events + missed = rate x duration
      assertThat(TickSlots.of(events)).as("rate x duration tick slots").isEqualTo(600);
      assertThat(events.stream().filter(e -> e.event() == EventType.RECEIVE).count()).isPositive();
      long prev = -1;
      for (LogEvent e : events) {
        assertThat(e.clock()).isGreaterThanOrEqualTo(prev);
        prev = e.clock();
      }
    }
    assertThat(cluster.stats()).allSatisfy(s -> assertThat(s.events() + s.missed()).isEqualTo(600));
  }

  /**
   * 20 VMs share one connection per peer: every one of them gets its stream through (the server's
   * per-connection limit of 16 once left VMs 17.. sending nothing, each message DROPped at its
   * deadline, found by the snapshots' skeptic).
   */
  @Test
  void twentyVmsOnSharedConnectionsDeliverEverything(@TempDir Path logs) throws Exception {
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = s.getLocalPort() < 60000 ? s.getLocalPort() : 40000;
    }
    ModelConfig model =
        ModelConfig.builder().machines(20).dieSides(20).tickRate(5).seed(5L).build();
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(base, Duration.ofSeconds(4), model, logs), 5L, Clock.systemUTC());
    cluster.start();
    cluster.awaitFinished();
    cluster.stop("finished");
    var all = EventLogReader.readDir(logs);
    assertThat(Verifier.verify(all)).isEmpty();
    for (var lines : all.values()) {
      assertThat(lines)
          .as("no DROP in calm weather")
          .noneMatch(l -> l.event().event() == EventType.DROP);
    }
    assertThat(all.get(19))
        .as("the last VM's messages are received")
        .anyMatch(l -> l.event().event() == EventType.SEND);
    assertThat(all.values().stream().flatMap(List::stream))
        .anyMatch(
            l -> l.event().event() == EventType.RECEIVE && "19".equals(l.event().get("from")));
  }
}
