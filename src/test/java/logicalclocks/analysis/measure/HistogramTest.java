package logicalclocks.analysis.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The histogram counts small values in an array and the others in a map: its statistics and counts
 * are those of every value added, whatever mix of small, large and negative values.
 */
class HistogramTest {
  @Test
  void statsAndCountsAreThoseOfEveryValueAdded() {
    Random r = new Random(29);
    for (int round = 0; round < 300; round++) {
      Histogram h = new Histogram();
      Histogram other = new Histogram();
      int n = 1 + r.nextInt(400);
      double[] all = new double[n];
      Map<Long, Long> counts = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        long v =
            switch (r.nextInt(4)) {
              case 0 -> r.nextInt(20); // the usual: small
              case 1 -> r.nextInt(3 * Histogram.DENSE); // around the array's end
              case 2 -> -1 - r.nextInt(50); // negative (a clock gone back, a delay below 0)
              default -> r.nextLong() >> r.nextInt(64); // anything
            };
        all[i] = v;
        counts.merge(v, 1L, Long::sum);
        (i % 3 == 0 ? other : h).add(v);
      }
      h.addAll(other);
      assertThat(h.count()).isEqualTo(n);
      assertThat(h.counts()).isEqualTo(counts);
      Stats want = Stats.of(all);
      Stats got = h.stats();
      assertThat(got.count()).isEqualTo(want.count());
      assertThat(got.p50()).isEqualTo(want.p50());
      assertThat(got.p95()).isEqualTo(want.p95());
      assertThat(got.max()).isEqualTo(want.max());
      assertThat(got.mean())
          .isCloseTo(
              want.mean(), org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(want.mean()))));
    }
  }

  @Test
  void anEmptyHistogramHasEmptyStats() {
    assertThat(new Histogram().stats()).isEqualTo(Stats.EMPTY);
    assertThat(new Histogram().counts()).isEmpty();
  }
}
