package logicalclocks.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorClockTest {
  @Test
  void tickAndMergeFollowTheStandardRules() {
    VectorClock a = VectorClock.zero().tick(0).tick(0); // 0:2
    VectorClock b = VectorClock.zero().tick(1); // 1:1
    VectorClock received = b.merge(a).tick(1);
    assertThat(received.format()).isEqualTo("0:2,1:2");
    assertThat(a.happenedBefore(received)).isTrue();
    assertThat(received.happenedBefore(a)).isFalse();
    assertThat(a.concurrentWith(b)).isTrue();
    assertThat(a.concurrentWith(a)).isFalse();
    assertThat(a.happenedBefore(a)).isFalse();
  }

  @Test
  void compactFormOmitsZerosAndRoundTrips() {
    VectorClock v = VectorClock.of(Map.of(0, 12L, 2, 9L, 5, 0L));
    assertThat(v.format()).isEqualTo("0:12,2:9");
    assertThat(VectorClock.parse("0:12,2:9")).isEqualTo(v);
    assertThat(VectorClock.parse("")).isEqualTo(VectorClock.zero());
    assertThat(v.get(1)).isZero();
    assertThat(v.entries()).containsExactly(Map.entry(0, 12L), Map.entry(2, 9L));
  }

  @Test
  void badTextIsRefused() {
    assertThatThrownBy(() -> VectorClock.parse("1:2,0:3")).hasMessageContaining("ascending");
    assertThatThrownBy(() -> VectorClock.parse("0:0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> VectorClock.parse("x")).hasMessageContaining("not <vm>:<count>");
    assertThatThrownBy(() -> VectorClock.parse("0:1,")).hasMessageContaining("not <vm>:<count>");
  }
}
