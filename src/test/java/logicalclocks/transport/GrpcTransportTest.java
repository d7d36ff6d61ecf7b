package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import logicalclocks.clock.VirtualClock;
import logicalclocks.config.HostPort;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.vm.Message;
import logicalclocks.vm.Transport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sender's side in-process, against a scripted fake peer (as grpc-java's examples test a client
 * against a fake service) and with a fake wall clock: retries, give-up, refusals and close, with no
 * port and no sleep.
 */
class GrpcTransportTest {
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final HostPort VM0 = new HostPort("vm0", 1);
  static final HostPort VM1 = new HostPort("vm1", 1);

  /**
   * A peer that answers each message from its script: a status that breaks the whole stream
   * (UNAVAILABLE or DEADLINE_EXCEEDED without a description: the connection or the call failed), or
   * one it refuses the message with in its Ack; it acknowledges once the script is empty.
   */
  static final class ScriptedPeer extends ClockServiceGrpc.ClockServiceImplBase {
    final List<ClockMessage> attempts = new CopyOnWriteArrayList<>();
    final Deque<Status> script = new ArrayDeque<>();
    Runnable onAttempt = () -> {};
    volatile boolean silent;

    /** A description that makes any status fail the whole stream (as a proxy's RST_STREAM). */
    static final String WHOLE_STREAM = "the whole stream";

    static boolean breaksStream(Status s) {
      return WHOLE_STREAM.equals(s.getDescription())
          || s.getDescription() == null
              && (s.getCode() == Status.Code.UNAVAILABLE
                  || s.getCode() == Status.Code.DEADLINE_EXCEEDED);
    }

    @Override
    public StreamObserver<ClockMessage> stream(StreamObserver<Ack> reply) {
      return new StreamObserver<>() {
        boolean broken;

        @Override
        public void onNext(ClockMessage req) {
          synchronized (ScriptedPeer.this) {
            if (broken) {
              return;
            }
            attempts.add(req);
            onAttempt.run();
            if (silent) {
              return;
            }
            Status fail = script.poll();
            Ack.Builder ack = Ack.newBuilder().setSequence(req.getSequence());
            if (fail == null) {
              reply.onNext(ack.build());
            } else if (breaksStream(fail)) {
              broken = true;
              reply.onError(fail.asRuntimeException());
            } else {
              reply.onNext(
                  ack.setCode(fail.getCode().value())
                      .setDescription(fail.getDescription())
                      .build());
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          if (!broken) {
            reply.onCompleted();
          }
        }
      };
    }
  }

  final InProcessNetwork network = new InProcessNetwork();
  final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-27T10:00:00Z"));
  final ScriptedPeer peer = new ScriptedPeer();
  Server server;
  GrpcTransport transport;

  @BeforeEach
  void start() throws Exception {
    server = network.server(InProcessNetwork.at(VM1)).addService(peer).build().start();
    transport = new GrpcTransport(0, List.of(VM0, VM1), TIMEOUT, network, clock);
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Sends message 0-7 to {@code to}; completes with "delivered" or "dropped <reason>". */
  CompletableFuture<String> send(int to) {
    return send(to, 7);
  }

  CompletableFuture<String> send(int to, long sequence) {
    CompletableFuture<String> result = new CompletableFuture<>();
    transport.send(
        to,
        new Message(0, sequence, 42, clock.millis()),
        new Transport.Outcome() {
          @Override
          public void delivered() {
            result.complete("delivered");
          }

          @Override
          public void dropped(String reason) {
            result.complete("dropped " + reason);
          }
        });
    return result;
  }

  @Test
  void deliversWithTheGiveUpTimeOfItsOwnClock() throws Exception {
    assertThat(send(1).get(10, TimeUnit.SECONDS)).isEqualTo("delivered");
    assertThat(peer.attempts)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getSenderId()).isZero();
              assertThat(m.getSequence()).isEqualTo(7);
              assertThat(m.getLogicalClock()).isEqualTo(42);
              assertThat(m.getExpiresUnixMillis())
                  .as("no absolute expiry: the receiver's wall clock decides nothing")
                  .isZero();
            });
  }

  @Test
  void retriesAnAmbiguousFailureWithTheSameMessageId() throws Exception {
    peer.script.add(Status.UNAVAILABLE);
    peer.script.add(Status.DEADLINE_EXCEEDED);
    assertThat(send(1).get(10, TimeUnit.SECONDS)).isEqualTo("delivered");
    assertThat(peer.attempts).hasSize(3).extracting(ClockMessage::getSequence).containsOnly(7L);
  }

  @Test
  void givesUpAfterItsLastAttempt() throws Exception {
    for (int i = 0; i < GrpcTransport.ATTEMPTS; i++) {
      peer.script.add(Status.UNAVAILABLE);
    }
    assertThat(send(1).get(10, TimeUnit.SECONDS)).isEqualTo("dropped unreachable");
    assertThat(peer.attempts).hasSize(GrpcTransport.ATTEMPTS);
  }

