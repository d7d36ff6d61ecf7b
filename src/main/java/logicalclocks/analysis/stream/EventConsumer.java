package logicalclocks.analysis.stream;

import logicalclocks.log.EventLogReader.Line;

/**
 * One consumer of the single pass over a run's events: it is told the run (before the first line),
 * fed every line of every VM (each VM's lines in their order; the VMs' lines merged in an order
 * compatible with happens-before when read from files), told when a VM's log ends, and when the run
 * ends. It keeps state bounded by the number of VMs and the messages still unsettled.
 */
public interface EventConsumer {
  /** Before the first line. */
  default void begin(RunInfo run) {}

  /** The next line of VM {@code line.event().vm()}'s log (its file says which VM). */
  void accept(int vm, Line line);

  /** VM {@code vm}'s log has no more lines ({@code last} is its last, or null when empty). */
  default void endOfLog(int vm, Line last) {}

  /** After every log has ended. */
  default void end() {}
}
