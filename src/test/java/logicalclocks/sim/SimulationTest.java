package logicalclocks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.Seeds;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {
  @TempDir Path tmp;

  static Simulation.Config config(long seed) {
    ModelConfig model = ModelConfig.defaults().withSeed(seed);
    return new Simulation.Config(model, Duration.ofSeconds(60), seed, Duration.ofMillis(5));
  }

  Path run(String name, Simulation.Config c) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Simulation.run(c, dir);
    return dir;
  }

  /**
   * The clock condition and the vector-clock rules as a property: over 40 seeds, with rates, dice
   * and machine counts drawn from each seed, every run passes every rule of the verifier (a SEND's
   * vector is below its RECEIVE's, Lamport clocks rise along every VM and every message).
   */
  @Test
  void theClockConditionHoldsOverManySeeds() throws Exception {
    for (long seed = 100; seed < 140; seed++) {
      var random = new SplittableRandom(seed);
      int machines = 2 + random.nextInt(4);
      List<Integer> rates = new ArrayList<>();
      for (int i = 0; i < machines; i++) {
        rates.add(1 + random.nextInt(20));
      }
      ModelConfig model =
          ModelConfig.builder()
              .rates(rates)
              .dieSides(machines + random.nextInt(8))
              .seed(seed)
              .build();
      Path logs = Files.createDirectories(tmp.resolve("seed-" + seed));
      Simulation.run(
          new Simulation.Config(model, Duration.ofSeconds(20), seed, Duration.ofMillis(5)), logs);
      assertThat(Verifier.verify(EventLogReader.readDir(logs))).as("seed %d", seed).isEmpty();
    }
  }

  /**
   * The simulator's byte encoder writes exactly what {@link EventLogFormat#format} writes, line by
   * line, and a seed's logs stay the same from one build to the next (digests of a 3-VM run with
   * broadcasts and vector clocks, and a 12-VM run with a queue of 3, so DROPs and a STOP with
   * queued ids; taken when tick lines gained {@code hlc} and START {@code offset_ms}/{@code
   * drift_ppm}: the digests of the earlier format were ac4f7682... and 200322b3...).
   */
  @Test
  void logsAreByteForByteThoseOfTheEarlierWriter() throws Exception {
    ModelConfig three =
        ModelConfig.builder().rates(List.of(1000, 700, 300)).dieSides(4).seed(7L).build();
    ModelConfig twelve =
        ModelConfig.builder()
            .machines(12)
            .minTickRate(1)
            .maxTickRate(50)
            .dieSides(13)
            .queueCapacity(3)
            .seed(9L)
            .build();
    assertThat(
            digest(
                run(
                    "golden-3",
                    new Simulation.Config(three, Duration.ofSeconds(5), 7, Duration.ofMillis(1))),
                3))
        .isEqualTo("6b3a92cc42856b6ae124597e91c5ccd9e8b7bde9023d4cdc09dc787f89b1f420");
    Path dir =
        run(
            "golden-12",
            new Simulation.Config(twelve, Duration.ofSeconds(20), 9, Duration.ofMillis(50)));
    assertThat(digest(dir, 12))
        .isEqualTo("12572304c2142d8077a846a868f12c9b02090165a637a43dbe0ae51292429422");
    String all = "";
    for (int id = 0; id < 12; id++) {
      all += Files.readString(dir.resolve(EventLogFormat.fileName(id)));
    }
    assertThat(all).contains("event=DROP").contains(" queued=").contains(" hlc=");
    for (String line : all.split("\n")) {
      assertThat(EventLogFormat.format(EventLogFormat.parse(line))).isEqualTo(line);
    }
  }

  private static String digest(Path dir, int machines) throws Exception {
    var sha = java.security.MessageDigest.getInstance("SHA-256");
    for (int id = 0; id < machines; id++) {
      sha.update(Files.readAllBytes(dir.resolve(EventLogFormat.fileName(id))));
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void sameSeedGivesByteIdenticalLogs() throws Exception {
    Path a = run("a", config(42));
    Path b = run("b", config(42));
    Path c = run("c", config(43));
    for (int id = 0; id < 3; id++) {
      String name = EventLogFormat.fileName(id);
      assertThat(Files.readAllBytes(b.resolve(name)))
          .isEqualTo(Files.readAllBytes(a.resolve(name)));
    }
    assertThat(Files.readString(c.resolve("machine_0.log")))
        .isNotEqualTo(Files.readString(a.resolve("machine_0.log")));
  }

  @Test
  void simulatedLogsKeepTheContractAndTheRates() throws Exception {
    Path dir = run("v", config(7));
    var logs = EventLogReader.readDir(dir);
    assertThat(Verifier.verify(logs)).isEmpty();
    for (var lines : logs.values()) {
      int rate = Integer.parseInt(lines.get(0).event().get("rate"));
      long ticks = lines.stream().filter(l -> l.event().event().isTick()).count();
      assertThat(ticks).isEqualTo(rate * 60L);
      assertThat(lines.get(lines.size() - 1).event().event()).isEqualTo(EventType.STOP);
      assertThat(lines.get(lines.size() - 1).event().ts())
          .isEqualTo(Simulation.EPOCH.plusSeconds(60));
    }
  }

  @Test
  void messagesTakeTheConfiguredDelay() throws Exception {
    Path dir =
        run(
            "d",
            new Simulation.Config(
                ModelConfig.builder()
                    .rates(List.of(50, 50, 50))
                    .dieSides(3)
                    .seed(1L)
                    .queueCapacity(1000)
                    .build(),
                Duration.ofSeconds(2),
                1,
                Duration.ofMillis(30)));
    var logs = EventLogReader.readDir(dir);
    var sends = new HashMap<String, Instant>();
    logs.values()
        .forEach(
            lines ->
                lines.forEach(
                    l -> {
                      if (l.event().event() == EventType.SEND) {
                        l.event().list("msg").forEach(m -> sends.put(m, l.event().ts()));
                      }
                    }));
    // A RECEIVE comes at the first tick after the message arrived, so SEND -> RECEIVE is at least
    // its delay:
    // the median of those times is at least the median delay.
    double[] waits =
        logs.values().stream()
            .flatMap(List::stream)
            .filter(l -> l.event().event() == EventType.RECEIVE)
            .mapToDouble(
                l -> Duration.between(sends.get(l.event().get("msg")), l.event().ts()).toMillis())
            .sorted()
            .toArray();
    assertThat(waits.length).isGreaterThan(50);
    assertThat(waits[waits.length / 2]).isGreaterThanOrEqualTo(29);
  }

  /**
   * Each VM starts at its seeded phase: START at that fraction of its first tick period (as `local`
   * does).
   */
  @Test
  void eachVmStartsAtItsSeededPhase() throws Exception {
    ModelConfig model =
        ModelConfig.builder().rates(List.of(2, 3, 5)).seed(11L).queueCapacity(1000).build();
    var logs =
        EventLogReader.readDir(
            run(
                "phase",
                new Simulation.Config(model, Duration.ofSeconds(5), 11, Simulation.DEFAULT_DELAY)));
    double[] phases = Seeds.startPhases(11, 3);
    assertThat(phases).isEqualTo(Seeds.startPhases(11, 3));
    for (int vm = 0; vm < 3; vm++) {
      long expectedMs = Seeds.phaseNanos(phases[vm], model.rates().get(vm)) / 1_000_000;
      assertThat(logs.get(vm).get(0).event().ts())
          .as("VM %d's START", vm)
          .isEqualTo(Simulation.EPOCH.plusMillis(expectedMs));
      assertThat(phases[vm]).isBetween(0.0, 1.0);
    }
    assertThat(phases[0]).isNotEqualTo(phases[1]);
  }

  /**
   * Delays are log-normal around the median (sigma 0.5): 10 % below 0.53 x, 10 % above 1.9 x the
   * median.
   */
  @Test
  void delaysFollowTheDocumentedDistribution() {
    var rng = Seeds.forSimulation(1, 2);
    long median = 1_000_000;
    double[] d = new double[20_000];
    for (int i = 0; i < d.length; i++) {
      d[i] = Simulation.delay(median, rng);
    }
    Arrays.sort(d);
    assertThat(d[d.length / 2] / median).isCloseTo(1.0, Assertions.within(0.03));
    assertThat(d[d.length / 10] / median)
        .isCloseTo(Math.exp(-1.2816 * 0.5), Assertions.within(0.03));
    assertThat(d[d.length * 9 / 10] / median)
        .isCloseTo(Math.exp(1.2816 * 0.5), Assertions.within(0.06));
  }
}
