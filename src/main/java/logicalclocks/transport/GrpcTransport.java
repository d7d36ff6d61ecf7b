package logicalclocks.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import logicalclocks.config.HostPort;
import logicalclocks.config.WeatherConfig;
import logicalclocks.network.LinkWeather;
import logicalclocks.network.Retries;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.transport.proto.HelloReply;
import logicalclocks.transport.proto.HelloRequest;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.Message;
import logicalclocks.vm.Transport;

/**
 * Sends a VM's messages to its peers over gRPC: one long-lived {@code Stream} per peer, opened on
 * the first message to it, each message acknowledged on its own (by sequence).
 *
 * <ul>
 *   <li><b>Bounded.</b> At most {@code window} messages per peer are unacknowledged; a message sent
 *       beyond that is DROPped at once as {@code backpressure} (it never left), so memory stays
 *       bounded and the VM's tick never waits, whatever the load.
 *   <li><b>Retries.</b> When a stream breaks (UNAVAILABLE, or no Ack for {@code sendTimeout}: the
 *       stream is then cancelled as DEADLINE_EXCEEDED), every unacknowledged message is sent again
 *       on a new stream, same id so the receiver takes it once, 100 ms then 200 ms later; after
 *       {@link #ATTEMPTS} attempts, or once its give-up time has passed, it is DROPped with the
 *       stream's reason ({@code unreachable}, {@code deadline}: ambiguous, see {@link DropReason}).
 *   <li><b>Refusals.</b> A message the receiver refuses (its Ack carries a status code) is DROPped
 *       with that reason at once; the stream goes on. Only such an Ack, about that one message, is
 *       a definite refusal: an error of the whole stream (RST_STREAM from a proxy, INTERNAL,
 *       UNIMPLEMENTED, ...) says nothing of the messages on it, so they are retried and, failing
 *       that, DROPped with an ambiguous reason.
 *   <li><b>Resends after a restart</b> ({@link #resend}) are retries of the same ids: they are
 *       never refused for the window, only ever settled by the receiver's answer or an ambiguous
 *       give-up.
 *   <li><b>Weather</b> ({@link WeatherConfig}, one {@link LinkWeather} per peer): applied where a
 *       copy is written to the peer's stream. A lost copy is not written, and the sweep re-sends it
 *       as for a stuck peer (no Ack within the send timeout); a delayed copy is written by the
 *       timer after its delay, on the stream it was meant for (a copy whose stream broke meanwhile
 *       is gone, like data in flight on a broken connection: its message is re-sent on the new
 *       stream); a duplicate is written twice. Partition times count from the VM's run start
 *       ({@link #startWeatherClock}; before it, from this transport's creation). Calm weather
 *       writes at once and draws nothing.
 *   <li><b>Own time only.</b> Give-up times and stuck streams are measured on the clock passed in
 *       (a monotonic one in a node: {@link logicalclocks.clock.MonotonicClock}); nothing sent
 *       depends on the receiver's wall clock agreeing with the sender's.
 * </ul>
 */
public final class GrpcTransport implements Transport, AutoCloseable {
  /** Attempts per message ({@link Retries#ATTEMPTS}). */
  public static final int ATTEMPTS = Retries.ATTEMPTS;

  /** Unacknowledged messages per peer, at most (the default window). */
  public static final int WINDOW = logicalclocks.network.Retries.WINDOW;

  /** How often give-up times and stuck streams are checked. */
  static final long SWEEP_MILLIS = 50;

  /**
   * How long after its first attempt a sender gives up on a message: every attempt plus the
   * backoffs.
   */
  public static Duration giveUpAfter(Duration sendTimeout) {
    return Retries.giveUpAfter(sendTimeout);
  }

  /**
   * Where a stream's Acks are handled: on the transport thread that reads them. Handling one takes
   * the link's lock and reports the outcome to the VM, never blocking; another thread per Ack would
   * cost two thread hops per message.
   */
  private static final Executor DIRECT = Runnable::run;

  private final int self;
  private final Map<Integer, Link> links = new TreeMap<>();
  private final Map<Integer, HostPort> addresses = new TreeMap<>();
  private final Network network;
  private final long sendTimeoutMillis;
  private final long giveUpMillis;
  private final Clock clock;
  private final int window;
  private final ScheduledExecutorService timers;
  private volatile long startMillis;
  private volatile LongConsumer onDelivered = micros -> {};
  private final java.util.concurrent.atomic.AtomicLong duplicateAcks =
      new java.util.concurrent.atomic.AtomicLong();

