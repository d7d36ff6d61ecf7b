package logicalclocks.log;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import logicalclocks.event.EventType;
import logicalclocks.event.Extras;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogValue;

/**
 * Encodes events as log lines straight into UTF-8 bytes, line after line into one growing buffer:
 * the bytes of {@link EventLogFormat#format} and a newline, without the strings in between. Numbers
 * and {@link LogValue}s of an {@link Extras} are written digit by digit. Not thread-safe: one per
 * writer.
 */
final class LineEncoder implements LogValue.Sink {
  private static final byte[][] EVENT_NAMES = new byte[EventType.values().length][];

  static {
    for (EventType t : EventType.values()) {
      EVENT_NAMES[t.ordinal()] = (" event=" + t.name()).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final byte[] TS = ascii("ts=");
  private static final byte[] VM = ascii(" vm=");
  private static final byte[] CLOCK = ascii(" clock=");
  private static final byte[] QUEUE = ascii(" queue=");

  private byte[] buf;
  private int len;

  /** The second whose timestamp prefix is {@link #secondText}. */
  private long second = Long.MIN_VALUE;

  private byte[] secondText;

  /** Whether a {@link LogValue} wrote a character that needs quoting or is not ASCII. */
  private boolean unsafe;

  LineEncoder(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  byte[] array() {
    return buf;
  }

  int length() {
    return len;
  }

  void reset() {
    len = 0;
  }

  /**
   * Appends {@code e}'s line and a newline. When the event cannot be written (a bad key, a value
   * that is not valid UTF-16), nothing is appended and the exception is thrown.
   *
   * @throws CharacterCodingException when a value holds an unpaired surrogate
   */
  void encode(LogEvent e) throws CharacterCodingException {
    int start = len;
    try {
      appendLine(e);
    } catch (RuntimeException | CharacterCodingException bad) {
      len = start;
      throw bad;
    }
  }

  private void appendLine(LogEvent e) throws CharacterCodingException {
    bytes(TS);
    timestamp(e.ts());
    bytes(VM);
    append(e.vm());
    bytes(EVENT_NAMES[e.event().ordinal()]);
    bytes(CLOCK);
    append(e.clock());
    bytes(QUEUE);
    append(e.queue());
    Map<String, String> extra = e.extra();
    if (extra instanceof Extras x) {
      for (int i = 0, n = x.size(); i < n; i++) {
        String key = x.key(i);
        key(key);
        Object v = x.rawValue(i);
        if (v instanceof Long l) {
          append(l);
        } else if (v instanceof Integer k) {
          append(k);
        } else if (v instanceof LogValue value) {
          logValue(value);
        } else {
          value((String) v);
        }
      }
    } else {
      for (Map.Entry<String, String> kv : extra.entrySet()) {
        key(kv.getKey());
        value(kv.getValue());
      }
    }
    byte1('\n');
  }

  private void key(String key) {
    if (!EventLogFormat.isKey(key) || EventLogFormat.REQUIRED_KEYS.contains(key)) {
      throw new IllegalArgumentException("bad extra key: " + key);
    }
    ensure(key.length() + 2);
    buf[len++] = ' ';
    for (int i = 0; i < key.length(); i++) {
      buf[len++] = (byte) key.charAt(i);
    }
    buf[len++] = '=';
  }

  private void timestamp(Instant ts) {
    long s = ts.getEpochSecond();
    if (s != second || secondText == null) {
      secondText = ascii(Timestamps.secondPrefix(s));
      second = s;
    }
    bytes(secondText);
    int millis = ts.getNano() / 1_000_000;
    ensure(4);
    buf[len++] = (byte) ('0' + millis / 100);
    buf[len++] = (byte) ('0' + millis / 10 % 10);
    buf[len++] = (byte) ('0' + millis % 10);
    buf[len++] = 'Z';
  }

  /** A value kept in its own form: its digits, unless its text needs quotes (then as a string). */
  private void logValue(LogValue value) throws CharacterCodingException {
    int start = len;
    unsafe = false;
    value.appendTo(this);
    if (unsafe || len == start) {
      len = start;
      value(value.toString());
    }
  }

  /** A string value: as is, or quoted with escapes when it must be (see {@link EventLogFormat}). */
  private void value(String value) throws CharacterCodingException {
    int n = value.length();
    boolean quote = n == 0;
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        ascii = false;
      }
      if (c == ' ' || c == '"' || c == '=' || c == '\\' || Character.isISOControl(c)) {
        quote = true;
      }
    }
    if (!quote && ascii) {
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) value.charAt(i);
      }
      return;
    }
    StringBuilder sb = new StringBuilder(n + 8);
    if (quote) {
      sb.append('"');
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    } else {
      sb.append(value);
    }
    // Strict, like the writer before: an unpaired surrogate is an error, not a '?'.
    ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(sb));
    ensure(utf8.remaining());
    utf8.get(buf, len, utf8.remaining());
    len += utf8.limit();
  }

  @Override
  public void append(char c) {
    if (c >= 0x80 || c == ' ' || c == '"' || c == '=' || c == '\\' || Character.isISOControl(c)) {
      unsafe = true;
    }
    byte1(c);
  }

  @Override
  public void append(long v) {
    if (v < 1000 && v >= 0) {
      // the common case (VM ids, vector clock entries, queue lengths): no division loop
      ensure(3);
      int i = (int) v;
      if (i >= 100) {
        buf[len++] = (byte) ('0' + i / 100);
        i %= 100;
        buf[len++] = (byte) ('0' + i / 10);
        buf[len++] = (byte) ('0' + i % 10);
      } else if (i >= 10) {
        buf[len++] = (byte) ('0' + i / 10);
        buf[len++] = (byte) ('0' + i % 10);
      } else {
        buf[len++] = (byte) ('0' + i);
      }
      return;
    }
    if (v < 0) {
      bytes(ascii(Long.toString(v)));
      return;
    }
    int digits = 1;
    for (long p = 10; digits < 19 && v >= p; p *= 10) {
      digits++;
    }
    ensure(digits);
    int end = len + digits;
    for (int i = end - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    len = end;
  }

  private void byte1(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
