package logicalclocks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigException;
import logicalclocks.experiment.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sweep}: slow-machine rate x die sides, in simulation, as tables and heat maps. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Sweep VM 0's rate (among peers at --fast-rate) against die sides, in simulation; write"
        + " sweep.csv, sweep.md and sweep.html (heat maps of max queue and max drift).")
final class SweepCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--machines", defaultValue = "3", description = "number of VMs (default 3)") int machines;
  @Option(names = "--fast-rate", defaultValue = "6", description = "rate of every VM but VM 0 (default 6)")
  int fastRate;
  @Option(names = "--slow-rates", split = ",", defaultValue = "1,2,3,4,5,6",
      description = "VM 0 rates to try (default 1,2,3,4,5,6)") List<Integer> slowRates;
  @Option(names = "--die-sides", split = ",", defaultValue = "3,4,5,6,8,10,12,16,20",
      description = "die sides to try (default 3,4,5,6,8,10,12,16,20)") List<Integer> sides;
  @Option(names = "--seeds", defaultValue = "3", description = "runs per cell (default 3)") int seeds;
  @Option(names = "--duration", defaultValue = "60", description = "seconds per run (default 60)") int duration;
  @Option(names = "--seed", defaultValue = "2026", description = "first seed") long seed;
  @Option(names = "--out", defaultValue = "reports/sweep", description = "output folder (default reports/sweep)")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (sides.stream().anyMatch(d -> d < machines)) {
      throw new ConfigException("--die-sides", sides.toString(), "sides >= --machines (" + machines + ")");
    }
    if (slowRates.stream().anyMatch(r -> r < 1 || r > 10_000) || fastRate < 1 || fastRate > 10_000) {
      throw new ConfigException("--slow-rates", slowRates.toString(), "rates from 1 to 10000");
    }
    if (seeds < 1 || duration < 1 || machines < 2) {
      throw new ConfigException("--seeds", "" + seeds, "at least 1 seed, 1 s and 2 machines");
    }
    Path scratch = Files.createTempDirectory("sweep");
    try {
      List<Sweep.Cell> cells = Sweep.run(machines, fastRate, slowRates, sides, seeds, duration, seed, scratch);
      String setup = String.format(Locale.ROOT, "%d VMs, VM 0 slow, others at %d ticks/s, %d s, %d seed(s) per cell",
          machines, fastRate, duration, seeds);
      Sweep.write(cells, setup, out);
      spec.commandLine().getOut().print(Files.readString(out.resolve("sweep.md")));
      spec.commandLine().getOut().println("heat maps: " + out.resolve("sweep.html").toAbsolutePath().normalize());
      spec.commandLine().getOut().flush();
    } finally {
      try (var files = Files.walk(scratch)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }
}
