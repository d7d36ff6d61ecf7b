package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.tls.yml as data: each VM mounts the CA, its own certificate and its own key, file
 * by file, read-only, and TLS_* point at them; no VM mounts ./certs whole or another VM's file.
 */
class ComposeTlsOverrideTest {
  @Test
  @SuppressWarnings("unchecked")
  void eachVmMountsOnlyItsOwnKeyAndTheCa() throws Exception {
    ComposeFile tls = new ComposeFile(ComposeFile.projectDir().resolve("docker-compose.tls.yml"));
    for (int i = 0; i < 3; i++) {
      String vm = "vm" + i;
      List<String> volumes = (List<String>) tls.service(vm).get("volumes");
      assertThat(volumes)
          .as("%s's mounts", vm)
          .containsExactlyInAnyOrder(
              "./certs/ca.crt:/certs/ca.crt:ro",
              "./certs/" + vm + ".crt:/certs/" + vm + ".crt:ro",
              "./certs/" + vm + ".key:/certs/" + vm + ".key:ro");
      Map<String, String> env = tls.environment(vm, Map.of());
      assertThat(env)
          .containsEntry("TLS_CA", "/certs/ca.crt")
          .containsEntry("TLS_CERT", "/certs/" + vm + ".crt")
          .containsEntry("TLS_KEY", "/certs/" + vm + ".key");
      for (String v : volumes) {
        String source = v.split(":")[0];
        assertThat(source).as("a file, not the folder").isNotIn("./certs", "./certs/");
        assertThat(source).matches("\\./certs/(ca|" + vm + ")\\.(crt|key)");
      }
    }
  }
}
