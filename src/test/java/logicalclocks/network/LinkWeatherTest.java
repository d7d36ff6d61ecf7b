package logicalclocks.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import logicalclocks.config.WeatherConfig;
import org.junit.jupiter.api.Test;

/** The per-link weather model: seeded, deterministic, its rates within binomial bounds. */
class LinkWeatherTest {
  static final int DRAWS = 20_000;

  static WeatherConfig weather(
      int delay,
      int jitter,
      double loss,
      double dup,
      double reorder,
      WeatherConfig.Partition... p) {
    return new WeatherConfig(delay, jitter, loss, dup, reorder, List.of(p));
  }

  /** Count within 5 standard deviations of n p (fails by chance with probability < 1e-6). */
  static void binomial(long count, int n, double p) {
    double sd = Math.sqrt(n * p * (1 - p));
    assertThat((double) count).isBetween(n * p - 5 * sd, n * p + 5 * sd);
  }

  @Test
  void calmHasNoModel() {
    assertThat(LinkWeather.of(WeatherConfig.NONE, 1, 0, 1)).isNull();
    assertThat(LinkWeather.of(weather(0, 0, 0, 0, 0), 1, 0, 1)).isNull();
    assertThat(LinkWeather.of(null, 1, 0, 1)).isNull();
  }

  @Test
  void sameSeedAndLinkSameWeatherOtherLinksTheirOwn() {
    WeatherConfig w = weather(20, 10, 0.1, 0.1, 0.1);
    List<LinkWeather.Copy> a = draw(LinkWeather.of(w, 7, 0, 1), 200);
    assertThat(draw(LinkWeather.of(w, 7, 0, 1), 200)).isEqualTo(a);
    assertThat(draw(LinkWeather.of(w, 7, 1, 0), 200)).isNotEqualTo(a);
    assertThat(draw(LinkWeather.of(w, 8, 0, 1), 200)).isNotEqualTo(a);
  }

  static List<LinkWeather.Copy> draw(LinkWeather link, int n) {
    List<LinkWeather.Copy> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(link.next(i));
    }
    return out;
  }

  @Test
  void lossDuplicateAndReorderHappenAtTheirRates() {
    WeatherConfig w = weather(5, 0, 0.05, 0.1, 0.2);
    List<LinkWeather.Copy> copies = draw(LinkWeather.of(w, 3, 0, 2), DRAWS);
    long lost = copies.stream().filter(LinkWeather.Copy::lost).count();
    binomial(lost, DRAWS, 0.05);
    List<LinkWeather.Copy> kept = copies.stream().filter(c -> !c.lost()).toList();
    binomial(kept.stream().filter(LinkWeather.Copy::duplicate).count(), kept.size(), 0.1);
    binomial(kept.stream().filter(LinkWeather.Copy::reordered).count(), kept.size(), 0.2);
    assertThat(copies.stream().filter(LinkWeather.Copy::lost))
        .allSatisfy(c -> assertThat(c.duplicate()).isFalse());
  }

  @Test
  void noKnobNoEffectAndCertainKnobsAlways() {
    List<LinkWeather.Copy> none = draw(LinkWeather.of(weather(1, 0, 0, 0, 0), 3, 0, 1), 1000);
    assertThat(none)
        .allSatisfy(
            c -> {
              assertThat(c.lost()).isFalse();
              assertThat(c.duplicate()).isFalse();
              assertThat(c.reordered()).isFalse();
              assertThat(c.delayNanos()).isEqualTo(1_000_000);
            });
    assertThat(draw(LinkWeather.of(weather(0, 0, 1, 0, 0), 3, 0, 1), 1000))
        .allSatisfy(c -> assertThat(c.lost()).isTrue());
    assertThat(draw(LinkWeather.of(weather(0, 0, 0, 1, 0), 3, 0, 1), 1000))
        .allSatisfy(c -> assertThat(c.duplicate()).isTrue());
  }

  @Test
  void delayIsFixedPlusUniformJitter() {
    WeatherConfig w = weather(20, 10, 0, 0.5, 0);
    List<LinkWeather.Copy> copies = draw(LinkWeather.of(w, 5, 1, 2), DRAWS);
    double sum = 0;
    int[] deciles = new int[10];
    for (LinkWeather.Copy c : copies) {
      assertThat(c.delayNanos()).isBetween(20_000_000L, 30_000_000L - 1);
      sum += c.delayNanos();
      deciles[(int) ((c.delayNanos() - 20_000_000L) / 1_000_000L)]++;
      if (c.duplicate()) {
        assertThat(c.duplicateDelayNanos()).isBetween(20_000_000L, 30_000_000L - 1);
      }
    }
    // uniform: mean 25 ms (sd of the mean 10/sqrt(12 n) ms), each 1 ms band about a tenth
    assertThat(sum / DRAWS / 1e6).isCloseTo(25.0, org.assertj.core.data.Offset.offset(0.15));
    for (int d : deciles) {
      binomial(d, DRAWS, 0.1);
    }
  }

  @Test
  void aReorderedCopyIsOvertakenByTheCopiesAfterIt() {
    WeatherConfig w = weather(10, 5, 0, 0, 0.3);
    LinkWeather link = LinkWeather.of(w, 9, 0, 1);
    long held = 0;
    for (long t = 0; t < DRAWS; t++) {
      LinkWeather.Copy c = link.next(t);
      if (c.reordered()) {
        held++;
        long hold = (5 + WeatherConfig.REORDER_HOLD_MS) * 1_000_000L;
        assertThat(c.delayNanos()).isBetween(10_000_000L + hold, 15_000_000L + hold - 1);
        // a copy sent up to REORDER_HOLD_MS later, not held, arrives before it
        long latestOther = (WeatherConfig.REORDER_HOLD_MS - 1) * 1_000_000L + 15_000_000L;
        assertThat(latestOther).isLessThan(c.delayNanos());
      } else {
        assertThat(c.delayNanos()).isBetween(10_000_000L, 15_000_000L - 1);
      }
    }
    binomial(held, DRAWS, 0.3);
  }

  @Test
  void partitionCutsExactlyItsWindowAndOnlyAcrossTheCut() {
    Set<Integer> two = new TreeSet<>(Set.of(2));
    WeatherConfig.Partition p = new WeatherConfig.Partition(1000, 500, new TreeSet<>(two));
    WeatherConfig w = weather(0, 0, 0, 0, 0, p);
    LinkWeather cut = LinkWeather.of(w, 1, 0, 2);
    LinkWeather back = LinkWeather.of(w, 1, 2, 1);
    LinkWeather inside = LinkWeather.of(w, 1, 0, 1);
    for (long t = 900; t < 1600; t++) {
      boolean during = t >= 1000 && t < 1500;
      assertThat(cut.next(t).lost()).as("0->2 at %d", t).isEqualTo(during);
      assertThat(back.next(t).lost()).as("2->1 at %d", t).isEqualTo(during);
      assertThat(inside.next(t).lost()).as("0->1 at %d", t).isFalse();
    }
    // a copy that would arrive once the cut is in force is lost too
    LinkWeather slow = LinkWeather.of(weather(10, 0, 0, 0, 0, p), 1, 0, 2);
    assertThat(slow.next(989).lost()).isFalse();
    assertThat(slow.next(990).lost()).isTrue();
    assertThat(slow.next(1499).lost()).isTrue();
    assertThat(slow.next(1500).lost()).isFalse();
  }
}
