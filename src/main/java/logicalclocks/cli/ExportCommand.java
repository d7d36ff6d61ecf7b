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
import logicalclocks.analysis.render.Diagram;
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
    header =
        "Write a run's logs for another tool: ShiViz, JSON Lines, or a diagram for slides (Mermaid, TikZ, Graphviz, Chrome trace).",
    mixinStandardHelpOptions = true,
    description = {
      "Write the logs in another tool's format: shiviz (a file ShiViz loads as is, vector clocks",
      "needed) or jsonl (one typed JSON object per event). LOG_DIR holds machine_<id>.log files,",
      "or is an experiment variant's folder (its run-<i>/logs go in as separate executions).",
      "For slides and notes, a window of one run's events (--skip, --count) as a diagram:",
      "mermaid (a sequence diagram GitHub renders), tikz (a standalone LaTeX document), dot",
      "(Graphviz) or chrome-trace (Perfetto, chrome://tracing)."
    })
final class ExportCommand implements Callable<Integer> {
  enum Format {
    shiviz,
    jsonl,
    mermaid,
    tikz,
    dot,
    chrome_trace;

    /** As the user types it: chrome-trace for chrome_trace. */
    String typed() {
      return name().replace('_', '-');
    }

    boolean diagram() {
      return this != shiviz && this != jsonl;
    }
  }

  /** The formats as typed ({@code chrome-trace}), each named in one error when none matches. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.typed().equals(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not a format: expected one of shiviz, jsonl, mermaid, tikz, dot,"
              + " chrome-trace");
    }
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      required = true,
      converter = FormatConverter.class,
      description = "shiviz, jsonl, mermaid, tikz, dot or chrome-trace",
      paramLabel = "FORMAT")
  Format format;

  @Option(
      names = "--skip",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "diagrams: events (SEND, RECEIVE, INTERNAL, DROP) skipped, in Lamport's order"
              + " (default ${DEFAULT-VALUE})")
  long skip;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "40",
      description = "diagrams: events drawn, 1 to 2000 (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--out", paramLabel = "FILE", description = "file to write (default: stdout)")
  Path out;

  @Parameters(paramLabel = "LOG_DIR", description = "a run's logs, or a variant's folder of runs")
  Path dir;

  /**
   * A run's name in the export: its folder's, or its parent's when the folder is called {@code
   * logs} (a run of an experiment, or {@code ./logs}: then the working folder's name).
   */
  static String label(Path logs) {
    Path abs = logs.toAbsolutePath().normalize();
    Path named =
        abs.getFileName() != null && abs.getFileName().toString().equals("logs")
            ? abs.getParent()
            : abs;
    return named == null || named.getFileName() == null ? "logs" : named.getFileName().toString();
  }

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
        runs.add(new Export.Source(label(logs), Analyzer.open(logs)));
      }
      // To a file beside --out, moved over it once complete: bad input leaves --out as it was.
      w =
          out == null
              ? spec.commandLine().getOut()
              : java.nio.file.Files.newBufferedWriter(part(), StandardCharsets.UTF_8);
      if (format == Format.shiviz) {
        Export.shiviz(runs, w);
      } else if (format == Format.jsonl) {
        Export.jsonl(runs, w);
      } else {
        if (runs.size() != 1) {
          throw new ConfigException(
              "LOG_DIR", dir.toString(), "one run's logs for a diagram (a variant holds several)");
        }
        if (count < 1 || count > 2000) {
          throw new ConfigException("--count", "" + count, "a number of events from 1 to 2000");
        }
        if (skip < 0) {
          throw new ConfigException("--skip", "" + skip, "a number of events, 0 or more");
        }
        Diagram.Window window = Diagram.window(runs.get(0).logs(), skip, count);
        w.write(
            switch (format) {
              case mermaid -> Diagram.mermaid(window);
              case tikz -> Diagram.tikz(window);
              case dot -> Diagram.dot(window);
              default -> Diagram.chromeTrace(window);
            });
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
      spec.commandLine().getErr().println(format.typed() + ": " + out.toAbsolutePath().normalize());
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
