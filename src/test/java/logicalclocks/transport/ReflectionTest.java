package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.Source;
import logicalclocks.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM's gRPC server answers server reflection (what {@code grpcurl -plaintext HOST:PORT list}
 * asks) when GRPC_REFLECTION says so — by default in plaintext — and not otherwise; the setting is
 * read, and refused when misspelt, by the one settings parser.
 */
class ReflectionTest {
  @TempDir Path logs;
  final InProcessNetwork network = new InProcessNetwork();

  /** The services {@code peer}'s server lists, or the status it refused the question with. */
  Object listServices(HostPort peer) throws Exception {
    ManagedChannel channel = network.channel(peer);
    try {
      CompletableFuture<Object> answer = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> ask =
          ServerReflectionGrpc.newStub(channel)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                      answer.complete(
                          r.getListServicesResponse().getServiceList().stream()
                              .map(ServiceResponse::getName)
                              .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                      answer.complete(Status.fromThrowable(t).getCode());
                    }

                    @Override
                    public void onCompleted() {}
                  });
      ask.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
      Object result = answer.get(10, TimeUnit.SECONDS);
      ask.onCompleted();
      return result;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  Node node(List<HostPort> peers, boolean reflection) {
    return new Node(
        new Node.Spec(
            0,
            peers,
            InProcessNetwork.at(peers.get(0)),
            ModelConfig.builder().machines(2).build(),
            1L,
            logs,
            Duration.ZERO,
            false,
            null,
            reflection),
        Clock.systemUTC(),
        network);
  }

  @Test
  void aVmListsItsServicesWhenReflectionIsOn() throws Exception {
    List<HostPort> peers = List.of(new HostPort("on0", 1), new HostPort("on1", 1));
    Node n = node(peers, true);
    n.startServer();
    try {
      assertThat(listServices(peers.get(0)))
          .asList()
          .contains(
              "logicalclocks.v1.ClockService",
              "logicalclocks.v1.EventLogService",
              "grpc.health.v1.Health");
    } finally {
      n.stop("signal");
    }
  }

  @Test
  void andRefusesTheQuestionWhenItIsOff() throws Exception {
    List<HostPort> peers = List.of(new HostPort("off0", 1), new HostPort("off1", 1));
    Node n = node(peers, false);
    n.startServer();
    try {
      assertThat(listServices(peers.get(0))).isEqualTo(Status.Code.UNIMPLEMENTED);
    } finally {
      n.stop("signal");
    }
  }

  @Test
  void onInPlaintextOffUnderTlsUnlessSaid() {
    assertThat(ConfigParser.reflection(Source.env(Map.of()), false)).isTrue();
    assertThat(ConfigParser.reflection(Source.env(Map.of()), true)).isFalse();
    assertThat(ConfigParser.reflection(Source.env(Map.of("GRPC_REFLECTION", "true")), true))
        .isTrue();
    assertThat(ConfigParser.reflection(Source.env(Map.of("GRPC_REFLECTION", "false")), false))
        .isFalse();
    try {
      ConfigParser.reflection(Source.env(Map.of("GRPC_REFLECTION", "yes")), false);
      throw new AssertionError("GRPC_REFLECTION=yes was taken");
    } catch (ConfigException e) {
      assertThat(e.getMessage())
          .isEqualTo("GRPC_REFLECTION='yes' is invalid: expected true or false");
    }
  }
}
