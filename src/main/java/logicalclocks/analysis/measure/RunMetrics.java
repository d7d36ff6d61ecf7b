package logicalclocks.analysis.measure;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.event.EventType;

/**
 * Everything measured about one run.
 *
 * @param machines number of VMs
 * @param seconds wall time from the first START to the last STOP
 * @param vms per-VM metrics, by id
 * @param jumps clock jumps of all VMs together
 * @param queue queue lengths of all VMs together (after each tick)
 * @param delayMs SEND-to-RECEIVE wall time of all received messages
 * @param drift spread max(clock) - min(clock) across VMs, sampled every 100 ms of wall time
 * @param messages messages sent
 * @param received messages received
 * @param dropped messages dropped (and not received)
 * @param lateDeliveries messages the sender gave up on (DROP deadline/unreachable) that the
 *     receiver had got
 * @param queuedAtStop messages left in queues at STOP
 * @param violations broken rules (empty for a valid run)
 * @param causality how much of Lamport's order is false (concurrent events), or null when the logs
 *     carry no vector clocks
 * @param physical the VMs' physical and hybrid clocks, or null when no log carries a hybrid clock
 *     or declares a physical clock (left out of metrics.json then)
 */
public record RunMetrics(
    int machines,
    double seconds,
    List<VmMetrics> vms,
    Stats jumps,
    Stats queue,
    Stats delayMs,
    Stats drift,
    long messages,
    long received,
    long dropped,
    long lateDeliveries,
    long queuedAtStop,
    List<Violation> violations,
    Causality causality,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        PhysicalMetrics physical) {

  /** A run without physical-time measures. */
  public RunMetrics(
      int machines,
      double seconds,
      List<VmMetrics> vms,
      Stats jumps,
      Stats queue,
      Stats delayMs,
      Stats drift,
      long messages,
      long received,
      long dropped,
      long lateDeliveries,
      long queuedAtStop,
      List<Violation> violations,
      Causality causality) {
    this(
        machines,
        seconds,
        vms,
        jumps,
        queue,
        delayMs,
        drift,
        messages,
        received,
        dropped,
        lateDeliveries,
        queuedAtStop,
        violations,
        causality,
        null);
  }

  /** How far apart the VMs' final clocks ended: max - min. */
  public long finalClockGap() {
    return vms.stream().mapToLong(VmMetrics::finalClock).max().orElse(0)
        - vms.stream().mapToLong(VmMetrics::finalClock).min().orElse(0);
  }

  /**
   * One VM's metrics.
   *
   * @param vm id
   * @param rate configured ticks/s (from START)
   * @param observedRate ticks per second actually done
   * @param sides die faces
   * @param events count by event type
   * @param startClock clock at (first) START
   * @param finalClock clock at the end
   * @param clockRate logical clock units per wall second
   * @param jumps clock steps between consecutive ticks
   * @param queue queue length after each tick
   * @param queueAtStop queue length at STOP
   * @param delayMs wall time from SEND to this VM's RECEIVE
   * @param model the queue model's prediction and what was observed
   * @param missed the tick slots it skipped (its log's {@code missed=}), or null when none (then
   *     absent from metrics.json)
   */
  public record VmMetrics(
      int vm,
      int rate,
      double observedRate,
      int sides,
      Map<EventType, Long> events,
      long startClock,
      long finalClock,
      double clockRate,
      Stats jumps,
      Stats queue,
      int queueAtStop,
      Stats delayMs,
      QueueCheck model,
      @JsonInclude(JsonInclude.Include.NON_NULL) Missed missed) {
    /** A VM that skipped no tick slot. */
    public VmMetrics(
        int vm,
        int rate,
        double observedRate,
        int sides,
        Map<EventType, Long> events,
        long startClock,
        long finalClock,
        double clockRate,
        Stats jumps,
        Stats queue,
        int queueAtStop,
        Stats delayMs,
        QueueCheck model) {
      this(
          vm,
          rate,
          observedRate,
          sides,
          events,
          startClock,
          finalClock,
          clockRate,
          jumps,
          queue,
          queueAtStop,
          delayMs,
          model,
          null);
    }

    /** Tick slots it skipped (0 when none). */
    public long missedTicks() {
      return missed == null ? 0 : missed.ticks();
    }

    /** How many events of type {@code type} it logged. */
    public long count(EventType type) {
      return events.getOrDefault(type, 0L);
    }

    /** SEND, RECEIVE and INTERNAL events. */
    public long ticks() {
      return count(EventType.SEND) + count(EventType.RECEIVE) + count(EventType.INTERNAL);
    }
  }

  /**
   * Tick slots a VM skipped: their time passed by a whole period while it could not run (a paused
   * process, a stall), so it did nothing in them.
   *
   * @param ticks slots skipped (the sum of its lines' {@code missed=})
   * @param gaps lines that say slots were skipped before them (one per pause)
   * @param longestGapMs the longest wall time from a tick (or START) to the next line saying slots
   *     were skipped
   */
  public record Missed(long ticks, long gaps, long longestGapMs) {}

  /**
   * The queue model against the run.
   *
   * @param predictedArrivalRate messages/s the model expects
   * @param serviceRate messages/s the VM can take (its tick rate)
   * @param predictedUtilization expected fraction of ticks spent receiving
   * @param predictedStable whether the model expects a bounded queue
   * @param observedArrivalRate messages/s actually sent to this VM
   * @param observedUtilization fraction of ticks that were RECEIVEs
   * @param observedGrowing whether the queue was still growing at the end (>= 5 left and rising
   *     over the second half of the run)
   */
  public record QueueCheck(
      double predictedArrivalRate,
      double serviceRate,
      double predictedUtilization,
      boolean predictedStable,
      double observedArrivalRate,
      double observedUtilization,
      boolean observedGrowing) {}
}
