package logicalclocks.vm;

import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.clock.Stamps;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventLog;

/**
 * How VM {@code id} of a run is made — the one place, used by a node (each process of a cluster,
 * and each VM of a local run) and by the simulation alike, so the claim that the simulation runs
 * the same VMs rests on one piece of code: its die's random stream ({@link Seeds#forVm}) from which
 * a picked rate draws first ({@link ModelConfig#rateFor}), its peers (the other ids, ascending),
 * its physical clock (the model's offset, drift and steps for it, seeded: {@link
 * Seeds#physicalClock} over the driver's base clock) and the clock kinds the model keeps. {@code
 * AssemblyTest} shows the same seed gives the same VM both ways.
 *
 * @param setup what the VM is (id, peers, rate, die, seed, clock kinds, run)
 * @param die its die's random stream (the rate already drawn from it)
 * @param physical the wall clock it reads: its own physical clock over the driver's
 */
public record Assembly(VirtualMachine.Setup setup, RandomGenerator die, Clock physical) {

  /**
   * VM {@code id} of a run of {@code machines} VMs of {@code model} with run seed {@code seed},
   * reading wall time from {@code base} (the host's, or the simulation's virtual clock).
   *
   * @param run the run its log belongs to (null: none)
   */
  public static Assembly of(
      ModelConfig model, int machines, int id, long seed, String run, Clock base) {
    RandomGenerator die = Seeds.forVm(seed, id);
    int rate = model.rateFor(id, die);
    List<Integer> others = othersOf(machines, id);
    Clock physical = PhysicalClock.of(base, Seeds.physicalClock(model.clocks(), id, seed));
    return new Assembly(
        new VirtualMachine.Setup(id, others, rate, model.dieSides(), seed, model.clockKinds(), run),
        die,
        physical);
  }

  /** The ids of VM {@code id}'s peers in a run of {@code machines} VMs, ascending. */
  public static List<Integer> othersOf(int machines, int id) {
    return IntStream.range(0, machines).filter(j -> j != id).boxed().toList();
  }

  /** This assembly with its log's run named {@code run}. */
  public Assembly forRun(String run) {
    VirtualMachine.Setup s = setup;
    return new Assembly(
        new VirtualMachine.Setup(
            s.id(), s.others(), s.rate(), s.dieSides(), s.seed(), s.kinds(), run),
        die,
        physical);
  }

  /**
   * A rehearsal, for a warm start: a throwaway VM made as this one is (its own die, inbox and
   * clocks) takes {@code steps} steps, each message it sends coming back to it as if from a peer,
   * and writes its lines to {@code log} (one that encodes them and keeps nothing). Every path of a
   * step (SEND, RECEIVE, INTERNAL, each clock's tick and merge, a line's encoding) has then run
   * once, so the real VM's first ticks do not wait while the JVM loads and compiles them. The real
   * VM's die, clocks and log are not touched, nor is the driver's clock: the rehearsal reads the
   * host's wall clock through a physical clock of the same spec.
   */
  public void rehearse(int steps, EventLog log) {
    Inbox inbox = new Inbox(Math.max(16, steps));
    int peer = setup.others().isEmpty() ? setup.id() : setup.others().get(0);
    Transport back =
        (to, m, outcome) -> {
          inbox.offer(
              new Message(
                  peer, m.sequence(), m.clock(), m.sentMillis(), m.settledBelow(), m.stamps()));
          outcome.delivered();
        };
    VirtualMachine rehearsal =
        new VirtualMachine(
            setup,
            new java.util.SplittableRandom(setup.seed()),
            physical instanceof PhysicalClock p
                ? PhysicalClock.of(Clock.systemUTC(), p.spec())
                : Clock.systemUTC(),
            back,
            log,
            inbox,
            0,
            0,
            Stamps.NONE,
            false);
    rehearsal.start();
    for (int i = 0; i < steps; i++) {
      rehearsal.step();
    }
  }

  /** The VM, fresh: its clocks at zero. */
  public VirtualMachine vm(Transport transport, EventLog log, Inbox inbox) {
    return vm(transport, log, inbox, 0, 0, Stamps.NONE, false);
  }

  /**
   * The VM, its clocks and message sequence resuming from a restart's values ({@code resumed}: its
   * log already holds lines).
   */
  public VirtualMachine vm(
      Transport transport,
      EventLog log,
      Inbox inbox,
      long startClock,
      long startSequence,
      Stamps start,
      boolean resumed) {
    return new VirtualMachine(
        setup, die, physical, transport, log, inbox, startClock, startSequence, start, resumed);
  }
}
