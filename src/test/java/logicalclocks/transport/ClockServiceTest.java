package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import logicalclocks.clock.LamportClock;
import logicalclocks.clock.VectorClock;
import logicalclocks.reliability.Reliability;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiving side through a real gRPC stack (in-process transport). */
class ClockServiceTest {
  final Inbox inbox = new Inbox(3);
  final HealthStatusManager health = new HealthStatusManager();
  Server server;
  ManagedChannel channel;
  ClockServiceGrpc.ClockServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ClockServiceImpl(1, 3, inbox))
            .addService(health.getHealthService())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ClockServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static final long SENT = System.currentTimeMillis();

  static ClockMessage msg(int sender, long seq, long clock) {
    return ClockMessage.newBuilder()
        .setSenderId(sender)
        .setSequence(seq)
        .setLogicalClock(clock)
        .setSentUnixMillis(SENT)
        .build();
  }

  @Test
  void deliversIntoTheQueue() {
    Ack ack = stub.deliver(msg(0, 1, 7));
    assertThat(ack.getQueueLength()).isEqualTo(1);
    assertThat(ack.getDuplicate()).isFalse();
    assertThat(inbox.poll()).isEqualTo(new Message(0, 1, 7, SENT));
  }

  @Test
  void aVectorClockTravelsWithTheMessageAndABadOneIsRefused() {
    stub.deliver(msg(0, 1, 7).toBuilder().putVectorClock(0, 4).putVectorClock(2, 3).build());
    assertThat(inbox.poll().vector()).isEqualTo(VectorClock.parse("0:4,2:3"));
    for (ClockMessage bad :
        List.of(
            msg(0, 2, 7).toBuilder().putVectorClock(0, 1).putVectorClock(3, 1).build(),
            msg(0, 3, 7).toBuilder().putVectorClock(2, 1).build(),
            msg(0, 4, 7).toBuilder().putVectorClock(0, -1).build())) {
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> stub.deliver(bad));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    assertThat(inbox.size()).as("nothing refused reached the queue").isZero();
  }

  @Test
  void exactRetryIsAcknowledgedButNotQueuedTwice() {
    stub.deliver(msg(2, 5, 9));
    Ack again = stub.deliver(msg(2, 5, 9));
    assertThat(again.getDuplicate()).isTrue();
    assertThat(inbox.size()).isEqualTo(1);
  }

  @Test
  void refusalsCarryStatusCodesAndNeverTouchTheQueue() {
    stub.deliver(msg(0, 1, 7));
    assertThat(refusal(msg(9, 1, 1))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refusal(msg(1, 1, 1)))
        .as("a VM is not its own peer")
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refusal(msg(-1, 1, 1))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refusal(msg(0, 2, -4))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refusal(msg(0, 0, 4))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refusal(msg(0, 2, LamportClock.MAX))).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(refusal(msg(0, 2, Long.MAX_VALUE))).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(refusal(msg(0, 1, 8)))
        .as("same id, other clock")
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(inbox.size()).isEqualTo(1);
    assertThat(inbox.poll().clock()).isEqualTo(7);
  }

  /**
   * Wall clocks that disagree by minutes decide nothing: a message stamped by a sender whose clock
   * is 10 minutes behind (or ahead), with an old-style expiry long past by the receiver's clock, is
   * taken.
   */
  @Test
  void aSendersWallClockMinutesApartDecidesNothing() {
    long tenMinutes = 600_000;
    ClockMessage behind =
        msg(0, 1, 7).toBuilder()
            .setSentUnixMillis(System.currentTimeMillis() - tenMinutes)
            .setExpiresUnixMillis(System.currentTimeMillis() - tenMinutes + 6300)
            .build();
    ClockMessage ahead =
        msg(2, 1, 3).toBuilder().setSentUnixMillis(System.currentTimeMillis() + tenMinutes).build();
    assertThat(stub.deliver(behind).getDuplicate()).isFalse();
    assertThat(stub.deliver(ahead).getDuplicate()).isFalse();
    assertThat(inbox.size()).isEqualTo(2);
  }

  /**
   * A message below its sender's settled floor (the sender said every lower sequence is settled) is
   * acknowledged as a duplicate and never queued: a request held up in the network and arriving
   * after its sender logged its DROP and moved on is not taken twice, and the receiver forgets the
   * ids below the floor.
   */
  @Test
  void belowTheSendersSettledFloorIsADuplicateAndForgotten() {
    stub.deliver(msg(0, 1, 1));
    stub.deliver(msg(0, 2, 2));
    assertThat(inbox.remembered()).isEqualTo(2);
    assertThat(stub.deliver(msg(0, 5, 5).toBuilder().setSettledBelow(5).build()).getDuplicate())
        .isFalse();
    assertThat(inbox.remembered()).as("ids below the floor forgotten").isEqualTo(1);
    assertThat(stub.deliver(msg(0, 3, 3)).getDuplicate())
        .as("a late arrival below the floor")
        .isTrue();
    assertThat(stub.deliver(msg(0, 1, 1)).getDuplicate()).as("and a forgotten retry").isTrue();
    assertThat(inbox.size()).isEqualTo(3);
  }

  @Test
  void fullQueueRefusesWithResourceExhausted() {
    stub.deliver(msg(0, 1, 1));
    stub.deliver(msg(0, 2, 2));
    stub.deliver(msg(2, 1, 3));
    assertThat(refusal(msg(2, 2, 4))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(inbox.size()).isEqualTo(3);
  }

  @Test
  void stoppedVmRefusesWithUnavailable() {
    inbox.close();
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.deliver(msg(0, 1, 1)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcTransport.dropReason(e.getStatus())).isEqualTo("stopped");
  }

  /**
   * A retry after a lost ack is a duplicate in every state: deduplication comes before the refusals
   * that depend on the receiver's state or the sender's rate (here: a full queue, an empty token
   * bucket, a stopped VM, and a retry arriving after the sender's expiry).
   */
  @Test
  void anExactRetryIsADuplicateInEveryState() throws Exception {
    long[] nanos = {0};
    Inbox small = new Inbox(1);
    String name = InProcessServerBuilder.generateName();
    Server s =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ClockServiceImpl(1, 3, small, 1, null, () -> nanos[0]))
            .build()
            .start();
    ManagedChannel c = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      var st = ClockServiceGrpc.newBlockingStub(c);
      assertThat(st.deliver(msg(0, 1, 7)).getDuplicate()).isFalse();
      // Sender 0's bucket (1 message a second) is now empty and the queue (capacity 1) is full.
      assertThat(
              catchThrowableOfType(StatusRuntimeException.class, () -> st.deliver(msg(2, 1, 3)))
                  .getStatus()
                  .getCode())
          .as("a new message from a sender with tokens, queue full")
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(
              catchThrowableOfType(StatusRuntimeException.class, () -> st.deliver(msg(0, 2, 8)))
                  .getStatus()
                  .getDescription())
          .as("a new message, bucket empty")
          .contains("rate limit");
      assertThat(st.deliver(msg(0, 1, 7)).getDuplicate())
          .as("retry: bucket empty, queue full")
          .isTrue();
      small.close();
      assertThat(st.deliver(msg(0, 1, 7)).getDuplicate()).as("retry to a stopped VM").isTrue();
      assertThat(
              catchThrowableOfType(StatusRuntimeException.class, () -> st.deliver(msg(0, 1, 9)))
                  .getStatus()
                  .getCode())
          .as("same id, other clock: a conflict, whatever the sender's bucket")
          .isEqualTo(Status.Code.ALREADY_EXISTS);
      assertThat(small.size()).isEqualTo(1);
      Reliability.record(
          "66b-retry-any-state",
          "A retry after a lost ack, while the"
              + " receiver is full, stopping, or the sender's token bucket is empty",
          "in-process gRPC against the receiving service (ClockServiceTest)",
          Reliability.checked(
              "acknowledged duplicate=true in each of these states"
                  + " (deduplication comes before every refusal that depends on state or load)",
              true),
          Reliability.checked("the queue still holds the one original", small.size() == 1));
    } finally {
      c.shutdownNow();
      s.shutdownNow();
    }
  }

  /**
   * The clock bound at 2^53 - 2, - 1, 0, + 1: accepted only where the receiver's clock stays within
   * 2^53.
   */
  @Test
  void clocksAreAcceptedOnlyBelowTheBound() {
    long max = 1L << 53;
    assertThat(stub.deliver(msg(0, 1, max - 2)).getDuplicate()).isFalse();
    assertThat(stub.deliver(msg(0, 2, max - 1)).getDuplicate()).isFalse();
    assertThat(refusal(msg(0, 3, max))).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(refusal(msg(0, 4, max + 1))).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(inbox.size()).isEqualTo(2);
    Reliability.record(
        "62b-clock-bound",
        "Clocks at the bound: 2^53 - 2, 2^53 - 1, 2^53," + " 2^53 + 1",
        "in-process gRPC against the receiving service (ClockServiceTest)",
        Reliability.checked(
            "2^53 - 2 and 2^53 - 1 accepted, 2^53 and 2^53 + 1 refused"
                + " OUT_OF_RANGE: no clock can be taken past 2^53",
            true),
        Reliability.checked("only the two accepted messages queued", inbox.size() == 2));
  }

  @Test
  void dropReasons() {
    assertThat(GrpcTransport.dropReason(Status.UNAVAILABLE)).isEqualTo("unreachable");
    assertThat(GrpcTransport.dropReason(Status.DEADLINE_EXCEEDED)).isEqualTo("deadline");
    assertThat(GrpcTransport.dropReason(Status.RESOURCE_EXHAUSTED)).isEqualTo("backpressure");
    assertThat(GrpcTransport.dropReason(Status.INVALID_ARGUMENT))
        .isEqualTo("refused-invalid_argument");
    assertThat(GrpcTransport.dropReason(Status.CANCELLED)).isEqualTo("cancelled");
    for (Status.Code code : Status.Code.values()) {
      if (code != Status.Code.OK) {
        String reason = GrpcTransport.dropReason(Status.fromCode(code));
        assertThat(DropReason.of(reason))
            .as("%s -> %s is a documented reason", code, reason)
            .isPresent();
      }
    }
    assertThat(DropReason.of("refused-")).isEmpty();
    assertThat(DropReason.of("gone")).isEmpty();
  }

  @Test
  void healthFollowsTheStatusManager() {
    var h = HealthGrpc.newBlockingStub(channel);
    assertThat(
            catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> h.check(HealthCheckRequest.newBuilder().setService("nope").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    health.setStatus("", ServingStatus.SERVING);
    assertThat(h.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    health.setStatus("", ServingStatus.NOT_SERVING);
    assertThat(h.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
  }

  private Status.Code refusal(ClockMessage m) {
    return catchThrowableOfType(StatusRuntimeException.class, () -> stub.deliver(m))
        .getStatus()
        .getCode();
  }

  /**
   * One sender may hold at most CLOCK_STREAMS_PER_SENDER clock streams at once; one more is refused
   * RESOURCE_EXHAUSTED on its first message, before that message reaches the queue.
   */
  @Test
  void aSenderBeyondItsClockStreamsIsRefused() throws Exception {
    var async = ClockServiceGrpc.newStub(channel);
    List<java.util.concurrent.CompletableFuture<Status>> ends = new java.util.ArrayList<>();
    List<io.grpc.stub.StreamObserver<ClockMessage>> outs = new java.util.ArrayList<>();
    for (int i = 0; i <= CallLimits.Limits.CLOCK_STREAMS_PER_SENDER; i++) {
      var end = new java.util.concurrent.CompletableFuture<Status>();
      ends.add(end);
      var out =
          async.stream(
              new io.grpc.stub.StreamObserver<Ack>() {
                @Override
                public void onNext(Ack a) {}

                @Override
                public void onError(Throwable t) {
                  end.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                  end.complete(Status.OK);
                }
              });
      outs.add(out);
      out.onNext(msg(0, 10 + i, 1));
    }
    Status last = ends.get(CallLimits.Limits.CLOCK_STREAMS_PER_SENDER).get(5, TimeUnit.SECONDS);
    assertThat(last.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(inbox.size())
        .as("the refused stream's message never reached the queue")
        .isEqualTo(Math.min(3, CallLimits.Limits.CLOCK_STREAMS_PER_SENDER));
    outs.get(0).onCompleted();
    assertThat(ends.get(0).get(5, TimeUnit.SECONDS).isOk()).isTrue();
    var again = new java.util.concurrent.CompletableFuture<Status>();
    async.stream(
            new io.grpc.stub.StreamObserver<Ack>() {
              @Override
              public void onNext(Ack a) {
                again.complete(Status.OK);
              }

              @Override
              public void onError(Throwable t) {
                again.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {}
            })
        .onNext(msg(2, 1, 1));
    assertThat(again.get(5, TimeUnit.SECONDS).isOk()).as("another sender is not affected").isTrue();
  }
}
