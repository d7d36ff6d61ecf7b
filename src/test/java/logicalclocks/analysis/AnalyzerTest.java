package logicalclocks.analysis;

import static logicalclocks.event.EventType.DROP;
import static logicalclocks.event.EventType.INTERNAL;
import static logicalclocks.event.EventType.RECEIVE;
import static logicalclocks.event.EventType.SEND;
import static logicalclocks.event.EventType.STOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import logicalclocks.analysis.measure.QueueModel;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.Stats;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.analysis.verify.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
  @TempDir Path dir;

  /**
   * VM 1 ticks 4 times and sends at clock 4; VM 0 receives it with a jump of 4; 1-2 is still queued
   * at STOP.
   */
  LogBuilder valid() {
    return new LogBuilder()
        .start(0, 0, 0, 2, "1")
        .line(0, 0, INTERNAL, 1, 0, "die", "7")
        .line(0, 500, INTERNAL, 2, 1, "die", "7")
        .line(0, 1000, RECEIVE, 5, 0, "from", "1", "msg", "1-1", "sent", "4")
        .line(0, 1500, INTERNAL, 6, 0, "die", "7")
        .line(0, 2000, STOP, 6, 1, "reason", "finished", "queued", "1-2")
        .start(1, 0, 0, 4, "0")
        .line(1, 0, INTERNAL, 1, 0, "die", "7")
        .line(1, 250, INTERNAL, 2, 0, "die", "7")
        .line(1, 500, INTERNAL, 3, 0, "die", "7")
        .line(1, 750, SEND, 4, 0, "to", "0", "msg", "1-1", "die", "1")
        .line(1, 1000, SEND, 5, 0, "to", "0", "msg", "1-2", "die", "1")
        .line(1, 1250, INTERNAL, 6, 0, "die", "7")
        .line(1, 1500, SEND, 7, 0, "to", "0", "msg", "1-3", "die", "1")
        .line(1, 1600, DROP, 7, 0, "to", "0", "msg", "1-3", "reason", "stopped")
        .line(1, 2000, STOP, 7, 0, "reason", "finished");
  }

  @Test
  void validRunHasNoViolationsAndExactMetrics() throws Exception {
    var fixed = valid().write(dir);
    assertThat(Verifier.verify(fixed)).isEmpty();

    RunMetrics m = Analyzer.analyze(fixed).metrics();
    assertThat(m.machines()).isEqualTo(2);
    assertThat(m.seconds()).isEqualTo(2.0);
    assertThat(m.messages()).isEqualTo(3);
    assertThat(m.received()).isEqualTo(1);
    assertThat(m.dropped()).isEqualTo(1);
    assertThat(m.queuedAtStop()).isEqualTo(1);
    RunMetrics.VmMetrics vm0 = m.vms().get(0);
    assertThat(vm0.jumps()).isEqualTo(new Stats(4, 1.5, 1, 3, 3));
    assertThat(vm0.finalClock()).isEqualTo(6);
    assertThat(vm0.observedRate()).isEqualTo(2.0);
    assertThat(vm0.clockRate()).isEqualTo(3.0);
    assertThat(vm0.queue()).isEqualTo(new Stats(4, 0.25, 0, 1, 1));
    assertThat(vm0.queueAtStop()).isEqualTo(1);
    assertThat(vm0.delayMs()).isEqualTo(new Stats(1, 250, 250, 250, 250));
    assertThat(vm0.events())
        .containsEntry(RECEIVE, 1L)
        .containsEntry(INTERNAL, 3L)
        .containsEntry(STOP, 1L);
    RunMetrics.VmMetrics vm1 = m.vms().get(1);
    assertThat(vm1.jumps().max()).isEqualTo(1);
    assertThat(vm1.observedRate()).isEqualTo(4.0);
    assertThat(vm1.model().observedArrivalRate()).isZero();
    assertThat(vm0.model().observedArrivalRate()).isEqualTo(1.5);
    // Drift at t=0: both 1; t=1000: VM0 5, VM1 5 (1-2 at t=1000); t=1500: 6 vs 7.
    var series = Analyzer.analyze(fixed).series();
    assertThat(series.drift()).hasSize(21);
    assertThat(series.drift().get(0).spread()).isZero();
    assertThat(series.drift().get(5).clocks()).containsExactly(2, 3);
    assertThat(series.drift().get(15).clocks()).containsExactly(6, 7);
    assertThat(m.drift().max()).as("t=750 ms: VM 0 at 2, VM 1 at 4").isEqualTo(2);
  }

  /**
   * VM 0 at 10 ticks/s skips 20 slots after its tick at 200 ms (a 2 s pause: its next tick is at
   * 2300 ms) and 5 at the end (on its STOP); VM 1 skips none.
   */
  @Test
  void missedTicksAreCountedPerVmWithTheirGaps() throws Exception {
    var logs =
        new LogBuilder()
            .start(0, 0, 0, 10, "1")
            .line(0, 100, INTERNAL, 1, 0, "die", "7")
            .line(0, 200, INTERNAL, 2, 0, "die", "7")
            .line(0, 2300, INTERNAL, 3, 0, "die", "7", "missed", "20")
            .line(0, 2400, INTERNAL, 4, 0, "die", "7")
            .line(0, 3000, STOP, 4, 0, "reason", "finished", "missed", "5")
            .start(1, 0, 0, 10, "0")
            .line(1, 100, INTERNAL, 1, 0, "die", "7")
            .line(1, 3000, STOP, 1, 0, "reason", "finished")
            .write(dir);
    assertThat(Verifier.verify(logs)).isEmpty();
    RunMetrics m = Analyzer.analyze(logs).metrics();
    RunMetrics.VmMetrics vm0 = m.vms().get(0);
    assertThat(vm0.missed()).isEqualTo(new RunMetrics.Missed(25, 2, 2100));
    assertThat(vm0.missedTicks()).isEqualTo(25);
    assertThat(vm0.ticks()).as("steps: slots - missed").isEqualTo(4);
    assertThat(m.vms().get(1).missed()).as("none skipped: absent").isNull();
    assertThat(m.vms().get(1).missedTicks()).isZero();
  }

  @Test
  void aReceiveSettlesAMessageItsSenderGaveUpOnButNotOneItWasRefused() throws Exception {
    var logs =
        new LogBuilder()
            .start(0, 0, 0, 1, "1")
            .line(0, 100, SEND, 1, 0, "to", "1", "msg", "0-1", "die", "1")
            .line(0, 200, SEND, 2, 0, "to", "1", "msg", "0-2", "die", "1")
            .line(0, 300, SEND, 3, 0, "to", "1", "msg", "0-3", "die", "1")
            .line(0, 3500, DROP, 3, 0, "to", "1", "msg", "0-1", "reason", "deadline")
            .line(0, 3600, DROP, 3, 0, "to", "1", "msg", "0-2", "reason", "stopped")
            .line(0, 3700, DROP, 3, 0, "to", "1", "msg", "0-3", "reason", "unreachable")
            .line(0, 4000, STOP, 3, 0, "reason", "finished")
            .start(1, 0, 0, 1, "0")
            .line(1, 3000, RECEIVE, 2, 0, "from", "0", "msg", "0-1", "sent", "1")
            .line(1, 3100, RECEIVE, 3, 0, "from", "0", "msg", "0-2", "sent", "2")
            .line(1, 4000, STOP, 3, 1, "reason", "finished", "queued", "0-3")
            .write(dir);
    List<Violation> v = Verifier.verify(logs);
    assertThat(v)
        .as(
            "0-3, DROPped unreachable but still queued at STOP, is a late delivery, not a violation")
        .extracting(Violation::toString)
        .containsExactly(
            "machine_1.log:3: [messages-accounted] 0-2 already DROP at machine_0.log:6");
    RunMetrics m = Analyzer.analyze(logs).metrics();
    assertThat(m.received()).isEqualTo(2);
    assertThat(m.lateDeliveries()).isEqualTo(3);
    assertThat(m.dropped()).isZero();
  }

  @Test
  void statsUseNearestRank() {
    assertThat(Stats.of(new double[] {4, 1, 3, 2})).isEqualTo(new Stats(4, 2.5, 2, 4, 4));
    assertThat(Stats.of(new double[0])).isEqualTo(Stats.EMPTY);
    double[] hundred = new double[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = i + 1;
    }
    assertThat(Stats.of(hundred).p95()).isEqualTo(95);
    assertThat(Stats.of(hundred).p50()).isEqualTo(50);
  }

  @Test
  void queueModel() {
    QueueModel.Prediction[] same = QueueModel.predict(new int[] {6, 6, 6}, 10);
    // rho = 0.4 (1 - rho)  =>  rho = 2/7, lambda = 6 rho.
    assertThat(same[0].utilization()).isCloseTo(2.0 / 7, within(1e-6));
    assertThat(same[0].arrivalRate()).isCloseTo(12.0 / 7, within(1e-6));
    assertThat(same).allMatch(QueueModel.Prediction::stable);
    QueueModel.Prediction[] slow = QueueModel.predict(new int[] {1, 4, 4}, 10);
    assertThat(slow[0].stable()).as("a 1 tick/s VM among 4 tick/s peers").isFalse();
    assertThat(slow[0].arrivalRate()).isGreaterThan(1);
    assertThat(slow[1].stable()).isTrue();
    assertThat(QueueModel.predict(new int[] {3, 5, 2}, 10)).allMatch(QueueModel.Prediction::stable);
  }
}
