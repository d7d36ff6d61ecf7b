package logicalclocks.analysis.stream;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the pass knows of a run before its first line: which VMs have logs, the wall time of the
 * run's first event (the origin of every {@code t} in milliseconds), each VM's first event, and the
 * wall time of the run's last event (from the last line of each log).
 *
 * @param logs VM ids that have a log
 * @param baseMs Unix milliseconds of the earliest first line
 * @param firstMs per VM, milliseconds since {@code baseMs} of its first line
 * @param endMs milliseconds since {@code baseMs} of the latest last line
 * @param host each VM's timestamps in host time (see {@link HostTime}): {@code baseMs}, {@code
 *     firstMs} and {@code endMs} are in it already
 */
public record RunInfo(
    SortedSet<Integer> logs,
    long baseMs,
    SortedMap<Integer, Long> firstMs,
    long endMs,
    HostTime host) {
  public RunInfo {
    logs = new TreeSet<>(logs);
  }

  /** A run whose clocks declare nothing. */
  public RunInfo(
      SortedSet<Integer> logs, long baseMs, SortedMap<Integer, Long> firstMs, long endMs) {
    this(logs, baseMs, firstMs, endMs, new HostTime());
  }

  /** Milliseconds since {@code baseMs}, in host time, of VM {@code vm}'s line {@code e}. */
  public long tMs(int vm, logicalclocks.event.LogEvent e) {
    return host.ms(vm, e.ts().toEpochMilli()) - baseMs;
  }

  public List<Integer> ids() {
    return List.copyOf(logs);
  }
}
