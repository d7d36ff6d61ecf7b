package logicalclocks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigException;
import logicalclocks.experiment.Notebook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code notebook}: the engineering notebook, generated from experiment folders. */
@Command(
    name = "notebook",
    mixinStandardHelpOptions = true,
    description =
        "Write the engineering notebook (Markdown + SVG charts) from `experiment` and `sweep` output.")
final class NotebookCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--live",
      required = true,
      paramLabel = "DIR",
      description = "output of experiment --live")
  Path live;

  @Option(
      names = "--sim",
      paramLabel = "DIR",
      description = "output of experiment --sim with the same plan (other seeds: see the recipe)")
  Path sim;

  @Option(names = "--sweep", paramLabel = "DIR", description = "output of sweep")
  Path sweep;

  @Option(names = "--clocks", paramLabel = "DIR", description = "output of sweep --clocks")
  Path clocks;

  @Option(
      names = "--sim-vs-live",
      paramLabel = "FILE",
      description =
          "the sim-vs-live test's table (target/sim-vs-live/agreement.md), quoted as it is")
  Path simVsLive;

  @Option(
      names = "--out",
      defaultValue = "notebook.md",
      description = "the notebook file (default notebook.md)")
  Path out;

  @Option(
      names = "--assets",
      paramLabel = "DIR",
      description = "where its charts go (default: notebook/ beside it)")
  Path assets;

  @Override
  public Integer call() throws Exception {
    for (var e :
        new Object[][] {
          {"--live", live, "summary.csv"},
          {"--sim", sim, "summary.csv"},
          {"--sweep", sweep, "sweep.csv"},
          {"--clocks", clocks, "skew.csv"}
        }) {
      Path dir = (Path) e[1];
      if (dir != null && !Files.isRegularFile(dir.resolve((String) e[2]))) {
        throw new ConfigException((String) e[0], dir.toString(), "a folder holding " + e[2]);
      }
    }
    if (simVsLive != null && !Files.isRegularFile(simVsLive)) {
      throw new ConfigException(
          "--sim-vs-live",
          simVsLive.toString(),
          "the file SimVsLiveTest writes" + " (target/sim-vs-live/agreement.md)");
    }
    Path parent = out.toAbsolutePath().getParent();
    Path assetDir = assets != null ? assets : parent.resolve("notebook");
    Notebook.write(live, sim, sweep, clocks, simVsLive, out, assetDir);
    spec.commandLine().getOut().println("notebook: " + out.toAbsolutePath().normalize());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
