package logicalclocks.analysis.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.log.LogCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines read ahead on another thread reach the pass as a cursor gives them: every line, in order,
 * and a bad line exactly where it is (the lines before it first), whatever the batch size.
 */
class ReadAheadTest {
  @TempDir Path tmp;

  private Path log(int lines, int badAt) throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("ts=2026-12-01T10:00:00.000Z vm=0 event=START clock=0 queue=0 rate=1 sides=10")
        .append(" seed=1 peers=1\n");
    for (int i = 1; i <= lines; i++) {
      if (i == badAt) {
        sb.append("ts=2026-12-01T10:00:00.000Z vm=0 event=INTERNAL clock=oops queue=0 die=7\n");
      } else {
        sb.append(
            String.format(
                "ts=2026-12-01T10:00:%02d.%03dZ vm=0 event=INTERNAL clock=%d queue=0 die=7%n",
                i / 1000 % 60, i % 1000, i));
      }
    }
    Path f = tmp.resolve("machine_0_" + lines + "_" + badAt + ".log");
    Files.writeString(f, sb.toString());
    return f;
  }

  private static List<String> all(LineSource s) throws BadLogException {
    List<String> out = new ArrayList<>();
    Line l;
    while ((l = s.next()) != null) {
      out.add(l.where() + " " + l.event().clock());
    }
    return out;
  }

  @Test
  void everyLineInOrderWhateverTheBatch() throws Exception {
    for (int lines : new int[] {0, 1, 15, 16, 17, 4095, 4096, 4097, 20_000}) {
      Path f = log(lines, -1);
      List<String> want;
      try (LineSource plain = LineSource.of(LogCursor.open(f), null, null)) {
        want = all(plain);
      }
      for (int logs : new int[] {1, 3, 1000, 100_000}) {
        try (LineSource ahead = LineSource.readAhead(LogCursor.open(f), null, null, logs)) {
          assertThat(all(ahead)).as("%d lines, %d logs", lines, logs).isEqualTo(want);
          assertThat(ahead.next()).isNull();
        }
      }
    }
  }

  @Test
  void aBadLineComesWhereItIsAfterTheLinesBeforeIt() throws Exception {
    for (int badAt : new int[] {1, 16, 17, 5000}) {
      Path f = log(6000, badAt);
      for (int logs : new int[] {1, 1000}) {
        try (LineSource ahead = LineSource.readAhead(LogCursor.open(f), null, null, logs)) {
          for (int i = 0; i < badAt; i++) { // the START, then the good lines
            assertThat(ahead.next()).as("line %d", i + 1).isNotNull();
          }
          assertThatThrownBy(ahead::next)
              .isInstanceOf(BadLogException.class)
              .hasMessageContaining(":" + (badAt + 1) + ":");
        }
      }
    }
  }
}
