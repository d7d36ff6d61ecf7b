package logicalclocks.transport;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;

/**
 * The transport's ceiling on this machine: a bare grpc-java streaming echo with the project's own
 * grpc version and messages, and nothing else — one channel over loopback, bidirectional streams
 * carrying the same message (a 3-entry vector clock), and a server that answers each message with
 * an Ack at once (no validation, no queue, no log). Measured in each of {@link #SHAPES}; the
 * ceiling is the best of them.
 */
public final class EchoBaseline {
  private EchoBaseline() {}

  /** Acknowledges every message at once. */
  private static final class Echo extends ClockServiceGrpc.ClockServiceImplBase {
    @Override
    public StreamObserver<ClockMessage> stream(StreamObserver<Ack> acks) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ClockMessage m) {
          acks.onNext(Ack.newBuilder().setSequence(m.getSequence()).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          acks.onCompleted();
        }
      };
    }
  }

  /**
   * How the echo is driven: {@code streams} concurrent streams on one channel, each keeping {@code
   * window} messages unacknowledged.
   */
  public record Shape(int streams, int window) {
    @Override
    public String toString() {
      return streams + (streams == 1 ? " stream" : " streams") + " x " + window + " in flight";
    }
  }

  /**
   * The shapes measured: grpc-java's qps benchmark's streaming ping-pong (one channel, 16 streams,
   * one message in flight each) and this project's (one stream per peer, a window of {@link
   * GrpcTransport#WINDOW}).
   */
  public static final List<Shape> SHAPES =
      List.of(new Shape(16, 1), new Shape(1, GrpcTransport.WINDOW));

  /**
   * Streams messages to an echo server on loopback for {@code duration} (the first fifth, at most a
   * second, is warm-up and not counted); returns the Acks received per second.
   */
  public static double messagesPerSecond(Duration duration, Shape shape)
      throws IOException, InterruptedException {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Echo())
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    AtomicLong acked = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(shape.streams());
    List<StreamObserver<ClockMessage>> streams = new ArrayList<>();
    try {
      for (int s = 0; s < shape.streams(); s++) {
        AtomicLong sequence = new AtomicLong();
        Object lock = new Object();
        @SuppressWarnings("unchecked")
        StreamObserver<ClockMessage>[] out = new StreamObserver[1];
        out[0] =
            ClockServiceGrpc.newStub(channel).stream(
                new StreamObserver<>() {
                  @Override
                  public void onNext(Ack ack) {
                    acked.incrementAndGet();
                    synchronized (lock) {
                      if (running.get()) {
                        out[0].onNext(message(sequence.incrementAndGet()));
                      }
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.countDown();
                  }

                  @Override
                  public void onCompleted() {
                    done.countDown();
                  }
                });
        streams.add(out[0]);
        synchronized (lock) {
          for (int i = 0; i < shape.window(); i++) {
            out[0].onNext(message(sequence.incrementAndGet()));
          }
        }
      }
      long warmUp = Math.min(duration.toMillis() / 5, 1000);
      Thread.sleep(warmUp);
      long from = acked.get();
      long started = System.nanoTime();
      Thread.sleep(duration.toMillis() - warmUp);
      long counted = acked.get() - from;
      double seconds = (System.nanoTime() - started) / 1e9;
      running.set(false);
      return counted / seconds;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ClockMessage message(long seq) {
    return ClockMessage.newBuilder()
        .setSenderId(0)
        .setSequence(seq)
        .setLogicalClock(seq)
        .setSentUnixMillis(System.currentTimeMillis())
        .putVectorClock(0, seq)
        .putVectorClock(1, seq / 2)
        .putVectorClock(2, seq / 3)
        .build();
  }
}
