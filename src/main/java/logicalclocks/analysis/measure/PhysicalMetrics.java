package logicalclocks.analysis.measure;

import java.util.List;

/**
 * The VMs' physical and hybrid clocks in one run ({@link PhysicalTime}).
 *
 * @param vms per VM, by id
 * @param maxHlcAheadMs the largest {@code l - pt} of any VM's hybrid clock, ms
 * @param maxHlcCounter the largest counter {@code c} of any VM's hybrid clock
 * @param offsetSpreadMs how far apart the VMs' declared clocks were at most over the run: the
 *     highest amount any added to host time minus the lowest (offsets, drift over the run, steps),
 *     ms; the paper bounds {@code l - pt} by it (plus what undeclared skew adds)
 * @param received messages RECEIVEd whose SEND is known
 * @param timeTravel of those, RECEIVEd before their SEND by the two VMs' wall clocks
 * @param largestTravelMs by how much, at most
 * @param causalPairs pairs of events of different VMs that are causally ordered, among those the
 *     false-order measure examined (-1 without vector clocks)
 * @param wallReversed of those, the pairs whose wall-clock order is reversed
 * @param lamportReversed of those, the pairs whose Lamport order is reversed (0 in a valid run)
 * @param hybridCompared causal pairs whose events both carry a hybrid clock
 * @param hybridReversed of those, the pairs whose hybrid order is reversed (0 in a valid run)
 */
public record PhysicalMetrics(
    List<VmClock> vms,
    long maxHlcAheadMs,
    long maxHlcCounter,
    long offsetSpreadMs,
    long received,
    long timeTravel,
    long largestTravelMs,
    long causalPairs,
    long wallReversed,
    long lamportReversed,
    long hybridCompared,
    long hybridReversed) {
  /**
   * One VM's clock.
   *
   * @param vm id
   * @param offsetMs declared offset (its START's {@code offset_ms})
   * @param driftPpm declared drift
   * @param steps declared steps, {@code <at ms>:<by ms>;...} (null: none)
   * @param hybrid whether its tick lines carry {@code hlc}
   * @param maxHlcAheadMs its largest {@code l - pt}
   * @param maxHlcCounter its largest {@code c}
   * @param wallStepsBack lines whose {@code ts} is before the line before them
   * @param largestStepBackMs the largest such step back, ms
   * @param maxLamportAhead the most its Lamport clock was ahead of its own count of events (what
   *     RECEIVEs pushed on it; no bound holds it)
   */
  public record VmClock(
      int vm,
      long offsetMs,
      long driftPpm,
      String steps,
      boolean hybrid,
      long maxHlcAheadMs,
      long maxHlcCounter,
      long wallStepsBack,
      long largestStepBackMs,
      long maxLamportAhead) {}

  /** The share of causally ordered pairs whose wall-clock order is reversed (0 when none). */
  public double wallReversedFraction() {
    return causalPairs <= 0 ? 0 : wallReversed / (double) causalPairs;
  }
}
