package logicalclocks.event;

/**
 * A value of an extra key kept in its own form (numbers, a vector clock) until it is read or
 * written: {@link #toString()} is its text in the log, and {@link #appendTo} writes that same text
 * to a sink without building a string first. Immutable.
 *
 * <p>A writer may check the text it was given and, when it must be quoted (or is empty), use {@link
 * #toString()} instead; so the written line is always the one {@code toString()} gives.
 */
public interface LogValue {
  /** Writes this value's text, character by character, to {@code sink}. */
  void appendTo(Sink sink);

  /** The value's text: exactly what {@link #appendTo} writes. */
  @Override
  String toString();

  /** The typed value this stands for (a vector clock, a hybrid time), or null when none. */
  default Object value() {
    return null;
  }

  /** Where a value writes its text. */
  interface Sink {
    /** Appends one character. */
    void append(char c);

    /** Appends a number in decimal. */
    void append(long v);
  }

  /** The text of {@code value}, built by its {@link #appendTo}. */
  static String text(LogValue value) {
    StringBuilder sb = new StringBuilder(16);
    value.appendTo(
        new Sink() {
          @Override
          public void append(char c) {
            sb.append(c);
          }

          @Override
          public void append(long v) {
            sb.append(v);
          }
        });
    return sb.toString();
  }
}
