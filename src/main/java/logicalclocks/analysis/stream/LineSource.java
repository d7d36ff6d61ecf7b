package logicalclocks.analysis.stream;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.log.LogCursor;

/** One VM's lines, pulled one at a time: from its file, or from lines already in memory. */
public interface LineSource extends AutoCloseable {
  /** The next line, or null after the last. */
  Line next() throws BadLogException;

  /** Wall time of the first line, in host time ({@link HostTime}; null when there is none). */
  Instant first() throws BadLogException;

  /** Wall time of the last line, in host time (null when there is none). */
  Instant last() throws BadLogException;

  @Override
  default void close() {}

  static LineSource of(List<Line> lines) {
    Iterator<Line> it = lines.iterator();
    return new LineSource() {
      @Override
      public Line next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public Instant first() {
        return lines.isEmpty()
            ? null
            : HostTime.of(lines.get(0).event(), lines.get(0).event().ts());
      }

      @Override
      public Instant last() {
        return lines.isEmpty()
            ? null
            : HostTime.of(lines.get(0).event(), lines.get(lines.size() - 1).event().ts());
      }
    };
  }

  /**
   * A log's lines, read and parsed a batch ahead on another thread ({@code logs}: how many logs the
   * pass reads at once, which bounds the lines read ahead of each).
   */
  static LineSource readAhead(LogCursor cursor, Instant first, Instant last, int logs) {
    return new ReadAhead(cursor, first, last, logs);
  }

  static LineSource of(LogCursor cursor, Instant first, Instant last) {
    return new LineSource() {
      @Override
      public Line next() throws BadLogException {
        return cursor.next();
      }

      @Override
      public Instant first() {
        return first;
      }

      @Override
      public Instant last() {
        return last;
      }

      @Override
      public void close() {
        cursor.close();
      }
    };
  }
}
