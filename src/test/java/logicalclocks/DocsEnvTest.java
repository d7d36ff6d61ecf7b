package logicalclocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's environment variables, as docs/running.md's table lists them, are exactly the ones the
 * validator reads: a variable the docs promise and the node ignores, or one the node reads and the
 * docs never mention, fails this test.
 */
class DocsEnvTest {
  @TempDir Path tmp;

  @Test
  void theDocumentedVariablesAreExactlyTheOnesTheNodeReads() throws Exception {
    TreeSet<String> read = new TreeSet<>();
    Map<String, String> env =
        Map.of("ID", "0", "PEERS", "127.0.0.1:50051,127.0.0.1:50053", "LOG_DIR", tmp.toString());
    Source recording =
        new Source() {
          @Override
          public String get(String variable) {
            read.add(variable);
            return env.get(variable);
          }

          @Override
          public String label(String variable) {
            return variable;
          }
        };
    ConfigParser.node(recording, "vm-0");
    ConfigParser.logLevel(recording); // read by Main for every command
    // HEALTH_PORT is read only under TLS: the probe port of a node with a certificate.
    ConfigParser.probePort(
        new Source() {
          @Override
          public String get(String variable) {
            read.add(variable);
            return "TLS_CERT".equals(variable) ? "cert.pem" : env.get(variable);
          }

          @Override
          public String label(String variable) {
            return variable;
          }
        });
    TreeSet<String> documented = new TreeSet<>();
    Pattern row = Pattern.compile("^\\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \\|");
    for (String line : Files.readAllLines(DocsLinksTest.ROOT.resolve("docs/running.md"))) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        Matcher name = Pattern.compile("`([A-Z_]+)`").matcher(m.group(1));
        while (name.find()) {
          documented.add(name.group(1));
        }
      }
    }
    assertThat(read).as("variables the node's validator reads").hasSizeGreaterThan(20);
    assertThat(documented).as("docs/running.md's table of the node's variables").isEqualTo(read);
  }
}
