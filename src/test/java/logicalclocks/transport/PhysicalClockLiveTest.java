package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.PhysicalMetrics;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-VM cluster over gRPC on loopback whose VMs' clocks are offset, one drifting and one
 * stepped back: every message still accounted for, and the hybrid clocks checked and within the
 * declared clocks' spread.
 */
class PhysicalClockLiveTest {
  @Test
  void skewedDriftingAndSteppedClocksOverRealGrpc(@TempDir Path logs) throws Exception {
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = s.getLocalPort() < 60000 ? s.getLocalPort() : 40000;
    }
    ModelConfig model =
        ModelConfig.builder()
            .tickRate(50)
            .dieSides(5)
            .seed(3L)
            .set(Field.CLOCK_OFFSET_MS, "0,300,-300")
            .set(Field.CLOCK_DRIFT_PPM, "0,0,5000")
            .set(Field.CLOCK_STEPS, "1@1s:-200")
            .build();
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(base, Duration.ofSeconds(3), model, logs), 3L, Clock.systemUTC());
    cluster.start();
    cluster.awaitFinished();
    cluster.stop("finished");

    LogEvent start1 = EventLogReader.read(logs.resolve(EventLogFormat.fileName(1))).get(0).event();
    assertThat(start1.get("offset_ms")).isEqualTo("300");
    assertThat(start1.get("steps")).isEqualTo("1000:-200");
    RunMetrics m = Analyzer.analyze(logs).metrics();
    assertThat(m.violations()).as("every rule, hlc ones included").isEmpty();
    assertThat(m.seconds()).as("host time").isLessThan(4.5);
    PhysicalMetrics p = m.physical();
    assertThat(p.vms().get(1).wallStepsBack()).isEqualTo(1);
    assertThat(p.maxHlcAheadMs()).isPositive().isLessThanOrEqualTo(p.offsetSpreadMs() + 50);
    assertThat(p.timeTravel()).isPositive();
    assertThat(p.lamportReversed()).isZero();
    assertThat(p.hybridReversed()).isZero();
  }
}
