package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether container tests can run: they skip without a Docker engine, unless lc.requireDocker=true
 * (CI).
 */
final class Docker {
  private Docker() {}

  static void require() {
    boolean available = DockerClientFactory.instance().isDockerAvailable();
    if (Boolean.getBoolean("lc.requireDocker")) {
      assertThat(available)
          .as("a Docker engine (lc.requireDocker=true: container tests must run)")
          .isTrue();
    }
    Assumptions.assumeTrue(available, "no Docker engine: container tests skipped");
  }

  /** Label the Jib build puts on the image: which build made it. */
  static final String BUILD_LABEL = "io.github.logicalclocks.build";

  /**
   * The Jib image built by `verify` (pre-integration-test), checked to come from this very build.
   */
  static String image() {
    return fromThisBuild(System.getProperty("lc.image", "logical-clocks:latest"));
  }

  /**
   * Fails unless {@code image} was made by this build (its label equals lc.buildId): a test must
   * never run an image left over from an earlier checkout, whichever way the engine is reached
   * (socket or DOCKER_HOST). Outside Maven (no lc.buildId) the image is used as it is.
   */
  static String fromThisBuild(String image) {
    String expected = System.getProperty("lc.buildId");
    if (expected == null || expected.isBlank()) {
      return image;
    }
    var config = DockerClientFactory.instance().client().inspectImageCmd(image).exec().getConfig();
    String label =
        config == null || config.getLabels() == null ? null : config.getLabels().get(BUILD_LABEL);
    assertThat(label)
        .as(
            "image %s was built by this build (label %s); `./mvnw verify` builds it when a Docker"
                + " engine is reachable through /var/run/docker.sock or DOCKER_HOST",
            image, BUILD_LABEL)
        .isEqualTo(expected);
    assertThat(config.getLabels())
        .as("image %s: the OCI annotations from pom.xml", image)
        .containsEntry("org.opencontainers.image.title", "logical-clocks")
        .containsEntry("org.opencontainers.image.licenses", "MIT")
        .containsKey("org.opencontainers.image.version");
    return image;
  }
}
