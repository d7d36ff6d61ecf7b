package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The Dockerfile builds (base images from LC_JDK_IMAGE / LC_BASE_IMAGE) and passes the same cluster
 * check.
 */
class DockerfileIT {
  @BeforeAll
  static void docker() {
    Docker.require();
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  @Test
  void dockerfileImageRunsTheCluster(@TempDir Path logs) throws Exception {
    Path project = ComposeFile.projectDir();
    String image =
        new ImageFromDockerfile("logical-clocks-dockerfile-it:latest", false)
            .withFileFromPath("Dockerfile", project.resolve("Dockerfile"))
            .withFileFromPath("mvnw", project.resolve("mvnw"))
            .withFileFromPath(".mvn", project.resolve(".mvn"))
            .withFileFromPath("pom.xml", project.resolve("pom.xml"))
            .withFileFromPath("src/main", project.resolve("src/main"))
            .withBuildArg("BUILD_IMAGE", env("LC_JDK_IMAGE", "eclipse-temurin:17-jdk"))
            .withBuildArg("RUNTIME_IMAGE", env("LC_BASE_IMAGE", "eclipse-temurin:17-jre"))
            .get(15, TimeUnit.MINUTES);
    var config = VmCluster.docker().inspectImageCmd(image).exec().getConfig();
    assertThat(config.getUser()).isEqualTo("10001:10001");
    assertThat(config.getLabels())
        .as("the OCI annotations, the version the jar's")
        .containsEntry("org.opencontainers.image.title", "logical-clocks")
        .containsEntry("org.opencontainers.image.licenses", "MIT")
        .containsEntry(
            "org.opencontainers.image.version",
            new logicalclocks.cli.Main.Version().getVersion()[0].replace("logical-clocks ", ""));
    assertThat(config.getCmd()).containsExactly("node");
    assertThat(config.getEnv()).contains("LOG_DIR=/logs");
    assertThat(config.getVolumes()).containsKey("/logs");
    try (VmCluster cluster =
        JibClusterIT.composeLike(image, Map.of("DURATION", "8", "TICK_RATE", "40"))) {
      cluster.start();
      assertThat(cluster.awaitExit(Duration.ofSeconds(60))).containsOnly(0L);
      var result = cluster.collectAndVerify(logs);
      for (int vm = 0; vm < 3; vm++) {
        assertThat(result.slots(vm)).as("40 tick slots/s x 8 s").isEqualTo(320);
      }
    }
  }
}
