package logicalclocks.node;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
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
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.TlsConfig;
import logicalclocks.log.EventLogWriter;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.recovery.InboxJournal;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.transport.CallLimits;
import logicalclocks.transport.ClockServiceImpl;
import logicalclocks.transport.EventLogServiceImpl;
import logicalclocks.transport.GrpcTransport;
import logicalclocks.transport.Network;
import logicalclocks.transport.Tls;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.vm.Assembly;
import logicalclocks.vm.Inbox;
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
      TlsConfig tls,
      boolean reflection) {
    /** A spec whose server answers reflection in plaintext, not under mutual TLS. */
    public Spec(
        int id,
        List<HostPort> peers,
        InetSocketAddress listen,
        ModelConfig model,
        long seed,
        Path logDir,
        Duration duration,
        boolean resume,
        TlsConfig tls) {
      this(id, peers, listen, model, seed, logDir, duration, resume, tls, tls == null);
    }

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
  public static int rateLimit(ModelConfig m) {
    int max =
        !m.rates().isEmpty()
            ? m.rates().stream().mapToInt(Integer::intValue).max().orElse(1)
            : m.tickRate() != null ? m.tickRate() : m.maxTickRate();
    return 4 * max + 50;
  }

  private final Spec spec;
  private final Clock clock;
  private final Clock hostClock;
  private final Inbox inbox;
  private final GrpcTransport transport;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;
  private final Server healthServer;

  /** How its VM is made: the one place a node and the simulation share. */
  private final Assembly assembly;

  private final int rate;
  private volatile VirtualMachine vm;
  private TickLoop loop;
  private EventLogWriter log;
  private InboxJournal journal;
  private ResumePoint from = ResumePoint.FRESH;
  private boolean stopped;
  private volatile boolean runOver;
  private final ScheduledExecutorService logReaders;
  private String run;
  private final CallLimits limits;
  private volatile HealthFile healthFile;

  /** VM 0's snapshots of its cluster ({@link #snapshotEvery}); null on the other VMs. */
  private volatile SnapshotDriver snapshots;

  private Duration snapshotEvery = Duration.ZERO;

  /**
   * The clock service's calls run on the transport thread that reads them (grpc's direct executor),
   * the others on the server's default executor. A clock message's handling never blocks: it
   * validates, takes the inbox lock and writes one journal record, so handing each message and each
   * flow-control request to another thread and back would only cost two thread hops per message.
   */
  static final ServerCallExecutorSupplier DIRECT_CLOCK_CALLS =
      new ServerCallExecutorSupplier() {
        @Override
        public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
          return ClockServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
              ? Runnable::run
              : null;
        }
      };

  /** This VM's sending side (its weather and counters). */
  public GrpcTransport transport() {
    return transport;
  }

  /** The STOP reason of a run a step failed in. */
  public static final String FAILED = "failed";

  /** A node on the real network: Netty over TCP, with mutual TLS when the spec has it. */
  public Node(Spec spec, Clock clock) throws IOException {
    this(spec, clock, Network.tcp(spec.tls()));
  }

  /**
   * A node whose servers and channels come from {@code network} (tests pass grpc-java's in-process
   * transport).
   *
   * @param clock the host's wall time: the VM reads it through its own physical clock (the model's
   *     offset, drift and steps for this VM), for its log and its messages
   */
  public Node(Spec spec, Clock clock, Network network) {
    this.spec = spec;
    this.hostClock = clock;
    this.assembly =
        Assembly.of(spec.model(), spec.peers().size(), spec.id(), spec.seed(), null, clock);
    this.clock = assembly.physical();
    this.rate = assembly.setup().rate();
    this.inbox = new Inbox(spec.model().queueCapacity());
    TlsConfig tls = spec.tls();
    // The transport times its sends on this process's monotonic clock: a wall clock that is set,
    // stepped or skewed never decides a message's fate.
    this.transport =
        new GrpcTransport(
            spec.id(),
            spec.peers(),
            spec.model().sendTimeout(),
            network,
            logicalclocks.clock.MonotonicClock.INSTANCE,
            GrpcTransport.WINDOW,
            spec.model().weather(),
            spec.seed());
    ClockServiceImpl service =
        new ClockServiceImpl(
            spec.id(),
            spec.peers().size(),
            inbox,
            rateLimit(spec.model()),
            tls == null ? null : Tls.senderMatchesCertificate(spec.peers()),
            System::nanoTime);
    this.logReaders =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "log-readers-" + spec.id());
              t.setDaemon(true);
              return t;
            });
    this.limits = CallLimits.forVm(spec.id(), spec.peers().size());
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
            .addService(
                new logicalclocks.transport.SnapshotServiceImpl(
                    spec.id(),
                    () -> vm,
                    spec.id() == 0 ? this::takeSnapshot : null,
                    r ->
                        SnapshotFiles.path(spec.logDir(), r.id())
                            .toAbsolutePath()
                            .normalize()
                            .toString()))
            .addService(health.getHealthService())
            .intercept(limits)
            .callExecutor(DIRECT_CLOCK_CALLS)
            .maxInboundMessageSize(maxRequestBytes(spec.peers().size()));
    if (spec.reflection()) {
      // grpcurl and other tools list and describe the services (GRPC_REFLECTION).
      builder.addService(io.grpc.protobuf.services.ProtoReflectionServiceV1.newInstance());
    }
    if (tls != null) {
      InetSocketAddress healthAt =
          new InetSocketAddress(spec.listen().getAddress(), tls.healthPort());
      this.healthServer =
          network
              .plaintextServer(healthAt)
              .addService(health.getHealthService())
              .intercept(limits)
              .maxInboundMessageSize(maxRequestBytes(spec.peers().size()))
              .build();
    } else {
      this.healthServer = null;
    }
    this.server = builder.build();
  }

  /**
   * VM 0 takes a snapshot of its cluster every {@code every} (zero: only when asked, {@code
   * snapshot}); the other VMs only take part. Call before {@link #startTicking}.
   */
  public synchronized void snapshotEvery(Duration every) {
    this.snapshotEvery = every;
  }

  /** VM 0: begins a snapshot of the cluster when none is under way; its record once it ended. */
  private java.util.concurrent.CompletableFuture<logicalclocks.vm.Snapshots.Record> takeSnapshot() {
    SnapshotDriver d = snapshots;
    if (d == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new IllegalStateException("VM 0 does not tick"));
    }
    return d.take();
  }

  /**
   * VM 0 of a run whose VMs all live in this process: its snapshots are {@code d}'s (markers and
   * states passed in the process), {@code snapshot} against it included.
   */
  public void useSnapshots(SnapshotDriver d) throws InterruptedException {
    SnapshotDriver own = snapshots;
    snapshots = d;
    if (own != null) {
      own.close();
    }
  }

  /** VM 0's snapshots: its own VM in this process, every other one over its link. */
  private void startSnapshots() {
    List<logicalclocks.vm.Snapshots.Member> members = new java.util.ArrayList<>();
    members.add(logicalclocks.vm.Snapshots.local(vm));
    for (int j = 0; j < spec.peers().size(); j++) {
      if (j != spec.id()) {
        int peer = j;
        members.add(
            new logicalclocks.transport.RemoteMember(
                peer, Assembly.othersOf(spec.peers().size(), peer), transport.channelTo(peer)));
      }
    }
    SnapshotFiles.clearIfNew(spec.logDir(), from.lines() == 0);
    long unfinished = from.snapshot();
    if (unfinished > 0
        && !java.nio.file.Files.exists(SnapshotFiles.path(spec.logDir(), unfinished))) {
      // it began this snapshot, then its process ended before it did: say so, as failed
      SnapshotFiles.write(
          spec.logDir(),
          new logicalclocks.vm.Snapshots.Record(
              unfinished,
              false,
              "VM 0, which initiates snapshots, ended (killed or stopped) before this one did: the"
                  + " states it was collecting ended with it",
              List.of()));
    }
    snapshots =
        new SnapshotDriver(
            members,
            spec.logDir(),
            snapshotEvery,
            Duration.ofNanos(logicalclocks.vm.Snapshots.DEFAULT_TIMEOUT_NANOS));
  }

  /** Its VM, once it ticks (null before {@link #startTicking}). */
  public VirtualMachine vm() {
    return vm;
  }

  public int id() {
    return spec.id();
  }

  public int rate() {
    return rate;
  }

  /**
   * Mirrors the health status into {@code file} from now on (see {@link HealthFile}); call before
   * {@link #startServer}.
   */
  public void mirrorHealthTo(HealthFile file) {
    this.healthFile = file;
  }

  /** The status the health service answers, overall and for the clock service alike. */
  private void setHealth(ServingStatus status) {
    health.setStatus("", status);
    health.setStatus(ClockServiceGrpc.SERVICE_NAME, status);
    HealthFile f = healthFile;
    if (f != null) {
      f.write(status);
    }
  }

  /**
   * Starts the gRPC server; health is SERVING from here on (readiness does not depend on peers). A
   * resuming node first reads its log and inbox journal back: messages it acknowledged but never
   * processed are queued again before any new one is accepted.
   */
  public void startServer() throws IOException {
    if (spec.resume()) {
      resume();
    }
    // A warm start: every path of a step run (and compiled) on a throwaway VM before this VM says
    // it is serving, so its peers, which wait for that, start ticking only once no VM is still
    // warming up beside them on the same cores.
    assembly.rehearse(REHEARSAL_STEPS, EventLogWriter.discarding());
    server.start();
    if (healthServer != null) {
      healthServer.start();
    }
    setHealth(ServingStatus.SERVING);
    LOG.debug("VM {} serving on {} (rate {} ticks/s)", spec.id(), spec.listen(), rate);
  }

  /** Reads back what an earlier process of this VM left ({@link Recovery}) and resumes from it. */
  private void resume() throws IOException {
    Recovery r = Recovery.of(spec.id(), spec.logDir(), spec.model().sendTimeout(), inbox);
    from = r.from();
    run = r.run();
    journal = r.journal();
  }

  /**
   * Whether this VM, restarted onto its log, has nothing left of its run to tick (its end has
   * passed): it then logs START and STOP at once, without waiting for its peers.
   */
  public boolean pastItsEnd() {
    return from.runStart() != null && ticksLeft(from.runStart(), hostClock.instant()) == 0;
  }

  /**
   * Serves a log whose run is over (AFTER_RUN=wait, restarted onto a finished log): its event log
   * over the Events RPC, and the clock service refusing every new message as stopped while still
   * answering what it holds ({@code Hello}), so a peer restarted after the run settles its messages
   * exactly. Logs nothing. {@link #close} ends it.
   */
  public synchronized void serveFinished() throws IOException {
    startServer();
    inbox.close();
    setHealth(ServingStatus.NOT_SERVING);
    runOver = true;
    stopped = true;
  }

  /** What made the run fail (a step threw), or null. */
  public Throwable failure() {
    TickLoop l = loop;
    return l == null ? null : l.failure();
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

  /**
   * Waits for every peer to be SERVING or to say its run is over, until {@code timeout} or until
   * {@code cancelled} (a stop request); returns the ids of those still missing.
   */
  public List<Integer> awaitPeers(Duration timeout, java.util.function.BooleanSupplier cancelled)
      throws InterruptedException {
    return transport.awaitPeersServing(timeout, cancelled);
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

  private volatile Duration runLeft = Duration.ZERO;

  /** Steps of the rehearsal before START ({@link Assembly#rehearse}). */
  static final int REHEARSAL_STEPS = 300;

  /** Opens the event log, logs START and starts ticking. */
  public synchronized void startTicking() throws IOException {
    startTicking(0);
  }

  /**
   * Opens the event log and, after {@code phaseNanos} (this VM's start phase), logs START and
   * ticks.
   */
  public synchronized void startTicking(long phaseNanos) throws IOException {
    // A warm start: the send path ready before START (every path of a step was rehearsed before
    // this VM said it was serving, see startServer); before the log is opened, so a new log is
    // not left empty meanwhile (a reader then finds no START line).
    transport.warmUp();
    log = new EventLogWriter(spec.logDir(), spec.id(), spec.resume());
    if (journal != null) {
      journal.markLogCreated();
    }
    vm = from.vm(assembly.forRun(run), transport, log, inbox);
    // The weather's partitions count from the run's start: now, or a resumed run's first START.
    transport.startWeatherClock(
        from.runStart() == null
            ? Duration.ZERO
            : Duration.between(from.runStart(), hostClock.instant()));
    if (spec.id() == 0) {
      startSnapshots();
    }
    resendUnsettled();
    Instant now = hostClock.instant();
    runLeft = runLeft(from.runStart(), now);
    loop = new TickLoop(vm, ticksLeft(from.runStart(), now));
    loop.start(phaseNanos);
  }

  /**
   * Sends again what the crashed process sent and never learned the fate of, but first asks each
   * peer what it already holds ({@code Hello}): a message the peer took is not sent again (its fate
   * is the peer's RECEIVE or its queue). What the peer does not hold, or every message when the
   * peer cannot be asked, is retried under the same id: the receiver takes it at most once.
   */
  private void resendUnsettled() {
    Map<Integer, List<ResumePoint.Resend>> byPeer = new java.util.TreeMap<>();
    for (ResumePoint.Resend r : from.resend()) {
      byPeer.computeIfAbsent(r.to(), k -> new java.util.ArrayList<>()).add(r);
    }
    int skipped = 0;
    int again = 0;
    for (Map.Entry<Integer, List<ResumePoint.Resend>> e : byPeer.entrySet()) {
      var reply =
          transport.hello(
              e.getKey(),
              e.getValue().stream().map(r -> r.message().sequence()).toList(),
              Duration.ofSeconds(2));
      java.util.Set<Long> held =
          reply == null ? java.util.Set.of() : new java.util.HashSet<>(reply.getHeldList());
      for (ResumePoint.Resend r : e.getValue()) {
        if (held.contains(r.message().sequence())) {
          skipped++;
        } else {
          vm.resend(r.to(), r.message());
          again++;
        }
      }
    }
    if (skipped + again > 0) {
      LOG.info(
          "VM {}: of {} message(s) of unknown fate, {} are held by their receivers, {} sent again",
          spec.id(),
          skipped + again,
          skipped,
          again);
    }
  }

  /**
   * The ticks this VM still owes its run: all of DURATION for a new run; for a run resumed after a
   * restart, what is left of it (its end is its first START's wall time + DURATION), 0 when that
   * end has passed.
   */
  public long ticksLeft(Instant runStart, Instant now) {
    return RunLength.ticksLeft(spec.duration(), rate, runStart, now);
  }

  /**
   * What is left of the run: DURATION for a new run, the rest of a resumed one (never negative);
   * zero for a run without duration.
   */
  private Duration runLeft(Instant runStart, Instant now) {
    return RunLength.left(spec.duration(), runStart, now);
  }

  /**
   * What was left of the run when it started ticking (all of DURATION for a new run, the rest for a
   * resumed one); zero for a run without duration.
   */
  public Duration runLeft() {
    return runLeft;
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
    if (failure() != null) {
      reason = FAILED; // a step threw: the run did not finish, whatever stopped it
    }
    setHealth(ServingStatus.NOT_SERVING);
    if (loop != null) {
      loop.halt();
      if (!awaitSends()) {
        LOG.warn("VM {}: {} sends still unsettled at stop", spec.id(), vm.pendingSends());
      }
      // Whatever is still unsettled is dropped as cancelled here, so its DROP is logged before
      // STOP.
      SnapshotDriver d = snapshots;
      if (d != null) {
        d.halt();
        d.end("the run ended");
      }
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

  /**
   * Ends this VM as SIGKILL would leave it: ticking stops, servers and channels go at once, and
   * nothing more is logged (no DROP, no STOP); what was written so far is in the files. For crash
   * tests in one JVM.
   */
  public synchronized void kill() throws InterruptedException {
    stopped = true;
    if (snapshots != null) {
      snapshots.halt(); // the process is gone: its snapshot under way ends with it
    }
    if (loop != null) {
      loop.halt();
    }
    server.shutdownNow();
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    try {
      if (log != null) {
        log.close();
      }
      if (journal != null) {
        journal.close();
      }
    } catch (IOException e) {
      LOG.debug("VM {}: closing files on kill", spec.id(), e);
    }
    transport.close(); // its cancelled sends reach a VM that logs nothing more
    server.awaitTermination(2, TimeUnit.SECONDS);
    logReaders.shutdownNow();
  }

  /** Stops the VM if it is still running, and shuts its servers down. */
  @Override
  public void close() throws InterruptedException {
    stop("closed");
    shutDownServers();
  }
}
