package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import logicalclocks.cli.CliAccess;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.Source;
import logicalclocks.config.UiConfig;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's {@code ui} service as data: {@code serve} on the VMs' own PEERS, listening
 * on its container's interface, published on the host's 127.0.0.1 only, and holding back nobody.
 */
class ComposeUiTest {
  @Test
  @SuppressWarnings("unchecked")
  void servesThePageOnTheVmsPeersPublishedOnTheHostsLoopbackOnly() throws Exception {
    ComposeFile compose = ComposeFile.ofProject();
    Map<String, Object> ui = compose.service("ui");
    assertThat(ui.get("image")).isEqualTo(compose.service("vm0").get("image"));
    List<String> command = (List<String>) ui.get("command");
    String peers = compose.environment("vm0", Map.of()).get("PEERS");
    assertThat(command).containsExactly("serve", peers);
    assertThat(CliAccess.parses(command.toArray(String[]::new))).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(ConfigParser.peers(Source.env(Map.of("PEERS", peers))).get(i).host())
          .as("PEERS names service vm%d", i)
          .isEqualTo("vm" + i);
    }

    Map<String, String> env = compose.environment("ui", Map.of());
    assertThat(env).containsEntry("UI_BIND", "0.0.0.0").containsEntry("UI_PORT", "8080");
    UiConfig parsed = ConfigParser.ui(Source.env(env), UiConfig.DEFAULT_PORT);
    assertThat(parsed.bind()).as("the container's own interface").isEqualTo("0.0.0.0");
    assertThat(parsed.port()).isEqualTo(8080);
    assertThat(parsed.maxClients()).isEqualTo(UiConfig.DEFAULT_MAX_CLIENTS);
    assertThat(parsed.buffer()).isEqualTo(UiConfig.DEFAULT_BUFFER);
    assertThat(
            ConfigParser.ui(
                    Source.env(
                        compose.environment(
                            "ui", Map.of("UI_BUFFER", "900", "UI_MAX_CLIENTS", "3"))),
                    UiConfig.DEFAULT_PORT)
                .buffer())
        .as("UI_BUFFER from the shell")
        .isEqualTo(900);

    List<String> ports = (List<String>) ui.get("ports");
    assertThat(ports).hasSize(1);
    assertThat(ComposeFile.substitute(ports.get(0), Map.of()))
        .as("published on the host's loopback, to the container's UI_PORT")
        .isEqualTo("127.0.0.1:8080:" + env.get("UI_PORT"));
    assertThat(ComposeFile.substitute(ports.get(0), Map.of("UI_HOST_PORT", "18080")))
        .isEqualTo("127.0.0.1:18080:8080");
    for (String name : List.of("logs-init", "vm0", "vm1", "vm2", "report")) {
      assertThat(compose.service(name))
          .as("%s publishes nothing on the host", name)
          .doesNotContainKey("ports");
    }

    assertThat(ui).as("the ui waits for nobody").doesNotContainKey("depends_on");
    for (String name : List.of("vm0", "vm1", "vm2", "report")) {
      Object dependsOn = compose.service(name).get("depends_on");
      List<Object> on =
          dependsOn instanceof Map<?, ?> m
              ? List.copyOf(m.keySet())
              : dependsOn instanceof List<?> l ? List.copyOf(l) : List.of();
      assertThat(on).as("%s does not wait for the ui", name).doesNotContain("ui");
    }
    List<String> test = (List<String>) ((Map<String, Object>) ui.get("healthcheck")).get("test");
    assertThat(test).as("no JVM per probe").noneMatch(a -> a.contains("java"));
    assertThat(String.join(" ", test)).contains("/dev/tcp/127.0.0.1/8080");
  }

  @Test
  @SuppressWarnings("unchecked")
  void underTlsTheUiMountsOnlyTheCaAndItsOwnClientCertificate() throws Exception {
    ComposeFile tls = new ComposeFile(ComposeFile.projectDir().resolve("docker-compose.tls.yml"));
    List<String> volumes = (List<String>) tls.service("ui").get("volumes");
    assertThat(volumes)
        .containsExactlyInAnyOrder(
            "./certs/ca.crt:/certs/ca.crt:ro",
            "./certs/ui.crt:/certs/ui.crt:ro",
            "./certs/ui.key:/certs/ui.key:ro");
    Map<String, String> env = tls.environment("ui", Map.of());
    assertThat(env)
        .containsEntry("TLS_CA", "/certs/ca.crt")
        .containsEntry("TLS_CERT", "/certs/ui.crt")
        .containsEntry("TLS_KEY", "/certs/ui.key");
    assertThat(env).as("the page stays where the base file puts it").doesNotContainKey("UI_BIND");
    assertThat(tls.service("ui")).doesNotContainKey("ports");
  }
}
