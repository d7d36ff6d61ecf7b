package logicalclocks.analysis.cuts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.vm.Snapshots;

/**
 * Whether the state a complete snapshot recorded was ever the system's state at one wall-clock
 * instant: VM i held its recorded state from its last event inside the cut (or its START) until its
 * first event outside it (or its log's end); the VMs were all in their recorded states at once
 * exactly when the latest of those beginnings is before the earliest of those ends. Read by each
 * VM's own clock ({@code ts}; in a {@code local} run every VM reads the same host clock).
 */
public final class SnapshotTimes {
  private SnapshotTimes() {}

  /**
   * A run's complete snapshots, and how many of them recorded a state the system was never in at
   * one wall-clock instant.
   *
   * @param snapshots every record in the run's folder
   * @param complete the complete ones
   * @param neverAtOneInstant the complete ones whose state held at no single instant
   * @param widestGapMs of those, the largest gap between the latest beginning and the earliest end
   */
  public record Study(int snapshots, int complete, int neverAtOneInstant, long widestGapMs) {}

  /** Studies the snapshot records of a run's log folder (none: zeros). */
  public static Study of(Path dir)
      throws IOException, EventLogReader.BadLogException, SnapshotFiles.BadRecordException {
    List<Snapshots.Record> complete = new ArrayList<>();
    int all = 0;
    for (Path p : SnapshotFiles.files(dir).values()) {
      all++;
      Snapshots.Record r = SnapshotFiles.read(p);
      if (r.complete()) {
        complete.add(r);
      }
    }
    if (complete.isEmpty()) {
      return new Study(all, 0, 0, 0);
    }
    TreeMap<Integer, Path> files = EventLogReader.logFiles(dir);
    // per snapshot: the latest beginning and the earliest end of the VMs' recorded states
    long[] begin = new long[complete.size()];
    long[] end = new long[complete.size()];
    java.util.Arrays.fill(begin, Long.MIN_VALUE);
    java.util.Arrays.fill(end, Long.MAX_VALUE);
    for (var f : files.entrySet()) {
      int vm = f.getKey();
      long[] events = new long[complete.size()];
      for (int s = 0; s < complete.size(); s++) {
        events[s] = -1;
        for (Snapshots.VmState v : complete.get(s).vms()) {
          if (v.vm() == vm) {
            events[s] = v.events();
          }
        }
      }
      long[] ticks = {0};
      long[] lastTs = {Long.MIN_VALUE};
      boolean[] ended = new boolean[complete.size()];
      EventLogReader.forEach(
          f.getValue(),
          l -> {
            LogEvent e = l.event();
            long ts = e.ts().toEpochMilli();
            if (e.event().isTick()) {
              for (int s = 0; s < events.length; s++) {
                if (!ended[s] && ticks[0] == events[s]) { // its first event outside the cut
                  end[s] = Math.min(end[s], ts);
                  ended[s] = true;
                }
              }
              ticks[0]++;
              for (int s = 0; s < events.length; s++) {
                if (ticks[0] == events[s]) { // its last event inside
                  begin[s] = Math.max(begin[s], ts);
                }
              }
            } else if (lastTs[0] == Long.MIN_VALUE) {
              for (int s = 0; s < events.length; s++) {
                if (events[s] == 0) {
                  begin[s] = Math.max(begin[s], ts); // its START
                }
              }
            }
            lastTs[0] = ts;
          });
    }
    int never = 0;
    long widest = 0;
    for (int s = 0; s < complete.size(); s++) {
      if (begin[s] >= end[s]) {
        never++;
        widest = Math.max(widest, begin[s] - end[s]);
      }
    }
    return new Study(all, complete.size(), never, widest);
  }
}
