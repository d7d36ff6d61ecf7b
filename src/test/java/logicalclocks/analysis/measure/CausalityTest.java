package logicalclocks.analysis.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogReader;
import logicalclocks.sim.Simulation;
import logicalclocks.vm.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CausalityTest {
  @TempDir Path dir;

  /**
   * VM 0: a1 INTERNAL, a2 SEND to VM 1, a3 INTERNAL. VM 1: b1, b2 INTERNAL, b3 RECEIVE of a2, b4
   * INTERNAL. Of the 12 cross-VM pairs, Lamport clocks tie on 3 (a1-b1, a2-b2, a3-b3) and order 9;
   * of those, only a1-b3, a1-b4, a2-b3, a2-b4 are causal (through the message): 5 are concurrent.
   */
  @Test
  void lamportOrderAndCausalityDifferOnAHandBuiltRun() throws Exception {
    Files.write(
        dir.resolve("machine_0.log"),
        List.of(
            "ts=2026-11-27T10:00:00.000Z vm=0 event=START clock=0 queue=0 rate=1 sides=10 seed=1 peers=1",
            "ts=2026-11-27T10:00:01.000Z vm=0 event=INTERNAL clock=1 queue=0 die=9 vc=0:1",
            "ts=2026-11-27T10:00:02.000Z vm=0 event=SEND clock=2 queue=0 to=1 msg=0-1 die=1 vc=0:2",
            "ts=2026-11-27T10:00:03.000Z vm=0 event=INTERNAL clock=3 queue=0 die=9 vc=0:3",
            "ts=2026-11-27T10:00:04.000Z vm=0 event=STOP clock=3 queue=0 reason=finished"));
    Files.write(
        dir.resolve("machine_1.log"),
        List.of(
            "ts=2026-11-27T10:00:00.000Z vm=1 event=START clock=0 queue=0 rate=1 sides=10 seed=1 peers=0",
            "ts=2026-11-27T10:00:01.000Z vm=1 event=INTERNAL clock=1 queue=0 die=9 vc=1:1",
            "ts=2026-11-27T10:00:02.000Z vm=1 event=INTERNAL clock=2 queue=0 die=9 vc=1:2",
            "ts=2026-11-27T10:00:03.000Z vm=1 event=RECEIVE clock=3 queue=0 from=0 msg=0-1 sent=2"
                + " vc=0:2,1:3",
            "ts=2026-11-27T10:00:04.000Z vm=1 event=INTERNAL clock=4 queue=0 die=9 vc=0:2,1:4",
            "ts=2026-11-27T10:00:05.000Z vm=1 event=STOP clock=4 queue=0 reason=finished"));
    var logs = EventLogReader.readDir(dir);
    assertThat(Verifier.verify(logs)).isEmpty();
    Causality c = Analyzer.analyze(logs).metrics().causality();
    assertThat(c.events()).isEqualTo(7);
    assertThat(c.pairs()).isEqualTo(12);
    assertThat(c.ordered()).isEqualTo(9);
    assertThat(c.falseOrder()).isEqualTo(5);
    assertThat(c.fraction()).isEqualTo(5 / 9.0);
    assertThat(c.exact()).isTrue();
    assertThat(c.sentence()).contains("55.6 % are concurrent").contains("exact over all 12");
  }

  @Test
  void aSampleAgreesWithTheExactCountWithinItsInterval() throws Exception {
    ModelConfig model = ModelConfig.builder().rates(List.of(20, 30, 50)).seed(3L).build();
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(60), 3, Simulation.DEFAULT_DELAY), dir);
    var logs = EventLogReader.readDir(dir);
    List<Series.Point> points = new ArrayList<>();
    logs.values()
        .forEach(
            lines ->
                lines.forEach(
                    l ->
                        points.add(
                            new Series.Point(
                                l.event().vm(),
                                0,
                                l.event().event(),
                                l.event().clock(),
                                0,
                                0,
                                VirtualMachine.vectorOf(l.event())))));
    Causality exact = Causality.of(points, Integer.MAX_VALUE);
    assertThat(exact.events()).isGreaterThan(5000);
    Causality all = Analyzer.analyze(logs).metrics().causality();
    assertThat(all.exact()).as("past 5,000 events the pass samples").isFalse();
    assertThat(all.examined()).isEqualTo(Causality.SAMPLES);
    assertThat(exact.fraction()).isBetween(all.low(), all.high());
    assertThat(all.sentence()).contains("95 % interval").doesNotContain("reservoir");
    // A reservoir much smaller than the run: its events are replaced as the run goes on, and the
    // interval is as wide as its 1,500 disjoint pairs give.
    Causality sampled = Causality.of(points, new Causality.Sampler(3, 1000, 3000));
    assertThat(sampled.exact()).isFalse();
    assertThat(sampled.high() - sampled.low()).isGreaterThan(all.high() - all.low());
    assertThat(exact.fraction()).isBetween(sampled.low(), sampled.high());
    assertThat(sampled.sentence()).contains("reservoir of 3000 events");
  }

  @Test
  void noVectorClocksNoAnswer() throws Exception {
    ModelConfig model = ModelConfig.builder().seed(4L).vectorClocks(false).build();
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(10), 4, Simulation.DEFAULT_DELAY), dir);
    var logs = EventLogReader.readDir(dir);
    assertThat(Analyzer.analyze(logs).metrics().causality()).isNull();
    assertThat(Verifier.verify(logs)).isEmpty();
    assertThat(Files.readString(dir.resolve("machine_0.log"))).doesNotContain("vc=");
  }
}
