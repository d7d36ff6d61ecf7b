package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/clocks.md's `export --format shiviz logs` (a relative `logs`) crashed with exit 3 before.
 */
class ExportLabelTest {
  @Test
  void aRunIsNamedByItsFolderOrItsParentsForLogs() {
    String cwd = Path.of("").toAbsolutePath().getFileName().toString();
    assertThat(ExportCommand.label(Path.of("logs"))).isEqualTo(cwd);
    assertThat(ExportCommand.label(Path.of("reports/x/baseline/run-1/logs"))).isEqualTo("run-1");
    assertThat(ExportCommand.label(Path.of("/tmp/wx2"))).isEqualTo("wx2");
    assertThat(ExportCommand.label(Path.of("/logs"))).isEqualTo("logs");
  }
}
