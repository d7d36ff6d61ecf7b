package logicalclocks.analysis.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;

/**
 * The one pass over a run's logs: a k-way merge of the VMs' logs in Lamport order (clock, then VM
 * id), each VM's lines in its own order, fed to every consumer. In a valid run every SEND comes
 * before its RECEIVE in this order (a RECEIVE's clock is above its SEND's, and a VM's clocks never
 * fall), so consumers settle each message as soon as its fate is read. Memory: one line per VM.
 */
public final class Pass {
  private Pass() {}

  /** Runs the pass; returns the number of lines read. */
  public static long run(
      SortedMap<Integer, LineSource> logs, List<? extends EventConsumer> consumers)
      throws BadLogException {
    RunInfo info = info(logs);
    for (EventConsumer c : consumers) {
      c.begin(info);
    }
    Heads heads = new Heads(logs.size());
    List<Integer> empty = new ArrayList<>();
    for (var e : logs.entrySet()) {
      Line first = e.getValue().next();
      if (first == null) {
        empty.add(e.getKey());
      } else {
        heads.add(first, e.getKey(), e.getValue());
      }
    }
    for (int vm : empty) {
      for (EventConsumer c : consumers) {
        c.endOfLog(vm, null);
      }
    }
    long lines = 0;
    while (heads.size > 0) {
      Line line = heads.line[0];
      int vm = heads.vm[0];
      LineSource source = heads.source[0];
      lines++;
      info.host().line(vm, line.event());
      for (EventConsumer c : consumers) {
        c.accept(vm, line);
      }
      Line next = source.next();
      if (next != null) {
        heads.replaceTop(next);
      } else {
        heads.removeTop();
        for (EventConsumer c : consumers) {
          c.endOfLog(vm, line);
        }
      }
    }
    for (EventConsumer c : consumers) {
      c.end();
    }
    return lines;
  }

  /**
   * The logs' next lines, least (clock, VM id) on top: a binary heap over arrays, since the pass
   * takes the top and replaces it once per line read.
   */
  private static final class Heads {
    final long[] clock;
    final int[] vm;
    final Line[] line;
    final LineSource[] source;
    int size;

    Heads(int capacity) {
      clock = new long[capacity];
      vm = new int[capacity];
      line = new Line[capacity];
      source = new LineSource[capacity];
    }

    void add(Line l, int id, LineSource s) {
      int i = size++;
      set(i, l.event().clock(), id, l, s);
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!less(i, parent)) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    }

    /** The top's log has a next line: it replaces the top, which sinks to its place. */
    void replaceTop(Line l) {
      clock[0] = l.event().clock();
      line[0] = l;
      sink();
    }

    void removeTop() {
      size--;
      set(0, clock[size], vm[size], line[size], source[size]);
      line[size] = null;
      source[size] = null;
      sink();
    }

    private void sink() {
      int i = 0;
      while (true) {
        int least = i;
        int a = 2 * i + 1;
        int b = a + 1;
        if (a < size && less(a, least)) {
          least = a;
        }
        if (b < size && less(b, least)) {
          least = b;
        }
        if (least == i) {
          return;
        }
        swap(i, least);
        i = least;
      }
    }

    private boolean less(int a, int b) {
      return clock[a] != clock[b] ? clock[a] < clock[b] : vm[a] < vm[b];
    }

    private void set(int i, long c, int id, Line l, LineSource s) {
      clock[i] = c;
      vm[i] = id;
      line[i] = l;
      source[i] = s;
    }

    private void swap(int a, int b) {
      long c = clock[a];
      int id = vm[a];
      Line l = line[a];
      LineSource s = source[a];
      set(a, clock[b], vm[b], line[b], source[b]);
      set(b, c, id, l, s);
    }
  }

  static RunInfo info(SortedMap<Integer, LineSource> logs) throws BadLogException {
    Long base = null;
    Long end = null;
    SortedMap<Integer, Long> first = new TreeMap<>();
    for (var e : logs.entrySet()) {
      Instant f = e.getValue().first();
      Instant l = e.getValue().last();
      if (f != null) {
        first.put(e.getKey(), f.toEpochMilli());
        base = base == null ? f.toEpochMilli() : Math.min(base, f.toEpochMilli());
      }
      if (l != null) {
        end = end == null ? l.toEpochMilli() : Math.max(end, l.toEpochMilli());
      }
    }
    long b = base == null ? 0 : base;
    first.replaceAll((vm, ms) -> ms - b);
    long endMs = end == null ? 0 : Math.max(0, end - b);
    return new RunInfo(new TreeSet<>(logs.keySet()), b, first, endMs);
  }
}
