package logicalclocks.log;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The log's {@code ts}: {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, UTC, milliseconds — written and read by
 * hand, not by {@link java.time.format.DateTimeFormatter}, which took most of the time of reading a
 * log. Strict: exactly that shape, and a date and time that exist.
 */
final class Timestamps {
  private Timestamps() {}

  /** Length of a timestamp. */
  static final int LENGTH = 24;

  /** The last second written and read, per thread: consecutive lines mostly share it. */
  private static final ThreadLocal<Object[]> LAST_WRITTEN =
      ThreadLocal.withInitial(() -> new Object[2]);

  private static final ThreadLocal<Object[]> LAST_READ =
      ThreadLocal.withInitial(() -> new Object[2]);

  static void append(StringBuilder sb, Instant ts) {
    long second = ts.getEpochSecond();
    Object[] last = LAST_WRITTEN.get();
    if (last[0] == null || (long) last[0] != second) {
      last[0] = second;
      last[1] = secondPrefix(second);
    }
    sb.append((String) last[1]);
    pad(sb, ts.getNano() / 1_000_000, 3).append('Z');
  }

  /**
   * A timestamp's text up to its milliseconds, {@code yyyy-MM-ddTHH:mm:ss.}, for the second {@code
   * second} of the epoch; the milliseconds (three digits) and {@code Z} follow it.
   */
  static String secondPrefix(long second) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
    StringBuilder p = new StringBuilder(20);
    pad(p, t.getYear(), 4).append('-');
    pad(p, t.getMonthValue(), 2).append('-');
    pad(p, t.getDayOfMonth(), 2).append('T');
    pad(p, t.getHour(), 2).append(':');
    pad(p, t.getMinute(), 2).append(':');
    pad(p, t.getSecond(), 2).append('.');
    return p.toString();
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits);
  }

  /** The instant {@code text} stands for, or null when it is not a timestamp of the log. */
  static Instant parse(String text) {
    if (text.length() != LENGTH
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(19) != '.'
        || text.charAt(23) != 'Z') {
      return null;
    }
    int millis = digits(text, 20, 23);
    if (millis < 0) {
      return null;
    }
    Object[] last = LAST_READ.get();
    if (last[0] == null || !text.regionMatches(0, (String) last[0], 0, 19)) {
      String prefix = text.substring(0, 19);
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int day = digits(text, 8, 10);
      int hour = digits(text, 11, 13);
      int minute = digits(text, 14, 16);
      int second = digits(text, 17, 19);
      if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
        return null;
      }
      try {
        last[1] =
            LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeException e) {
        return null;
      }
      last[0] = prefix;
    }
    return Instant.ofEpochSecond((long) last[1], millis * 1_000_000L);
  }

  /** The decimal number in {@code text[from, to)}, or -1 when it is not all ASCII digits. */
  private static int digits(String text, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
