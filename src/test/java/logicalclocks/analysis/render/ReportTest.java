package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.Series;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogReader;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path tmp;

  static Analyzer.Result simulated(Path logs, int seconds) throws Exception {
    Simulation.run(
        new Simulation.Config(
            ModelConfig.defaults().withSeed(5L),
            Duration.ofSeconds(seconds),
            5,
            Duration.ofMillis(1)),
        logs);
    return Analyzer.analyze(EventLogReader.readDir(logs));
  }

  @Test
  void reportFolderHasEveryPartAndTheHtmlIsSelfContained() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    simulated(logs, 30);
    Analyzer.Result r = Report.write(logs, "test run", tmp.resolve("report"));
    Path html = tmp.resolve("report/report.html");
    String page = Files.readString(html);
    for (String id :
        new String[] {
          "clock-chart",
          "queue-chart",
          "jump-histogram",
          "drift-chart",
          "space-time-0",
          "space-time-5",
          "causal-0",
          "causal-5",
          "causal-info-0",
          "causality",
          "physical",
          "assignment",
          "verdict"
        }) {
      assertThat(page).as("element %s", id).contains("id=\"" + id + "\"");
    }
    assertThat(Pattern.compile("<svg").matcher(page).results().count())
        .as("inline SVG: 6 space-time windows and a causal view per window")
        .isEqualTo(6 + 6);
    assertThat(
            Pattern.compile("<figure id=\"[a-z-]+\" class=\"chart\">")
                .matcher(page)
                .results()
                .count())
        .as(
            "interactive charts: clock, queue, jumps, drift (no physical-time chart: no clock was skewed)")
        .isEqualTo(4);
    assertThat(page)
        .as("uPlot and the charts' script inlined: the report opens from file:// with no network")
        .contains("uPlot", "figure.chart")
        .doesNotContainPattern("<script[^>]+src=")
        .doesNotContainPattern("<link[^>]+href=\"http");
    assertThat(page)
        .as("a feature the run did not use is one line")
        .contains("No VM's clock was skewed")
        .doesNotContain("id=\"physical-chart\"")
        .doesNotContain("<th>offset ms</th>");
    assertThat(page.indexOf("id=\"assignment\""))
        .as("the assignment's questions come first: before the per-VM table and causality")
        .isLessThan(page.indexOf("<h2>Per VM</h2>"))
        .isLessThan(page.indexOf("id=\"causality\""));
    assertThat(page).contains("Jumps: the largest step of a clock", "Drift: at any instant");
    assertThat(page).contains("CAUSAL[0]=[{v:").contains("onclick=\"pick(0,0)\"");
    assertThat(page)
        .contains(
            "Logical clock vs wall time",
            "Queue length vs wall time",
            "Clock jump sizes",
            "Space-time diagram")
        .contains("Verified");
    // XML namespace names are identifiers, not fetched.
    // uPlot's licence banner names its home in a comment: attribution, not fetched.
    String withoutNamespaces =
        page.replaceAll("xmlns(:\\w+)?=['\"]http://[^'\"]*['\"]", "")
            .replace("/*! https://github.com/leeoniya/uPlot (v", "/*! uPlot (v");
    assertThat(withoutNamespaces)
        .as("no network references")
        .doesNotContain("http://", "https://", "src=\"//");
    assertThat(page).doesNotContain("<script src", "<link ");

    var json = new ObjectMapper().readTree(tmp.resolve("report/metrics.json").toFile());
    assertThat(json.path("machines").asInt()).isEqualTo(3);
    assertThat(json.path("messages").asLong()).isEqualTo(r.metrics().messages());
    assertThat(json.path("vms").get(0).path("jumps").path("p95").asDouble())
        .isEqualTo(r.metrics().vms().get(0).jumps().p95());
    long events =
        r.metrics().vms().stream()
            .mapToLong(v -> v.events().values().stream().mapToLong(Long::longValue).sum())
            .sum();
    assertThat(Files.readAllLines(tmp.resolve("report/events.csv"))).hasSize((int) events + 1);
    assertThat(Files.readAllLines(tmp.resolve("report/messages.csv")))
        .hasSize((int) r.metrics().messages() + 1);
    assertThat(Files.readAllLines(tmp.resolve("report/drift.csv")).get(0))
        .isEqualTo("t_ms,spread,clock_vm0,clock_vm1,clock_vm2");
    assertThat(Files.readString(tmp.resolve("report/report.md")))
        .contains("**Verified**", "## Queue model", "| VM | rate |");
  }

  @Test
  void aSkewedRunGetsThePhysicalTimeTableAndChart() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("skewed"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder()
                .seed(5L)
                .clocks(
                    new logicalclocks.config.ClockConfig(
                        List.of(0L, 400L, -300L), List.of(), 0, List.of()))
                .build(),
            Duration.ofSeconds(10),
            5,
            Duration.ofMillis(1)),
        logs);
    Report.write(logs, "skewed", tmp.resolve("skewed-report"));
    String page = Files.readString(tmp.resolve("skewed-report/report.html"));
    assertThat(page)
        .contains("id=\"physical-chart\"", "<th>offset ms</th>")
        .doesNotContain("No VM's clock was skewed");
  }

  @Test
  void consoleTableSummarizesEveryVm() throws Exception {
    Analyzer.Result r = simulated(Files.createDirectories(tmp.resolve("l")), 10);
    String table = Report.consoleTable(r.metrics());
    assertThat(table.lines().filter(l -> l.matches("^[0-2] .*"))).hasSize(3);
    assertThat(table).contains("verified: every clock rule holds", "queue model VM 0:");
  }

  /**
   * A VM whose log says it skipped tick slots gets the missed columns in report.md and report.html,
   * a {@code missed} object in metrics.json and a console line; the same logs without the key get
   * none of them (their report stays as it was).
   */
  @Test
  void missedTicksAppearOnlyWhenAVmSkippedSome() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("m"));
    simulated(logs, 10);
    Analyzer.Result plain = Report.write(logs, "run", tmp.resolve("plain"));
    assertThat(Files.readString(tmp.resolve("plain/report.md"))).doesNotContain("missed");
    assertThat(Files.readString(tmp.resolve("plain/report.html"))).doesNotContain("missed");
    assertThat(Files.readString(tmp.resolve("plain/metrics.json"))).doesNotContain("missed");
    assertThat(Report.consoleTable(plain.metrics())).doesNotContain("missed");

    Path log1 = logs.resolve("machine_1.log");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log1));
    int tick =
        IntStream.range(0, lines.size())
            .filter(i -> lines.get(i).contains("event=INTERNAL"))
            .skip(9)
            .findFirst()
            .orElseThrow();
    lines.set(tick, lines.get(tick).replace(" vc=", " missed=7 vc="));
    Files.write(log1, lines);
    Analyzer.Result missed = Report.write(logs, "run", tmp.resolve("missed"));
    assertThat(missed.metrics().violations()).isEmpty();
    var vm1 = missed.metrics().vms().get(1);
    assertThat(vm1.missed().ticks()).isEqualTo(7);
    assertThat(vm1.missed().gaps()).isEqualTo(1);
    long gap = vm1.missed().longestGapMs();
    assertThat(gap).as("from the tick before it").isPositive();

    String md = Files.readString(tmp.resolve("missed/report.md"));
    assertThat(md).contains("| delay max ms | missed ticks | gaps | longest gap ms |");
    assertThat(md.lines().filter(l -> l.startsWith("| 1 |")).findFirst().orElseThrow())
        .endsWith("| 7 | 1 | " + gap + " |");
    assertThat(md.lines().filter(l -> l.startsWith("| 0 |")).findFirst().orElseThrow())
        .endsWith("| 0 | 0 | 0 |");
    assertThat(Files.readString(tmp.resolve("missed/report.html")))
        .contains("<th>missed ticks</th><th>gaps</th><th>longest gap ms</th>")
        .contains("<td>7</td><td>1</td><td>" + gap + "</td>");
    var json = new ObjectMapper().readTree(tmp.resolve("missed/metrics.json").toFile());
    assertThat(json.at("/vms/1/missed/ticks").asLong()).isEqualTo(7);
    assertThat(json.at("/vms/1/missed/gaps").asLong()).isEqualTo(1);
    assertThat(json.at("/vms/1/missed/longestGapMs").asLong()).isEqualTo(gap);
    assertThat(json.at("/vms/0").has("missed")).as("VM 0 skipped none").isFalse();
    assertThat(Report.consoleTable(missed.metrics()))
        .contains("VM 1 missed 7 tick(s) in 1 gap(s), the longest " + gap + " ms");
  }

  @Test
  void spaceTimeWindowsCoverLongRuns() throws Exception {
    Analyzer.Result r = simulated(Files.createDirectories(tmp.resolve("w")), 60);
    var windows = Report.windows(r.series());
    assertThat(windows).hasSize(6).startsWith(0L);
    long end = r.series().points().stream().mapToLong(Series.Point::tMs).max().orElseThrow();
    assertThat(end).as("the last point of a 60 s run").isBetween(59_000L, 60_000L);
    assertThat(windows.get(5))
        .as("the last window ends at the last point")
        .isEqualTo(end - Report.WINDOW_MS);
  }
}
