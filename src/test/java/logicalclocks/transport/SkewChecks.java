package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import logicalclocks.clock.HybridTime;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.VirtualMachine;

/**
 * What a run in which one VM's wall clock is {@code lead} ms ahead of the others' (all on one host
 * clock) must show in its logs, whatever made it ahead (its CLOCK_OFFSET_MS, or faketime):
 *
 * <ul>
 *   <li>the ahead VM stamps its lines {@code lead} ahead of the host's time, its peers do not;
 *   <li>the ahead VM's hybrid clock is its own wall clock ({@code l == ts} on every tick line: no
 *       clock it hears of is later);
 *   <li>a peer's {@code l} is its own {@code ts} until it RECEIVEs anything, is pulled to about
 *       {@code ts + lead} by its first RECEIVE from the ahead VM, and is never more than {@code
 *       lead} ahead of its {@code ts} (the largest physical time anyone read is the ahead VM's);
 *   <li>Lamport clocks do not see it: no VM's clock exceeds the number of events in the run.
 * </ul>
 *
 * Shared by the container test (ComposeIT) and the process test ({@link SkewedClockIT}).
 */
public final class SkewChecks {
  private SkewChecks() {}

  /**
   * What was seen, for the report.
   *
   * @param firstPull each peer's {@code l - ts} (ms) at its first RECEIVE from the ahead VM
   * @param maxLamport the largest Lamport clock of any line
   * @param events tick lines in the run (SEND, RECEIVE, INTERNAL), all VMs
   */
  public record Seen(Map<Integer, Long> firstPull, long maxLamport, long events) {}

  /** Whether a line is one of a tick (it carries a hybrid time). */
  static boolean tick(LogEvent e) {
    return e.event() == EventType.SEND
        || e.event() == EventType.RECEIVE
        || e.event() == EventType.INTERNAL;
  }

  /**
   * Checks {@code logs} of a run between host times {@code from} and {@code to} in which VM {@code
   * ahead}'s wall clock is {@code leadMs} ahead, its peers' {@code l} at their first RECEIVE from
   * it no more than {@code maxLatencyMs} below {@code ts + lead}.
   */
  public static Seen check(
      SortedMap<Integer, List<EventLogReader.Line>> logs,
      int ahead,
      long leadMs,
      long maxLatencyMs,
      Instant from,
      Instant to) {
    long events = 0;
    long maxLamport = 0;
    Map<Integer, Long> firstPull = new java.util.TreeMap<>();
    for (var entry : logs.entrySet()) {
      int vm = entry.getKey();
      List<LogEvent> log = new ArrayList<>();
      entry.getValue().forEach(l -> log.add(l.event()));
      long shift = vm == ahead ? leadMs : 0;
      for (LogEvent e : log) {
        assertThat(e.ts())
            .as("VM %d's ts (%s) is the host's time%s", vm, e, vm == ahead ? " + " + leadMs : "")
            .isBetween(from.plusMillis(shift - 1), to.plusMillis(shift + 1));
        maxLamport = Math.max(maxLamport, e.clock());
      }
      boolean received = false;
      boolean pulled = false;
      for (LogEvent e : log) {
        if (!tick(e)) {
          continue;
        }
        events++;
        HybridTime h = VirtualMachine.hlcOf(e);
        assertThat(h).as("VM %d's tick line carries hlc: %s", vm, e).isNotNull();
        long lead = h.l() - e.ts().toEpochMilli();
        if (vm == ahead) {
          assertThat(lead).as("the ahead VM's hlc l is its own ts: %s", e).isZero();
          continue;
        }
        assertThat(lead)
            .as("VM %d's hlc l is at or above its ts, at most %d ms ahead: %s", vm, leadMs, e)
            .isBetween(0L, leadMs);
        if (!received) {
          if (e.event() != EventType.RECEIVE) {
            assertThat(lead).as("VM %d's l before it hears from anyone: %s", vm, e).isZero();
          }
          received = e.event() == EventType.RECEIVE;
        }
        if (!pulled && e.event() == EventType.RECEIVE && ("" + ahead).equals(e.get("from"))) {
          pulled = true;
          firstPull.put(vm, lead);
          assertThat(lead)
              .as(
                  "VM %d's l pulled to ~ts + %d by its first RECEIVE from VM %d: %s",
                  vm, leadMs, ahead, e)
              .isGreaterThanOrEqualTo(leadMs - maxLatencyMs);
        }
      }
      if (vm != ahead) {
        assertThat(pulled).as("VM %d RECEIVEd from the ahead VM %d", vm, ahead).isTrue();
      }
    }
    assertThat(maxLamport)
        .as("Lamport clocks count events (%d in the run), not wall time", events)
        .isLessThanOrEqualTo(events);
    return new Seen(firstPull, maxLamport, events);
  }
}
