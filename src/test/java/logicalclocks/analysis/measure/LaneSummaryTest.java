package logicalclocks.analysis.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A lane's summary keeps every extreme: in each stretch of time a bucket covers, the lowest and
 * highest clock and queue of the events in it, when they were, and the last; in at most its cap of
 * buckets however long the run.
 */
class LaneSummaryTest {
  @Test
  void eachBucketHoldsTheExtremesOfItsEventsInBoundedMemory() {
    Random r = new Random(29);
    for (int round = 0; round < 50; round++) {
      int cap = 2 + r.nextInt(64);
      int n = 1 + r.nextInt(20_000);
      long[] t = new long[n];
      long[] clock = new long[n];
      int[] queue = new int[n];
      LaneSummary s = new LaneSummary(cap);
      long now = 0;
      long c = 0;
      for (int i = 0; i < n; i++) {
        now += r.nextInt(10) == 0 ? r.nextInt(5_000) : r.nextInt(3); // bursts and silences
        c += 1 + (r.nextInt(20) == 0 ? r.nextInt(500) : 0);
        t[i] = now;
        clock[i] = c;
        queue[i] = r.nextInt(10) == 0 ? r.nextInt(1000) : r.nextInt(4);
        s.add(t[i], clock[i], queue[i]);
      }
      List<LaneSummary.Bucket> buckets = s.buckets();
      assertThat(buckets.size()).isLessThanOrEqualTo(cap);
      assertThat(s.events()).isEqualTo(n);
      for (LaneSummary.Bucket b : buckets) {
        long cMin = Long.MAX_VALUE;
        long cMax = Long.MIN_VALUE;
        int qMin = Integer.MAX_VALUE;
        int qMax = Integer.MIN_VALUE;
        long events = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
          if (t[i] >= b.fromMs() && t[i] < b.toMs()) {
            events++;
            cMin = Math.min(cMin, clock[i]);
            cMax = Math.max(cMax, clock[i]);
            qMin = Math.min(qMin, queue[i]);
            qMax = Math.max(qMax, queue[i]);
            last = i;
          }
        }
        assertThat(b.events()).isEqualTo(events);
        assertThat(b.clockMin()).isEqualTo(cMin);
        assertThat(b.clockMax()).isEqualTo(cMax);
        assertThat(b.queueMin()).isEqualTo(qMin);
        assertThat(b.queueMax()).isEqualTo(qMax);
        assertThat(b.clockLast()).isEqualTo(clock[last]);
        assertThat(b.queueLast()).isEqualTo(queue[last]);
        assertThat(b.lastT()).isEqualTo(t[last]);
        assertThat(b.queueMaxT()).isBetween(b.fromMs(), b.toMs() - 1);
        assertThat(b.clockMinT()).isBetween(b.fromMs(), b.toMs() - 1);
      }
    }
  }
}
