package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import logicalclocks.analysis.measure.LaneSummary;
import org.junit.jupiter.api.Test;

class InteractiveChartTest {
  private static List<long[]> randomSeries(SplittableRandom r, int n, long spikeAt) {
    List<long[]> pts = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < n; i++) {
      t += 1 + r.nextInt(5);
      long v = i == spikeAt ? 1_000 : r.nextInt(4);
      pts.add(new long[] {t, v});
    }
    return pts;
  }

  @Test
  void everyPointIsKeptWhenTheyFit() {
    SplittableRandom r = new SplittableRandom(1);
    List<InteractiveChart.Line> lines =
        List.of(
            new InteractiveChart.Line("VM 0", 0, randomSeries(r, 500, -1)),
            new InteractiveChart.Line("VM 1", 1, randomSeries(r, 500, -1)));
    InteractiveChart.Aligned a = InteractiveChart.align(lines, 10_000);
    assertThat(a.slotMs()).isZero();
    for (int i = 0; i < lines.size(); i++) {
      long kept = java.util.Arrays.stream(a.ys().get(i)).filter(Objects::nonNull).count();
      assertThat(kept).as("points of line %d", i).isEqualTo(lines.get(i).points().size());
    }
    for (int k = 1; k < a.x().length; k++) {
      assertThat(a.x()[k]).as("x in order").isGreaterThan(a.x()[k - 1]);
    }
  }

  /**
   * Where the points do not fit, every slot keeps its lowest and highest: a one-point spike
   * survives, and each line's overall minimum and maximum are the input's. Fails if a slot kept,
   * say, its first and last point instead.
   */
  @Test
  void slotsKeepEveryMinimumAndMaximum() {
    for (long seed = 0; seed < 50; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      int n = 2_000 + r.nextInt(3_000);
      List<long[]> pts = randomSeries(r, n, r.nextInt(n));
      List<InteractiveChart.Line> lines = List.of(new InteractiveChart.Line("VM 0", 0, pts));
      InteractiveChart.Aligned a = InteractiveChart.align(lines, 300);
      assertThat(a.slotMs()).isPositive();
      assertThat(a.x().length).isLessThanOrEqualTo(2 * 4096);
      // For each slot, the input's min and max within it are what the output holds.
      Long[] y = a.ys().get(0);
      for (int k = 0; k < a.x().length / 2; k++) {
        long from = k * a.slotMs();
        long to = from + a.slotMs();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long[] p : pts) {
          if ((p[0] >= from && p[0] < to) || (k == a.x().length / 2 - 1 && p[0] >= to)) {
            min = Math.min(min, p[1]);
            max = Math.max(max, p[1]);
          }
        }
        if (min == Long.MAX_VALUE) {
          assertThat(y[2 * k]).as("empty slot %d", k).isNull();
        } else {
          assertThat(List.of(y[2 * k], y[2 * k + 1]))
              .as("slot %d (seed %d)", k, seed)
              .containsExactlyInAnyOrder(min, max);
        }
      }
      assertThat(java.util.Arrays.stream(y).filter(Objects::nonNull).mapToLong(v -> v).max())
          .hasValue(1_000);
    }
  }

  @Test
  void aLaneKeepsItsQueueSpike() {
    LaneSummary lane = new LaneSummary(16);
    for (long t = 0; t < 100_000; t += 3) {
      lane.add(t, t / 3, t == 50_001 ? 42 : 0);
    }
    assertThat(lane.points(true)).anyMatch(p -> p[1] == 42);
  }

  @Test
  void theChartsJsonCannotEndItsScriptElement() throws Exception {
    String html =
        InteractiveChart.perVm(
            "x-chart",
            new logicalclocks.analysis.measure.Series(List.of(), List.of(), List.of()),
            "a </script><b> title",
            "y",
            false);
    assertThat(html).doesNotContain("</script><b>");
    String json =
        html.substring(
            html.indexOf("class=\"chart-data\">") + "class=\"chart-data\">".length(),
            html.indexOf("</script>"));
    JsonNode spec = new ObjectMapper().readTree(json);
    assertThat(spec.get("title").asText()).isEqualTo("a </script><b> title");
  }
}
