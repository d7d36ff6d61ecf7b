package logicalclocks.analysis.stream;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of non-negative longs kept as disjoint ranges: a VM's message sequences are consecutive, so
 * the sequences it sent, or those that have a fate, take one range each in a steady run and one
 * more per gap (a message still unsettled).
 */
public final class SeqRanges {
  private final TreeMap<Long, Long> ranges = new TreeMap<>(); // first -> last, inclusive, below top
  private long topFirst = -1; // the highest range, kept apart: most adds extend it by one
  private long topLast = -2;

  public boolean contains(long v) {
    if (v >= topFirst && v <= topLast) {
      return true;
    }
    Map.Entry<Long, Long> e = ranges.floorEntry(v);
    return e != null && v <= e.getValue();
  }

  /** Adds {@code v}; returns false when it was there already. */
  public boolean add(long v) {
    if (v >= topFirst && v <= topLast) {
      return false;
    }
    if (v == topLast + 1 && topFirst >= 0) {
      topLast = v;
      return true;
    }
    if (v > topLast) {
      if (topFirst >= 0) {
        ranges.put(topFirst, topLast);
      }
      topFirst = v;
      topLast = v;
      return true;
    }
    if (!addBelow(v)) {
      return false;
    }
    // A range now ending just below the top joins it.
    Map.Entry<Long, Long> below = ranges.floorEntry(topFirst - 1);
    if (below != null && below.getValue() == topFirst - 1) {
      ranges.remove(below.getKey());
      topFirst = below.getKey();
    }
    return true;
  }

  private boolean addBelow(long v) {
    Map.Entry<Long, Long> below = ranges.floorEntry(v);
    if (below != null && v <= below.getValue()) {
      return false;
    }
    boolean joinsBelow = below != null && below.getValue() == v - 1;
    Long aboveLast = ranges.get(v + 1);
    if (joinsBelow && aboveLast != null) {
      ranges.remove(v + 1);
      ranges.put(below.getKey(), aboveLast);
    } else if (joinsBelow) {
      ranges.put(below.getKey(), v);
    } else if (aboveLast != null) {
      ranges.remove(v + 1);
      ranges.put(v, aboveLast);
    } else {
      ranges.put(v, v);
    }
    return true;
  }

  /** Number of ranges (the memory this set takes). */
  public int ranges() {
    return ranges.size() + (topFirst >= 0 ? 1 : 0);
  }
}
