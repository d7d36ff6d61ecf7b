package logicalclocks.event;

/** Where a VM's events go. Implementations write each event before returning. */
@FunctionalInterface
public interface EventLog {
  void append(LogEvent event);
}
