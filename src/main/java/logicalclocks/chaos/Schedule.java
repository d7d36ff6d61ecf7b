package logicalclocks.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded fault schedule: the same (seed, machines, duration, faults) always gives the same
 * faults. The run's window, from {@link #FIRST_MILLIS} after every VM started to {@link
 * #LAST_MARGIN_MILLIS} before its end, is cut into one slot per fault; each fault falls in the
 * first half of its slot, so it has the rest to recover before the next. With at least as many
 * faults as kinds every kind appears at least once; otherwise the kinds are distinct. {@link
 * FaultKind#KILL_AFTER_RUN} appears at most once and is always last: its VM stays down until the
 * others have finished, and a VM restarted meanwhile would wait for it.
 */
public final class Schedule {
  /** The earliest fault, after every VM has logged START. */
  public static final long FIRST_MILLIS = 2_000;

  /** No fault in the last this-many ms of the run. */
  public static final long LAST_MARGIN_MILLIS = 3_000;

  /** Shortest and longest time a VM stays down (kill-later) or paused. */
  public static final long MIN_HOLD_MILLIS = 1_000;

  public static final long MAX_HOLD_MILLIS = 4_000;

  /** At most one fault per this many seconds of run. */
  public static final int SECONDS_PER_FAULT = 3;

  private Schedule() {}

  /** Most faults a run of {@code durationSeconds} takes. */
  public static int maxFaults(long durationSeconds) {
    return (int) (durationSeconds / SECONDS_PER_FAULT);
  }

  public static List<Fault> generate(long seed, int machines, long durationSeconds, int faults) {
    if (machines < 1 || faults < 0 || faults > maxFaults(durationSeconds)) {
      throw new IllegalArgumentException(
          "faults=" + faults + " machines=" + machines + " duration=" + durationSeconds);
    }
    Random rng = new Random(seed ^ 0x6368616f73L); // "chaos": apart from the nodes' own streams
    List<FaultKind> kinds = kinds(rng, faults);
    long first = FIRST_MILLIS;
    long last = durationSeconds * 1000 - LAST_MARGIN_MILLIS;
    long slot = faults == 0 ? 0 : (last - first) / faults;
    List<Fault> out = new ArrayList<>();
    for (int i = 0; i < faults; i++) {
      long at = first + i * slot + (slot / 2 > 0 ? rng.nextLong(slot / 2) : 0);
      int vm = rng.nextInt(machines);
      FaultKind kind = kinds.get(i);
      long hold =
          kind == FaultKind.KILL_LATER || kind == FaultKind.PAUSE
              ? MIN_HOLD_MILLIS + 100 * rng.nextLong((MAX_HOLD_MILLIS - MIN_HOLD_MILLIS) / 100 + 1)
              : 0;
      out.add(new Fault(i + 1, at, vm, kind, hold));
    }
    return List.copyOf(out);
  }

  /** The kinds in schedule order: all of them when there is room, kill-after-run last. */
  private static List<FaultKind> kinds(Random rng, int faults) {
    List<FaultKind> all = new ArrayList<>(List.of(FaultKind.values()));
    List<FaultKind> kinds = new ArrayList<>();
    if (faults >= all.size()) {
      List<FaultKind> others = new ArrayList<>(all);
      others.remove(FaultKind.KILL_AFTER_RUN);
      kinds.addAll(others);
      while (kinds.size() < faults - 1) {
        kinds.add(others.get(rng.nextInt(others.size())));
      }
      Collections.shuffle(kinds, rng);
      kinds.add(FaultKind.KILL_AFTER_RUN);
    } else {
      Collections.shuffle(all, rng);
      kinds.addAll(all.subList(0, faults));
      if (kinds.remove(FaultKind.KILL_AFTER_RUN)) {
        kinds.add(FaultKind.KILL_AFTER_RUN);
      }
    }
    return kinds;
  }
}