  @Test
  void givesUpWhenItsClockPassesTheGiveUpTime() throws Exception {
    peer.script.add(Status.UNAVAILABLE);
    peer.onAttempt = () -> clock.advance(GrpcTransport.giveUpAfter(TIMEOUT));
    assertThat(send(1).get(10, TimeUnit.SECONDS)).isEqualTo("dropped deadline");
    assertThat(peer.attempts).as("no attempt after the give-up time").hasSize(1);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
    "RESOURCE_EXHAUSTED, '', backpressure",
    "UNAVAILABLE, VM 1 has stopped, stopped",
    "INVALID_ARGUMENT, '', refused-invalid_argument",
    "OUT_OF_RANGE, '', refused-out_of_range",
  })
  void aDefiniteRefusalIsNotRetried(Status.Code code, String description, String reason)
      throws Exception {
    peer.script.add(Status.fromCode(code).withDescription(description));
    assertThat(send(1).get(10, TimeUnit.SECONDS)).isEqualTo("dropped " + reason);
    assertThat(peer.attempts).hasSize(1);
  }

  @Test
  void aMessageBeyondTheWindowIsDroppedAtOnceAsBackpressure() throws Exception {
    peer.silent = true; // takes messages, never acknowledges
    List<CompletableFuture<String>> sent = new java.util.ArrayList<>();
    for (int i = 1; i <= GrpcTransport.WINDOW; i++) {
      sent.add(send(1, i));
    }
    CompletableFuture<String> beyond = send(1, GrpcTransport.WINDOW + 1);
    assertThat(beyond.getNow("pending")).isEqualTo("dropped backpressure");
    assertThat(sent).noneMatch(CompletableFuture::isDone);
    assertThat(transport.inFlight()).isEqualTo(GrpcTransport.WINDOW);
  }

  /**
   * An error of the whole stream (INTERNAL, UNIMPLEMENTED, RST_STREAM from a proxy) says nothing of
   * any one message on it: the message is retried, never DROPped as a definite refusal.
   */
  @ParameterizedTest
  @CsvSource({"INTERNAL", "UNIMPLEMENTED", "UNKNOWN", "RESOURCE_EXHAUSTED", "PERMISSION_DENIED"})
  void aStreamLevelErrorIsAmbiguousAndRetried(Status.Code code) throws Exception {
    peer.script.add(Status.fromCode(code).withDescription(ScriptedPeer.WHOLE_STREAM));
    assertThat(send(1).get(10, TimeUnit.SECONDS)).isEqualTo("delivered");
    assertThat(peer.attempts).hasSize(2).extracting(ClockMessage::getSequence).containsOnly(7L);
  }

  @Test
  void aStreamLevelErrorEveryTimeEndsInAnAmbiguousDrop() throws Exception {
    for (int i = 0; i < GrpcTransport.ATTEMPTS; i++) {
      peer.script.add(Status.INTERNAL.withDescription(ScriptedPeer.WHOLE_STREAM));
    }
    String fate = send(1).get(10, TimeUnit.SECONDS);
    assertThat(fate).isEqualTo("dropped unreachable");
    assertThat(logicalclocks.vm.DropReason.of("unreachable").orElseThrow().ambiguous()).isTrue();
  }

  /**
   * A message sent again after a restart is a retry of its id: even with the window full it is
   * sent, never DROPped as backpressure (a definite fate for a message the receiver may hold).
   */
  @Test
  void aResendAfterARestartIsNeverRefusedForTheWindow() throws Exception {
    peer.silent = true;
    for (int i = 1; i <= GrpcTransport.WINDOW; i++) {
      send(1, i);
    }
    CompletableFuture<String> again = new CompletableFuture<>();
    transport.resend(
        1,
        new Message(0, GrpcTransport.WINDOW + 1, 42, clock.millis()),
        new Transport.Outcome() {
          @Override
          public void delivered() {
            again.complete("delivered");
          }

          @Override
          public void dropped(String reason) {
            again.complete("dropped " + reason);
          }
        });
    assertThat(again.getNow("pending")).isEqualTo("pending");
    assertThat(transport.inFlight()).isEqualTo(GrpcTransport.WINDOW + 1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> peer.attempts.size() == GrpcTransport.WINDOW + 1);
  }

  @Test
  void aStreamWithoutAckForTheSendTimeoutIsRetriedThenGivenUp() throws Exception {
    peer.silent = true;
    CompletableFuture<String> result = send(1);
    for (int attempt = 1; attempt <= GrpcTransport.ATTEMPTS; attempt++) {
      int seen = attempt;
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> peer.attempts.size() >= seen);
      clock.advance(TIMEOUT);
    }
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("dropped deadline");
    assertThat(peer.attempts)
        .hasSize(GrpcTransport.ATTEMPTS)
        .extracting(ClockMessage::getSequence)
        .containsOnly(7L);
  }

  @Test
  void anUnknownPeerIsDroppedAtOnce() throws Exception {
    assertThat(send(5).getNow("pending")).isEqualTo("dropped unknown-peer");
  }

  @Test
  void closeLeavesNoMessageWithoutAnOutcome() throws Exception {
    peer.script.add(Status.UNAVAILABLE);
    CompletableFuture<String> attempted = new CompletableFuture<>();
    peer.onAttempt = () -> attempted.complete("first attempt");
    CompletableFuture<String> result = send(1);
    attempted.get(10, TimeUnit.SECONDS);
    transport.close();
    assertThat(result).as("settled by the time close returns").isDone();
    assertThat(result.get()).isIn("delivered", "dropped unreachable", "dropped cancelled");
  }
}
