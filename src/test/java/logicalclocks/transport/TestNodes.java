package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import logicalclocks.node.Node;

/**
 * Nodes built by a test, started the way LocalCluster starts its own: servers, every peer serving,
 * ticking.
 */
final class TestNodes {
  private TestNodes() {}

  static List<Node> start(List<Node> nodes) throws Exception {
    for (Node n : nodes) {
      n.startServer();
    }
    for (Node n : nodes) {
      assertThat(n.awaitPeers(Duration.ofSeconds(10)))
          .as("VM %d's peers serving", n.id())
          .isEmpty();
    }
    for (Node n : nodes) {
      n.startTicking();
    }
    return nodes;
  }
}
