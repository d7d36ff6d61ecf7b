package logicalclocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One VM assembly: with the same seed, a VM made for a live run (a node of a local cluster, over
 * gRPC) and the same VM made by the simulation are the same VM — the same picked rate, peers,
 * declared physical clock (a seeded skew) and clock kinds in their STARTs, and the same die: the
 * rolls of their ticks that rolled (every SEND and INTERNAL) come in the same order.
 */
class AssemblyTest {
  @TempDir Path tmp;

  static List<LogEvent> events(SortedMap<Integer, List<EventLogReader.Line>> logs, int vm) {
    List<LogEvent> out = new ArrayList<>();
    logs.get(vm).forEach(l -> out.add(l.event()));
    return out;
  }

  @Test
  void theSameSeedMakesTheSameVmLiveAndSimulated() throws Exception {
    ModelConfig model =
        ModelConfig.builder()
            .machines(3)
            .minTickRate(20)
            .maxTickRate(40)
            .seed(42L)
            .set(ModelConfig.Field.CLOCK_SKEW_MS, "300")
            .extraClocks(List.of("shadow"))
            .build();
    Path sim = tmp.resolve("sim");
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(4), 42, Simulation.DEFAULT_DELAY), sim);
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = Math.min(s.getLocalPort(), 60000);
    }
    Path live = Files.createDirectories(tmp.resolve("live"));
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(base, Duration.ofSeconds(3), model, live), 42, Clock.systemUTC());
    cluster.start();
    try {
      cluster.awaitFinished();
    } finally {
      cluster.stop("finished");
    }
    SortedMap<Integer, List<EventLogReader.Line>> a = EventLogReader.readDir(sim);
    SortedMap<Integer, List<EventLogReader.Line>> b = EventLogReader.readDir(live);
    for (int vm = 0; vm < 3; vm++) {
      LogEvent sa = events(a, vm).get(0);
      LogEvent sb = events(b, vm).get(0);
      for (String k : List.of("rate", "sides", "seed", "peers", "offset_ms", "drift_ppm")) {
        assertThat(sb.get(k)).as("vm%d START %s", vm, k).isEqualTo(sa.get(k));
      }
      List<String> rollsSim = new ArrayList<>();
      List<String> rollsLive = new ArrayList<>();
      events(a, vm).stream()
          .filter(e -> e.get("die") != null)
          .forEach(e -> rollsSim.add(e.get("die")));
      events(b, vm).stream()
          .filter(e -> e.get("die") != null)
          .forEach(e -> rollsLive.add(e.get("die")));
      assertThat(rollsLive).as("vm%d rolled", vm).hasSizeGreaterThan(10);
      assertThat(rollsSim.subList(0, Math.min(rollsSim.size(), rollsLive.size())))
          .as("vm%d's die, live and simulated", vm)
          .isEqualTo(rollsLive.subList(0, Math.min(rollsSim.size(), rollsLive.size())));
      assertThat(events(b, vm).get(1).get("sh")).as("the clock kinds it keeps").isNotNull();
      assertThat(events(a, vm).get(1).get("sh")).isNotNull();
    }
  }
}
