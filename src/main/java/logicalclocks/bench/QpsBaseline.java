package logicalclocks.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import logicalclocks.bench.proto.BenchmarkServiceGrpc;
import logicalclocks.bench.proto.Payload;
import logicalclocks.bench.proto.PayloadType;
import logicalclocks.bench.proto.SimpleRequest;
import logicalclocks.bench.proto.SimpleResponse;

/**
 * grpc-java's own qps benchmark, in the shape its {@code AsyncServer} and {@code AsyncClient
 * --streaming_rpcs} run it (io.grpc:grpc-benchmarks, which Maven Central does not serve for this
 * project's grpc 1.83.1, so the shape is reproduced here, with this project's grpc): the
 * benchmark's messages and method ({@code grpc.testing.BenchmarkService/StreamingCall}, same field
 * numbers), one channel over loopback carrying {@link #OUTSTANDING} streaming calls, each a
 * ping-pong (the next request only once the previous response came back), requests with a {@link
 * #REQUEST_BYTES}-byte payload asking for a {@link #RESPONSE_BYTES}-byte one. Both sides as the
 * benchmark builds them: Netty NIO event loops (the server with one boss and a default worker
 * group, the client with a default group), a 1 MiB flow-control window, and each side's calls run
 * on a {@link ForkJoinPool} of one thread per core in async mode (the benchmark's non-direct
 * executor). The server answers every request with a fresh response of the asked size, as {@code
 * Utils.makeResponse} does. Its rate is the responses received per second after a warm-up, as the
 * benchmark's QPS.
 */
public final class QpsBaseline {
  private QpsBaseline() {}

  /** Streaming calls in flight on the one channel. */
  public static final int OUTSTANDING = 16;

  /** Request payload bytes. */
  public static final int REQUEST_BYTES = 32;

  /** Response payload bytes. */
  public static final int RESPONSE_BYTES = 16;

  /**
   * The benchmark's flow-control window ({@code NettyChannelBuilder.DEFAULT_FLOW_CONTROL_WINDOW}).
   */
  static final int FLOW_CONTROL_WINDOW = NettyChannelBuilder.DEFAULT_FLOW_CONTROL_WINDOW;

  /** What one measurement found. */
  public record Result(double messagesPerSecond, long counted, double seconds) {}

  /** How the shape is described in output. */
  public static String describe() {
    return "grpc-java qps benchmark shape (AsyncServer/AsyncClient streaming ping-pong, 1 channel, "
        + OUTSTANDING
        + " outstanding calls, "
        + REQUEST_BYTES
        + "/"
        + RESPONSE_BYTES
        + "-byte payloads)";
  }

  private static final class Service extends BenchmarkServiceGrpc.BenchmarkServiceImplBase {
    @Override
    public StreamObserver<SimpleRequest> streamingCall(StreamObserver<SimpleResponse> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(SimpleRequest request) {
          responses.onNext(response(request));
        }

        @Override
        public void onError(Throwable t) {
          responses.onError(t);
        }

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }

    private static SimpleResponse response(SimpleRequest request) {
      if (request.getResponseSize() <= 0) {
        return SimpleResponse.getDefaultInstance();
      }
      return SimpleResponse.newBuilder()
          .setPayload(
              Payload.newBuilder()
                  .setType(request.getResponseType())
                  .setBody(ByteString.copyFrom(new byte[request.getResponseSize()])))
          .build();
    }
  }

  private static ForkJoinPool pool(String name) {
    AtomicInteger n = new AtomicInteger();
    return new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        p -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
          t.setDaemon(true);
          t.setName(name + "-" + n.getAndIncrement());
          return t;
        },
        null,
        true);
  }

  /**
   * Runs the shape on loopback: {@code warmUp} first (not counted), then {@code duration} counted.
   */
  public static Result measure(Duration warmUp, Duration duration)
      throws IOException, InterruptedException {
    EventLoopGroup boss =
        new NioEventLoopGroup(1, new DefaultThreadFactory("qps-server-boss", true));
    EventLoopGroup worker =
        new NioEventLoopGroup(0, new DefaultThreadFactory("qps-server-elg", true));
    EventLoopGroup clientGroup =
        new NioEventLoopGroup(0, new DefaultThreadFactory("qps-client-elg", true));
    ForkJoinPool serverApp = pool("qps-server-app");
    ForkJoinPool clientApp = pool("qps-client-app");
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(worker)
            .channelType(NioServerSocketChannel.class)
            .flowControlWindow(FLOW_CONTROL_WINDOW)
            .executor(serverApp)
            .addService(new Service())
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", server.getPort()))
            .flowControlWindow(FLOW_CONTROL_WINDOW)
            .negotiationType(NegotiationType.PLAINTEXT)
            .eventLoopGroup(clientGroup)
            .channelType(NioSocketChannel.class)
            .executor(clientApp)
            .build();
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseType(PayloadType.COMPRESSABLE)
            .setResponseSize(RESPONSE_BYTES)
            .setPayload(
                Payload.newBuilder()
                    .setType(PayloadType.COMPRESSABLE)
                    .setBody(ByteString.copyFrom(new byte[REQUEST_BYTES])))
            .build();
    AtomicLong responses = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    List<StreamObserver<SimpleRequest>> calls = new ArrayList<>();
    try {
      BenchmarkServiceGrpc.BenchmarkServiceStub stub = BenchmarkServiceGrpc.newStub(channel);
      for (int i = 0; i < OUTSTANDING; i++) {
        PingPong call = new PingPong(request, responses, running);
        call.requests = stub.streamingCall(call);
        calls.add(call.requests);
        call.requests.onNext(request);
      }
      Thread.sleep(warmUp.toMillis());
      long from = responses.get();
      long started = System.nanoTime();
      Thread.sleep(duration.toMillis());
      long counted = responses.get() - from;
      double seconds = (System.nanoTime() - started) / 1e9;
      running.set(false);
      return new Result(counted / seconds, counted, seconds);
    } finally {
      running.set(false);
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      serverApp.shutdownNow();
      clientApp.shutdownNow();
    }
  }

  /** One streaming call: the next request once the previous response is back. */
  private static final class PingPong implements StreamObserver<SimpleResponse> {
    private final SimpleRequest request;
    private final AtomicLong responses;
    private final AtomicBoolean running;
    StreamObserver<SimpleRequest> requests;

    PingPong(SimpleRequest request, AtomicLong responses, AtomicBoolean running) {
      this.request = request;
      this.responses = responses;
      this.running = running;
    }

    @Override
    public void onNext(SimpleResponse value) {
      responses.incrementAndGet();
      if (running.get()) {
        requests.onNext(request);
      } else {
        requests.onCompleted();
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
