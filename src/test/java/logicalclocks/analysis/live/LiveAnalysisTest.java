package logicalclocks.analysis.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import logicalclocks.analysis.Analyzer;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogFormat;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier run incrementally on lines as they arrive, each VM's in order but the VMs' in any
 * order (a RECEIVE may come before its SEND): the same verdict and counts as {@code analyze}.
 */
class LiveAnalysisTest {
  @TempDir Path dir;

  List<List<String>> run() throws Exception {
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().rates(List.of(3, 20, 40)).seed(9L).build(),
            Duration.ofSeconds(20),
            9,
            Simulation.DEFAULT_DELAY),
        dir);
    List<List<String>> logs = new ArrayList<>();
    for (int vm = 0; vm < 3; vm++) {
      logs.add(Files.readAllLines(dir.resolve(EventLogFormat.fileName(vm))));
    }
    return logs;
  }

  /** Feeds the VMs' lines interleaved at random: each VM's in order, VM 2's held back longest. */
  static LiveAnalysis feed(List<List<String>> logs, long seed) {
    LiveAnalysis live = new LiveAnalysis(logs.size());
    Random random = new Random(seed);
    int[] next = new int[logs.size()];
    int left = logs.stream().mapToInt(List::size).sum();
    while (left > 0) {
      int vm = random.nextInt(10) < 2 ? 2 : random.nextInt(2);
      if (next[vm] >= logs.get(vm).size()) {
        vm = next[0] < logs.get(0).size() ? 0 : next[1] < logs.get(1).size() ? 1 : 2;
      }
      live.line(vm, logs.get(vm).get(next[vm]++) + "\n"); // as the Events RPC sends it
      left--;
    }
    return live;
  }

  @Test
  void aValidRunFedOutOfOrderIsVerifiedWithTheCountsAnalyzeGives() throws Exception {
    List<List<String>> logs = run();
    var m = Analyzer.analyze(dir).metrics();
    assertThat(m.violations()).isEmpty();
    LiveAnalysis live = feed(logs, 1);
    assertThat(live.violations()).as("so far").isZero();
    live.end();
    assertThat(live.violations()).isZero();
    assertThat(live.verdict())
        .startsWith("verified")
        .contains(m.messages() + " sent", m.received() + " received", m.dropped() + " dropped");
  }

  @Test
  void aBrokenClockIsReportedSoFar() throws Exception {
    List<List<String>> logs = run();
    List<String> vm1 = logs.get(1);
    int i = 0;
    while (!vm1.get(i).contains("event=INTERNAL")) {
      i++;
    }
    vm1.set(i, vm1.get(i).replaceFirst(" clock=(\\d+)", " clock=999999"));
    LiveAnalysis live = feed(logs, 2);
    assertThat(live.violations()).as("before the end").isPositive();
    assertThat(live.verdict()).startsWith("verdict so far: ").contains("clock-rule");
  }

  @Test
  void anUnreadableLineIsCountedNotFed() throws Exception {
    LiveAnalysis live = new LiveAnalysis(1);
    live.line(0, "not a log line");
    assertThat(live.verdict()).contains("1 unreadable line(s), first machine_0.log:1");
  }
}
