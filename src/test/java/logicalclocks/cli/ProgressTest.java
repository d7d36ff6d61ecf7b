package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import logicalclocks.config.ModelConfig;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Progress on long commands: done of total, the time so far and left at the pace so far; redrawn on
 * a terminal, plain lines otherwise (continuous work at most one line every 5 s); {@code analyze}
 * on logs over 8 MB shows the bytes read, smaller ones nothing.
 */
class ProgressTest {
  @TempDir Path tmp;

  @Test
  void aLineSaysDoneOfTotalAndTheTimeLeftAtThePaceSoFar() {
    long[] now = {0};
    StringWriter out = new StringWriter();
    Progress p =
        new Progress(
            new PrintWriter(out), "experiment", 12, false, Progress.count(12), () -> now[0]);
    now[0] = 30_000_000_000L;
    assertThat(p.line(3, "baseline run 4/5", now[0]))
        .isEqualTo(
            "experiment [########----------------------] 3/12 (25 %), 30 s, about 1 min 30 s left"
                + "  baseline run 4/5");
    assertThat(p.line(12, "done", now[0])).contains("12/12 (100 %)").doesNotContain("left");
    assertThat(Progress.time(7300)).isEqualTo("2 h 01 min");
  }

  @Test
  void plainLinesForContinuousWorkComeAtMostEveryFiveSeconds() {
    long[] now = {0};
    StringWriter out = new StringWriter();
    Progress p =
        new Progress(
            new PrintWriter(out), "analyze", 100e6, false, Progress.megabytes(100e6), () -> now[0]);
    for (int s = 0; s <= 11; s++) {
      now[0] = s * 1_000_000_000L;
      p.tick(s * 8e6);
    }
    assertThat(out.toString().lines()).hasSize(3); // at 0, 5 and 10 s
    assertThat(out.toString()).doesNotContain("\r").contains("80/100 MB (80 %)");
    StringWriter term = new StringWriter();
    Progress t =
        new Progress(
            new PrintWriter(term), "analyze", 100e6, true, Progress.megabytes(100e6), () -> 0L);
    t.tick(1e6);
    t.tick(2e6);
    assertThat(term.toString()).startsWith("\r").doesNotContain("\n");
  }

  @Test
  void analyzeShowsTheBytesReadOnBigLogsOnly() throws Exception {
    Path big = Files.createDirectories(tmp.resolve("big"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().seed(3L).rates(java.util.List.of(1000, 1000, 1000)).build(),
            Duration.ofSeconds(40),
            3,
            Duration.ofMillis(1)),
        big);
    assertThat(AnalyzeCommand.logBytes(big)).isGreaterThan(AnalyzeCommand.PROGRESS_BYTES);
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("analyze", big.toString())).isZero();
    assertThat(err.toString()).startsWith("analyze [").contains(" MB (100 %)").contains("done");

    Path small = Files.createDirectories(tmp.resolve("small"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().seed(3L).build(), Duration.ofSeconds(5), 3, Duration.ofMillis(1)),
        small);
    StringWriter quiet = new StringWriter();
    CommandLine c2 = Main.commandLine();
    c2.setOut(new PrintWriter(new StringWriter()));
    c2.setErr(new PrintWriter(quiet, true));
    assertThat(c2.execute("analyze", small.toString())).isZero();
    assertThat(quiet.toString()).isEmpty();
  }
}
