package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.transport.proto.HelloReply;
import logicalclocks.transport.proto.HelloRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The call limits through a real gRPC stack (in-process transport): calls beyond a kind's limit are
 * refused RESOURCE_EXHAUSTED before they reach the service, and a call that ends gives its slot
 * back.
 */
class CallLimitsTest {
  final CountDownLatch release = new CountDownLatch(1);
  Server server;
  ManagedChannel channel;

  /** A service whose Hello holds until released: calls stay open as long as the test wants. */
  final class Slow extends ClockServiceGrpc.ClockServiceImplBase {
    volatile int reached;

    @Override
    public void hello(HelloRequest req, StreamObserver<HelloReply> out) {
      reached++;
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.onNext(HelloReply.getDefaultInstance());
      out.onCompleted();
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void aCallBeyondItsLimitIsRefusedAndAnEndedCallGivesItsSlotBack() throws Exception {
    Slow slow = new Slow();
    CallLimits limits =
        new CallLimits(
            0, Map.of("logicalclocks.v1.ClockService/Hello", new CallLimits.Limit(2, 2)));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(slow, limits))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    var async = ClockServiceGrpc.newStub(channel);
    List<CompletableFuture<Status>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      CompletableFuture<Status> end = new CompletableFuture<>();
      held.add(end);
      async.hello(
          HelloRequest.newBuilder().setSenderId(1).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(HelloReply r) {}

            @Override
            public void onError(Throwable t) {
              end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              end.complete(Status.OK);
            }
          });
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> limits.active("logicalclocks.v1.ClockService/Hello") == 2);
    StatusRuntimeException third =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClockServiceGrpc.newBlockingStub(channel)
                    .hello(HelloRequest.newBuilder().setSenderId(1).build()));
    assertThat(third.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(slow.reached).as("the refused call never reached the service").isEqualTo(2);
    release.countDown();
    for (CompletableFuture<Status> end : held) {
      assertThat(end.get(10, TimeUnit.SECONDS).isOk()).isTrue();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> limits.active("logicalclocks.v1.ClockService/Hello") == 0);
    assertThat(
            ClockServiceGrpc.newBlockingStub(channel)
                .hello(HelloRequest.newBuilder().setSenderId(1).build()))
        .as("slots given back")
        .isNotNull();
  }

  @Test
  void aVmsLimitsAreTheDocumentedOnes() {
    CallLimits vm = CallLimits.forVm(0, 3);
    assertThat(vm.active("logicalclocks.v1.EventLogService/Events")).isZero();
    assertThat(CallLimits.Limits.EVENTS_STREAMS).isEqualTo(8);
    assertThat(CallLimits.Limits.clockStreamsPerClient(3)).isEqualTo(20);
    assertThat(CallLimits.Limits.CALLS_PER_CONNECTION).isEqualTo(16);
  }
}
