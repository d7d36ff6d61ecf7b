package logicalclocks.log;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import logicalclocks.event.EventType;
import logicalclocks.event.Extras;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;

/**
 * THE event-log line format, used by every writer and every parser.
 *
 * <p>One event per line in logfmt: {@code key=value} pairs separated by single spaces. The required
 * keys come first, in this order: {@code ts vm event clock queue}; then the event's own keys. A
 * value that is empty or holds a space, a double quote, an equals sign or a backslash is written in
 * double quotes, with {@code \"} and {@code \\} escapes. {@code ts} is ISO-8601 UTC with
 * milliseconds.
 *
 * <pre>
 * ts=2026-11-25T23:59:01.123Z vm=0 event=SEND clock=17 queue=0 to=1,2 msg=0-8,0-9 die=3
 * </pre>
 */
public final class EventLogFormat {
  /** Required keys, in order. */
  public static final List<String> REQUIRED_KEYS = List.of("ts", "vm", "event", "clock", "queue");

  /**
   * The keys each event must carry after the required ones, each with a non-empty value. Other keys
   * are optional: {@code resumed} on START, {@code queued} on STOP (the ids left in the queue,
   * absent when empty), {@code missed} on a tick line or STOP (tick slots skipped before it).
   */
  public static final Map<EventType, List<String>> EVENT_KEYS =
      Map.of(
          EventType.START, List.of("rate", "sides", "seed", "peers"),
          EventType.SEND, List.of("to", "msg", "die"),
          EventType.RECEIVE, List.of("from", "msg", "sent"),
          EventType.INTERNAL, List.of("die"),
          EventType.DROP, List.of("to", "msg", "reason"),
          EventType.SNAPSHOT, List.of("snap"),
          EventType.STOP, List.of("reason"));

