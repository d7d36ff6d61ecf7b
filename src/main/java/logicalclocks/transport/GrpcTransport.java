package logicalclocks.transport;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.HostPort;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.Message;
import logicalclocks.vm.Transport;

/**
 * Sends a VM's messages to its peers over gRPC: asynchronous, with a deadline per attempt. An
 * attempt that fails with UNAVAILABLE or DEADLINE_EXCEEDED is retried (same message id, so the
 * receiver takes it once) up to {@link #ATTEMPTS} attempts in all, 100 ms then 200 ms apart; then
 * the message is DROPped.
 */
public final class GrpcTransport implements Transport, AutoCloseable {
  /** Attempts per message. */
  public static final int ATTEMPTS = 3;

  /**
   * How long after its first attempt a sender gives up on a message: every attempt plus the
   * backoffs.
   */
  public static Duration giveUpAfter(Duration sendTimeout) {
    return sendTimeout.multipliedBy(ATTEMPTS).plusMillis(300);
  }

  private final Map<Integer, ManagedChannel> channels = new TreeMap<>();
  private final Map<Integer, HostPort> addresses = new TreeMap<>();
  private final Duration sendTimeout;
  private final Clock clock;
  private final ScheduledExecutorService retries;

  /**
   * Channels to every VM in {@code peers} but {@code self}, opened by {@code network}. Nothing
   * connects until used. The transport owns its channels and its retry scheduler, and closes them
   * in {@link #close()}.
   *
   * @param clock wall time, for the give-up time of each message (a test passes a fake one)
   */
  public GrpcTransport(
      int self, List<HostPort> peers, Duration sendTimeout, Network network, Clock clock) {
    this.sendTimeout = sendTimeout;
    this.clock = clock;
    for (int i = 0; i < peers.size(); i++) {
      if (i != self) {
        addresses.put(i, peers.get(i));
        channels.put(i, network.channel(peers.get(i)));
      }
    }
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "grpc-retry-" + self);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void send(int to, Message m, Outcome outcome) {
    ManagedChannel channel = channels.get(to);
    if (channel == null) {
      outcome.dropped(DropReason.UNKNOWN_PEER.word());
      return;
    }
    long giveUp = clock.millis() + giveUpAfter(sendTimeout).toMillis();
    attempt(channel, m, outcome, 1, giveUp);
  }

  private void attempt(
      ManagedChannel channel, Message m, Outcome outcome, int attempt, long giveUp) {
    if (channel.isShutdown()) {
      // Closed between attempts: an earlier attempt may have got through, so it is ambiguous.
      outcome.dropped(DropReason.CANCELLED.word());
      return;
    }
    long budget = Math.min(sendTimeout.toMillis(), giveUp - clock.millis());
    if (budget <= 0) {
      outcome.dropped(DropReason.DEADLINE.word());
      return;
    }
    ClockMessage req =
        ClockMessage.newBuilder()
            .setSenderId(m.sender())
            .setSequence(m.sequence())
            .setLogicalClock(m.clock())
            .setSentUnixMillis(m.sentMillis())
            .setExpiresUnixMillis(giveUp)
            .putAllVectorClock(m.vector() == null ? Map.of() : m.vector().entries())
            .build();
    var call =
        ClockServiceGrpc.newFutureStub(channel)
            .withDeadlineAfter(budget, TimeUnit.MILLISECONDS)
            .deliver(req);
    Futures.addCallback(
        call,
        new FutureCallback<Ack>() {
          @Override
          public void onSuccess(Ack ack) {
            outcome.delivered();
          }

          @Override
          public void onFailure(Throwable t) {
            Status status = Status.fromThrowable(t);
            String reason = dropReason(status);
            if (status.getCode() == Status.Code.UNAVAILABLE) {
              channel.resetConnectBackoff();
            }
            boolean retriable = DropReason.of(reason).map(DropReason::ambiguous).orElse(false);
            if (retriable && attempt < ATTEMPTS && !channel.isShutdown()) {
              try {
                retries.schedule(
                    () -> attempt(channel, m, outcome, attempt + 1, giveUp),
                    100L << (attempt - 1),
                    TimeUnit.MILLISECONDS);
                return;
              } catch (RejectedExecutionException e) {
                // closed: no more attempts, the message is dropped below
              }
            }
            outcome.dropped(reason);
          }
        },
        MoreExecutors.directExecutor());
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
   * Waits until every peer's health service answers SERVING, retrying name resolution and
   * connection.
   *
   * @return the peers still not serving at the deadline (empty when all are up)
   */
  public List<Integer> awaitPeersServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> missing = new ArrayList<>(channels.keySet());
    while (!missing.isEmpty()) {
      missing.removeIf(this::isServing);
      if (missing.isEmpty() || System.nanoTime() >= deadline) {
        break;
      }
      Thread.sleep(200);
    }
    return missing;
  }

  private boolean isServing(int peer) {
    ManagedChannel channel = channels.get(peer);
    channel.resetConnectBackoff();
    try {
      HealthCheckResponse r =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  public HostPort address(int peer) {
    return addresses.get(peer);
  }

  @Override
  public void close() throws InterruptedException {
    // A retry already scheduled still runs once, finds its channel shut down and drops its message:
    // no
    // message is left without an outcome.
    channels.values().forEach(ManagedChannel::shutdown);
    retries.shutdown();
    for (ManagedChannel c : channels.values()) {
      if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    }
    if (!retries.awaitTermination(2, TimeUnit.SECONDS)) {
      retries.shutdownNow();
    }
  }
}
