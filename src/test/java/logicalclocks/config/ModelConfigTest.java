package logicalclocks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place the model's rules live: every way of configuring a run builds through it. */
class ModelConfigTest {
  @Test
  void defaultsAreTheAssignment() {
    ModelConfig m = ModelConfig.defaults();
    assertThat(m.machines()).isEqualTo(3);
    assertThat(m.ratesLabel()).isEqualTo("1..6");
    assertThat(m.dieSides()).isEqualTo(10);
    assertThat(m.internalProbability()).isEqualTo(0.7);
  }

  @Test
  void fixedRatesSayHowManyMachines() {
    assertThat(ModelConfig.builder().rates(List.of(1, 2, 3, 4)).build().machines()).isEqualTo(4);
    assertThatThrownBy(() -> ModelConfig.builder().machines(3).rates(List.of(1, 2)).build())
        .hasMessage(
            "RATES='1,2' is invalid: expected 3 comma-separated tick rates (one per VM, 1 to 10000)");
  }

  @Test
  void codeGetsTheSameChecksAsUsers() {
    assertThatThrownBy(() -> ModelConfig.builder().machines(5).dieSides(4).build())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "DIE_SIDES='4' is invalid: expected a number of die faces from N=5 (the number of machines)"
                + " to 1000000");
    assertThatThrownBy(() -> ModelConfig.builder().minTickRate(5).maxTickRate(2).build())
        .hasMessage("MAX_TICK_RATE='2' is invalid: expected a rate >= MIN_TICK_RATE (5)");
    assertThatThrownBy(() -> ModelConfig.builder().machines(10_001).build())
        .hasMessageContaining("from 2 to 10000");
  }

  @Test
  void errorsUseTheCallersNames() {
    assertThatThrownBy(
            () ->
                ModelConfig.builder()
                    .labels(f -> "plan.json: " + f.name().toLowerCase())
                    .set(ModelConfig.Field.QUEUE_CAPACITY, "lots")
                    .build())
        .hasMessage(
            "plan.json: queue_capacity='lots' is invalid: expected a number of messages from 1 to 10000000");
  }

  @Test
  void aCopyWithOneFieldChangedIsTheSameModelCheckedAgain() {
    ModelConfig m =
        ModelConfig.builder()
            .machines(4)
            .rates(List.of(3, 5, 2, 4))
            .dieSides(12)
            .seed(9L)
            .queueCapacity(500)
            .sendTimeout(java.time.Duration.ofMillis(750))
            .vectorClocks(false)
            .set(ModelConfig.Field.CLOCK_OFFSET_MS, "0,400,-300,20")
            .set(ModelConfig.Field.CLOCK_DRIFT_PPM, "0,100,-50,0")
            .set(ModelConfig.Field.CLOCK_STEPS, "1@20s:-500,3@2500ms:+200")
            .set(ModelConfig.Field.NET_LOSS, "0.05")
            .set(ModelConfig.Field.NET_PARTITION, "at=1s,for=2s,vms=3")
            .build();
    assertThat(m.toBuilder().build()).isEqualTo(m);
    assertThat(m.withSeed(10L)).isEqualTo(m.toBuilder().seed(10L).build());
    assertThat(m.withSeed(10L).seed()).isEqualTo(10L);
    assertThat(m.withVectorClocks(true).vectorClocks()).isTrue();
    assertThat(m.withClocks(ClockConfig.NONE).clocks()).isEqualTo(ClockConfig.NONE);
    // weather naming VM 3 put on a model of 3 VMs (ids 0 to 2) is refused, as typed, not applied
    ModelConfig three = ModelConfig.builder().machines(3).build();
    assertThatThrownBy(() -> three.withWeather(m.weather()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NET_PARTITION");
  }
}
