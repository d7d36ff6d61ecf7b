package logicalclocks.transport;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.net.InetSocketAddress;
import logicalclocks.config.HostPort;

/**
 * grpc-java's in-process transport as a {@link Network}: a server "at" vm1:1 is reached by a
 * channel to vm1:1, with no port and no socket. Each instance has names of its own, so tests never
 * collide.
 */
final class InProcessNetwork implements Network {
  private final String prefix = InProcessServerBuilder.generateName() + "/";

  /** The address a VM's server "listens" on, matching its PEERS entry. */
  static InetSocketAddress at(HostPort peer) {
    return InetSocketAddress.createUnresolved(peer.host(), peer.port());
  }

  String name(HostPort peer) {
    return prefix + peer;
  }

  @Override
  public ServerBuilder<?> server(InetSocketAddress at) {
    return InProcessServerBuilder.forName(name(new HostPort(at.getHostString(), at.getPort())));
  }

  @Override
  public ServerBuilder<?> plaintextServer(InetSocketAddress at) {
    return server(at);
  }

  @Override
  public ManagedChannel channel(HostPort peer) {
    return InProcessChannelBuilder.forName(name(peer)).build();
  }
}
