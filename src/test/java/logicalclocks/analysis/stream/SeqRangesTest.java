package logicalclocks.analysis.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeqRangesTest {
  @Test
  void holdsExactlyWhatWasAddedAsFewRanges() {
    List<Long> values = new ArrayList<>();
    for (long v = 1; v <= 5000; v++) {
      values.add(v);
    }
    Collections.shuffle(values, new Random(3));
    SeqRanges r = new SeqRanges();
    TreeSet<Long> added = new TreeSet<>();
    for (long v : values.subList(0, 4000)) {
      assertThat(r.add(v)).isTrue();
      added.add(v);
      assertThat(r.add(v)).as("twice").isFalse();
    }
    for (long v = 0; v <= 5001; v++) {
      assertThat(r.contains(v)).as("%d", v).isEqualTo(added.contains(v));
    }
    for (long v : values.subList(4000, 5000)) {
      r.add(v);
    }
    assertThat(r.ranges()).as("1..5000, every one added: one range").isEqualTo(1);
  }

  @Test
  void aSettledRunTakesOneRangePerGap() {
    SeqRanges r = new SeqRanges();
    for (long v = 1; v <= 100_000; v++) {
      if (v % 25_000 != 0) {
        r.add(v);
      }
    }
    assertThat(r.ranges()).isEqualTo(4);
  }
}
