package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;
import logicalclocks.experiment.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sweep}: slow-machine rate x die sides, in simulation, as tables and heat maps. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description =
        "Sweep VM 0's rate (among peers at --fast-rate) against die sides, in simulation; write"
            + " sweep.csv, sweep.md and sweep.html (heat maps of max queue and max drift).")
final class SweepCommand implements Callable<Integer> {
  static final int MAX_SEEDS = 1000;

  @Spec CommandSpec spec;

  @Mixin ModelOptions.Machines machines = new ModelOptions.Machines();

  @Mixin ModelOptions.Weather weather = new ModelOptions.Weather();

  @Option(
      names = "--fast-rate",
      defaultValue = "" + ModelConfig.DEFAULT_MAX_TICK_RATE,
      description = "rate of every VM but VM 0 (default ${DEFAULT-VALUE})")
  String fastRate;

  @Option(
      names = "--slow-rates",
      split = ",",
      defaultValue = "1,2,3,4,5,6",
      description = "VM 0 rates to try (default ${DEFAULT-VALUE})")
  List<String> slowRates;

  @Option(
      names = "--die-sides-list",
      split = ",",
      defaultValue = "3,4,5,6,8,10,12,16,20",
      description = "die sides to try, each >= N (default ${DEFAULT-VALUE})")
  List<String> sides;

  @Option(
      names = "--seeds",
      defaultValue = "3",
      description = "runs per cell (default ${DEFAULT-VALUE})")
  int seeds;

  @Option(
      names = "--clocks",
      description =
          "sweep physical time instead: clock skew (--skews-ms) and network delay (--delays-ms);"
              + " write skew.csv, delay.csv, clocks.md and clocks.html (default --out"
              + " reports/sweep-clocks)")
  boolean clocks;

  @Option(
      names = "--skews-ms",
      split = ",",
      defaultValue = "0,10,100,1000,10000",
      description = "with --clocks: clock skews S to try, ms (default ${DEFAULT-VALUE})")
  List<String> skews;

  @Option(
      names = "--delays-ms",
      split = ",",
      defaultValue = "1,10,50,100,250,500,1000",
      description =
          "with --clocks: network delays to try, ms, each with a uniform jitter of up to half of it"
              + " (default ${DEFAULT-VALUE})")
  List<String> delays;

  @Mixin StudyOptions study = new StudyOptions();

  @Option(
      names = "--out",
      description = "output folder (default reports/sweep, or reports/sweep-clocks with --clocks)")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (seeds < 1 || seeds > MAX_SEEDS) {
      throw new ConfigException(
          "--seeds", "" + seeds, "a number of runs per cell from 1 to " + MAX_SEEDS);
    }
    int duration = study.duration();
    long seed = study.seed;
    if (clocks) {
      return clocks(duration, seed, out == null ? Path.of("reports/sweep-clocks") : out);
    }
    Path out = this.out == null ? Path.of("reports/sweep") : this.out;
    Map<Field, String> flags =
        Map.of(Field.MACHINES, "--machines", Field.DIE_SIDES, "--die-sides-list");
    ModelConfig.Builder base =
        ModelConfig.builder()
            .labels(f -> flags.getOrDefault(f, ModelOptions.FLAGS.getOrDefault(f, f.name())))
            .set(Field.MACHINES, machines.machines);
    Map<String, String> weatherFlags = new java.util.HashMap<>();
    weather.putValues(weatherFlags);
    weatherFlags.forEach((k, v) -> base.set(Field.valueOf(k), v));
    int n = base.machines();
    // Each rate is checked as a tick rate, under the flag it came from.
    List<Integer> slow = slowRates.stream().map(r -> rate("--slow-rates", r, n)).toList();
    int fast = rate("--fast-rate", fastRate, n);
    List<Integer> sideList =
        sides.stream().map(d -> base.set(Field.DIE_SIDES, d).build().dieSides()).toList();
    Path scratch = Files.createTempDirectory("sweep");
    try {
      Runnable step = progress("sweep", slow.size() * sideList.size() * seeds);
      List<Sweep.Cell> cells =
          Sweep.run(base, fast, slow, sideList, seeds, duration, seed, scratch, step);
      String setup =
          String.format(
                  Locale.ROOT,
                  "%d VMs, VM 0 slow, others at %d ticks/s, %d s, %d seed(s) per cell",
                  n,
                  fast,
                  duration,
                  seeds)
              + (base.build().weather().calm() ? "" : ", " + base.build().weather().label());
      Sweep.write(cells, setup, out);
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(Files.readString(out.resolve("sweep.md")));
      stdout.println("heat maps: " + out.resolve("sweep.html").toAbsolutePath().normalize());
      stdout.flush();
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  /** A step of the progress bar per simulated run of {@code runs}; the bar ends with the last. */
  private Runnable progress(String label, int runs) {
    Progress p =
        new Progress(
            spec.commandLine().getErr(),
            label,
            runs,
            Progress.terminal(),
            Progress.count(runs),
            System::nanoTime);
    int[] done = {0};
    return () -> {
      done[0]++;
      if (done[0] >= runs) {
        p.end(done[0]);
      } else {
        p.step(done[0], "simulated runs");
      }
    };
  }

  private int clocks(int duration, long seed, Path out) throws Exception {
    ModelConfig.Builder base =
        ModelConfig.builder()
            .labels(
                f ->
                    f == Field.CLOCK_SKEW_MS
                        ? "--skews-ms"
                        : f == Field.NET_DELAY_MS || f == Field.NET_JITTER_MS
                            ? "--delays-ms"
                            : "--machines")
            .set(Field.MACHINES, machines.machines);
    List<Long> skewList = new java.util.ArrayList<>();
    for (String s : skews) {
      skewList.add(base.set(Field.CLOCK_SKEW_MS, s).build().clocks().skewMs());
    }
    base.set(Field.CLOCK_SKEW_MS, null);
    List<Long> delayList = new java.util.ArrayList<>();
    for (String d : delays) {
      delayList.add((long) base.set(Field.NET_DELAY_MS, d).build().weather().delayMs());
    }
    base.set(Field.NET_DELAY_MS, null);
    Path scratch = Files.createTempDirectory("sweep-clocks");
    try {
      var result =
          logicalclocks.experiment.ClockSweep.run(
              base,
              skewList,
              delayList,
              seeds,
              duration,
              seed,
              scratch,
              progress("sweep --clocks", (skewList.size() + delayList.size()) * seeds));
      String setup =
          String.format(
              Locale.ROOT,
              "%d VMs, rates %s, %d s, %d seed(s) per cell from %d",
              base.machines(),
              base.build().ratesLabel(),
              duration,
              seeds,
              seed);
      logicalclocks.experiment.ClockSweep.write(result, setup, out);
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(Files.readString(out.resolve("clocks.md")));
      stdout.println("charts: " + out.resolve("clocks.html").toAbsolutePath().normalize());
      stdout.flush();
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private static int rate(String flag, String raw, int machines) {
    return ModelConfig.builder()
        .labels(f -> flag)
        .machines(machines)
        .set(Field.TICK_RATE, raw)
        .build()
        .tickRate();
  }
}
