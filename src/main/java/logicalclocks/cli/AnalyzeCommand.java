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

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Path dir = out != null ? out : logDir.resolve("report");
    Analyzer.Result result;
    try {
      result =
          Report.write(
              logDir,
              title != null ? title : "Run " + logDir.toAbsolutePath().normalize().getFileName(),
              dir);
    } catch (EventLogReader.BadLogException e) {
      stderr.println("error: " + e.getMessage());
      stderr.flush();
      return Main.EXIT_CONFIG;
    }
    stdout.print(Report.consoleTable(result.metrics()));
    stdout.println("report: " + dir.resolve("report.html").toAbsolutePath().normalize());
    stdout.flush();
    return result.metrics().violations().isEmpty() ? 0 : Main.EXIT_FAILURE;
  }
}
