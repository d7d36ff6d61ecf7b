package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import logicalclocks.reliability.Reliability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 tick/s VM flooded by fast peers over real gRPC: its queue stays within QUEUE_CAPACITY, excess
 * is DROPped.
 */
class BackpressureTest {
  @Test
  void aFloodedSlowVmRefusesBeyondItsCapacityAndNothingIsLost(@TempDir Path logs) throws Exception {
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = Math.min(s.getLocalPort(), 60000);
    }
    int capacity = 50;
    ModelConfig model =
        ModelConfig.builder().rates(List.of(1, 200, 200)).seed(4L).queueCapacity(capacity).build();
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(base, Duration.ofSeconds(3), model, logs), 4, Clock.systemUTC());
    cluster.start();
    cluster.awaitFinished();
    cluster.stop("finished");
    var all = EventLogReader.readDir(logs);
    RunMetrics m = Analyzer.analyze(all).metrics();
    assertThat(m.violations()).isEmpty();
    assertThat(m.vms().get(0).queue().max()).isLessThanOrEqualTo(capacity);
    long backpressure =
        all.values().stream()
            .flatMap(List::stream)
            .filter(
                l ->
                    l.event().event() == EventType.DROP
                        && "backpressure".equals(l.event().get("reason")))
            .count();
    var stats = cluster.stats();
    Reliability.record(
        "40-backpressure",
        "A 1 tick/s VM flooded by two 200 ticks/s peers",
        "real gRPC on loopback, QUEUE_CAPACITY="
            + capacity
            + ", 3 s (BackpressureTest; `bench` for long runs)",
        Reliability.checked(
            "the slow VM's queue never exceeded its capacity and was full at STOP",
            m.vms().get(0).queue().max() <= capacity && m.vms().get(0).queueAtStop() == capacity,
            "further messages refused (senders logged DROP reason=backpressure)",
            backpressure > 0,
            "the fast VMs never slowed down (600 of 600 tick slots each; "
                + stats.get(1).missed()
                + " and "
                + stats.get(2).missed()
                + " skipped by a stall of the machine, none by the flood)",
            stats.get(1).events() + stats.get(1).missed() == 600
                && stats.get(2).events() + stats.get(2).missed() == 600),
        Reliability.checked(
            backpressure + " DROPs reason=backpressure",
            true,
            "queue "
                + m.vms().get(0).queueAtStop()
                + " at STOP ="
                + " capacity, at most "
                + (long) m.vms().get(0).queue().max()
                + " after a tick (each tick takes one)",
            true,
            "verifier: 0 violations",
            m.violations().isEmpty()));
  }
}
