package logicalclocks.vm;

import java.util.List;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.LogValue;

/**
 * The VM's list-shaped log values, kept in their own form so that a log writer writes their digits
 * straight out: their text is what the VM logged before as a joined string.
 */
final class LogValues {
  private LogValues() {}

  /** VM ids, comma-separated ({@code to}, {@code peers}); never empty. */
  record Ids(List<Integer> ids) implements LogValue {
    @Override
    public void appendTo(Sink sink) {
      for (int i = 0; i < ids.size(); i++) {
        if (i > 0) {
          sink.append(',');
        }
        sink.append(ids.get(i));
      }
    }

    @Override
    public String toString() {
      return LogValue.text(this);
    }
  }

  /**
   * The ids of {@code count} messages of {@code sender} with consecutive sequences from {@code
   * first}: {@code <sender>-<sequence>}, comma-separated (see {@link Message#id}).
   */
  record MessageIds(int sender, long first, int count) implements LogValue {
    @Override
    public void appendTo(Sink sink) {
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          sink.append(',');
        }
        sink.append(sender);
        sink.append('-');
        sink.append(first + i);
      }
    }

    @Override
    public String toString() {
      return count == 1 ? Message.id(sender, first) : LogValue.text(this);
    }
  }

  /** A vector clock in its compact form ({@link VectorClock#format}). */
  record Vector(VectorClock vector) implements LogValue {
    @Override
    public Object value() {
      return vector;
    }

    @Override
    public void appendTo(Sink sink) {
      boolean first = true;
      for (int i = 0, n = vector.slots(); i < n; i++) {
        long count = vector.get(i);
        if (count != 0) {
          if (!first) {
            sink.append(',');
          }
          first = false;
          sink.append(i);
          sink.append(':');
          sink.append(count);
        }
      }
    }

    @Override
    public String toString() {
      return vector.format();
    }
  }

  /** A hybrid time, {@code <l>:<c>}. */
  record Hybrid(logicalclocks.clock.HybridTime time) implements LogValue {
    @Override
    public Object value() {
      return time;
    }

    @Override
    public void appendTo(Sink sink) {
      sink.append(time.l());
      sink.append(':');
      sink.append(time.c());
    }

    @Override
    public String toString() {
      return time.format();
    }
  }

  /**
   * A clock kind's value as a log writes it: a vector or hybrid clock kept in its own form (written
   * digit by digit), any other kind as its text.
   */
  static Object of(logicalclocks.clock.ClockKind<?> kind, Object value) {
    if (value instanceof VectorClock v) {
      return new Vector(v);
    }
    if (value instanceof logicalclocks.clock.HybridTime h) {
      return new Hybrid(h);
    }
    return format(kind, value);
  }

  @SuppressWarnings("unchecked")
  private static <T> String format(logicalclocks.clock.ClockKind<T> kind, Object value) {
    return kind.format((T) value);
  }
}
