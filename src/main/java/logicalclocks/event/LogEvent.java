package logicalclocks.event;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of an event log: the required keys, then the event's extra keys in their written order.
 *
 * @param ts wall time of the event (kept at millisecond precision in the file)
 * @param vm id of the VM that logged it
 * @param event what happened
 * @param clock logical clock after the event
 * @param queue queue length after the event
 * @param extra further keys, in order (e.g. {@code to}, {@code msg} for SEND); kept as an
 *     unmodifiable copy (an {@link Extras} as it is, frozen, its values still in their own form)
 */
public record LogEvent(
    Instant ts, int vm, EventType event, long clock, int queue, Map<String, String> extra) {

  public LogEvent {
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(event, "event");
    extra =
        extra instanceof Extras x
            ? x.freeze()
            : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /**
   * Truncates a wall time to the log's precision (milliseconds), so a written and re-read event
   * compares equal.
   */
  public static Instant truncate(Instant ts) {
    return ts.truncatedTo(ChronoUnit.MILLIS);
  }

  /** An extra key's value, or null. */
  public String get(String key) {
    return extra.get(key);
  }

  /**
   * An extra key holding comma-separated values (e.g. {@code to}, {@code msg}); empty when absent.
   */
  public List<String> list(String key) {
    String value = extra.get(key);
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    return value.indexOf(',') < 0 ? List.of(value) : List.of(value.split(",", -1));
  }

  /**
   * An extra key holding a long; fails with {@link LogFormatException} when absent or malformed.
   */
  public long longValue(String key) {
    String value = extra.get(key);
    if (value == null) {
      throw new LogFormatException("missing key '" + key + "' in " + event + " line");
    }
    try {
      if (!asciiInteger(value)) {
        throw new NumberFormatException(value);
      }
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new LogFormatException("key '" + key + "' is not an integer: '" + value + "'");
    }
  }

  /**
   * Whether {@code s} is an integer as the log writes one: an optional '-' then 1 to 19 ASCII
   * digits (Long.parseLong alone also takes '+' and the digits of other scripts).
   */
  public static boolean asciiInteger(String s) {
    int start = !s.isEmpty() && s.charAt(0) == '-' ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 19) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Builds the extra map from key, value pairs. */
  public static Map<String, String> extras(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(String.valueOf(keysAndValues[i]), String.valueOf(keysAndValues[i + 1]));
    }
    return map;
  }
}
