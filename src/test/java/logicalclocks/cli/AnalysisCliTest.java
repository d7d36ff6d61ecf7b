package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import logicalclocks.config.ModelConfig;
import logicalclocks.reliability.Reliability;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze, experiment and sweep as a user runs them. */
class AnalysisCliTest {
  @TempDir Path tmp;

  static CliTest.Result run(String... args) {
    return CliTest.inProcess(args);
  }

  Path simulatedLogs(String name) throws Exception {
    Path logs = Files.createDirectories(tmp.resolve(name));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.defaults().withSeed(9L), Duration.ofSeconds(20), 9, Duration.ofMillis(1)),
        logs);
    return logs;
  }

  @Test
  void analyzeAValidRun() throws Exception {
    Path logs = simulatedLogs("ok");
    CliTest.Result r = run("analyze", logs.toString(), "--out", tmp.resolve("report").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("verified: every clock rule holds", "report: ");
    assertThat(tmp.resolve("report/report.html")).exists();
    assertThat(tmp.resolve("report/metrics.json")).exists();
  }

  @Test
  void analyzeExitsOneListingViolationsWithFileAndLine() throws Exception {
    Path logs = simulatedLogs("bad");
    Path f = logs.resolve("machine_1.log");
    var lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(3, lines.get(3).replaceFirst("clock=(\\d+)", "clock=999"));
    Files.write(f, lines);
    CliTest.Result r = run("analyze", logs.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("VIOLATION").contains("machine_1.log:4: [clock-rule]");
  }

  @Test
  void unreadableInputIsOneClearLineNeverAStackTrace() throws Exception {
    Path truncated = simulatedLogs("truncated");
    String text = Files.readString(truncated.resolve("machine_0.log"));
    Files.writeString(
        truncated.resolve("machine_0.log"), text.substring(0, text.indexOf('\n', 200) + 30));
    Path binary = Files.createDirectories(tmp.resolve("binary"));
    Files.write(
        binary.resolve("machine_0.log"), new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff, 10});
    Path interleaved = simulatedLogs("interleaved");
    String a = Files.readString(interleaved.resolve("machine_0.log"));
    Files.writeString(
        interleaved.resolve("machine_0.log"), a.substring(0, a.indexOf('\n') + 10) + a);
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path emptyFile = Files.createDirectories(tmp.resolve("emptyfile"));
    Files.writeString(emptyFile.resolve("machine_0.log"), "");
    Files.writeString(emptyFile.resolve("machine_1.log"), "");

    CliTest.Result t = run("analyze", truncated.toString());
    assertThat(t.status()).isEqualTo(2);
    assertThat(t.err().strip())
        .startsWith("error: ")
        .contains("machine_0.log:")
        .contains("truncated")
        .doesNotContain("Exception");
    CliTest.Result b = run("analyze", binary.toString());
    assertThat(b.status()).isEqualTo(2);
    assertThat(b.err().strip()).contains("machine_0.log: not UTF-8 text (binary file?)");
    CliTest.Result i = run("analyze", interleaved.toString());
    assertThat(i.status()).isEqualTo(2);
    assertThat(i.err().strip())
        .contains("machine_0.log:2: ts is not ISO-8601")
        .doesNotContain("\tat ");
    CliTest.Result e = run("analyze", empty.toString());
    assertThat(e.status()).isEqualTo(2);
    assertThat(e.err().strip()).endsWith("no machine_<id>.log files");
    CliTest.Result ef = run("analyze", emptyFile.toString());
    assertThat(ef.status()).isEqualTo(2);
    assertThat(ef.err().strip()).endsWith("machine_0.log: empty file (no START line)");
    Reliability.record(
        "80-analyze-bad-files",
        "`analyze` on truncated, interleaved," + " binary or empty files",
        "files cut mid-line, spliced, random bytes, zero bytes (AnalysisCliTest)",
        Reliability.checked(
            "exit 2 with one line naming the file and line; never a stack" + " trace",
            t.status() == 2
                && b.status() == 2
                && i.status() == 2
                && e.status() == 2
                && ef.status() == 2
                && t.err().strip().lines().count() == 1
                && !(t.err() + b.err() + i.err() + e.err() + ef.err()).contains("\tat ")),
        Reliability.checked("e.g. `" + t.err().strip().replaceAll(".*/", "") + "`", true));
    CliTest.Result missing = run("analyze", tmp.resolve("nope").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("no such directory (expected a run's log directory");
  }

  @Test
  void experimentEndToEndInSimulation() throws Exception {
    Path out = tmp.resolve("exp");
    CliTest.Result r =
        run("experiment", "--sim", "--runs", "2", "--duration", "10", "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "| baseline |",
            "| equal-rates |",
            "| small-rate-variation |",
            "| fewer-internal |",
            "| both |");
    assertThat(r.err()).contains("[##############################] 10/10 (100 %)").contains("done");
    var csv = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(csv).hasSize(11);
    assertThat(csv.get(1)).startsWith("baseline,1,2026,");
    assertThat(csv).allSatisfy(line -> assertThat(line).doesNotEndWith(",1"));
    assertThat(Files.readString(out.resolve("summary.md"))).contains("## Every run");
    for (String v : new String[] {"baseline", "small-rate-variation", "fewer-internal", "both"}) {
      for (int run = 1; run <= 2; run++) {
        Path dir = out.resolve(v).resolve("run-" + run);
        assertThat(dir.resolve("logs/machine_2.log")).exists();
        assertThat(dir.resolve("report/report.html")).exists();
      }
    }
    // The same seeds give the same summary.
    Path again = tmp.resolve("exp2");
    run("experiment", "--sim", "--runs", "2", "--duration", "10", "--out", again.toString());
    assertThat(Files.readString(again.resolve("summary.csv")))
        .isEqualTo(Files.readString(out.resolve("summary.csv")));
  }

  @Test
  void experimentTakesAPlanFileOrCustomFlags() throws Exception {
    Path plan =
        Files.writeString(
            tmp.resolve("plan.json"),
            """
        {"variants": [
          {"name": "five-vms", "machines": 5, "rates": [1, 2, 3, 4, 5], "dieSides": 8, "runs": 1},
          {"name": "two-vms", "machines": 2, "minRate": 2, "maxRate": 3, "dieSides": 2}
        ]}""");
    CliTest.Result r =
        run(
            "experiment",
            "--sim",
            "--plan",
            plan.toString(),
            "--runs",
            "2",
            "--duration",
            "5",
            "--out",
            tmp.resolve("p").toString());
    assertThat(r.status()).as(r.err()).isZero();
    var csv = Files.readAllLines(tmp.resolve("p/summary.csv"));
    assertThat(csv).hasSize(1 + 1 + 2);
    assertThat(csv.get(1)).startsWith("five-vms,1,2026,1/2/3/4/5,8,");
    CliTest.Result custom =
        run(
            "experiment",
            "--sim",
            "--rates",
            "3,5,2",
            "--runs",
            "1",
            "--duration",
            "60",
            "--out",
            tmp.resolve("c").toString());
    assertThat(custom.status()).isZero();
    assertThat(custom.out()).contains("| custom | rates 3,5,2, 10-sided die |");
    CliTest.Result bad = run("experiment", "--sim", "--plan", "nope.json");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err().strip())
        .isEqualTo(
            "error: --plan='nope.json' is invalid: expected assignment, claims, all, or a readable JSON plan file (no file nope.json)");
    Path badPlan =
        Files.writeString(
            tmp.resolve("bad.json"), "{\"variants\": [{\"name\": \"x\", \"dieSides\": 2}]}");
    CliTest.Result invalid = run("experiment", "--sim", "--plan", badPlan.toString());
    assertThat(invalid.status()).isEqualTo(2);
    assertThat(invalid.err().strip())
        .isEqualTo(
            "error: "
                + badPlan
                + ": variant 'x' dieSides='2' is invalid:"
                + " expected a number of die faces from N=3 (the number of machines) to 1000000");
    Path typo =
        Files.writeString(
            tmp.resolve("typo.json"), "{\"variants\": [{\"name\": \"x\", \"dieSide\": 4}]}");
    CliTest.Result misspelt = run("experiment", "--sim", "--plan", typo.toString());
    assertThat(misspelt.status()).isEqualTo(2);
    assertThat(misspelt.err()).contains("variant 'x' key='dieSide' is invalid");
  }

  @Test
  void notebookIsGeneratedFromExperimentFolders() throws Exception {
    Path exp = tmp.resolve("exp");
    assertThat(
            run(
                    "experiment",
                    "--sim",
                    "--plan",
                    "all",
                    "--runs",
                    "1",
                    "--duration",
                    "20",
                    "--out",
                    exp.toString())
                .status())
        .isZero();
    Path sweep = tmp.resolve("sweep");
    assertThat(
            run(
                    "sweep",
                    "--slow-rates",
                    "1,4",
                    "--die-sides-list",
                    "3,10",
                    "--seeds",
                    "1",
                    "--duration",
                    "20",
                    "--out",
                    sweep.toString())
                .status())
        .isZero();
    Path nb = tmp.resolve("docs/notebook.md");
    Files.createDirectories(nb.getParent());
    Path table =
        Files.writeString(
            tmp.resolve("agreement.md"), "Sim vs live (SimVsLiveTest):\n\n| a | b |\n");
    CliTest.Result r =
        run(
            "notebook",
            "--live",
            exp.toString(),
            "--sim",
            exp.toString(),
            "--sweep",
            sweep.toString(),
            "--sim-vs-live",
            table.toString(),
            "--out",
            nb.toString());
    assertThat(r.status()).as(r.err()).isZero();
    String text = Files.readString(nb);
    assertThat(text)
        .contains(
            "## How to regenerate every number",
            "## Design decisions",
            "## baseline:",
            "## fewer-internal:",
            "## How much of Lamport's order is false",
            "false order (mean)",
            "## The queue model against what happened",
            "near 5 x its seconds in logical time",
            "Live against simulated, per variant",
            "grows without bound",
            "## Sweep",
            "![baseline clocks](notebook/baseline-clock.svg)");
    assertThat(tmp.resolve("docs/notebook/baseline-clock.svg")).exists();
    assertThat(tmp.resolve("docs/notebook/sweep-queue.svg")).exists();
    assertThat(text).contains("The sim-vs-live test's own numbers", "> | a | b |");
    assertThat(run("notebook", "--live", tmp.resolve("none").toString()).status()).isEqualTo(2);
    assertThat(
            run(
                    "notebook",
                    "--live",
                    exp.toString(),
                    "--sim-vs-live",
                    tmp.resolve("none.md").toString())
                .status())
        .isEqualTo(2);
  }

  @Test
  void exportWritesShivizAndJsonl() throws Exception {
    Path logs = simulatedLogs("export");
    Path shiviz = tmp.resolve("run.shiviz.log");
    CliTest.Result r =
        run("export", "--format", "shiviz", "--out", shiviz.toString(), logs.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readAllLines(shiviz).get(0)).contains("(?<host>").contains("(?<clock>");
    CliTest.Result jsonl = run("export", "--format", "jsonl", logs.toString());
    assertThat(jsonl.status()).isZero();
    assertThat(jsonl.out().lines().findFirst().orElseThrow()).startsWith("{\"ts\":");
    CliTest.Result none = run("export", "--format", "shiviz", tmp.toString());
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err().strip()).startsWith("error: LOG_DIR=").contains("run-<i>/logs");
    assertThat(run("export", "--format", "svg", logs.toString()).status()).isEqualTo(2);
  }

  @Test
  void sweepWritesTablesAndHeatMaps() throws Exception {
    Path out = tmp.resolve("sweep");
    CliTest.Result r =
        run(
            "sweep",
            "--slow-rates",
            "1,6",
            "--die-sides-list",
            "3,10",
            "--seeds",
            "1",
            "--duration",
            "30",
            "--out",
            out.toString());
    assertThat(r.status()).isZero();
    var csv = Files.readAllLines(out.resolve("sweep.csv"));
    assertThat(csv).hasSize(5);
    assertThat(csv.get(0)).isEqualTo("slow_rate,die_sides,max_queue,max_drift,slow_queue_at_stop");
    double slowSmallDie = Double.parseDouble(csv.get(1).split(",")[2]);
    double fastBigDie = Double.parseDouble(csv.get(4).split(",")[2]);
    assertThat(slowSmallDie)
        .as("a 1 tick/s VM with a 3-sided die floods")
        .isGreaterThan(fastBigDie * 5);
    String html = Files.readString(out.resolve("sweep.html"));
    assertThat(html).contains("id=\"heatmap-queue\"", "id=\"heatmap-drift\"", "<svg");
    CliTest.Result small = run("sweep", "--die-sides-list", "3,2");
    assertThat(small.status()).isEqualTo(2);
    assertThat(small.err().strip())
        .isEqualTo(
            "error: --die-sides-list='2' is invalid: expected a number of die faces"
                + " from N=3 (the number of machines) to 1000000");
  }
}
