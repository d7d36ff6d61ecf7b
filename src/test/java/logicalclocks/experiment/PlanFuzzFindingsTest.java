package logicalclocks.experiment;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import logicalclocks.config.ConfigException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What fuzzing the plan reader found ({@link PlanFuzzTest}), as plain unit tests. */
class PlanFuzzFindingsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void aVariantNamedDotOrDotDotIsRefused(String name) throws Exception {
    // Was: accepted, and its runs went to <out>/run-1 or <out>/../run-1 (outside the output
    // folder).
    Path plan = dir.resolve("plan.json");
    Files.writeString(plan, "{\"variants\": [{\"name\": \"" + name + "\"}]}");
    assertThatThrownBy(() -> Plan.read(plan, 1, 5, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not . or ..");
  }
}
