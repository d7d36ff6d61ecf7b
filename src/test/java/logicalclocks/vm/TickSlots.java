package logicalclocks.vm;

import java.util.Collection;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;

/**
 * The tick slots a VM's log accounts for: its tick events plus the slots its lines say were skipped
 * ({@code missed=}). A real-time VM has {@code rate x duration} slots; on a loaded machine it may
 * skip some (TickLoop), so a test that counts a run's ticks exactly counts slots.
 */
public final class TickSlots {
  private TickSlots() {}

  /** Slots of {@code events}: tick events + missed. */
  public static long of(Collection<LogEvent> events) {
    return events.stream().filter(e -> e.event().isTick()).count() + missed(events);
  }

  /** Slots skipped, as {@code events} say ({@code missed=} on tick lines and STOP). */
  public static long missed(Collection<LogEvent> events) {
    return events.stream().mapToLong(VirtualMachine::missedOf).sum();
  }

  /** Slots of a log as read. */
  public static long ofLines(Collection<EventLogReader.Line> lines) {
    return of(lines.stream().map(EventLogReader.Line::event).toList());
  }

  /** Slots skipped in a log as read. */
  public static long missedInLines(Collection<EventLogReader.Line> lines) {
    return missed(lines.stream().map(EventLogReader.Line::event).toList());
  }
}
