package logicalclocks.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import logicalclocks.clock.VirtualClock;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.WeatherConfig;
import logicalclocks.log.EventLogWriter;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.network.LinkWeather;
import logicalclocks.network.Retries;
import logicalclocks.vm.Assembly;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;
import logicalclocks.vm.Seeds;
import logicalclocks.vm.Snapshots;
import logicalclocks.vm.TickLoop;
import logicalclocks.vm.Transport;
import logicalclocks.vm.VirtualMachine;
import logicalclocks.vm.VmStats;

/**
 * A deterministic discrete-event simulation of a run: the SAME {@link VirtualMachine} code, an
 * in-memory transport, and a virtual clock. A 60 s run takes milliseconds, and the same seed writes
 * byte-identical logs in the same format as a live run.
 *
 * <p>Like independent machines, each VM starts at its own phase: its first tick at a seeded uniform
 * random time within its first tick period (the other ticks follow at its fixed rate). Each message
 * spends a seeded random time on the network, log-normal with the configured median and shape
 * {@link #DELAY_SIGMA} (about 0.44 to 2.3 times the median for 90 % of messages). Phases and delays
 * come from streams of their own, so every VM's rate and die rolls are the same as in a live run
 * with the same seed.
 *
 * <p>Under network weather ({@link ModelConfig#weather()}, not calm) every copy of a message also
 * meets its link's {@link LinkWeather}, exactly as in the live transport: see {@code
 * WeatherTransport}. Calm weather takes the calm path and draws nothing, so the logs are the same
 * bytes as without it.
 */
public final class Simulation {
  /**
   * Wall time at which simulated runs start (fixed, so logs are identical across runs of a seed).
   */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * What to simulate.
   *
   * @param model the model's knobs (number of VMs, rates, die, queue capacity)
   * @param duration run length (each VM does rate x duration ticks)
   * @param seed run seed
   * @param delay median time a message spends on the network
   * @param snapshotEvery how often a snapshot begins ({@link Snapshots}, as in a local run); zero:
   *     never
   */
  public record Config(
      ModelConfig model, Duration duration, long seed, Duration delay, Duration snapshotEvery) {
    /** A run that takes no snapshots. */
    public Config(ModelConfig model, Duration duration, long seed, Duration delay) {
      this(model, duration, seed, delay, Duration.ZERO);
    }
  }

  /** Shape (sigma of the underlying normal) of the log-normal network delay. */
  public static final double DELAY_SIGMA = 0.5;

  /**
   * The default median network delay: close to a loopback gRPC delivery measured on a 2-core
   * machine.
   */
  public static final int DEFAULT_DELAY_MS = 1;

  public static final Duration DEFAULT_DELAY = Duration.ofMillis(DEFAULT_DELAY_MS);

  /** The longest median delay a simulation takes. */
  public static final int MAX_DELAY_MS = 60_000;

  private final Agenda agenda = new Agenda();
  private final VirtualClock clock = new VirtualClock(EPOCH);
  private long now;

  private Simulation() {}

  /**
   * Runs a simulation, writing {@code machine_<id>.log} files into {@code logDir}; returns final
   * stats.
   */
  public static List<VmStats> run(Config config, Path logDir) throws IOException {
    return new Simulation().execute(config, logDir);
  }

  /**
   * What the weather did to a simulated run's copies (all zero in calm weather).
   *
   * @param copies copies put on the wire (every attempt of every message)
   * @param lost copies lost (loss or partition, or arriving after the send timeout)
   * @param duplicates extra copies the network made
   * @param duplicateOffers copies the receiver already held (acknowledged as duplicates)
   */
  record Traffic(long copies, long lost, long duplicates, long duplicateOffers) {}

  /** Runs a simulation and says what its weather did. */
  static Traffic traffic(Config config, Path logDir) throws IOException {
    Simulation s = new Simulation();
    s.execute(config, logDir);
    return new Traffic(s.copies, s.lost, s.duplicates, s.duplicateOffers);
  }

  private long copies;
  private long lost;
  private long duplicates;
  private long duplicateOffers;

  private void at(long nanos, Runnable action) {
    agenda.at(nanos, action);
  }

