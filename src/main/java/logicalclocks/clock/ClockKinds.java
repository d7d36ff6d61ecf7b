package logicalclocks.clock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The clock kinds there are: the vector and hybrid clocks, and any other a jar on the class path
 * names in {@code META-INF/services/logicalclocks.clock.ClockKind} (found once). A run keeps the
 * vector clock unless told not to, the hybrid clock always, and others it names ({@code
 * EXTRA_CLOCKS}); each consumer asks here, never lists kinds itself.
 */
public final class ClockKinds {
  private static final Map<String, ClockKind<?>> BY_NAME;
  private static final Map<String, ClockKind<?>> BY_KEY;

  static {
    Map<String, ClockKind<?>> byName = new LinkedHashMap<>();
    Map<String, ClockKind<?>> byKey = new LinkedHashMap<>();
    // the hybrid clock first: a tick line writes hlc before vc
    List<ClockKind<?>> all = new ArrayList<>(List.of(ClockKind.HYBRID, ClockKind.VECTOR));
    for (ClockKind<?> k : ServiceLoader.load(ClockKind.class)) {
      all.add(k);
    }
    for (ClockKind<?> k : all) {
      if (byName.putIfAbsent(k.name(), k) != null || byKey.putIfAbsent(k.key(), k) != null) {
        throw new IllegalStateException(
            "two clock kinds named " + k.name() + " or keyed " + k.key());
      }
    }
    BY_NAME = Collections.unmodifiableMap(byName);
    BY_KEY = Collections.unmodifiableMap(byKey);
  }

  private ClockKinds() {}

  /** Every kind, the built-in ones first. */
  public static List<ClockKind<?>> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** The kinds besides the vector and hybrid clocks (named by runs that keep them). */
  public static List<ClockKind<?>> extra() {
    return BY_NAME.values().stream()
        .filter(k -> k != ClockKind.VECTOR && k != ClockKind.HYBRID)
        .toList();
  }

  /** The kind called {@code name}, or null. */
  public static ClockKind<?> named(String name) {
    return BY_NAME.get(name);
  }

  /** The kind whose value a line writes under {@code key}, or null. */
  public static ClockKind<?> keyed(String key) {
    return BY_KEY.get(key);
  }

  /**
   * The kinds a run keeps, in their order here: the vector clock when {@code vector}, the hybrid
   * clock, and the kinds named in {@code extra} (names {@link #named} knows).
   */
  public static List<ClockKind<?>> of(boolean vector, List<String> extra) {
    List<ClockKind<?>> out = new ArrayList<>();
    for (ClockKind<?> k : BY_NAME.values()) {
      if (k == ClockKind.VECTOR ? vector : k == ClockKind.HYBRID || extra.contains(k.name())) {
        out.add(k);
      }
    }
    return List.copyOf(out);
  }
}
