package logicalclocks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.PhysicalMetrics;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each physical-clock knob in the simulation, and what analyze makes of it. */
class PhysicalClockSimTest {
  @TempDir Path tmp;

  Path run(String name, ModelConfig.Builder model, int seconds) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Simulation.run(
        new Simulation.Config(model.build(), Duration.ofSeconds(seconds), 7, Duration.ofMillis(1)),
        dir);
    return dir;
  }

  static ModelConfig.Builder model() {
    return ModelConfig.builder().rates(List.of(4, 4, 4)).dieSides(5).seed(7L);
  }

  static List<LogEvent> events(Path dir, int vm) throws Exception {
    return EventLogReader.read(dir.resolve(EventLogFormat.fileName(vm))).stream()
        .map(EventLogReader.Line::event)
        .toList();
  }

  @Test
  void offsetsShiftEachVmsWallTimeAndTheHybridClocksStayWithinThem() throws Exception {
    Path dir = run("offsets", model().set(Field.CLOCK_OFFSET_MS, "0,1000,-1000"), 30);
    LogEvent start0 = events(dir, 0).get(0);
    LogEvent start1 = events(dir, 1).get(0);
    assertThat(start1.get("offset_ms")).isEqualTo("1000");
    assertThat(start0.get("offset_ms")).isEqualTo("0");
    assertThat(start1.ts().toEpochMilli() - Simulation.EPOCH.toEpochMilli())
        .as("VM 1 starts within its first tick period, on a clock 1 s ahead")
        .isBetween(1000L, 1250L);
    RunMetrics m = Analyzer.analyze(dir).metrics();
    assertThat(m.violations()).isEmpty();
    assertThat(m.seconds())
        .as("host time: the offsets do not stretch the run")
        .isBetween(29.5, 30.5);
    PhysicalMetrics p = m.physical();
    assertThat(p.offsetSpreadMs()).isEqualTo(2000);
    assertThat(p.maxHlcAheadMs()).isPositive().isLessThanOrEqualTo(2000);
    assertThat(p.timeTravel())
        .as("a message from VM 1 to VM 2 arrives 'before' it left")
        .isPositive();
    assertThat(p.wallReversed()).isPositive();
    assertThat(p.lamportReversed()).isZero();
    assertThat(p.hybridReversed()).isZero();
    assertThat(p.hybridCompared()).isEqualTo(p.causalPairs()).isPositive();
  }

  @Test
  void withoutSkewNothingTravelsInTimeAndHybridClocksAreTheirOwnWallClocks() throws Exception {
    RunMetrics m = Analyzer.analyze(run("calm", model(), 30)).metrics();
    assertThat(m.violations()).isEmpty();
    PhysicalMetrics p = m.physical();
    assertThat(p.timeTravel()).isZero();
    assertThat(p.wallReversed()).isZero();
    assertThat(p.maxHlcAheadMs()).as("at most a message's delay").isLessThan(50);
  }

  @Test
  void driftRunsAClockFastFromItsStart() throws Exception {
    Path dir = run("drift", model().set(Field.CLOCK_DRIFT_PPM, "0,10000,0"), 60);
    List<LogEvent> vm1 = events(dir, 1);
    List<LogEvent> vm0 = events(dir, 0);
    long span1 = vm1.get(vm1.size() - 1).ts().toEpochMilli() - vm1.get(0).ts().toEpochMilli();
    long span0 = vm0.get(vm0.size() - 1).ts().toEpochMilli() - vm0.get(0).ts().toEpochMilli();
    assertThat(span1 - span0).as("1 % fast over about 60 s").isBetween(500L, 700L);
    RunMetrics m = Analyzer.analyze(dir).metrics();
    assertThat(m.violations()).isEmpty();
    assertThat(m.seconds()).isBetween(59.5, 60.5);
    assertThat(m.physical().vms().get(1).driftPpm()).isEqualTo(10_000);
  }

  @Test
  void aStepBackIsDeclaredAllowedAndMeasuredAndWithoutItsDeclarationIsAViolation()
      throws Exception {
    Path dir = run("step", model().set(Field.CLOCK_STEPS, "2@10s:-2000"), 30);
    assertThat(events(dir, 2).get(0).get("steps")).isEqualTo("10000:-2000");
    RunMetrics m = Analyzer.analyze(dir).metrics();
    assertThat(m.violations()).isEmpty();
    PhysicalMetrics.VmClock vm2 = m.physical().vms().get(2);
    assertThat(vm2.wallStepsBack()).isEqualTo(1);
    assertThat(vm2.largestStepBackMs())
        .as("2 s less the tick between the lines")
        .isBetween(1740L, 2000L);
    Path log = dir.resolve(EventLogFormat.fileName(2));
    Files.writeString(log, Files.readString(log).replace(" steps=10000:-2000", ""));
    List<Violation> undeclared = Verifier.verify(EventLogReader.readDir(dir));
    assertThat(undeclared).extracting(Violation::rule).containsExactly("wall-time-order");
  }

  @Test
  void aSpreadIsDrawnFromTheSeedTheSameWayEveryTime() throws Exception {
    Path a = run("skew-a", model().set(Field.CLOCK_SKEW_MS, "500"), 10);
    Path b = run("skew-b", model().set(Field.CLOCK_SKEW_MS, "500"), 10);
    for (int vm = 0; vm < 3; vm++) {
      long offset = Long.parseLong(events(a, vm).get(0).get("offset_ms"));
      assertThat(offset).isBetween(-500L, 500L);
      assertThat(Files.readString(a.resolve(EventLogFormat.fileName(vm))))
          .isEqualTo(Files.readString(b.resolve(EventLogFormat.fileName(vm))));
    }
    assertThat(Analyzer.analyze(a).metrics().violations()).isEmpty();
    assertThat(events(a, 0).stream().filter(e -> e.event() == EventType.START).count()).isOne();
  }
}
