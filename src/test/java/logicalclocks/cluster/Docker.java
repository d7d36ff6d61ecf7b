package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** Whether container tests can run: they skip without a Docker engine, unless lc.requireDocker=true (CI). */
final class Docker {
  private Docker() {}

  static void require() {
    boolean available = DockerClientFactory.instance().isDockerAvailable();
    if (Boolean.getBoolean("lc.requireDocker")) {
      assertThat(available).as("a Docker engine (lc.requireDocker=true: container tests must run)").isTrue();
    }
    Assumptions.assumeTrue(available, "no Docker engine: container tests skipped");
  }

  /** The Jib image built by `verify` (pre-integration-test). */
  static String image() {
    return System.getProperty("lc.image", "logical-clocks:latest");
  }
}
