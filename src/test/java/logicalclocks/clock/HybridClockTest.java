package logicalclocks.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hybrid logical clock's rules (Kulkarni et al. 2014), case by case and under random runs. */
class HybridClockTest {
  @Test
  void aLocalEventTakesPhysicalTimeOrCountsOn() {
    HybridClock h = new HybridClock();
    assertThat(h.tick(1000)).isEqualTo(new HybridTime(1000, 0));
    assertThat(h.tick(1000)).as("same pt: counts").isEqualTo(new HybridTime(1000, 1));
    assertThat(h.tick(990))
        .as("pt behind l (a clock set back): l stays")
        .isEqualTo(new HybridTime(1000, 2));
    assertThat(h.tick(1005)).as("pt ahead: takes it, counter 0").isEqualTo(new HybridTime(1005, 0));
  }

  @Test
  void aReceiveTakesTheLargestOfTheThreeAndCountsFromIt() {
    HybridClock h = new HybridClock(new HybridTime(1000, 4));
    assertThat(h.receive(900, new HybridTime(1000, 7)))
        .as("l == l' == lm")
        .isEqualTo(new HybridTime(1000, 8));
    assertThat(h.receive(900, new HybridTime(950, 30)))
        .as("l == l'")
        .isEqualTo(new HybridTime(1000, 9));
    assertThat(h.receive(900, new HybridTime(5000, 3)))
        .as("l == lm: a sender ahead")
        .isEqualTo(new HybridTime(5000, 4));
    assertThat(h.receive(9000, new HybridTime(5000, 3)))
        .as("pt largest")
        .isEqualTo(new HybridTime(9000, 0));
  }

  @Test
  void lIsNeverBelowPhysicalTimeAndEveryEventIsAboveTheLastAndAboveWhatItReceived() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 4;
    long[] offsets = {0, 400, -300, 2000};
    HybridClock[] clocks = new HybridClock[n];
    HybridTime[] last = new HybridTime[n];
    List<HybridTime[]> inFlight = new ArrayList<>();
    List<Integer> to = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clocks[i] = new HybridClock();
      last[i] = HybridTime.ZERO;
    }
    long host = 1_000_000;
    long maxAhead = 0;
    for (int step = 0; step < 20_000; step++) {
      host += r.nextInt(3);
      int vm = r.nextInt(n);
      long pt = host + offsets[vm];
      HybridTime t;
      int k = -1;
      for (int j = 0; j < to.size(); j++) {
        if (to.get(j) == vm) {
          k = j;
          break;
        }
      }
      if (k >= 0 && r.nextBoolean()) {
        HybridTime m = inFlight.remove(k)[0];
        to.remove(k);
        t = clocks[vm].receive(pt, m);
        assertThat(t).isGreaterThan(m);
      } else {
        t = clocks[vm].tick(pt);
        if (r.nextInt(3) == 0) {
          inFlight.add(new HybridTime[] {t});
          to.add(r.nextInt(n));
        }
      }
      assertThat(t.l()).isGreaterThanOrEqualTo(pt);
      assertThat(t).isGreaterThan(last[vm]);
      last[vm] = t;
      maxAhead = Math.max(maxAhead, t.l() - pt);
    }
    assertThat(maxAhead)
        .as("bounded by the clocks' offsets (2,300 ms) plus the time a message waits")
        .isLessThan(2_300 + 100);
  }

  @Test
  void aCounterAtItsBoundCarriesIntoLInsteadOfFailing() {
    // a message accepted from a hostile sender: l a day ahead, c at the largest a message may carry
    long day = 1_000 + 86_400_000L;
    HybridClock h = new HybridClock();
    assertThat(h.receive(1_000, new HybridTime(day, HybridTime.MAX_C - 1)))
        .isEqualTo(new HybridTime(day, HybridTime.MAX_C));
    assertThat(h.tick(1_001)).isEqualTo(new HybridTime(day + 1, 0));
    assertThat(h.tick(1_002)).isEqualTo(new HybridTime(day + 1, 1));
  }

  @Test
  void textIsLColonCAndOnlyThat() {
    assertThat(HybridTime.parse("1795651141250:3")).isEqualTo(new HybridTime(1795651141250L, 3));
    assertThat(new HybridTime(5, 0).format()).isEqualTo("5:0");
    for (String bad :
        List.of(
            "",
            ":",
            "5:",
            ":5",
            "5",
            "-1:0",
            "5:-1",
            "5:+1",
            "5:1:1",
            "٣:1",
            "5 :1",
            "9007199254740993:0",
            "1:2147483648")) {
      assertThatThrownBy(() -> HybridTime.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
