package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import logicalclocks.config.ClockConfig;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.WeatherConfig;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import logicalclocks.sim.Rerun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20 live local runs of 20 s (3 VMs over real gRPC on loopback each, run side by side), with random
 * seeds, network weather and clock offsets: each replays byte for byte, ts included.
 */
class ReplayLiveTest {
  @TempDir Path tmp;

  @Test
  void twentyLiveRunsReplayLineForLine() throws Exception {
    long master = System.nanoTime();
    SplittableRandom random = new SplittableRandom(master);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<String>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        long seed = random.nextLong(1, Long.MAX_VALUE);
        double loss = random.nextDouble(0, 0.2);
        double reorder = random.nextDouble(0, 0.3);
        int jitter = random.nextInt(0, 30);
        long skew = random.nextLong(0, 2000);
        int run = i;
        runs.add(
            pool.submit(
                () -> {
                  ModelConfig model =
                      ModelConfig.builder()
                          .minTickRate(5)
                          .maxTickRate(20)
                          .seed(seed)
                          .sendTimeout(Duration.ofMillis(300))
                          .clocks(new ClockConfig(List.of(), List.of(), skew, List.of()))
                          .weather(new WeatherConfig(0, jitter, loss, 0.05, reorder, List.of()))
                          .build();
                  LocalCluster cluster = null;
                  Path logs = null;
                  for (int attempt = 0; cluster == null; attempt++) {
                    logs =
                        tmp.resolve("run" + run + "-" + attempt); // a failed start leaves its own
                    int base;
                    try (ServerSocket s = new ServerSocket(0)) {
                      base = s.getLocalPort() < 60000 ? s.getLocalPort() : 40000 + attempt * 7;
                    }
                    LocalCluster c =
                        new LocalCluster(
                            new LocalConfig(base, Duration.ofSeconds(20), model, logs),
                            seed,
                            Clock.systemUTC());
                    try {
                      c.start();
                      cluster = c;
                    } catch (java.io.IOException taken) {
                      if (attempt >= 4) {
                        throw taken; // a neighbour of the free port was taken meanwhile
                      }
                    }
                  }
                  cluster.awaitFinished();
                  cluster.stop("finished");
                  String what =
                      "seed " + seed + ", loss " + loss + ", reorder " + reorder + ", skew " + skew;
                  Path out = tmp.resolve("replay-" + logs.getFileName());
                  Rerun.replay(logs, out);
                  for (var f : EventLogReader.logFiles(logs).entrySet()) {
                    assertThat(Files.readAllLines(out.resolve(f.getValue().getFileName())))
                        .as(what + ", vm " + f.getKey())
                        .isEqualTo(Files.readAllLines(f.getValue()));
                  }
                  return logs.toString();
                }));
      }
      int drops = 0;
      List<Path> done = new ArrayList<>();
      for (Future<String> f : runs) {
        done.add(Path.of(f.get()));
      }
      for (Path d : done) {
        for (Path f : EventLogReader.logFiles(d).values()) {
          drops +=
              (int) Files.readAllLines(f).stream().filter(l -> l.contains("event=DROP")).count();
        }
      }
      assertThat(drops).as("the weather dropped messages, and they replayed").isPositive();
    } finally {
      pool.shutdownNow();
    }
  }
}
