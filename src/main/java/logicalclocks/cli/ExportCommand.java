package logicalclocks.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.render.Export;
import logicalclocks.config.ConfigException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code export}: a run's logs (or an experiment variant's runs) for ShiViz or as JSON Lines. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write the logs in another tool's format: shiviz (a file ShiViz loads as is, vector clocks",
      "needed) or jsonl (one typed JSON object per event). LOG_DIR holds machine_<id>.log files,",
      "or is an experiment variant's folder (its run-<i>/logs go in as separate executions)."
    })
final class ExportCommand implements Callable<Integer> {
  enum Format {
    shiviz,
    jsonl
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      required = true,
      description = "shiviz or jsonl",
      paramLabel = "FORMAT")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "file to write (default: stdout)")
  Path out;

  @Parameters(paramLabel = "LOG_DIR", description = "a run's logs, or a variant's folder of runs")
  Path dir;

  private Path part() {
    return out.resolveSibling(out.getFileName() + ".part");
  }

  @Override
  public Integer call() throws Exception {
    List<Export.Source> runs = new ArrayList<>();
    java.io.Writer w = null;
    boolean done = false;
    try {
      for (Path logs : runDirs(dir)) {
        Path label = logs.getFileName().toString().equals("logs") ? logs.getParent() : logs;
        runs.add(new Export.Source(label.getFileName().toString(), Analyzer.open(logs)));
      }
      // To a file beside --out, moved over it once complete: bad input leaves --out as it was.
      w =
          out == null
              ? spec.commandLine().getOut()
              : java.nio.file.Files.newBufferedWriter(part(), StandardCharsets.UTF_8);
      if (format == Format.shiviz) {
        Export.shiviz(runs, w);
      } else {
        Export.jsonl(runs, w);
      }
      done = true;
    } catch (EventLogReader.BadLogException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Main.EXIT_CONFIG;
    } catch (IllegalArgumentException | logicalclocks.event.LogFormatException e) {
      throw new ConfigException(
          "LOG_DIR", dir.toString(), "logs with vector clocks: " + e.getMessage());
    } finally {
      runs.forEach(r -> r.logs().values().forEach(l -> l.close()));
      if (w != null) {
        w.flush();
        if (out != null) {
          w.close();
        }
      }
      if (out != null && !done) {
        Files.deleteIfExists(part());
      }
    }
    if (out != null) {
      Files.move(part(), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      spec.commandLine().getErr().println(format + ": " + out.toAbsolutePath().normalize());
    }
    return 0;
  }

  /** The folder itself when it holds logs; else its run-*&#47;logs folders, in run order. */
  static List<Path> runDirs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("LOG_DIR", dir.toString(), "a folder of machine_<id>.log files");
    }
    try (Stream<Path> files = Files.list(dir)) {
      if (files.anyMatch(f -> EventLogFormat.idOfFileName(f.getFileName().toString()) >= 0)) {
        return List.of(dir);
      }
    }
    try (Stream<Path> runs = Files.list(dir)) {
      List<Path> found =
          runs.filter(p -> p.getFileName().toString().matches("run-\\d+"))
              .map(p -> p.resolve("logs"))
              .filter(Files::isDirectory)
              .sorted(
                  Comparator.comparingInt(
                      p -> Integer.parseInt(p.getParent().getFileName().toString().substring(4))))
              .toList();
      if (found.isEmpty()) {
        throw new ConfigException(
            "LOG_DIR",
            dir.toString(),
            "a folder of machine_<id>.log files, or of run-<i>/logs folders");
      }
      return found;
    }
  }
}
