package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.node.HealthFile;
import logicalclocks.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEALTH_FILE follows what the node's gRPC health service answers. */
class HealthFileTest {
  @TempDir Path dir;

  @Test
  void aStatusLeftByAnEarlierProcessIsRemoved() throws Exception {
    Path file = Files.writeString(dir.resolve("health"), "SERVING\n");
    new HealthFile(file);
    assertThat(HealthFile.read(file)).isNull();
  }

  @Test
  void servingOnceTheServerIsStartedNotServingFromTheStopOn() throws Exception {
    Path file = dir.resolve("health");
    List<HostPort> peers = List.of(new HostPort("vm0", 1), new HostPort("vm1", 1));
    Node node =
        new Node(
            new Node.Spec(
                0,
                peers,
                InProcessNetwork.at(peers.get(0)),
                ModelConfig.builder().machines(2).tickRate(10).seed(1L).build(),
                1L,
                dir,
                Duration.ZERO,
                false),
            Clock.systemUTC(),
            new InProcessNetwork());
    node.mirrorHealthTo(new HealthFile(file));
    assertThat(HealthFile.read(file)).as("before the server starts").isNull();
    node.startServer();
    assertThat(HealthFile.read(file)).isEqualTo("SERVING");
    node.stop("signal");
    assertThat(HealthFile.read(file)).isEqualTo("NOT_SERVING");
    assertThat(dir.resolve("health.tmp")).doesNotExist();
  }
}
