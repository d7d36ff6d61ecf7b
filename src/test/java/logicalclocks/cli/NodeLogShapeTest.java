package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with PEERS of 2 VMs onto a folder holding a 3-VM run's log (README's `local`, then
 * docs/running.md's `node` example, as a newcomer did) is refused with one line, not resumed.
 */
class NodeLogShapeTest {
  @TempDir Path tmp;

  @Test
  void aLogOfAnotherClustersRunIsRefused() throws Exception {
    Files.writeString(
        tmp.resolve("machine_0.log"),
        "ts=2026-12-07T06:23:51.254Z vm=0 event=START clock=0 queue=0 rate=3 sides=10 seed=1"
            + " peers=1,2 offset_ms=0 drift_ppm=0\n");
    var two =
        ConfigParser.node(
            Source.env(
                Map.of(
                    "ID",
                    "0",
                    "PEERS",
                    "localhost:50051,localhost:50052",
                    "LOG_DIR",
                    tmp.toString())),
            "x");
    assertThatThrownBy(() -> NodeCommand.sameRunShape(two))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("LOG_DIR='" + tmp + "' is invalid")
        .hasMessageContaining("had peers 1,2, but PEERS now gives it 1");
    var three =
        ConfigParser.node(
            Source.env(
                Map.of("ID", "0", "PEERS", "localhost:{50051..50053}", "LOG_DIR", tmp.toString())),
            "x");
    assertThatCode(() -> NodeCommand.sameRunShape(three)).doesNotThrowAnyException();
    assertThat(Files.readString(tmp.resolve("machine_0.log"))).contains("peers=1,2");
  }
}
