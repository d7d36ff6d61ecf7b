package logicalclocks.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's extra keys, in insertion order (a {@link java.util.LinkedHashMap}'s semantics: putting
 * a key again replaces its value in place), whose values may stay in their own form until read: a
 * {@link String}, a {@link Long} or {@link Integer}, or a {@link LogValue}. As a map it holds their
 * text, so it equals (and hashes as) the {@code Map<String, String>} of the same keys and texts. A
 * log writer reads the raw values ({@link #rawValue}) and writes numbers and {@link LogValue}s
 * without building their strings.
 *
 * <p>Mutable until a {@link LogEvent} takes it ({@link #freeze}): from then on it refuses changes,
 * so the event can keep it as it is.
 */
public final class Extras extends AbstractMap<String, String> {
  private String[] keys;
  private Object[] values;
  private int size;
  private boolean frozen;

  /** Values decoded by {@link #decoded}, by index (allocated on first use). */
  private Object[] decoded;

  private Extras(String[] keys, Object[] values, int size, boolean frozen) {
    this.keys = keys;
    this.values = values;
    this.size = size;
    this.frozen = frozen;
  }

  /** An empty, mutable map with room for {@code capacity} keys. */
  public Extras(int capacity) {
    this(new String[Math.max(1, capacity)], new Object[Math.max(1, capacity)], 0, false);
  }

  /**
   * Builds a map from key, value pairs: a value that is not a String, Long, Integer or LogValue is
   * kept as its {@link String#valueOf} text (as {@link LogEvent#extras} does).
   */
  public static Extras of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Extras x = new Extras(keysAndValues.length / 2 + 2);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      x.putRaw(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
    }
    return x;
  }

  /** Puts a key with a value kept in its own form (see {@link #of}); returns the old text. */
  public String putRaw(String key, Object value) {
    if (frozen) {
      throw new UnsupportedOperationException("an event's extra keys are immutable");
    }
    Object v = accepted(value) ? value : String.valueOf(value);
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        String old = text(i);
        values[i] = v;
        return old;
      }
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size] = v;
    size++;
    return null;
  }

  private static boolean accepted(Object value) {
    return value instanceof String
        || value instanceof Long
        || value instanceof Integer
        || value instanceof LogValue;
  }

  @Override
  public String put(String key, String value) {
    return putRaw(key, value == null ? NULL : value);
  }

  /** Stands for a null value put through {@link #put} (a map may hold one). */
  private static final Object NULL = new Object();

  /** Freezes this map (every later change throws) and returns it. */
  public Extras freeze() {
    frozen = true;
    return this;
  }

  /**
   * The value of {@code key} decoded: the typed value it was put with (a {@link LogValue} standing
   * for a {@code type}), or its text read by {@code parse} once, the same object on every later
   * call; null when the key is absent. A value that does not read throws what {@code parse} throws,
   * each time. For the one reader of each key (its decoder), so a line read by the verifier, the
   * measures and the page is decoded once.
   */
  public <T> T decoded(String key, Class<T> type, java.util.function.Function<String, T> parse) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    Object v = values[i];
    if (v instanceof LogValue lv && type.isInstance(lv.value())) {
      return type.cast(lv.value());
    }
    Object[] d = decoded;
    if (d != null && type.isInstance(d[i])) {
      return type.cast(d[i]);
    }
    String text = text(i);
    if (text == null) {
      return null;
    }
    T value = parse.apply(text);
    if (d == null || d.length < keys.length) {
      Object[] grown = new Object[keys.length];
      if (d != null) {
        System.arraycopy(d, 0, grown, 0, d.length);
      }
      decoded = d = grown;
    }
    d[i] = value; // an immutable value: a race only decodes it twice
    return value;
  }

  /** The i-th key, in order. */
  public String key(int i) {
    return keys[checked(i)];
  }

  /**
   * The i-th value in its own form: a String, Long, Integer or {@link LogValue}, or null for a null
   * value.
   */
  public Object rawValue(int i) {
    Object v = values[checked(i)];
    return v == NULL ? null : v;
  }

  private int checked(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return i;
  }

  private String text(int i) {
    Object v = values[i];
    if (v instanceof String s) {
      return s;
    }
    if (v == NULL) {
      return null;
    }
    return v.toString();
  }

  private int indexOf(Object key) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        return i; // the keys the writer and the reader share are one instance each
      }
    }
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public String get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : text(i);
  }

  @Override
  public String remove(Object key) {
    throw new UnsupportedOperationException("keys are only added");
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("keys are only added");
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(keys[i], text(i));
          }
        };
      }
    };
  }
}
