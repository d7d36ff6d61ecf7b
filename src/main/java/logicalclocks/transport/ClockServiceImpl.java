package logicalclocks.transport;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.LamportClock;
import logicalclocks.clock.VectorClock;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.transport.proto.HelloReply;
import logicalclocks.transport.proto.HelloRequest;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side: validates a message and offers it to the VM's inbox. An invalid message is
 * refused with a status code and never reaches the clock or the queue.
 */
public final class ClockServiceImpl extends ClockServiceGrpc.ClockServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClockServiceImpl.class);

  private final int self;
  private final int machines;
  private final Inbox inbox;

  /**
   * How an UNAVAILABLE refusal from a stopped VM ends, so the sender can log DROP reason=stopped.
   */
  static final String STOPPED = " has stopped";

  /**
   * A request with less time than this left before its deadline is refused: its sender may have
   * given up.
   */
  static final long MIN_REMAINING_MS = 200;

  private final Map<String, AtomicLong> warned = new ConcurrentHashMap<>();
  private final RateLimiter[] limiters;
  private final SenderCheck senderCheck;

  /**
   * Whether the authenticated peer of the current call may speak for a sender id (mTLS); null = no
   * check.
   */
  @FunctionalInterface
  public interface SenderCheck {
    /** Null when allowed; else why not. */
    String refuse(int sender);
  }

  public ClockServiceImpl(int self, int machines, Inbox inbox) {
    this(self, machines, inbox, Integer.MAX_VALUE, null, System::nanoTime);
  }

  /**
   * @param maxPerSecond most messages one sender may deliver per second (a burst of as many is
   *     allowed)
   * @param senderCheck mTLS identity check, or null
   * @param nanoTime time source of the rate limiter
   */
  public ClockServiceImpl(
      int self,
      int machines,
      Inbox inbox,
      int maxPerSecond,
      SenderCheck senderCheck,
      LongSupplier nanoTime) {
    this.self = self;
    this.machines = machines;
    this.inbox = inbox;
    this.senderCheck = senderCheck;
    this.limiters = new RateLimiter[machines];
    for (int i = 0; i < machines; i++) {
      limiters[i] = new RateLimiter(maxPerSecond, nanoTime);
    }
  }

  /** A token bucket: {@code perSecond} tokens a second, holding at most {@code perSecond}. */
  static final class RateLimiter {
    private final double perSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, LongSupplier nanoTime) {
      this.perSecond = perSecond;
      this.nanoTime = nanoTime;
      this.tokens = perSecond;
      this.last = nanoTime.getAsLong();
    }

    synchronized boolean tryAcquire() {
      if (perSecond >= Integer.MAX_VALUE) {
        return true;
      }
      long now = nanoTime.getAsLong();
      tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  @Override
  public void deliver(ClockMessage req, StreamObserver<Ack> response) {
    Ack ack = handle(req);
    if (ack.getCode() == 0) {
      response.onNext(ack.toBuilder().clearSequence().build());
      response.onCompleted();
    } else {
      response.onError(
          Status.fromCodeValue(ack.getCode())
              .withDescription(ack.getDescription())
              .asRuntimeException());
    }
  }

  /** Messages a stream may have read ahead of the Acks sent (its flow-control window). */
  static final int READ_AHEAD = 64;

  /**
   * One Ack per message, in order. Flow control: at most {@link #READ_AHEAD} messages are read
   * ahead, and one more only once an Ack could be sent without buffering, so a sender that does not
   * read its Acks stalls its own stream, not this VM (as in grpc-java's manual flow control
   * example). Callbacks of one call never run concurrently, so the counter needs no lock.
   */
  private final Map<Integer, java.util.concurrent.atomic.AtomicInteger> streamsBySender =
      new ConcurrentHashMap<>();

  @Override
  public StreamObserver<ClockMessage> stream(StreamObserver<Ack> response) {
    ServerCallStreamObserver<Ack> acks = (ServerCallStreamObserver<Ack>) response;
    acks.disableAutoRequest();
    int[] owed = {0};
    // The sender a stream speaks for, once its first message names it (-1 before, -2 refused).
    int[] sender = {-1};
    java.util.concurrent.atomic.AtomicBoolean counted =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable release =
        () -> {
          if (counted.compareAndSet(true, false)) {
            streamsBySender.get(sender[0]).decrementAndGet();
          }
        };
    acks.setOnCancelHandler(release);
    acks.setOnReadyHandler(
        () -> {
          if (acks.isReady() && owed[0] > 0) {
            acks.request(owed[0]);
            owed[0] = 0;
          }
        });
    acks.request(READ_AHEAD);
    return new StreamObserver<>() {
      @Override
      public void onNext(ClockMessage req) {
        if (sender[0] == -2) {
          return;
        }
        if (sender[0] == -1) {
          int id = req.getSenderId();
          if (id >= 0 && id < machines && id != self) {
            var n =
                streamsBySender.computeIfAbsent(
                    id, k -> new java.util.concurrent.atomic.AtomicInteger());
            if (n.incrementAndGet() > CallLimits.Limits.CLOCK_STREAMS_PER_SENDER) {
              n.decrementAndGet();
              sender[0] = -2;
              Status refusal =
                  Status.RESOURCE_EXHAUSTED.withDescription(
                      "sender "
                          + id
                          + " already has "
                          + CallLimits.Limits.CLOCK_STREAMS_PER_SENDER
                          + " clock streams open to VM "
                          + self);
              warnOnce(id, refusal);
              acks.onError(refusal.asRuntimeException());
              return;
            }
            sender[0] = id;
            counted.set(true);
          }
        }
        acks.onNext(handle(req));
        if (acks.isReady()) {
          acks.request(1 + owed[0]);
          owed[0] = 0;
        } else {
          owed[0]++;
        }
      }

      @Override
      public void onError(Throwable t) {
        // the sender went away; whatever it sent was answered message by message
        release.run();
      }

      @Override
      public void onCompleted() {
        release.run();
        if (sender[0] != -2) {
          acks.onCompleted();
        }
      }
    };
  }

  /** The clocks a valid message carries besides its Lamport clock, as its sender put them. */
  private static logicalclocks.clock.Stamps stamps(ClockMessage req) {
    Map<logicalclocks.clock.ClockKind<?>, Object> m = new java.util.LinkedHashMap<>();
    if (req.getHasHlc()) {
      m.put(logicalclocks.clock.ClockKind.HYBRID, new HybridTime(req.getHlcL(), req.getHlcC()));
    }
    if (!req.getVectorClockMap().isEmpty()) {
      m.put(logicalclocks.clock.ClockKind.VECTOR, VectorClock.of(req.getVectorClockMap()));
    }
    for (Map.Entry<String, String> e : req.getStampsMap().entrySet()) {
      logicalclocks.clock.ClockKind<?> k = logicalclocks.clock.ClockKinds.keyed(e.getKey());
      if (k != null
          && k != logicalclocks.clock.ClockKind.VECTOR
          && k != logicalclocks.clock.ClockKind.HYBRID) {
        m.put(k, k.parse(e.getValue()));
      }
    }
    return logicalclocks.clock.Stamps.of(m);
  }

  /**
   * Validates one message and offers it to the inbox: the Ack names its sequence, with code 0 when
   * it was taken (or is an exact retry), else the status code and description it is refused with.
   */
  Ack handle(ClockMessage req) {
    Status refusal = validate(req);
    if (refusal == null) {
      Message m =
          new Message(
              req.getSenderId(),
              req.getSequence(),
              req.getLogicalClock(),
              req.getSentUnixMillis(),
              req.getSettledBelow(),
              stamps(req),
              req.getSnapshot());
      // One atomic step in the inbox: deduplication first (an exact retry of a message already
      // taken is acknowledged even while stopping, with a full queue or an empty token bucket),
      // then the refusals of a new message, then journal and queue.
      Status[] admission = {null};
      // A refusal the sender logs as definite (backpressure: the rate limit) holds for every later
      // copy of the message too; one it logs as ambiguous (deadline) does not.
      Inbox.Offer offer =
          inbox.offer(
              m,
              () -> (admission[0] = admit(req)) == null,
              () ->
                  !DropReason.of(GrpcTransport.dropReason(admission[0])).orElseThrow().ambiguous());
      switch (offer) {
        case ACCEPTED, DUPLICATE -> {
          return Ack.newBuilder()
              .setSequence(req.getSequence())
              .setQueueLength(inbox.size())
              .setDuplicate(offer == Inbox.Offer.DUPLICATE)
              .build();
        }
        case CONFLICT ->
            refusal =
                Status.ALREADY_EXISTS.withDescription(
                    "message id " + m.id() + " was already delivered with another clock");
        case FULL ->
            refusal =
                Status.RESOURCE_EXHAUSTED.withDescription(
                    "queue of VM " + self + " is full (" + inbox.capacity() + " messages)");
        case CLOSED -> refusal = Status.UNAVAILABLE.withDescription("VM " + self + STOPPED);
        case REFUSED ->
            refusal =
                admission[0] != null
                    ? admission[0]
                    : Status.RESOURCE_EXHAUSTED.withDescription(
                        "message id " + m.id() + " was refused before");
        default -> throw new AssertionError();
      }
    }
    if (refusal.getCode() != Status.Code.UNAVAILABLE) {
      warnOnce(req.getSenderId(), refusal);
    }
    return Ack.newBuilder()
        .setSequence(req.getSequence())
        .setCode(refusal.getCode().value())
        .setDescription(refusal.getDescription() == null ? "" : refusal.getDescription())
        .build();
  }

  /**
   * What this VM holds of a restarted sender's messages, and whether its run is over. Reads the
   * inbox only: never touches a clock or a queue.
   */
  @Override
  public void hello(HelloRequest req, StreamObserver<HelloReply> response) {
    int sender = req.getSenderId();
    Status refusal = null;
    if (sender < 0 || sender >= machines || sender == self) {
      refusal = Status.INVALID_ARGUMENT.withDescription("unknown sender id " + sender);
    } else if (req.getSequencesCount() > GrpcTransport.HELLO_BATCH) {
      refusal =
          Status.INVALID_ARGUMENT.withDescription(
              "at most " + GrpcTransport.HELLO_BATCH + " sequences per Hello");
    } else if (senderCheck != null) {
      String why = senderCheck.refuse(sender);
      if (why != null) {
        refusal = Status.PERMISSION_DENIED.withDescription(why);
      }
    }
    if (refusal != null) {
      warnOnce(sender, refusal);
      response.onError(refusal.asRuntimeException());
      return;
    }
    response.onNext(
        HelloReply.newBuilder()
            .addAllHeld(inbox.held(sender, req.getSequencesList()))
            .setStopped(inbox.isClosed())
            .build());
    response.onCompleted();
  }

  /**
   * What a message is, whatever the receiver's state: null when well formed and from the sender it
   * claims (under mutual TLS); else the status to refuse with.
   */
  private Status validate(ClockMessage req) {
    int sender = req.getSenderId();
    if (sender < 0 || sender >= machines || sender == self) {
      return Status.INVALID_ARGUMENT.withDescription(
          "unknown sender id "
              + sender
              + " (VM "
              + self
              + " accepts 0.."
              + (machines - 1)
              + " but not itself)");
    }
    if (req.getSequence() < 1) {
      return Status.INVALID_ARGUMENT.withDescription(
          "message sequence must be >= 1, got " + req.getSequence());
    }
    if (req.getLogicalClock() < 0) {
      return Status.INVALID_ARGUMENT.withDescription(
          "negative logical clock " + req.getLogicalClock());
    }
    if (!LamportClock.isAcceptable(req.getLogicalClock())) {
      return Status.OUT_OF_RANGE.withDescription(
          "logical clock "
              + req.getLogicalClock()
              + " would take the receiver's clock past the bound 2^53 (accepted: 0 .. 2^53 - 1)");
    }
    for (Map.Entry<Integer, Long> e : req.getVectorClockMap().entrySet()) {
      if (e.getKey() < 0
          || e.getKey() >= machines
          || e.getValue() < 0
          || e.getValue() >= LamportClock.MAX) {
        return Status.INVALID_ARGUMENT.withDescription(
            "vector clock entry "
                + e.getKey()
                + ":"
                + e.getValue()
                + " (ids 0.."
                + (machines - 1)
                + ", counters 0 .. 2^53 - 1)");
      }
    }
    if (req.getHasHlc()
        && (req.getHlcL() < 0
            || req.getHlcL() >= HybridTime.MAX_L
            || req.getHlcC() < 0
            || req.getHlcC() >= HybridTime.MAX_C)) {
      return Status.INVALID_ARGUMENT.withDescription(
          "hybrid clock "
              + req.getHlcL()
              + ":"
              + req.getHlcC()
              + " (accepted: l 0 .. 2^53 - 1, c 0 .. 2^31 - 2)");
    }
    if (req.getSnapshot() < 0) {
      return Status.INVALID_ARGUMENT.withDescription(
          "snapshot colour must be >= 0, got " + req.getSnapshot());
    }
    if (!req.getVectorClockMap().isEmpty() && req.getVectorClockOrDefault(sender, 0) < 1) {
      return Status.INVALID_ARGUMENT.withDescription(
          "vector clock without the sender's own entry (it counts the SEND itself, so it is >= 1)");
    }
    for (Map.Entry<String, String> e : req.getStampsMap().entrySet()) {
      logicalclocks.clock.ClockKind<?> k = logicalclocks.clock.ClockKinds.keyed(e.getKey());
      if (k == null) {
        continue; // a clock this receiver knows nothing of: not taken in
      }
      try {
        k.parse(e.getValue());
      } catch (IllegalArgumentException bad) {
        return Status.INVALID_ARGUMENT.withDescription(
            k.name() + " clock '" + e.getValue() + "': " + bad.getMessage());
      }
    }
    if (senderCheck != null) {
      String why = senderCheck.refuse(sender);
      if (why != null) {
        return Status.PERMISSION_DENIED.withDescription(why);
      }
    }
    return null;
  }

  /**
   * Whether a NEW message may be taken now (its call's remaining time, its sender's rate); null
   * when it may.
   */
  private Status admit(ClockMessage req) {
    // No wall clock is read here: a message's fate never depends on this machine's wall time
    // agreeing with its sender's. The call's own gRPC deadline is relative (each side's clock).
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) < MIN_REMAINING_MS) {
      return Status.DEADLINE_EXCEEDED.withDescription(
          "arrived too close to its deadline; the sender may have given up");
    }
    if (!limiters[req.getSenderId()].tryAcquire()) {
      return Status.RESOURCE_EXHAUSTED.withDescription(
          "sender " + req.getSenderId() + " exceeds its rate limit");
    }
    return null;
  }

  private void warnOnce(int sender, Status refusal) {
    String key = sender + "/" + refusal.getCode();
    long n = warned.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    if (n == 1) {
      LOG.warn(
          "VM {} refused a message from sender {}: {} {} (further refusals of this kind are logged at debug)",
          self,
          sender,
          refusal.getCode(),
          refusal.getDescription());
    } else {
      LOG.debug(
          "VM {} refused a message from sender {} ({} times): {} {}",
          self,
          sender,
          n,
          refusal.getCode(),
          refusal.getDescription());
    }
  }
}
