package logicalclocks.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import logicalclocks.cli.Main;
import logicalclocks.config.ModelConfig;
import logicalclocks.node.ChildJvm;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analysis memory is bounded by the VMs and the messages in flight, not by the run's length: a
 * valid run of the assignment's minimal shape (3 VMs at equal rates, only the assignment's keys: no
 * vc, no hlc), 1.5 M lines, is analysed by a real {@code analyze} with every output (the CSVs,
 * report.md, report.html, metrics.json) in a 96 MiB heap. Before the bounded summaries, 300,000
 * lines of this shape ran out of memory in 128 MiB (a point and a message row per line kept for the
 * charts, the last 65,536 settled messages with their whole lines).
 */
class AnalysisMemoryTest {
  @TempDir Path tmp;

  static final int SECONDS = 500; // 3 VMs x 1,000 ticks/s: 1.5 M lines

  /** The keys the assignment's logs do not have. */
  private static final Pattern NOT_MINIMAL = Pattern.compile(" (hlc|offset_ms|drift_ppm)=\\S*");

  @Test
  void aLongRunOfTheMinimalShapeIsAnalysedInA96MibHeap() throws Exception {
    Path sim = tmp.resolve("sim");
    ModelConfig m =
        ModelConfig.builder()
            .machines(3)
            .tickRate(1000)
            .dieSides(10)
            .seed(5L)
            .vectorClocks(false)
            .build();
    Simulation.run(
        new Simulation.Config(m, Duration.ofSeconds(SECONDS), 5, Simulation.DEFAULT_DELAY), sim);
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    long lines = 0;
    for (int vm = 0; vm < 3; vm++) {
      String name = "machine_" + vm + ".log";
      try (BufferedReader in = Files.newBufferedReader(sim.resolve(name));
          BufferedWriter out = Files.newBufferedWriter(logs.resolve(name))) {
        String line;
        while ((line = in.readLine()) != null) {
          out.write(NOT_MINIMAL.matcher(line).replaceAll(""));
          out.write('\n');
          lines++;
        }
      }
    }
    assertThat(lines).isGreaterThanOrEqualTo(1_500_000L);
    assertThat(Files.readString(logs.resolve("machine_0.log")).substring(0, 4000))
        .doesNotContain("hlc=")
        .doesNotContain("vc=")
        .contains("event=SEND");

    Path out = tmp.resolve("out.txt");
    Process p =
        ChildJvm.main(
                Main.class.getName(),
                List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("analyze", logs.toString(), "--out", tmp.resolve("report").toString()),
                Map.of())
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("analyze ended").isTrue();
      String console = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(console).isZero();
      assertThat(console)
          .contains("verified: every clock rule holds and every message is accounted for")
          .doesNotContain("OutOfMemoryError")
          .doesNotContain("out of memory");
      assertThat(tmp.resolve("report/report.html")).exists();
      try (var rows = Files.lines(tmp.resolve("report/events.csv"))) {
        assertThat(rows.count()).as("a row per line, header included").isEqualTo(lines + 1);
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
