package logicalclocks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.ModelConfig;
import logicalclocks.network.Flights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each knob of the network weather in the simulation: its effect, and every message one fate. */
class SimulationWeatherTest {
  @TempDir Path tmp;

  /** 3 VMs at 20 ticks/s, a 4-sided die (3 of 4 rolls send), 500 ms send timeout. */
  static ModelConfig.Builder busy() {
    return ModelConfig.builder().tickRate(20).dieSides(4).sendTimeout(Duration.ofMillis(500));
  }

  Simulation.Traffic run(ModelConfig.Builder model, String name, int seconds) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    ModelConfig m = model.seed(5L).build();
    return Simulation.traffic(
        new Simulation.Config(m, Duration.ofSeconds(seconds), 5, Simulation.DEFAULT_DELAY), dir);
  }

  Flights flights(String name) throws Exception {
    Flights f = new Flights(tmp.resolve(name));
    assertThat(Verifier.verify(f.logs)).as("every rule, every message one fate").isEmpty();
    return f;
  }

  @Test
  void calmWeatherIsTheSimulationAsBefore() throws Exception {
    Simulation.Traffic t = run(busy(), "calm", 5);
    assertThat(t).isEqualTo(new Simulation.Traffic(0, 0, 0, 0));
    assertThat(flights("calm").overtaken()).isZero();
  }

  @Test
  void lostCopiesAreSentAgainAfterTheSendTimeout() throws Exception {
    Simulation.Traffic t = run(busy().set(ModelConfig.Field.NET_LOSS, "0.2"), "loss", 10);
    Flights f = flights("loss");
    assertThat(t.lost()).isPositive();
    assertThat(t.copies()).isGreaterThan(f.byId.size()); // re-sends
    List<Flights.Flight> late =
        f.received().stream().filter(x -> x.gap().toMillis() >= 500).toList();
    assertThat(late).as("delivered by a retry").isNotEmpty();
    // 0.2^3 of the messages lose every attempt: DROPped as deadline, the only kind of DROP
    assertThat(f.byId.values().stream().filter(x -> x.dropReason != null))
        .isNotEmpty()
        .allSatisfy(x -> assertThat(x.dropReason).isEqualTo("deadline"));
  }

  @Test
  void everyCopyTakesAtLeastTheFixedDelay() throws Exception {
    run(busy().set(ModelConfig.Field.NET_DELAY_MS, "80"), "delay", 5);
    Flights f = flights("delay");
    assertThat(f.received()).isNotEmpty();
    assertThat(f.received()).allSatisfy(x -> assertThat(x.gap().toMillis()).isGreaterThan(79));
  }

  @Test
  void duplicatesAreOfferedTwiceAndTakenOnce() throws Exception {
    Simulation.Traffic t = run(busy().set(ModelConfig.Field.NET_DUPLICATE, "0.5"), "dup", 5);
    Flights f = flights("dup");
    assertThat(t.duplicates()).isPositive();
    assertThat(t.duplicateOffers()).isEqualTo(t.duplicates());
    assertThat(f.byId.values()).allSatisfy(x -> assertThat(x.dropReason).isNull());
  }

  @Test
  void reorderedCopiesAreOvertaken() throws Exception {
    ModelConfig.Builder fast = busy().tickRate(100).machines(2).dieSides(2);
    run(fast, "in-order", 5);
    assertThat(flights("in-order").overtaken()).isZero();
    run(fast.set(ModelConfig.Field.NET_REORDER, "0.2"), "reorder", 5);
    assertThat(flights("reorder").overtaken()).isPositive();
  }

  @Test
  void aPartitionCutsItsLinksForItsWindowThenRetriesOrDropsSettleThem() throws Exception {
    // 5 s into the run, VM 2 is cut off for 1 s, less than the third attempt's 1.3 s after the
    // first: messages across the cut sent then all arrive, after it
    run(busy().set(ModelConfig.Field.NET_PARTITION, "at=5s,for=1000ms,vms=2"), "short", 12);
    Flights f = flights("short");
    Instant from = Simulation.EPOCH.plusSeconds(5);
    Instant to = Simulation.EPOCH.plusSeconds(6);
    List<Flights.Flight> across =
        f.byId.values().stream()
            .filter(x -> (x.from == 2) != (x.to == 2))
            .filter(x -> !x.sent.isBefore(from) && x.sent.isBefore(to))
            .toList();
    assertThat(across).isNotEmpty();
    assertThat(across)
        .allSatisfy(
            x -> {
              assertThat(x.received).as(x.id).isNotNull();
              assertThat(x.received).as(x.id).isAfterOrEqualTo(to);
            });
    assertThat(f.received().stream().filter(x -> x.from != 2 && x.to != 2))
        .anySatisfy(x -> assertThat(x.received).isBetween(from, to));
    // cut for longer than a message's give-up time (3 x 500 ms + 300 ms): the first ones DROP
    run(busy().set(ModelConfig.Field.NET_PARTITION, "at=5s,for=3s,vms=2"), "long", 12);
    Flights g = flights("long");
    assertThat(g.byId.values().stream().filter(x -> x.dropReason != null))
        .isNotEmpty()
        .allSatisfy(
            x -> {
              assertThat(x.dropReason).isEqualTo("deadline");
              assertThat((x.from == 2) != (x.to == 2)).isTrue();
              assertThat(x.received).isNull();
            });
  }
}
