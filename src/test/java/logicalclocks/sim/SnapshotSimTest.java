package logicalclocks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import logicalclocks.analysis.Analyzer;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.WeatherConfig;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.vm.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots in the simulation: complete ones verify against the logs under reordering, duplicating
 * and lossy weather with a partition; the same seed records the same snapshots.
 */
public class SnapshotSimTest {
  @TempDir Path tmp;

  public static ModelConfig stormy(long seed) {
    return ModelConfig.builder()
        .machines(3)
        .tickRate(20)
        .seed(seed)
        .sendTimeout(Duration.ofMillis(300))
        .weather(
            new WeatherConfig(
                20,
                40,
                0.25,
                0.05,
                0.3,
                List.of(new WeatherConfig.Partition(4000, 3000, new TreeSet<>(List.of(2))))))
        .build();
  }

  static Path run(Path dir, ModelConfig model, long seed, int seconds) throws Exception {
    Files.createDirectories(dir);
    Simulation.run(
        new Simulation.Config(
            model,
            Duration.ofSeconds(seconds),
            seed,
            Simulation.DEFAULT_DELAY,
            Duration.ofSeconds(1)),
        dir);
    return dir;
  }

  static List<Snapshots.Record> records(Path dir) throws Exception {
    List<Snapshots.Record> out = new ArrayList<>();
    for (Path p : SnapshotFiles.files(dir).values()) {
      out.add(SnapshotFiles.read(p));
    }
    return out;
  }

  @Test
  void snapshotsUnderWeatherVerifyAndMessagesInTransitAreRecorded() throws Exception {
    long inTransit = 0;
    int complete = 0;
    for (long seed = 1; seed <= 5; seed++) {
      Path dir = run(tmp.resolve("s" + seed), stormy(seed), seed, 12);
      assertThat(Analyzer.analyze(dir).metrics().violations()).as("seed " + seed).isEmpty();
      for (Snapshots.Record r : records(dir)) {
        if (r.complete()) {
          complete++;
          assertThat(r.vms()).hasSize(3);
          for (Snapshots.VmState v : r.vms()) {
            inTransit += v.queue().size();
            inTransit += v.channels().values().stream().mapToLong(List::size).sum();
          }
        } else {
          assertThat(r.reason()).isNotBlank();
        }
      }
    }
    assertThat(complete).as("complete snapshots over 5 runs").isGreaterThan(20);
    assertThat(inTransit).as("messages recorded in queues and channels").isPositive();
  }

  @Test
  void theSameSeedRecordsTheSameSnapshots() throws Exception {
    Path a = run(tmp.resolve("a"), stormy(7), 7, 8);
    Path b = run(tmp.resolve("b"), stormy(7), 7, 8);
    Map<Long, Path> fa = SnapshotFiles.files(a);
    assertThat(fa).isNotEmpty();
    for (var e : fa.entrySet()) {
      assertThat(Files.readString(e.getValue()))
          .isEqualTo(Files.readString(SnapshotFiles.files(b).get(e.getKey())));
    }
  }

  @Test
  void snapshotsWithSkewedDriftingAndSteppedClocksVerify() throws Exception {
    ModelConfig model =
        stormy(11).toBuilder()
            .set(ModelConfig.Field.CLOCK_OFFSET_MS, "0,1500,-800")
            .set(ModelConfig.Field.CLOCK_DRIFT_PPM, "0,200,-300")
            .set(ModelConfig.Field.CLOCK_STEPS, "0@5s:-400")
            .build();
    Path dir = run(tmp.resolve("skewed"), model, 11, 12);
    assertThat(Analyzer.analyze(dir).metrics().violations()).isEmpty();
    assertThat(records(dir)).anySatisfy(r -> assertThat(r.complete()).isTrue());
  }
}
