package logicalclocks.analysis.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
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
    record Head(Line line, int vm) {}
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            (a, b) -> {
              int byClock = Long.compare(a.line().event().clock(), b.line().event().clock());
              return byClock != 0 ? byClock : Integer.compare(a.vm(), b.vm());
            });
    List<Integer> empty = new ArrayList<>();
    for (var e : logs.entrySet()) {
      Line first = e.getValue().next();
      if (first == null) {
        empty.add(e.getKey());
      } else {
        heads.add(new Head(first, e.getKey()));
      }
    }
    for (int vm : empty) {
      for (EventConsumer c : consumers) {
        c.endOfLog(vm, null);
      }
    }
    long lines = 0;
    Head h;
    while ((h = heads.poll()) != null) {
      lines++;
      info.host().line(h.vm(), h.line().event());
      for (EventConsumer c : consumers) {
        c.accept(h.vm(), h.line());
      }
      Line next = logs.get(h.vm()).next();
      if (next != null) {
        heads.add(new Head(next, h.vm()));
      } else {
        for (EventConsumer c : consumers) {
          c.endOfLog(h.vm(), h.line());
        }
      }
    }
    for (EventConsumer c : consumers) {
      c.end();
    }
    return lines;
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
