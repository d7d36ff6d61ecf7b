package logicalclocks.chaos;

import java.util.Locale;

/**
 * One planned fault.
 *
 * @param number 1-based position in the schedule
 * @param atMillis when to apply it, in ms after every VM has logged START
 * @param vm the VM it hits
 * @param kind what it does
 * @param holdMillis how long the VM stays down or paused ({@link FaultKind#KILL_LATER}, {@link
 *     FaultKind#PAUSE}); 0 for the other kinds
 */
public record Fault(int number, long atMillis, int vm, FaultKind kind, long holdMillis) {
  /** One schedule line: {@code #2 +12.3 s vm 1 kill-later SIGKILL, restart 2.0 s later}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "#%-2d %+8.1f s  vm %-2d %-15s %s",
        number,
        atMillis / 1000.0,
        vm,
        kind.id(),
        kind.describe(holdMillis));
  }
}
