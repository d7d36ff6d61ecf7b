package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.render.Report;
import logicalclocks.log.EventLogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code analyze LOG_DIR}: verify a run and report its jumps, drift and queues. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a run's machine_<id>.log files and measure clock jumps, drift, queues and delays.",
      "Exit 0 when every rule holds, 1 when a rule is broken (each violation listed with file:line),",
      "2 when the logs cannot be read."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "LOG_DIR", description = "folder holding machine_<id>.log files")
  Path logDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "report folder (default: LOG_DIR/report)")
  Path out;

  @Option(names = "--title", description = "report title (default: the log folder's name)")
  String title;

  @Option(
      names = "--count-cuts",
      description = "print the number of consistent cuts of the run (exact), instead of the report")
  boolean countCuts;

  @Option(
      names = "--possibly",
      paramLabel = "EXPR",
      description =
          "whether some consistent cut satisfies EXPR (e.g. 'queue[0] > 2 && queue[1] > 2'),"
              + " with a witness cut, instead of the report")
  String possibly;

  @Option(
      names = "--definitely",
      paramLabel = "EXPR",
      description =
          "whether every run consistent with the logs passes through a cut satisfying EXPR,"
              + " with a path that avoids it when not, instead of the report")
  String definitely;

  @Option(
      names = "--cut-bound",
      paramLabel = "N",
      description =
          "most cuts a lattice walk visits (default: ${DEFAULT-VALUE}); past it the answer is"
              + " 'unknown'")
  long cutBound = logicalclocks.analysis.cuts.Lattice.WALK_BOUND;

  /** Logs larger than this (all files together) get a progress bar: 8 MB. */
  static final long PROGRESS_BYTES = 8_000_000;

  /** The bytes of the folder's machine_<id>.log files (0 when it cannot tell). */
  static long logBytes(Path dir) {
    long sum = 0;
    try {
      for (Path f : EventLogReader.logFiles(dir).values()) {
        sum += java.nio.file.Files.size(f);
      }
    } catch (EventLogReader.BadLogException | java.io.IOException e) {
      return 0; // the analysis says what is wrong with the folder
    }
    return sum;
  }

  /**
   * What the run's snapshot records were found to be (nothing when it has none): how many, complete
   * and failed, and whether every snapshot rule held for them.
   */
  static void snapshotLine(Analyzer.Result result, PrintWriter out) {
    var tally = result.snapshots();
    if (tally.records() == 0) {
      return;
    }
    var violations = result.metrics().violations();
    long broken = violations.stream().filter(v -> v.rule().startsWith("snapshot-")).count();
    out.printf(
        "snapshots: %d record(s), %d complete, %d failed; %s%n",
        tally.records(),
        tally.complete(),
        tally.failed().size(),
        broken == 0
            ? "each checked against the logs: every cut consistent, every recorded state the"
                + " logs', every complete one's queues and channels exactly the messages in"
                + " transit"
            : broken + " violation(s) of the snapshot rules (listed above)");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (countCuts || possibly != null || definitely != null) {
      return LatticeQueries.run(
          out, logDir, countCuts, possibly, definitely, cutBound, stdout, stderr);
    }
    Path dir = out != null ? out : logDir.resolve("report");
    Analyzer.Result result;
    // Logs over PROGRESS_BYTES get a progress bar of the bytes read on stderr.
    long size = logBytes(logDir);
    java.util.concurrent.atomic.LongAdder read =
        size > PROGRESS_BYTES ? new java.util.concurrent.atomic.LongAdder() : null;
    java.util.concurrent.ScheduledExecutorService ticker = null;
    Progress progress = null;
    if (read != null) {
      Progress p =
          new Progress(
              stderr,
              "analyze",
              size,
              Progress.terminal(),
              Progress.megabytes(size),
              System::nanoTime);
      progress = p;
      ticker =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "analyze-progress");
                t.setDaemon(true);
                return t;
              });
      ticker.scheduleAtFixedRate(
          () -> p.tick(read.sum()), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
    try {
      result =
          Report.write(
              logDir,
              title != null ? title : "Run " + logDir.toAbsolutePath().normalize().getFileName(),
              dir,
              read);
    } catch (EventLogReader.BadLogException e) {
      stderr.println("error: " + e.getMessage());
      stderr.flush();
      return Main.EXIT_CONFIG;
    } finally {
      if (ticker != null) {
        ticker.shutdownNow();
        ticker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    if (progress != null) {
      progress.end(read.sum());
    }
    stdout.print(Report.consoleTable(result.metrics()));
    snapshotLine(result, stdout);
    stdout.println("report: " + dir.resolve("report.html").toAbsolutePath().normalize());
    stdout.flush();
    return result.metrics().violations().isEmpty() ? 0 : Main.EXIT_FAILURE;
  }
}
