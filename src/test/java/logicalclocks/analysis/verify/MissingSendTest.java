package logicalclocks.analysis.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import logicalclocks.analysis.Analyzer;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogReader;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RECEIVE whose SEND is in no log (its sender's log missing, as a newcomer's `analyze` of a
 * folder with one log) is checked as far as it can be, and its VM goes on from what it wrote: the
 * missing log is reported, not a vector-clock violation on every line after it; and a RECEIVE whose
 * own entry is wrong is still caught there.
 */
class MissingSendTest {
  @TempDir Path tmp;

  private Path run() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.defaults().withSeed(11L),
            Duration.ofSeconds(20),
            11,
            Duration.ofMillis(50)),
        logs);
    return logs;
  }

  private static List<Violation> violations(Path logs) throws Exception {
    return Analyzer.analyze(EventLogReader.readDir(logs)).metrics().violations();
  }

  @Test
  void aMissingLogIsReportedOnceNotOnEveryLineAfter() throws Exception {
    Path logs = run();
    assertThat(violations(logs)).isEmpty();
    Files.delete(logs.resolve("machine_1.log"));
    List<Violation> v = violations(logs);
    assertThat(v).isNotEmpty();
    assertThat(v).extracting(Violation::rule).containsOnly("missing-log");
  }

  @Test
  void aWrongOwnEntryOnSuchAReceiveIsStillCaught() throws Exception {
    Path logs = run();
    Files.delete(logs.resolve("machine_1.log"));
    Path f = logs.resolve("machine_0.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    Pattern own = Pattern.compile("(vc=(?:[0-9]+:[0-9]+,)*?0:)([0-9]+)");
    int target = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("event=RECEIVE") && lines.get(i).contains(" from=1 ")) {
        target = i;
        break;
      }
    }
    assertThat(target).as("a RECEIVE from VM 1 on VM 0").isNotNegative();
    Matcher m = own.matcher(lines.get(target));
    assertThat(m.find()).isTrue();
    lines.set(target, m.replaceFirst("$1" + (Long.parseLong(m.group(2)) + 5)));
    Files.write(f, lines);
    List<Violation> v = violations(logs);
    String where = "machine_0.log:" + (target + 1);
    assertThat(v.stream().filter(x -> !x.rule().equals("missing-log")))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.rule()).isEqualTo("vector-clock");
              assertThat(x.where()).isEqualTo(where);
              assertThat(x.message()).contains("its SEND is in no log");
            });
  }
}