  private List<VmStats> execute(Config c, Path logDir) throws IOException {
    int n = c.model().machines();
    long median = c.delay().toNanos();
    RandomGenerator network = Seeds.forSimulation(c.seed(), 2);
    double[] phases = Seeds.startPhases(c.seed(), n);
    List<Inbox> inboxes = new ArrayList<>();
    List<VirtualMachine> vms = new ArrayList<>();
    List<EventLogWriter> writers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inboxes.add(new Inbox(c.model().queueCapacity()));
    }
    Transport calm =
        (to, message, outcome) ->
            at(
                now + delay(median, network),
                () -> {
                  switch (inboxes.get(to).offer(message)) {
                    case ACCEPTED, DUPLICATE -> outcome.delivered();
                    case FULL -> outcome.dropped(DropReason.BACKPRESSURE.word());
                    case CLOSED -> outcome.dropped(DropReason.STOPPED.word());
                    case CONFLICT -> outcome.dropped(DropReason.refused("ALREADY_EXISTS"));
                    default -> throw new AssertionError();
                  }
                });
    WeatherConfig weather = c.model().weather();
    Transport transport =
        weather.calm()
            ? calm
            : new WeatherTransport(
                weather, c.seed(), n, c.model().sendTimeout(), median, network, inboxes);
    try {
      for (int i = 0; i < n; i++) {
        EventLogWriter writer = new EventLogWriter(logDir, i, false, false);
        writers.add(writer);
        // the same assembly as a node's: the simulation runs the same VMs
        vms.add(
            Assembly.of(c.model(), n, i, c.seed(), null, clock)
                .vm(transport, writer, inboxes.get(i)));
      }
      long end = c.duration().toNanos();
      for (VirtualMachine vm : vms) {
        long phase = Seeds.phaseNanos(phases[vm.id()], vm.setup().rate());
        at(phase, vm::start);
        scheduleTick(vm, phase, 0, TickLoop.ticksIn(vm.setup().rate(), c.duration()));
      }
      SnapshotFiles.clear(logDir);
      Snapshots snapshots = null;
      if (!c.snapshotEvery().isZero()) {
        Snapshots s =
            new Snapshots(
                vms,
                r -> SnapshotFiles.write(logDir, r),
                Snapshots.DEFAULT_TIMEOUT_NANOS,
                Snapshots.DEFAULT_MARKER_DELAY_NANOS);
        snapshots = s;
        scheduleSnapshot(s, c.snapshotEvery().toNanos(), c.snapshotEvery().toNanos(), end);
      }
      drain();
      now = Math.max(now, end);
      clock.set(EPOCH.plusNanos(now));
      if (snapshots != null) {
        snapshots.end("the run ended");
      }
      for (VirtualMachine vm : vms) {
        vm.stop("finished");
      }
      return vms.stream().map(VirtualMachine::stats).toList();
    } finally {
      for (EventLogWriter w : writers) {
        w.close();
      }
    }
  }

  /** How often the simulation moves a snapshot under way on, as a local run does. */
  private static final long SNAPSHOT_POLL_NANOS = 10_000_000L;

  /**
   * Begins a snapshot at {@code at} (or, when one is still under way, at the first poll after it
   * ends), then polls it every {@link #SNAPSHOT_POLL_NANOS} until it ends; the next begins {@code
   * every} after this one began. Nothing begins at or after the run's {@code end}.
   */
  private void scheduleSnapshot(Snapshots s, long at, long every, long end) {
    if (at >= end) {
      return;
    }
    at(
        at,
        () -> {
          s.poll(now);
          if (s.begin(now) != 0) {
            scheduleSnapshot(s, now + every, every, end);
          } else {
            scheduleSnapshot(s, now + SNAPSHOT_POLL_NANOS, every, end);
            return;
          }
          pollSnapshot(s, end);
        });
  }

  private void pollSnapshot(Snapshots s, long end) {
    at(
        now + SNAPSHOT_POLL_NANOS,
        () -> {
          s.poll(now);
          if (s.underWay() && now < end) {
            pollSnapshot(s, end);
          }
        });
  }

  private void scheduleTick(VirtualMachine vm, long phase, long k, long total) {
    if (k >= total || vm.atClockLimit()) {
      return;
    }
    long at = phase + k * 1_000_000_000L / vm.setup().rate();
    at(
        at,
        () -> {
          vm.step();
          scheduleTick(vm, phase, k + 1, total);
        });
  }

  /**
   * The simulated network under weather: each copy meets its link's {@link LinkWeather} (the same
   * model, seed and draws per copy as the live transport), on top of the simulation's own delay. A
   * sender retries a message whose copy got no Ack within the send timeout (lost, or arriving too
   * late: the live sender would have broken the stream and dropped what was still on it) on the
   * live schedule ({@link Retries}), and drops it as {@code deadline} after its last attempt. A
   * duplicate copy is offered too; whichever copy is answered first settles the message, once. As
   * the live sender, it holds at most {@link Retries#WINDOW} unsettled messages per link: one more
   * is dropped at once as {@code backpressure}.
   */
  private final class WeatherTransport implements Transport {
    private final LinkWeather[][] links;
    private final int[][] unsettled;
    private final long timeoutNanos;
    private final long median;
    private final RandomGenerator network;
    private final List<Inbox> inboxes;

    WeatherTransport(
        WeatherConfig weather,
        long seed,
        int n,
        Duration sendTimeout,
        long median,
        RandomGenerator network,
        List<Inbox> inboxes) {
      this.links = new LinkWeather[n][n];
      this.unsettled = new int[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (i != j) {
            links[i][j] = LinkWeather.of(weather, seed, i, j);
          }
        }
      }
      this.timeoutNanos = sendTimeout.toNanos();
      this.median = median;
      this.network = network;
      this.inboxes = inboxes;
    }

    @Override
    public void send(int to, Message message, Outcome outcome) {
      int from = message.sender();
      if (unsettled[from][to] >= Retries.WINDOW) {
        outcome.dropped(DropReason.BACKPRESSURE.word());
        return;
      }
      unsettled[from][to]++;
      attempt(
          new Sending(
              to,
              message,
              new Outcome() {
                @Override
                public void delivered() {
                  unsettled[from][to]--;
                  outcome.delivered();
                }

                @Override
                public void dropped(String reason) {
                  unsettled[from][to]--;
                  outcome.dropped(reason);
                }
              }),
          1);
    }

    private void attempt(Sending s, int k) {
      if (s.settled) {
        return;
      }
      long start = now;
      LinkWeather.Copy copy = links[s.message.sender()][s.to].next(start / 1_000_000);
      copies++;
      if (copy.lost()) {
        lost++;
      } else {
        offer(s, start, copy.delayNanos());
        if (copy.duplicate()) {
          duplicates++;
          offer(s, start, copy.duplicateDelayNanos());
        }
      }
      at(
          start + timeoutNanos,
          () -> {
            if (s.settled) {
              return;
            }
            if (k >= Retries.ATTEMPTS) {
              s.settle(() -> s.outcome.dropped(DropReason.DEADLINE.word()));
            } else {
              at(now + Retries.backoffMillis(k + 1) * 1_000_000L, () -> attempt(s, k + 1));
            }
          });
    }

    /** One copy on its way; it counts only if it is answered within the send timeout. */
    private void offer(Sending s, long start, long weatherDelay) {
      long arrival = start + weatherDelay + delay(median, network);
      if (arrival - start >= timeoutNanos) {
        lost++;
        return; // the live sender breaks the stream first: this copy is gone with it
      }
      at(
          arrival,
          () -> {
            Inbox.Offer offer = inboxes.get(s.to).offer(s.message);
            if (offer == Inbox.Offer.DUPLICATE) {
              duplicateOffers++;
            }
            switch (offer) {
              case ACCEPTED, DUPLICATE -> s.settle(s.outcome::delivered);
              case FULL -> s.settle(() -> s.outcome.dropped(DropReason.BACKPRESSURE.word()));
              case CLOSED -> s.settle(() -> s.outcome.dropped(DropReason.STOPPED.word()));
              case CONFLICT ->
                  s.settle(() -> s.outcome.dropped(DropReason.refused("ALREADY_EXISTS")));
              default -> throw new AssertionError();
            }
          });
    }
  }

  /** A message under way: settled (its outcome reported) once. */
  private static final class Sending {
    final int to;
    final Message message;
    final Transport.Outcome outcome;
    boolean settled;

    Sending(int to, Message message, Transport.Outcome outcome) {
      this.to = to;
      this.message = message;
      this.outcome = outcome;
    }

    void settle(Runnable report) {
      if (!settled) {
        settled = true;
        report.run();
      }
    }
  }

  /** A network delay in nanoseconds: log-normal around {@code median}. */
  static long delay(long median, RandomGenerator network) {
    return (long) (median * Math.exp(DELAY_SIGMA * network.nextGaussian()));
  }

  private void drain() {
    agenda.drain(
        t -> {
          now = t;
          clock.set(EPOCH.plusNanos(now));
        });
  }
}
