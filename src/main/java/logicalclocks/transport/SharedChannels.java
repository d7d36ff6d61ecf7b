package logicalclocks.transport;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.HostPort;

/**
 * A network whose channels are shared: one channel per peer address for every VM of one process
 * (each VM's stream to that peer is one HTTP/2 stream on it), instead of one per pair of VMs. With
 * N VMs in one JVM that is N connections, not N x (N - 1). Servers come from the network it wraps.
 */
public final class SharedChannels implements Network, AutoCloseable {
  private final Network base;
  private final Map<HostPort, ManagedChannel> channels = new ConcurrentHashMap<>();

  public SharedChannels(Network base) {
    this.base = base;
  }

  @Override
  public ServerBuilder<?> server(InetSocketAddress at) {
    return base.server(at);
  }

  @Override
  public ServerBuilder<?> plaintextServer(InetSocketAddress at) {
    return base.plaintextServer(at);
  }

  @Override
  public ManagedChannel channel(HostPort peer) {
    return channels.computeIfAbsent(peer, base::channel);
  }

  /** Kept open for the other VMs; {@link #close} shuts every channel down. */
  @Override
  public void release(ManagedChannel channel) {}

  @Override
  public void close() throws InterruptedException {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel c : channels.values()) {
      if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    }
  }
}
