package logicalclocks.clock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The values of the clock kinds a VM keeps, as one event left them or a message carries them: a
 * small immutable map from kind to value (in the order of the kinds given).
 */
public final class Stamps {
  /** No clock besides Lamport's. */
  public static final Stamps NONE = new Stamps(List.of(), List.of());

  private final List<ClockKind<?>> kinds;
  private final List<Object> values;

  private Stamps(List<ClockKind<?>> kinds, List<Object> values) {
    this.kinds = kinds;
    this.values = values;
  }

  /** Each kind at its zero. */
  public static Stamps zero(List<ClockKind<?>> kinds) {
    List<Object> v = new ArrayList<>(kinds.size());
    for (ClockKind<?> k : kinds) {
      v.add(k.zero());
    }
    return new Stamps(List.copyOf(kinds), Collections.unmodifiableList(v));
  }

  /** These kinds' values (a value may be null: none known). */
  public static Stamps of(Map<ClockKind<?>, Object> values) {
    List<ClockKind<?>> k = new ArrayList<>();
    List<Object> v = new ArrayList<>();
    values.forEach(
        (kind, value) -> {
          if (value != null && !kind.type().isInstance(value)) {
            throw new IllegalArgumentException(
                kind.name() + " value " + value + " is not a " + kind.type());
          }
          k.add(kind);
          v.add(value);
        });
    return new Stamps(List.copyOf(k), Collections.unmodifiableList(v));
  }

  /** The kinds held, in order. */
  public List<ClockKind<?>> kinds() {
    return kinds;
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return kinds.isEmpty();
  }

  /** The value of {@code kind}, or null when it is not held (or not known). */
  public <T> T get(ClockKind<T> kind) {
    int i = kinds.indexOf(kind);
    return i < 0 ? null : kind.type().cast(values.get(i));
  }

  /** The i-th value. */
  public Object value(int i) {
    return values.get(i);
  }

  /** These values with {@code kind}'s replaced (or added) by {@code value}. */
  public <T> Stamps with(ClockKind<T> kind, T value) {
    List<ClockKind<?>> k = new ArrayList<>(kinds);
    List<Object> v = new ArrayList<>(values);
    int i = k.indexOf(kind);
    if (i < 0) {
      k.add(kind);
      v.add(value);
    } else {
      v.set(i, value);
    }
    return new Stamps(List.copyOf(k), Collections.unmodifiableList(v));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stamps s && s.kinds.equals(kinds) && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return kinds.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < kinds.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(kinds.get(i).key()).append('=').append(values.get(i));
    }
    return sb.append('}').toString();
  }
}
