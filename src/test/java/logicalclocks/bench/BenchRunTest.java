package logicalclocks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's ceiling that {@code bench --baseline} prints beside its ratio. */
class BenchRunTest {
  @Test
  void ceilingIsWhereMessagesSentEqualMessagesReceived() {
    // 3 VMs, die 3: a roll sends 4/3 on average; R = 4/3 S and R + S = 10,000 give R = 40,000 / 7.
    assertThat(BenchRun.modelCeiling(List.of(10000, 10000, 10000), 3))
        .isCloseTo(3 * 40000.0 / 7, within(1e-6));
    // 4 VMs, die 4: 6/4 per roll, R = 6,000 per VM.
    assertThat(BenchRun.modelCeiling(List.of(10000, 10000, 10000, 10000), 4))
        .isCloseTo(24000.0, within(1e-6));
    // 3 VMs, die 6: half the rolls are internal, 2/3 per roll, R = 4,000 per VM.
    assertThat(BenchRun.modelCeiling(List.of(10000, 10000, 10000), 6))
        .isCloseTo(12000.0, within(1e-6));
  }

  @Test
  void noCeilingWhenTheRatesDiffer() {
    assertThat(BenchRun.modelCeiling(List.of(1, 500, 500), 3)).isNull();
  }
}
