package logicalclocks.transport;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.TlsConfig;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.EventLogWriter;
import logicalclocks.recovery.InboxJournal;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Seeds;
import logicalclocks.vm.TickLoop;
import logicalclocks.vm.VirtualMachine;
import logicalclocks.vm.VmStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM with its gRPC server (clock service + standard health service) and its channels to the
 * peers. Lifecycle: {@link #startServer} → {@link #awaitPeers} → {@link #startTicking} → {@link
 * #stop}.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  /**
   * Largest request the server accepts in a run of {@code machines} VMs: a clock message is a few
   * dozen bytes plus its vector clock, at most 16 bytes per VM (a map entry: tag, length, id and a
   * counter below 2^53).
   */
  public static int maxRequestBytes(int machines) {
    return 1024 + 16 * machines;
  }

  /**
   * What to run.
   *
   * @param id this VM's id
   * @param peers every VM's address in id order
   * @param listen where this VM's server listens
   * @param model the model's knobs
   * @param seed the run seed (already chosen)
   * @param logDir where machine_<id>.log goes
   * @param duration run length, zero for until stopped
   * @param resume true to append to an existing log and resume its clock and message sequence (node
   *     mode); false to start the log afresh (local mode)
   * @param tls mutual TLS, or null for plaintext
   */
  public record Spec(
      int id,
      List<HostPort> peers,
      InetSocketAddress listen,
      ModelConfig model,
      long seed,
      Path logDir,
      Duration duration,
      boolean resume,
      TlsConfig tls) {
    public Spec(
        int id,
        List<HostPort> peers,
        InetSocketAddress listen,
        ModelConfig model,
        long seed,
        Path logDir,
        Duration duration,
        boolean resume) {
      this(id, peers, listen, model, seed, logDir, duration, resume, null);
    }
  }

  /**
   * Most messages one sender may deliver per second: 4 x the fastest possible rate, plus room for
   * bursts.
   */
  static int rateLimit(ModelConfig m) {
    int max =
        !m.rates().isEmpty()
            ? m.rates().stream().mapToInt(Integer::intValue).max().orElse(1)
            : m.tickRate() != null ? m.tickRate() : m.maxTickRate();
    return 4 * max + 50;
  }

  private final Spec spec;
  private final Clock clock;
  private final Inbox inbox;
  private final GrpcTransport transport;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;
  private final Server healthServer;
  private final RandomGenerator random;
  private final int rate;
  private volatile VirtualMachine vm;
  private TickLoop loop;
  private EventLogWriter log;
  private InboxJournal journal;
  private ResumePoint from = ResumePoint.FRESH;
  private boolean stopped;
  private volatile boolean runOver;
  private final ScheduledExecutorService logReaders;

  /** A node on the real network: Netty over TCP, with mutual TLS when the spec has it. */
  public Node(Spec spec, Clock clock) throws IOException {
    this(spec, clock, Network.tcp(spec.tls()));
  }

  /**
   * A node whose servers and channels come from {@code network} (tests pass grpc-java's in-process
   * transport).
   *
   * @param clock wall time for the VM's log, its messages' give-up times and the service's expiry
   *     check
   */
  public Node(Spec spec, Clock clock, Network network) {
    this.spec = spec;
    this.clock = clock;
    this.random = Seeds.forVm(spec.seed(), spec.id());
    this.rate = spec.model().rateFor(spec.id(), random);
    this.inbox = new Inbox(spec.model().queueCapacity());
    TlsConfig tls = spec.tls();
    this.transport =
        new GrpcTransport(spec.id(), spec.peers(), spec.model().sendTimeout(), network, clock);
    ClockServiceImpl service =
        new ClockServiceImpl(
            spec.id(),
            spec.peers().size(),
            inbox,
            rateLimit(spec.model()),
            tls == null ? null : Tls.senderMatchesCertificate(spec.peers()),
            clock,
            System::nanoTime);
    this.logReaders =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "log-readers-" + spec.id());
              t.setDaemon(true);
              return t;
            });
    EventLogServiceImpl events =
        new EventLogServiceImpl(spec.id(), spec.logDir(), () -> runOver, logReaders);
    ServerBuilder<?> builder =
        network
            .server(spec.listen())
            .addService(events)
            .addService(
                tls == null
                    ? service.bindService()
                    : ServerInterceptors.intercept(service, Tls.peerNames()))
            .addService(health.getHealthService())
            .maxInboundMessageSize(maxRequestBytes(spec.peers().size()));
    if (tls != null) {
      InetSocketAddress healthAt =
          new InetSocketAddress(spec.listen().getAddress(), tls.healthPort());
      this.healthServer =
          network
              .plaintextServer(healthAt)
              .addService(health.getHealthService())
              .maxInboundMessageSize(maxRequestBytes(spec.peers().size()))
              .build();
    } else {
      this.healthServer = null;
    }
    this.server = builder.build();
  }

  public int id() {
    return spec.id();
  }

  public int rate() {
    return rate;
  }

  /**
   * Starts the gRPC server; health is SERVING from here on (readiness does not depend on peers). A
   * resuming node first reads its log and inbox journal back: messages it acknowledged but never
   * processed are queued again before any new one is accepted.
   */
  public void startServer() throws IOException {
    if (spec.resume()) {
      Duration window = GrpcTransport.giveUpAfter(spec.model().sendTimeout()).plusSeconds(2);
      try {
        from =
            ResumePoint.of(
                spec.logDir().resolve(EventLogFormat.fileName(spec.id())), spec.id(), window);
      } catch (EventLogReader.BadLogException e) {
        throw new IOException("cannot resume from the existing log: " + e.getMessage(), e);
      }
      var journaled = InboxJournal.read(InboxJournal.file(spec.logDir(), spec.id()));
      inbox.restore(journaled, from.received());
      journal = new InboxJournal(spec.logDir(), spec.id());
      inbox.journalTo(journal);
      if (from.lines() > 0) {
        LOG.info(
            "VM {} resumes its log at clock {} (message sequence {}), {} message(s) back in its queue, {} to"
                + " send again",
            spec.id(),
            from.clock(),
            from.sequence(),
            inbox.size(),
            from.resend().size());
      }
    }
    server.start();
    if (healthServer != null) {
      healthServer.start();
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(ClockServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    LOG.debug("VM {} serving on {} (rate {} ticks/s)", spec.id(), spec.listen(), rate);
  }

  /** Where this VM's server listens. */
  public InetSocketAddress listenAddress() {
    return spec.listen();
  }

  public int port() {
    return server.getPort();
  }

  /**
   * Waits for every peer's health to be SERVING; returns the ids of those still missing at the
   * timeout.
   */
  public List<Integer> awaitPeers(Duration timeout) throws InterruptedException {
    return transport.awaitPeersServing(timeout);
  }

  /** Describes missing peers for an error message, saying which host names do not resolve. */
  public String describe(List<Integer> peers) {
    return String.join(
        ", ",
        peers.stream()
            .map(
                p -> {
                  HostPort hp = transport.address(p);
                  String why;
                  try {
                    InetAddress.getByName(hp.host());
                    why = "";
                  } catch (UnknownHostException e) {
                    why = ", name does not resolve";
                  }
                  return "VM " + p + " (" + hp + why + ")";
                })
            .toList());
  }

  /** Opens the event log, logs START and starts ticking. */
  public synchronized void startTicking() throws IOException {
    startTicking(0);
  }

  /**
   * Opens the event log and, after {@code phaseNanos} (this VM's start phase), logs START and
   * ticks.
   */
  public synchronized void startTicking(long phaseNanos) throws IOException {
    log = new EventLogWriter(spec.logDir(), spec.id(), spec.resume());
    List<Integer> others =
        IntStream.range(0, spec.peers().size()).filter(i -> i != spec.id()).boxed().toList();
    vm =
        new VirtualMachine(
            new VirtualMachine.Setup(
                spec.id(),
                others,
                rate,
                spec.model().dieSides(),
                spec.seed(),
                spec.model().vectorClocks()),
            random,
            clock,
            transport,
            log,
            inbox,
            from.clock(),
            from.sequence(),
            from.vector());
    for (ResumePoint.Resend r : from.resend()) {
      vm.resend(r.to(), r.message());
    }
    loop = new TickLoop(vm, ticksLeft(from.runStart(), clock.instant()));
    loop.start(phaseNanos);
  }

  /**
   * The ticks this VM still owes its run: all of DURATION for a new run; for a run resumed after a
   * restart, what is left of it (its end is its first START's wall time + DURATION), 0 when that
   * end has passed.
   */
  long ticksLeft(Instant runStart, Instant now) {
    if (spec.duration().isZero()) {
      return TickLoop.UNBOUNDED;
    }
    Duration left =
        runStart == null ? spec.duration() : Duration.between(now, runStart.plus(spec.duration()));
    return left.isNegative() ? 0 : TickLoop.ticksIn(rate, left);
  }

  /** Waits for the run's last tick (never returns for a run without duration, until stopped). */
  public void awaitFinished() throws InterruptedException {
    loop.awaitFinished();
  }

  /** Stops ticking (no new events); {@link #stop} does the rest. Idempotent. */
  public synchronized void haltTicking() throws InterruptedException {
    if (loop != null) {
      loop.halt();
    }
  }

  /**
   * Waits until every message this VM sent is delivered or dropped, at most as long as a send can
   * take to give up (and a second); false when that passed first. Stopping VMs only once all have
   * settled keeps a finished run free of DROPs caused by a peer that stopped first.
   */
  public boolean awaitSends() throws InterruptedException {
    return vm == null
        || vm.awaitSends(GrpcTransport.giveUpAfter(spec.model().sendTimeout()).plusSeconds(1));
  }

  public VmStats stats() {
    return vm == null ? null : vm.stats();
  }

  /**
   * Tells {@code listener} the microseconds from SEND to the receiver's Ack (enqueued) of every
   * message delivered from now on (one listener: a later call replaces it).
   */
  public void onDelivered(LongConsumer listener) {
    transport.onDelivered(listener);
  }

  /** DROPs by reason so far (empty before the VM starts). */
  public Map<String, Long> dropsByReason() {
    VirtualMachine v = vm;
    return v == null ? Map.of() : v.dropsByReason();
  }

  /** Messages sent so far by this process. */
  public long messagesSent() {
    VirtualMachine v = vm;
    return v == null ? 0 : v.messagesSent();
  }

  /** Messages in this VM's queue now. */
  public int queueLength() {
    return inbox.size();
  }

  /**
   * Stops the VM, at most once: health NOT_SERVING, ticking halted, in-flight sends settled (or
   * dropped at their deadline), STOP logged with the queue length, log flushed and closed, server
   * and channels closed.
   */
  public void stop(String reason) throws InterruptedException {
    stop(reason, false);
  }

  /**
   * Stops the VM (see {@link #stop(String)}); with {@code keepServing}, the gRPC server stays up
   * after STOP, serving the event log (and refusing messages: the VM has stopped) until {@link
   * #close}: what AFTER_RUN=wait does.
   */
  public synchronized void stop(String reason, boolean keepServing) throws InterruptedException {
    if (stopped) {
      return;
    }
    stopped = true;
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(ClockServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
    if (loop != null) {
      loop.halt();
      if (!awaitSends()) {
        LOG.warn("VM {}: {} sends still unsettled at stop", spec.id(), vm.pendingSends());
      }
      // Whatever is still unsettled is dropped as cancelled here, so its DROP is logged before
      // STOP.
      transport.close();
      vm.stop(reason);
      try {
        log.close();
      } catch (IOException e) {
        LOG.error("VM {}: closing {} failed", spec.id(), log.path(), e);
      }
    } else {
      transport.close();
      inbox.close();
    }
    runOver = true;
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException e) {
        LOG.error("VM {}: closing its inbox journal failed", spec.id(), e);
      }
    }
    if (!keepServing) {
      shutDownServers();
    }
    LOG.debug("VM {} stopped ({})", spec.id(), reason);
  }

  private void shutDownServers() throws InterruptedException {
    server.shutdown();
    if (healthServer != null) {
      healthServer.shutdown();
    }
    if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
    logReaders.shutdownNow();
  }

  /** Stops the VM if it is still running, and shuts its servers down. */
  @Override
  public void close() throws InterruptedException {
    stop("closed");
    shutDownServers();
  }
}
