package logicalclocks.clock;

/**
 * A hybrid logical clock's timestamp (Kulkarni et al., "Logical Physical Clocks", 2014): {@code l},
 * the largest physical time heard of, in Unix milliseconds, and {@code c}, a counter that orders
 * events with the same {@code l}. Written {@code <l>:<c>} (the {@code hlc} key of a tick line).
 *
 * @param l Unix milliseconds, 0 to {@link #MAX_L}
 * @param c counter, 0 to {@link #MAX_C}
 */
public record HybridTime(long l, long c) implements Comparable<HybridTime> {
  /** The largest {@code l}: 2^53 (exact in JSON, like every clock of the logs). */
  public static final long MAX_L = 1L << 53;

  /** The largest {@code c}: 2^31 - 1. */
  public static final long MAX_C = Integer.MAX_VALUE;

  /** The timestamp before any event. */
  public static final HybridTime ZERO = new HybridTime(0, 0);

  public HybridTime {
    if (!isAcceptable(l, c)) {
      throw new IllegalArgumentException(
          "hybrid time out of range (l 0..2^53, c 0..2^31-1): " + l + ":" + c);
    }
  }

  /** Whether {@code l:c} is a timestamp this project takes (from a message or a log). */
  public static boolean isAcceptable(long l, long c) {
    return l >= 0 && l <= MAX_L && c >= 0 && c <= MAX_C;
  }

  @Override
  public int compareTo(HybridTime o) {
    return l != o.l ? Long.compare(l, o.l) : Long.compare(c, o.c);
  }

  /** {@code <l>:<c>}. */
  public String format() {
    return l + ":" + c;
  }

  @Override
  public String toString() {
    return format();
  }

  /**
   * Parses {@code <l>:<c>}, both plain decimal digits.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static HybridTime parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not <l>:<c>");
    }
    long l = digits(text, 0, colon);
    long c = digits(text, colon + 1, text.length());
    if (l < 0 || c < 0 || !isAcceptable(l, c)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not <l>:<c> with l 0..2^53 and c 0..2^31-1");
    }
    return new HybridTime(l, c);
  }

  /** The decimal number in {@code s[from, to)}, or -1 when it is not 1 to 18 ASCII digits. */
  private static long digits(String s, int from, int to) {
    if (to - from < 1 || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }
}
