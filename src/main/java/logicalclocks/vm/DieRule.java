package logicalclocks.vm;

import java.util.List;

/**
 * The assignment's die rule for N VMs. With the other VMs ordered by id, outcome k in 1..N-1 sends
 * to the k-th other VM, outcome N sends to every other VM, and any other outcome is an internal
 * event.
 */
public final class DieRule {
  private DieRule() {}

  /**
   * The recipients of a roll; empty for an internal event.
   *
   * @param roll the die's outcome, 1..sides
   * @param others the other VMs' ids in ascending order
   */
  public static List<Integer> recipients(int roll, List<Integer> others) {
    if (roll >= 1 && roll <= others.size()) {
      return List.of(others.get(roll - 1));
    }
    if (roll == others.size() + 1) {
      return others;
    }
    return List.of();
  }

  /** Probability that a roll is an internal event: (sides - N) / sides. */
  public static double internalProbability(int sides, int machines) {
    return Math.max(0, sides - machines) / (double) sides;
  }
}
