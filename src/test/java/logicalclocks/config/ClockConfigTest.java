package logicalclocks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.vm.Seeds;
import org.junit.jupiter.api.Test;

/**
 * The physical-clock knobs: one value per VM, a seeded spread, steps; errors name what was typed.
 */
class ClockConfigTest {
  static ModelConfig model(Map<ModelConfig.Field, String> raw) {
    ModelConfig.Builder b =
        ModelConfig.builder()
            .labels(f -> "--" + f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    raw.forEach(b::set);
    return b.build();
  }

  @Test
  void offsetsDriftAndStepsPerVm() {
    ClockConfig c =
        model(
                Map.of(
                    ModelConfig.Field.CLOCK_OFFSET_MS, "0, 400,-300",
                    ModelConfig.Field.CLOCK_DRIFT_PPM, "0,100,-50",
                    ModelConfig.Field.CLOCK_STEPS, "1@20s:-500,2@40000ms:+200"))
            .clocks();
    assertThat(c.offsetsMs()).containsExactly(0L, 400L, -300L);
    assertThat(c.driftPpm()).containsExactly(0L, 100L, -50L);
    assertThat(c.steps())
        .containsExactly(
            new ClockConfig.Step(1, 20_000, -500), new ClockConfig.Step(2, 40_000, 200));
    assertThat(c.calm()).isFalse();
    assertThat(ModelConfig.defaults().clocks().calm()).isTrue();
    PhysicalClock.Spec vm1 = Seeds.physicalClock(c, 1, 7);
    assertThat(vm1)
        .isEqualTo(new PhysicalClock.Spec(400, 100, List.of(new PhysicalClock.Step(20_000, -500))));
  }

  @Test
  void aNodeGivesItsOwnValuesOnly() {
    ModelConfig.Builder b = ModelConfig.builder().machines(3).forVm(2);
    b.set(ModelConfig.Field.CLOCK_OFFSET_MS, "180000");
    b.set(ModelConfig.Field.CLOCK_STEPS, "20s:-500");
    ClockConfig c = b.build().clocks();
    assertThat(c.offsetsMs()).containsExactly(0L, 0L, 180_000L);
    assertThat(c.stepsOf(2)).containsExactly(new ClockConfig.Step(2, 20_000, -500));
    assertThat(c.stepsOf(0)).isEmpty();
  }

  @Test
  void aSpreadIsDrawnSeededWithinItAndTheSameForANodeThatKnowsOnlyItsId() {
    ClockConfig all = model(Map.of(ModelConfig.Field.CLOCK_SKEW_MS, "500")).clocks();
    long[] offsets = new long[3];
    for (int vm = 0; vm < 3; vm++) {
      offsets[vm] = Seeds.physicalClock(all, vm, 42).offsetMs();
      assertThat(offsets[vm]).isBetween(-500L, 500L);
      assertThat(Seeds.physicalClock(all, vm, 42).offsetMs()).as("seeded").isEqualTo(offsets[vm]);
    }
    assertThat(offsets).as("drawn, not all equal").doesNotHaveDuplicates();
    ModelConfig.Builder node = ModelConfig.builder().machines(3).forVm(1);
    node.set(ModelConfig.Field.CLOCK_SKEW_MS, "500");
    assertThat(Seeds.physicalClock(node.build().clocks(), 1, 42).offsetMs()).isEqualTo(offsets[1]);
  }

  @Test
  void badValuesNameTheFlagTheValueAndTheForm() {
    assertThatThrownBy(() -> model(Map.of(ModelConfig.Field.CLOCK_OFFSET_MS, "0,400")))
        .hasMessage(
            "--clock-offset-ms='0,400' is invalid: expected 3 comma-separated values (one per VM),"
                + " each a whole number of ms from -604800000 to 604800000");
    assertThatThrownBy(() -> model(Map.of(ModelConfig.Field.CLOCK_DRIFT_PPM, "0,1e3,0")))
        .hasMessageStartingWith("--clock-drift-ppm='0,1e3,0' is invalid: expected 3");
    assertThatThrownBy(
            () ->
                model(
                    Map.of(
                        ModelConfig.Field.CLOCK_SKEW_MS, "100",
                        ModelConfig.Field.CLOCK_OFFSET_MS, "0,1,2")))
        .hasMessageStartingWith(
            "--clock-skew-ms='100' is invalid: expected 0 when offsets are given");
    for (String bad :
        List.of("1@20:5", "20s:5", "9@20s:5", "1@20s", "1@-2s:5", "1@20s:five", "1@1s:+-5")) {
      assertThatThrownBy(() -> model(Map.of(ModelConfig.Field.CLOCK_STEPS, bad)))
          .as(bad)
          .hasMessageStartingWith(
              "--clock-steps='" + bad + "' is invalid: expected steps VM@AT:BY");
    }
  }
}