  /** Whether {@code s} is a key: {@code [a-z_][a-z0-9_]*}. */
  static boolean isKey(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private EventLogFormat() {}

  /** The file name of VM {@code id}'s log. */
  public static String fileName(int id) {
    return "machine_" + id + ".log";
  }

  /** Parses a VM id out of a log file name, or returns -1 when the name is not a VM log. */
  private static final Pattern FILE_NAME = Pattern.compile("machine_(\\d{1,9})\\.log");

  public static int idOfFileName(String name) {
    var m = FILE_NAME.matcher(name);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  public static String format(LogEvent e) {
    StringBuilder sb = new StringBuilder(96);
    sb.append("ts=");
    Timestamps.append(sb, e.ts());
    sb.append(" vm=").append(e.vm());
    sb.append(" event=").append(e.event().name());
    sb.append(" clock=").append(e.clock());
    sb.append(" queue=").append(e.queue());
    for (Map.Entry<String, String> kv : e.extra().entrySet()) {
      if (!isKey(kv.getKey()) || REQUIRED_KEYS.contains(kv.getKey())) {
        throw new IllegalArgumentException("bad extra key: " + kv.getKey());
      }
      sb.append(' ').append(kv.getKey()).append('=');
      appendValue(sb, kv.getValue());
    }
    return sb.toString();
  }

  private static void appendValue(StringBuilder sb, String value) {
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ' ' || c == '"' || c == '=' || c == '\\' || Character.isISOControl(c);
    }
    if (!quote) {
      sb.append(value);
      return;
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
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
  }

  /**
   * The fast path for a line whose values are plain (as every tick line a VM writes): the value of
   * {@code key} (found as {@code " key="}, never the first key), up to the next space; null when
   * the line has no such key. Nothing is checked: a reader that needs a checked line parses it in
   * full ({@link #parse}); one that compares the line byte for byte (a replay) need not.
   */
  public static String plainValue(String line, String key) {
    int n = line.length();
    int k = key.length();
    int from = 0;
    while (true) {
      int at = line.indexOf(key, from);
      if (at < 1) {
        if (at < 0) {
          return null;
        }
        from = at + 1;
        continue;
      }
      int eq = at + k;
      if (line.charAt(at - 1) == ' ' && eq < n && line.charAt(eq) == '=') {
        int end = line.indexOf(' ', eq + 1);
        return line.substring(eq + 1, end < 0 ? n : end);
      }
      from = at + 1;
    }
  }

  /** A line's {@code ts} on the fast path, or null when it does not begin with one as written. */
  public static java.time.Instant plainTs(String line) {
    int end = line.indexOf(' ');
    return line.startsWith("ts=") && end > 3 ? Timestamps.parse(line.substring(3, end)) : null;
  }

  /** Parses one line; throws {@link LogFormatException} saying what is wrong. */
  public static LogEvent parse(String line) {
    Tokens pairs = tokenize(line);
    if (pairs.size < REQUIRED_KEYS.size()) {
      throw new LogFormatException(
          "expected keys "
              + String.join(" ", REQUIRED_KEYS)
              + " first, got "
              + pairs.size
              + " key(s)");
    }
    for (int i = 0; i < REQUIRED_KEYS.size(); i++) {
      if (!pairs.key(i).equals(REQUIRED_KEYS.get(i))) {
        throw new LogFormatException(
            "key "
                + (i + 1)
                + " must be '"
                + REQUIRED_KEYS.get(i)
                + "', got '"
                + pairs.key(i)
                + "'");
      }
    }
    Instant ts = Timestamps.parse(pairs.value(0));
    if (ts == null) {
      throw new LogFormatException(
          "ts is not ISO-8601 UTC with milliseconds: '" + pairs.value(0) + "'");
    }
    int vm = (int) number("vm", pairs.value(1), Integer.MAX_VALUE);
    EventType type = EVENT_NAMES.get(pairs.value(2));
    if (type == null) {
      throw new LogFormatException("unknown event '" + pairs.value(2) + "'");
    }
    long clock = number("clock", pairs.value(3), Long.MAX_VALUE);
    int queue = (int) number("queue", pairs.value(4), Integer.MAX_VALUE);
    Extras extra = new Extras(Math.max(1, pairs.size - REQUIRED_KEYS.size()));
    for (int i = REQUIRED_KEYS.size(); i < pairs.size; i++) {
      String key = pairs.key(i);
      if (REQUIRED_KEYS.contains(key) || extra.containsKey(key)) {
        throw new LogFormatException("duplicate key '" + key + "'");
      }
      extra.put(key, pairs.value(i));
    }
    for (String key : EVENT_KEYS.get(type)) {
      String value = extra.get(key);
      if (value == null || value.isEmpty()) {
        throw new LogFormatException(
            type
                + " needs a non-empty '"
                + key
                + "' ("
                + type
                + " keys: "
                + String.join(" ", EVENT_KEYS.get(type))
                + "), got "
                + (value == null ? "none" : key + "="));
      }
    }
    return new LogEvent(ts, vm, type, clock, queue, extra);
  }

  private static final Map<String, EventType> EVENT_NAMES = new java.util.HashMap<>();

  static {
    for (EventType t : EventType.values()) {
      EVENT_NAMES.put(t.name(), t);
    }
  }

  /** The keys the VMs write, shared by every line read: matched in place, not copied. */
  private static final String[] KNOWN_KEYS = {
    "ts",
    "vm",
    "event",
    "clock",
    "queue",
    "to",
    "msg",
    "die",
    "from",
    "sent",
    "vc",
    "reason",
    "queued",
    "rate",
    "sides",
    "seed",
    "peers",
    "resumed",
    "runid",
    "missed",
    "snap",
    "hlc",
    "offset_ms",
    "drift_ppm",
    "steps"
  };

  /** The known keys by length (most lines hold only these: matched without a copy). */
  private static final String[][] KNOWN_BY_LENGTH = byLength(KNOWN_KEYS);

  private static String[][] byLength(String[] keys) {
    int max = java.util.Arrays.stream(keys).mapToInt(String::length).max().orElse(0);
    String[][] out = new String[max + 1][];
    for (int len = 0; len <= max; len++) {
      final int l = len;
      out[len] = java.util.Arrays.stream(keys).filter(k -> k.length() == l).toArray(String[]::new);
    }
    return out;
  }

  /** The known key at {@code line[from, to)}, or null. */
  private static String knownKey(String line, int from, int to) {
    int n = to - from;
    if (n >= KNOWN_BY_LENGTH.length) {
      return null;
    }
    char first = line.charAt(from);
    for (String k : KNOWN_BY_LENGTH[n]) {
      if (k.charAt(0) == first && line.regionMatches(from + 1, k, 1, n - 1)) {
        return k;
      }
    }
    return null;
  }

  /** A line's key=value pairs, in order. */
  private static final class Tokens {
    String[] kv = new String[24];
    int size;

    void add(String key, String value) {
      if (2 * size + 2 > kv.length) {
        kv = java.util.Arrays.copyOf(kv, kv.length * 2);
      }
      kv[2 * size] = key;
      kv[2 * size + 1] = value;
      size++;
    }

    String key(int i) {
      return kv[2 * i];
    }

    String value(int i) {
      return kv[2 * i + 1];
    }
  }

  private static long number(String key, String value, long max) {
    if (!LogEvent.asciiInteger(value)) {
      // Long.parseLong takes '+5' and other scripts' digits ('27\u0668'): the log's numbers are
      // written in ASCII digits only.
      throw new LogFormatException(key + " is not a non-negative integer: '" + value + "'");
    }
    try {
      long v = Long.parseLong(value);
      if (v < 0 || v > max) {
        throw new LogFormatException(key + " out of range: " + value);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new LogFormatException(key + " is not a non-negative integer: '" + value + "'");
    }
  }

  private static Tokens tokenize(String line) {
    Tokens pairs = new Tokens();
    int i = 0;
    int n = line.length();
    while (i < n) {
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw new LogFormatException("expected key=value at column " + (i + 1));
      }
      String key = knownKey(line, i, eq);
      if (key == null) {
        key = line.substring(i, eq);
        if (!isKey(key)) {
          throw new LogFormatException("bad key '" + key + "' at column " + (i + 1));
        }
      }
      i = eq + 1;
      if (i < n && line.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i >= n) {
              break;
            }
            char esc = line.charAt(i++);
            switch (esc) {
              case 'n' -> value.append('\n');
              case 'r' -> value.append('\r');
              case 't' -> value.append('\t');
              case '"', '\\' -> value.append(esc);
              default ->
                  throw new LogFormatException(
                      "bad escape \\" + esc + " in value of '" + key + "'");
            }
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw new LogFormatException("unterminated quoted value of '" + key + "'");
        }
        pairs.add(key, value.toString());
      } else {
        int from = i;
        while (i < n && line.charAt(i) != ' ') {
          char c = line.charAt(i++);
          if (c == '"' || Character.isISOControl(c)) {
            throw new LogFormatException("unexpected character in value of '" + key + "'");
          }
        }
        pairs.add(key, line.substring(from, i));
      }
      if (i < n) {
        if (line.charAt(i) != ' ' || i + 1 >= n) {
          throw new LogFormatException("expected one space between pairs at column " + (i + 1));
        }
        i++;
      }
    }
    return pairs;
  }
}
