package logicalclocks.sim;

import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * The discrete-event agenda of the simulation's drivers ({@link Simulation}, a fork's {@link
 * Rerun}): actions at virtual times in nanoseconds, run in time order; at one time, in the order of
 * their keys — by default the order they were added.
 */
final class Agenda {
  private record Event(long atNanos, long key, Runnable action) {}

  private final PriorityQueue<Event> events =
      new PriorityQueue<>(
          (a, b) ->
              a.atNanos() != b.atNanos()
                  ? Long.compare(a.atNanos(), b.atNanos())
                  : Long.compare(a.key(), b.key()));

  private long added;

  /** {@code action} at {@code nanos}, after those already due then. */
  void at(long nanos, Runnable action) {
    events.add(new Event(nanos, added++, action));
  }

  /**
   * {@code action} at {@code nanos}, ordered among those due then by {@code key} (keys from {@link
   * #at(long, Runnable)} count up from 0).
   */
  void at(long nanos, long key, Runnable action) {
    events.add(new Event(nanos, key, action));
  }

  /** The key the next {@link #at(long, Runnable)} would take. */
  long nextKey() {
    return added++;
  }

  /**
   * Runs every action, those they add too, in order; {@code time} is told each one's time first.
   */
  void drain(LongConsumer time) {
    Event e;
    while ((e = events.poll()) != null) {
      time.accept(e.atNanos());
      e.action().run();
    }
  }
}
