package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as data, for start-up time: no VM waits for logs-init to complete (each waits
 * for /logs to be writable itself), and neither logs-init nor a healthcheck starts a JVM.
 */
class ComposeStartupTest {
  @Test
  @SuppressWarnings("unchecked")
  void noSerialWaitAndNoJvmBesidesTheVms() throws Exception {
    ComposeFile compose = ComposeFile.ofProject();
    Map<String, Object> init = compose.service("logs-init");
    assertThat((List<String>) init.get("entrypoint")).containsExactly("chmod");
    assertThat((List<String>) init.get("command")).containsExactly("0777", "/logs");
    for (int i = 0; i < 3; i++) {
      Map<String, Object> vm = compose.service("vm" + i);
      assertThat(vm).as("vm%d", i).doesNotContainKey("depends_on");
      List<String> test = (List<String>) ((Map<String, Object>) vm.get("healthcheck")).get("test");
      assertThat(test).as("vm%d's healthcheck", i).noneMatch(a -> a.contains("java"));
      assertThat(String.join(" ", test)).contains("$$HEALTH_FILE").contains("SERVING");
      assertThat(compose.environment("vm" + i, Map.of())).containsKey("HEALTH_FILE");
    }
  }
}
