package logicalclocks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.RunMetrics;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogReader;
import logicalclocks.transport.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation against the ground truth: the same configuration run live (real gRPC, real time) and
 * simulated, over several seeds. Stated tolerances: each VM's final clock within 10 %, the run's mean jump
 * within 0.25, and the run's mean queue within 0.5 message. (Live timing makes runs diverge tick by tick, so
 * agreement is statistical, not per event.)
 */
class SimVsLiveTest {
  @TempDir Path tmp;

  @Test
  void simAndLiveAgreeWithinTolerance() throws Exception {
    for (long seed : new long[] {1, 2, 3}) {
      // A slow VM among fast ones: jumps and queues worth comparing, in 4 s of real time.
      ModelConfig model = new ModelConfig(null, 1, 6, List.of(10, 25, 40), 6, seed, 100_000, Duration.ofSeconds(2));
      Duration duration = Duration.ofSeconds(4);
      Path live = Files.createDirectories(tmp.resolve("live-" + seed));
      int base;
      try (ServerSocket s = new ServerSocket(0)) {
        base = Math.min(s.getLocalPort(), 60000);
      }
      LocalCluster cluster = new LocalCluster(new LocalConfig(3, base, duration, model, live), seed, Clock.systemUTC());
      cluster.start();
      cluster.awaitFinished();
      cluster.stop("finished");
      Path sim = Files.createDirectories(tmp.resolve("sim-" + seed));
      Simulation.run(new Simulation.Config(3, model, duration, seed, Duration.ofMillis(1)), sim);

      RunMetrics l = Analyzer.analyze(EventLogReader.readDir(live)).metrics();
      RunMetrics s = Analyzer.analyze(EventLogReader.readDir(sim)).metrics();
      assertThat(l.violations()).isEmpty();
      assertThat(s.violations()).isEmpty();
      for (int vm = 0; vm < 3; vm++) {
        long liveClock = l.vms().get(vm).finalClock();
        long simClock = s.vms().get(vm).finalClock();
        assertThat((double) liveClock).as("seed %d VM %d final clock: live %d, sim %d", seed, vm, liveClock, simClock)
            .isCloseTo(simClock, within(simClock * 0.10));
      }
      assertThat(l.jumps().mean()).as("seed %d mean jump", seed).isCloseTo(s.jumps().mean(), within(0.25));
      assertThat(l.queue().mean()).as("seed %d mean queue", seed).isCloseTo(s.queue().mean(), within(0.5));
      System.out.printf("sim-vs-live seed %d: final clocks live %s sim %s; mean jump live %.3f sim %.3f;"
              + " mean queue live %.3f sim %.3f%n", seed,
          l.vms().stream().map(v -> v.finalClock()).toList(), s.vms().stream().map(v -> v.finalClock()).toList(),
          l.jumps().mean(), s.jumps().mean(), l.queue().mean(), s.queue().mean());
    }
  }
}
