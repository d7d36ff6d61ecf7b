package logicalclocks.config;

/** One PEERS entry. */
public record HostPort(String host, int port) {
  /** {@code host:port}, with an IPv6 literal in brackets; usable as a gRPC target. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
