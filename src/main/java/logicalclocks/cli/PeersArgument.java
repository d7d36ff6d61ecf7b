package logicalclocks.cli;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.HostPort;
import logicalclocks.config.Source;
import logicalclocks.transport.Network;
import picocli.CommandLine.Parameters;

/**
 * The PEERS argument of the commands that read a running cluster ({@code collect}, {@code watch}):
 * read like node's PEERS, with mutual TLS from TLS_CERT, TLS_KEY and TLS_CA as for node.
 */
final class PeersArgument {
  @Parameters(
      paramLabel = "PEERS",
      description =
          "host:port of all VMs in id order, as for node (e.g. 'vm{0..2}:50051'; quote a range in a"
              + " shell)")
  String peers;

  private Source source() {
    Map<String, String> values = new HashMap<>(System.getenv());
    values.put("PEERS", peers);
    return Source.of(values, v -> v.equals("PEERS") ? "PEERS (the argument)" : v);
  }

  /** The VMs, in id order. */
  List<HostPort> vms() {
    return ConfigParser.peers(source());
  }

  /** The network to reach them: plaintext, or mutual TLS when TLS_CERT and friends are set. */
  Network network() throws IOException {
    return Network.tcp(ConfigParser.tls(source(), 1));
  }
}