  public GrpcTransport(
      int self, List<HostPort> peers, Duration sendTimeout, Network network, Clock clock) {
    this(self, peers, sendTimeout, network, clock, WINDOW);
  }

  public GrpcTransport(
      int self,
      List<HostPort> peers,
      Duration sendTimeout,
      Network network,
      Clock clock,
      int window) {
    this(self, peers, sendTimeout, network, clock, window, WeatherConfig.NONE, 0);
  }

  /**
   * Channels to every VM in {@code peers} but {@code self}, from {@code network}. Nothing connects
   * until used. The transport releases its channels and stops its timer in {@link #close()}.
   *
   * @param clock this process's own time, for give-up times and stuck streams: monotonic in a node
   *     (a test passes a fake one); never compared with another machine's clock
   * @param window unacknowledged messages per peer, at most
   * @param weather the network's weather on every link from this VM ({@link WeatherConfig#NONE}:
   *     calm)
   * @param seed the run seed: link i -> j's weather draws from {@code Seeds.forLink(seed, i, j)}
   */
  public GrpcTransport(
      int self,
      List<HostPort> peers,
      Duration sendTimeout,
      Network network,
      Clock clock,
      int window,
      WeatherConfig weather,
      long seed) {
    this.self = self;
    this.network = network;
    this.sendTimeoutMillis = sendTimeout.toMillis();
    this.giveUpMillis = giveUpAfter(sendTimeout).toMillis();
    this.clock = clock;
    this.window = window;
    for (int i = 0; i < peers.size(); i++) {
      if (i != self) {
        addresses.put(i, peers.get(i));
        links.put(
            i, new Link(network.channel(peers.get(i)), LinkWeather.of(weather, seed, self, i)));
      }
    }
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "grpc-sends-" + self);
              t.setDaemon(true);
              return t;
            });
    // Delayed copies still waiting at close() are never written (their messages are cancelled).
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.timers = pool;
    this.startMillis = clock.millis();
    timers.scheduleWithFixedDelay(
        () -> links.values().forEach(Link::sweep),
        SWEEP_MILLIS,
        SWEEP_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void send(int to, Message m, Outcome outcome) {
    send(to, m, outcome, false);
  }

  @Override
  public void resend(int to, Message m, Outcome outcome) {
    send(to, m, outcome, true);
  }

  private void send(int to, Message m, Outcome outcome, boolean again) {
    Link link = links.get(to);
    if (link == null) {
      outcome.dropped(DropReason.UNKNOWN_PEER.word());
      return;
    }
    link.send(m, outcome, again);
  }

  /**
   * Tells {@code listener} the microseconds from a message's first send to its Ack, for every
   * message delivered from now on (one listener: a later call replaces it).
   */
  public void onDelivered(LongConsumer listener) {
    this.onDelivered = listener;
  }

  /**
   * Sets the weather's time 0 (partitions are scheduled from it) to {@code alreadyRun} before now:
   * a VM calls it as it begins its run (zero; the simulation's time 0), or as it resumes one (the
   * time since the run's first START). Until then, time 0 is this transport's creation.
   */
  public void startWeatherClock(Duration alreadyRun) {
    startMillis = clock.millis() - Math.max(0, alreadyRun.toMillis());
  }

  /**
   * Acks that said "duplicate": a copy the receiver already held (a network duplicate, a retry of a
   * message whose Ack was lost, a resend after a restart).
   */
  public long duplicateAcks() {
    return duplicateAcks.get();
  }

  /** Messages sent to any peer and not acknowledged or dropped yet. */
  public int inFlight() {
    return links.values().stream().mapToInt(Link::size).sum();
  }

  /** The DROP reason for a failed delivery (the words and their meaning: {@link DropReason}). */
  static String dropReason(Status status) {
    return switch (status.getCode()) {
      case UNAVAILABLE ->
          status.getDescription() != null
                  && status.getDescription().endsWith(ClockServiceImpl.STOPPED)
              ? DropReason.STOPPED.word()
              : DropReason.UNREACHABLE.word();
      case DEADLINE_EXCEEDED -> DropReason.DEADLINE.word();
      case RESOURCE_EXHAUSTED -> DropReason.BACKPRESSURE.word();
      case CANCELLED -> DropReason.CANCELLED.word();
      default -> DropReason.refused(status.getCode().name());
    };
  }

  /**
   * The DROP reason for messages on a stream that failed as a whole: always an ambiguous one, as
   * the receiver may hold any of them.
   */
  static String streamDropReason(Status status) {
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> DropReason.DEADLINE.word();
      case CANCELLED -> DropReason.CANCELLED.word();
      default -> DropReason.UNREACHABLE.word();
    };
  }

  /** A message not acknowledged yet. */
  private static final class Pending {
    final Message message;
    final Outcome outcome;
    final long giveUp;
    final long firstSentNanos = System.nanoTime();
    int attempt = 1;
    long attemptStart;

    Pending(Message message, Outcome outcome, long giveUp) {
      this.message = message;
      this.outcome = outcome;
      this.giveUp = giveUp;
    }
  }

  /** An outcome to report once no lock is held. */
  private record Settled(Pending p, String dropReason) {
    void report() {
      if (dropReason == null) {
        p.outcome.delivered();
      } else {
        p.outcome.dropped(dropReason);
      }
    }
  }

  private static void report(List<Settled> settled) {
    settled.forEach(Settled::report);
  }

  /** The stream to one peer and its unacknowledged messages, in the order sent. */
  private final class Link {
    final ManagedChannel channel;
    final LinkWeather weather;
    final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
    ClientCallStreamObserver<ClockMessage> stream;
    int generation;
    boolean reconnecting;
    boolean closed;

    Link(ManagedChannel channel, LinkWeather weather) {
      this.channel = channel;
      this.weather = weather;
    }

    synchronized int size() {
      return pending.size();
    }

    void send(Message m, Outcome outcome, boolean again) {
      String refused = null;
      synchronized (this) {
        if (closed) {
          refused = DropReason.CANCELLED.word();
        } else if (pending.size() >= window && !again) {
          refused = DropReason.BACKPRESSURE.word();
        } else {
          Pending p = new Pending(m, outcome, clock.millis() + giveUpMillis);
          pending.put(m.sequence(), p);
          if (stream != null) {
            write(p);
          } else if (!reconnecting) {
            open();
          }
        }
      }
      if (refused != null) {
        outcome.dropped(refused);
      }
    }

    /** Opens the stream now if none is open (a warm start), not at the first send. */
    synchronized void ready() {
      if (stream == null && !reconnecting && !closed) {
        open();
      }
    }

    /** Opens a new stream and sends every unacknowledged message on it. Holds the lock. */
    private void open() {
      int gen = ++generation;
      stream =
          (ClientCallStreamObserver<ClockMessage>)
              ClockServiceGrpc.newStub(channel).withExecutor(DIRECT).stream(new Acks(this, gen));
      for (Pending p : pending.values()) {
        write(p);
      }
    }

    /** The message's clocks besides the vector and hybrid ones: by key, as text. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void putOtherStamps(logicalclocks.clock.Stamps stamps, ClockMessage.Builder b) {
      for (int i = 0; i < stamps.kinds().size(); i++) {
        logicalclocks.clock.ClockKind k = stamps.kinds().get(i);
        Object v = stamps.value(i);
        if (v != null
            && k != logicalclocks.clock.ClockKind.VECTOR
            && k != logicalclocks.clock.ClockKind.HYBRID) {
          b.putStamps(k.key(), k.format(v));
        }
      }
    }

    /** Puts one copy of {@code p} on the current stream, through the weather. Holds the lock. */
    private void write(Pending p) {
      p.attemptStart = clock.millis();
      Message m = p.message;
      ClockMessage.Builder b =
          ClockMessage.newBuilder()
              .setSenderId(m.sender())
              .setSequence(m.sequence())
              .setLogicalClock(m.clock())
              .setSentUnixMillis(m.sentMillis())
              .setSettledBelow(m.settledBelow())
              .setSnapshot(m.snapshot())
              .putAllVectorClock(m.vector() == null ? Map.of() : m.vector().entries());
      if (m.hlc() != null) {
        b.setHasHlc(true).setHlcL(m.hlc().l()).setHlcC(m.hlc().c());
      }
      putOtherStamps(m.stamps(), b);
      ClockMessage copy = b.build();
      if (weather == null) {
        stream.onNext(copy);
        return;
      }
      LinkWeather.Copy fate = weather.next(p.attemptStart - startMillis);
      if (fate.lost()) {
        return; // the sweep finds no Ack within the send timeout and sends it again
      }
      put(copy, fate.delayNanos());
      if (fate.duplicate()) {
        put(copy, fate.duplicateDelayNanos());
      }
    }

    /** Writes {@code copy} on the current stream after {@code delayNanos}. Holds the lock. */
    private void put(ClockMessage copy, long delayNanos) {
      if (delayNanos <= 0) {
        stream.onNext(copy);
        return;
      }
      int gen = generation;
      try {
        timers.schedule(() -> arrive(gen, copy), delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // closing: close() cancels the message
      }
    }

    /** A delayed copy's time has come: written if the stream it was meant for is still open. */
    private synchronized void arrive(int gen, ClockMessage copy) {
      if (!closed && gen == generation && stream != null) {
        stream.onNext(copy);
      }
    }

    void acked(Ack ack) {
      if (ack.getDuplicate()) {
        duplicateAcks.incrementAndGet();
      }
      Pending p;
      synchronized (this) {
        p = pending.remove(ack.getSequence());
      }
      if (p == null) {
        return; // dropped meanwhile (given up), or an Ack from an earlier stream for a resent one
      }
      if (ack.getCode() == 0) {
        onDelivered.accept(Math.max(0, (System.nanoTime() - p.firstSentNanos) / 1000));
        p.outcome.delivered();
      } else {
        p.outcome.dropped(
            dropReason(Status.fromCodeValue(ack.getCode()).withDescription(ack.getDescription())));
      }
    }

    /** The stream of generation {@code gen} ended with {@code status}. */
    void broken(int gen, Status status) {
      List<Settled> settled;
      synchronized (this) {
        if (gen != generation || closed) {
          return;
        }
        settled = failLocked(status);
      }
      report(settled);
    }

    /**
     * The current stream is gone: each unacknowledged message is dropped (retries used up, give-up
     * time passed, or a reason that is not worth retrying) or kept for a new stream after a
     * backoff.
     */
    private List<Settled> failLocked(Status status) {
      stream = null;
      generation++;
      // The whole stream failed: nothing is known of any one message on it, so every reason is
      // ambiguous and worth another attempt.
      String reason = streamDropReason(status);
      if (status.getCode() == Status.Code.UNAVAILABLE) {
        channel.resetConnectBackoff();
      }
      long now = clock.millis();
      List<Settled> settled = new ArrayList<>();
      int nextAttempt = ATTEMPTS;
      for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (now >= p.giveUp) {
          it.remove();
          settled.add(new Settled(p, DropReason.DEADLINE.word()));
        } else if (p.attempt >= ATTEMPTS) {
          it.remove();
          settled.add(new Settled(p, reason));
        } else {
          p.attempt++;
          nextAttempt = Math.min(nextAttempt, p.attempt);
        }
      }
      if (!pending.isEmpty()) {
        reconnecting = true;
        try {
          timers.schedule(
              this::reconnect, Retries.backoffMillis(nextAttempt), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          reconnecting = false; // closing: close() settles what is left
        }
      }
      return settled;
    }

    private void reconnect() {
      synchronized (this) {
        reconnecting = false;
        if (!closed && stream == null && !pending.isEmpty()) {
          open();
        }
      }
    }

    /**
     * Drops every message past its give-up time; breaks the stream when its oldest message has
     * waited a whole send timeout for its Ack (a stuck peer), so its messages are tried again.
     */
    void sweep() {
      List<Settled> settled = new ArrayList<>();
      synchronized (this) {
        long now = clock.millis();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
          Pending p = it.next();
          if (now >= p.giveUp) {
            it.remove();
            settled.add(new Settled(p, DropReason.DEADLINE.word()));
          }
        }
        Pending oldest = pending.isEmpty() ? null : pending.values().iterator().next();
        if (stream != null
            && oldest != null
            && !closed
            && now - oldest.attemptStart >= sendTimeoutMillis) {
          ClientCallStreamObserver<ClockMessage> stuck = stream;
          settled.addAll(
              failLocked(Status.DEADLINE_EXCEEDED.withDescription("no Ack within send timeout")));
          stuck.cancel("no Ack within the send timeout", null);
        }
      }
      report(settled);
    }

    /** Ends the stream; every message still unacknowledged is dropped as {@code cancelled}. */
    void close() {
      List<Settled> settled = new ArrayList<>();
      synchronized (this) {
        closed = true;
        pending.values().forEach(p -> settled.add(new Settled(p, DropReason.CANCELLED.word())));
        pending.clear();
        if (stream != null) {
          if (settled.isEmpty()) {
            stream.onCompleted();
          } else {
            stream.cancel("the sender is closing", null);
          }
          stream = null;
        }
        generation++;
      }
      report(settled);
    }
  }

  /** Receives one stream's Acks and tells its link. */
  private static final class Acks implements ClientResponseObserver<ClockMessage, Ack> {
    private final Link link;
    private final int generation;

    Acks(Link link, int generation) {
      this.link = link;
      this.generation = generation;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ClockMessage> requests) {}

    @Override
    public void onNext(Ack ack) {
      link.acked(ack);
    }

    @Override
    public void onError(Throwable t) {
      link.broken(generation, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      link.broken(generation, Status.UNAVAILABLE.withDescription("the receiver ended the stream"));
    }
  }

  /**
   * Waits until every peer's health service answers SERVING, retrying name resolution and
   * connection.
   *
   * @return the peers still not serving at the deadline (empty when all are up)
   */
  /**
   * Makes the send path ready before the first tick (a warm start): opens the stream to every peer,
   * which the first send would otherwise open on the VM's thread, and builds, encodes and decodes
   * one message of every field, so the classes a first send needs are loaded now. Without it a VM's
   * first SEND stalled its thread for about 0.3 s (15 to 18 slots skipped at 50 ticks/s).
   */
  public void warmUp() {
    ClockMessage sample =
        ClockMessage.newBuilder()
            .setSenderId(1)
            .setSequence(1)
            .setLogicalClock(1)
            .setSentUnixMillis(clock.millis())
            .setSettledBelow(1)
            .putAllVectorClock(Map.of(0, 1L, 1, 1L))
            .setHasHlc(true)
            .setHlcL(1)
            .setHlcC(1)
            .putStamps("warm", "1")
            .build();
    try {
      ClockMessage.parseFrom(sample.toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e); // a message this code just built
    }
    links.values().forEach(Link::ready);
  }

  public List<Integer> awaitPeersServing(Duration timeout) throws InterruptedException {
    return awaitPeersServing(timeout, () -> false);
  }

  /**
   * Waits until every peer is ready: its health answers SERVING, or it says its run is over ({@code
   * Hello}: stopped), so a VM restarted after its peers finished does not wait for them in vain.
   * Gives up early when {@code cancelled} turns true (a stop was requested).
   *
   * @return the peers still not ready when it stopped waiting (empty when all are)
   */
  public List<Integer> awaitPeersServing(Duration timeout, BooleanSupplier cancelled)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> missing = new ArrayList<>(links.keySet());
    while (!missing.isEmpty() && !cancelled.getAsBoolean()) {
      missing.removeIf(this::isReady);
      if (missing.isEmpty() || System.nanoTime() >= deadline) {
        break;
      }
      Thread.sleep(50);
    }
    return missing;
  }

  /** Peers that said their run is over (while waiting for them, or in {@link #hello}). */
  public java.util.Set<Integer> stoppedPeers() {
    return java.util.Set.copyOf(stoppedPeers);
  }

  private final java.util.Set<Integer> stoppedPeers =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private boolean isReady(int peer) {
    ManagedChannel channel = links.get(peer).channel;
    channel.resetConnectBackoff();
    try {
      HealthCheckResponse r =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
        return true;
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
          || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return false; // not up (yet)
      }
      // a server without the health service: ask it directly below
    }
    HelloReply r = hello(peer, List.of(), Duration.ofSeconds(1));
    return r != null && r.getStopped();
  }

  /** Most sequences asked in one {@code Hello}. */
  static final int HELLO_BATCH = 1024;

  /**
   * Asks {@code peer} which of {@code sequences} (of this VM's messages to it) it holds, and
   * whether its run is over; null when it cannot be asked (unreachable, or an older receiver).
   */
  /**
   * The channel to VM {@code peer}: its clock messages' link, which snapshots' markers take too.
   */
  public io.grpc.Channel channelTo(int peer) {
    return links.get(peer).channel;
  }

  public HelloReply hello(int peer, List<Long> sequences, Duration timeout) {
    ManagedChannel channel = links.get(peer).channel;
    HelloReply.Builder all = HelloReply.newBuilder();
    try {
      for (int from = 0; from == 0 || from < sequences.size(); from += HELLO_BATCH) {
        HelloReply r =
            ClockServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .hello(
                    HelloRequest.newBuilder()
                        .setSenderId(self)
                        .addAllSequences(
                            sequences.subList(from, Math.min(sequences.size(), from + HELLO_BATCH)))
                        .build());
        all.addAllHeld(r.getHeldList());
        all.setStopped(all.getStopped() || r.getStopped());
      }
    } catch (StatusRuntimeException e) {
      return null;
    }
    if (all.getStopped()) {
      stoppedPeers.add(peer);
    }
    return all.build();
  }

  public HostPort address(int peer) {
    return addresses.get(peer);
  }

  /**
   * Ends every stream and releases the channels; every message still unacknowledged is DROPped as
   * {@code cancelled} before this returns, so no message is left without an outcome.
   */
  @Override
  public void close() throws InterruptedException {
    timers.shutdown();
    links.values().forEach(Link::close);
    for (Link link : links.values()) {
      network.release(link.channel);
    }
    if (!timers.awaitTermination(2, TimeUnit.SECONDS)) {
      timers.shutdownNow();
    }
  }
}
