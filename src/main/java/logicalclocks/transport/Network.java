package logicalclocks.transport;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.HostPort;
import logicalclocks.config.TlsConfig;

/**
 * How a {@link Node} reaches the network: the servers it listens with and the channels to its
 * peers, passed in (as grpc-java's examples pass channels in). {@link #tcp} is the real one: Netty
 * over TCP, with mutual TLS when configured. Tests pass grpc-java's in-process transport instead:
 * no ports, no sockets.
 */
public interface Network {
  /** Largest message a channel accepts back (an Ack is a few bytes). */
  int MAX_RESPONSE_BYTES = 64 * 1024;

  /** A server listening at {@code at}, secured when this network is. */
  ServerBuilder<?> server(InetSocketAddress at);

  /**
   * A plaintext server at {@code at} (health beside a TLS server, for probes that hold no
   * certificate).
   */
  ServerBuilder<?> plaintextServer(InetSocketAddress at);

  /** A channel to {@code peer}; nothing connects until it is used. */
  ManagedChannel channel(HostPort peer);

  /**
   * Gives back a channel from {@link #channel} once its user is done with it: shut down, by default
   * (a network that shares channels keeps them open).
   */
  default void release(ManagedChannel channel) throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  /**
   * A server's per-connection limits (see {@link CallLimits.Limits}): at most {@code
   * CALLS_PER_CONNECTION} concurrent calls on one connection, a 64 KiB flow-control window per
   * stream (what a silent reader can make the server hold), 8 KiB of request headers; a connection
   * idle for 5 minutes is closed; clients may ping at most every 20 s, and only with a call open;
   * the server pings a silent connection after 60 s and drops it if no answer comes within 20 s.
   */
  static NettyServerBuilder limited(NettyServerBuilder b, int callsPerConnection) {
    return b.maxConcurrentCallsPerConnection(callsPerConnection)
        .flowControlWindow(CallLimits.Limits.FLOW_CONTROL_WINDOW)
        .maxInboundMetadataSize(CallLimits.Limits.METADATA_BYTES)
        .maxConnectionIdle(5, TimeUnit.MINUTES)
        .permitKeepAliveTime(20, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(false)
        .keepAliveTime(60, TimeUnit.SECONDS)
        .keepAliveTimeout(20, TimeUnit.SECONDS);
  }

  /** Netty over TCP; mutual TLS when {@code tls} is not null. */
  static Network tcp(TlsConfig tls) throws IOException {
    return tcp(tls, CallLimits.Limits.CALLS_PER_CONNECTION);
  }

  /**
   * Netty over TCP whose servers take {@code callsPerConnection} concurrent calls on one
   * connection: a {@code local} run's VMs share one connection per peer ({@link SharedChannels}),
   * each sending on its own stream over it ({@link CallLimits.Limits#sharedCallsPerConnection}).
   */
  static Network tcp(TlsConfig tls, int callsPerConnection) throws IOException {
    SslContext serverTls = tls == null ? null : Tls.server(tls);
    SslContext clientTls = tls == null ? null : Tls.client(tls);
    return new Network() {
      @Override
      public ServerBuilder<?> server(InetSocketAddress at) {
        NettyServerBuilder b = limited(NettyServerBuilder.forAddress(at), callsPerConnection);
        return serverTls == null ? b : b.sslContext(serverTls);
      }

      @Override
      public ServerBuilder<?> plaintextServer(InetSocketAddress at) {
        return limited(NettyServerBuilder.forAddress(at), callsPerConnection);
      }

      @Override
      public ManagedChannel channel(HostPort peer) {
        NettyChannelBuilder b =
            NettyChannelBuilder.forTarget(peer.toString())
                .maxInboundMessageSize(MAX_RESPONSE_BYTES);
        return (clientTls == null ? b.usePlaintext() : b.sslContext(clientTls)).build();
      }
    };
  }
}
