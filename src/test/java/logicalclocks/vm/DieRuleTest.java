package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import logicalclocks.config.ModelConfig;
import org.junit.jupiter.api.Test;

class DieRuleTest {
  @Test
  void threeMachinesTenSidesIsTheAssignment() {
    List<Integer> othersOf0 = List.of(1, 2);
    assertThat(DieRule.recipients(1, othersOf0)).containsExactly(1);
    assertThat(DieRule.recipients(2, othersOf0)).containsExactly(2);
    assertThat(DieRule.recipients(3, othersOf0)).containsExactly(1, 2);
    for (int roll = 4; roll <= 10; roll++) {
      assertThat(DieRule.recipients(roll, othersOf0)).as("roll %d", roll).isEmpty();
    }
    List<Integer> othersOf1 = List.of(0, 2);
    assertThat(DieRule.recipients(1, othersOf1)).containsExactly(0);
    assertThat(DieRule.recipients(2, othersOf1)).containsExactly(2);
    assertThat(DieRule.recipients(3, othersOf1)).containsExactly(0, 2);
    assertThat(DieRule.internalProbability(10, 3)).isEqualTo(0.7);
  }

  @Test
  void fiveMachines() {
    List<Integer> othersOf2 = List.of(0, 1, 3, 4);
    assertThat(DieRule.recipients(1, othersOf2)).containsExactly(0);
    assertThat(DieRule.recipients(2, othersOf2)).containsExactly(1);
    assertThat(DieRule.recipients(3, othersOf2)).containsExactly(3);
    assertThat(DieRule.recipients(4, othersOf2)).containsExactly(4);
    assertThat(DieRule.recipients(5, othersOf2)).containsExactly(0, 1, 3, 4);
    assertThat(DieRule.recipients(6, othersOf2)).isEmpty();
    assertThat(DieRule.internalProbability(5, 5)).isZero();
  }

  @Test
  void seededStreamsRepeatAndDifferPerVm() {
    long a = Seeds.forVm(42, 0).nextLong();
    assertThat(Seeds.forVm(42, 0).nextLong()).isEqualTo(a);
    assertThat(Seeds.forVm(42, 1).nextLong()).isNotEqualTo(a);
    assertThat(Seeds.forVm(43, 0).nextLong()).isNotEqualTo(a);
    assertThat(new SplittableRandom(1).nextInt(1, 2)).isEqualTo(1);
  }

  @Test
  void ratePickIsReproducibleUnderSeed() {
    var model = ModelConfig.defaults();
    int[] first = new int[5];
    for (int id = 0; id < 5; id++) {
      first[id] = model.rateFor(id, Seeds.forVm(2026, id));
      assertThat(first[id]).isBetween(1, 6);
    }
    for (int id = 0; id < 5; id++) {
      assertThat(model.rateFor(id, Seeds.forVm(2026, id))).isEqualTo(first[id]);
    }
  }
}
