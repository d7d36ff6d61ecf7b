package logicalclocks.vm;

/**
 * A snapshot of a VM's counters, for status lines and summaries; {@code missed} is the tick slots
 * its loop skipped ({@link TickLoop}).
 */
public record VmStats(
    int id,
    int rate,
    long clock,
    int queue,
    long events,
    long sends,
    long receives,
    long internals,
    long drops,
    int maxQueue,
    long maxJump,
    long missed) {}
