package logicalclocks.clock;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A vector clock: one counter per VM, immutable. The standard rules: a VM adds 1 to its own entry
 * on each of its events; on receiving, it first takes the element-wise maximum with the message's
 * vector. Event a happened before event b exactly when vc(a) &lt;= vc(b) entry by entry and they
 * differ; otherwise (neither below the other) they are concurrent.
 *
 * <p>Written compactly as {@code 0:12,1:7,2:9}: VM id, colon, counter, comma-separated, ascending,
 * zero entries left out (the empty vector is the empty string).
 */
public final class VectorClock {
  private static final VectorClock EMPTY = new VectorClock(new long[0]);

  private final long[] entries;

  private VectorClock(long[] entries) {
    this.entries = entries;
  }

  /** The vector of a VM that has seen nothing. */
  public static VectorClock zero() {
    return EMPTY;
  }

  /** A vector from explicit entries (VM id to counter; zero entries may be omitted). */
  public static VectorClock of(Map<Integer, Long> entries) {
    int size = entries.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    long[] e = new long[size];
    entries.forEach(
        (vm, count) -> {
          if (vm < 0 || count < 0) {
            throw new IllegalArgumentException("vector entry " + vm + ":" + count);
          }
          e[vm] = count;
        });
    return new VectorClock(e);
  }

  /** The number of VM ids it has a slot for (every higher id's counter is 0). */
  public int slots() {
    return entries.length;
  }

  /** VM {@code vm}'s counter (0 when absent). */
  public long get(int vm) {
    return vm < entries.length ? entries[vm] : 0;
  }

  /** This vector after one more event of VM {@code self}. */
  public VectorClock tick(int self) {
    long[] e = Arrays.copyOf(entries, Math.max(entries.length, self + 1));
    e[self]++;
    return new VectorClock(e);
  }

  /** The element-wise maximum of this vector and {@code other}. */
  public VectorClock merge(VectorClock other) {
    long[] e = Arrays.copyOf(entries, Math.max(entries.length, other.entries.length));
    for (int i = 0; i < other.entries.length; i++) {
      e[i] = Math.max(e[i], other.entries[i]);
    }
    return new VectorClock(e);
  }

  /** Whether every entry of this vector is at most the same entry of {@code other}. */
  public boolean lessOrEqual(VectorClock other) {
    for (int i = 0; i < entries.length; i++) {
      if (entries[i] > other.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the event with this vector happened before the event with {@code other}. */
  public boolean happenedBefore(VectorClock other) {
    return lessOrEqual(other) && !equals(other);
  }

  /** Whether neither event happened before the other. */
  public boolean concurrentWith(VectorClock other) {
    return !lessOrEqual(other) && !other.lessOrEqual(this);
  }

  /** The non-zero entries, by ascending VM id. */
  public Map<Integer, Long> entries() {
    Map<Integer, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i++) {
      if (entries[i] != 0) {
        out.put(i, entries[i]);
      }
    }
    return out;
  }

  /** The compact form, e.g. {@code 0:12,1:7,2:9}. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < entries.length; i++) {
      if (entries[i] != 0) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(i).append(':').append(entries[i]);
      }
    }
    return sb.toString();
  }

  /**
   * Parses the compact form: ascending VM ids, positive counters.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static VectorClock parse(String text) {
    if (text.isEmpty()) {
      return EMPTY;
    }
    long[] e = new long[8];
    int previous = -1;
    int n = text.length();
    int i = 0;
    while (i <= n) {
      int end = text.indexOf(',', i);
      if (end < 0) {
        end = n;
      }
      int colon = text.indexOf(':', i);
      int vm;
      long count;
      try {
        if (colon < 0 || colon > end) {
          throw new NumberFormatException();
        }
        vm = Integer.parseInt(text, i, colon, 10);
        count = Long.parseLong(text, colon + 1, end, 10);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("'" + text.substring(i, end) + "' is not <vm>:<count>");
      }
      if (vm <= previous || count < 1 || vm > 1_000_000) {
        throw new IllegalArgumentException(
            "'" + text + "' needs ascending VM ids with counts of at least 1");
      }
      if (vm >= e.length) {
        e = Arrays.copyOf(e, Math.max(vm + 1, 2 * e.length));
      }
      e[vm] = count;
      previous = vm;
      i = end + 1;
    }
    return new VectorClock(Arrays.copyOf(e, previous + 1));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VectorClock other)) {
      return false;
    }
    int n = Math.max(entries.length, other.entries.length);
    for (int i = 0; i < n; i++) {
      if (get(i) != other.get(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return entries().hashCode();
  }

  @Override
  public String toString() {
    return "[" + format() + "]";
  }
}
