package logicalclocks.vm;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.config.ClockConfig;

/** Per-VM random streams derived from one run seed, so a seeded run repeats exactly. */
public final class Seeds {
  private Seeds() {}

  /**
   * The random stream of VM {@code id} in a run seeded with {@code seed}: picks its rate, then
   * rolls its die.
   */
  public static RandomGenerator forVm(long seed, int id) {
    return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + id));
  }

  /**
   * A random stream of the simulated network or schedule, apart from every VM's own stream (so
   * drawing from it changes no VM's rate or die): {@code purpose} names what it is for, e.g. 1 =
   * start phases, 2 = delays.
   */
  public static RandomGenerator forSimulation(long seed, int purpose) {
    return new SplittableRandom(mix(mix(seed ^ 0x5DEECE66DL) + purpose * 0x9E3779B97F4A7C15L));
  }

  /**
   * The random stream of the network weather on the link from VM {@code from} to VM {@code to} in a
   * run seeded with {@code seed}: apart from every VM's stream and from the simulation's, so
   * weather changes no VM's rate or die, and one link's draws never shift another's.
   */
  public static RandomGenerator forLink(long seed, int from, int to) {
    return new SplittableRandom(
        mix(mix(seed ^ 0x3C6EF372FE94F82BL) + (((long) from << 32) | (to & 0xFFFFFFFFL))));
  }

  /**
   * Each VM's start phase in a run seeded with {@code seed}: a fraction of its first tick period,
   * uniform in [0, 1), by VM id. The simulation and {@code local} both start VM i this far into its
   * first period, so the same seed gives the same phases in either engine, like independent
   * machines that were not started in step.
   */
  public static double[] startPhases(long seed, int machines) {
    RandomGenerator phases = forSimulation(seed, 1);
    double[] out = new double[machines];
    for (int i = 0; i < machines; i++) {
      out[i] = phases.nextDouble();
    }
    return out;
  }

  /**
   * The delay before a VM at {@code rate} ticks/s starts, for a phase from {@link #startPhases}.
   */
  public static long phaseNanos(double phase, int rate) {
    return (long) (phase * (1_000_000_000L / rate));
  }

  /**
   * VM {@code vm}'s physical clock in a run seeded with {@code seed}: its configured offset, or one
   * drawn uniformly from [-skew, skew] ms (a stream of its own, purpose 3: the same in every mode
   * and for a node that only knows its own id), its drift and its steps.
   */
  public static PhysicalClock.Spec physicalClock(ClockConfig clocks, int vm, long seed) {
    Long offset = clocks.offsetOf(vm);
    if (offset == null) {
      offset = 0L;
      if (clocks.skewMs() > 0) {
        RandomGenerator draws = forSimulation(seed, 3);
        for (int i = 0; i <= vm; i++) {
          offset = draws.nextLong(-clocks.skewMs(), clocks.skewMs() + 1);
        }
      }
    }
    return new PhysicalClock.Spec(
        offset,
        clocks.driftOf(vm),
        clocks.stepsOf(vm).stream().map(s -> new PhysicalClock.Step(s.atMs(), s.byMs())).toList());
  }

  /** A fresh random run seed, for runs without SEED. */
  public static long fresh() {
    return new SplittableRandom().nextLong() & Long.MAX_VALUE;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
