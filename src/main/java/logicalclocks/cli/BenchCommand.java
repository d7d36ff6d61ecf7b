package logicalclocks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import logicalclocks.bench.BenchRun;
import logicalclocks.bench.BenchSuite;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.LocalConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: a run under load that prints numbers — throughput, drops by reason, tick fidelity,
 * delivery latency, heap and RSS — and checks that every message is accounted for (exit 1 when
 * not). Live by default; {@code --sim} times the simulator and the analyzer instead; {@code
 * --baseline} first measures grpc-java's own qps benchmark shape and prints the run's ratio to it;
 * {@code --suite} runs every benchmark of BENCHMARKS.md, each in a JVM of its own. The work is
 * {@link BenchRun}'s and {@link BenchSuite}'s; this is only the command line.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Run VMs under load (live, or --sim); print throughput, drops, tick fidelity, latency,"
            + " heap and RSS; verify every message. --suite writes BENCHMARKS.md.")
final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin LocalCommand flags = new LocalCommand();

  @Option(names = "--sim", description = "simulate the run; time the simulator and the analyzer")
  boolean sim;

  @Option(
      names = "--baseline",
      description =
          "first measure grpc-java's own qps benchmark shape (streaming ping-pong, 1 channel, 16"
              + " calls, 32/16-byte payloads) in this JVM for --baseline-seconds after a 2 s"
              + " warm-up; print the run's delivered messages/s as a share of it")
  boolean baseline;

  @Option(
      names = "--baseline-seconds",
      paramLabel = "SECONDS",
      description = "length of the baseline measurement (default 5)")
  int baselineSeconds = 5;

  @Option(names = "--json", description = "also print the results as one JSON line")
  boolean json;

  @Option(
      names = "--suite",
      paramLabel = "FILE",
      description =
          "run the whole benchmark suite (each run in its own JVM) and write it to FILE, e.g."
              + " BENCHMARKS.md; --duration sets each live run's length (default 20)")
  Path suite;

  @Option(
      names = "--page",
      description =
          "measure the live page's frame times in headless Chromium at 3, 20 and 256 VMs, about"
              + " 1,000 events/s each, --duration seconds each (default 10), then scrub a"
              + " 1,000,000-line replay end to end")
  boolean page;

  @Override
  public Integer call() throws Exception {
    if (page) {
      int seconds = 10;
      if (flags.duration != null) {
        try {
          seconds = Integer.parseInt(flags.duration);
        } catch (NumberFormatException e) {
          seconds = 0;
        }
        if (seconds < 1 || seconds > 3600) {
          throw new logicalclocks.config.ConfigException(
              "--duration", flags.duration, "seconds per row of bench --page, from 1 to 3600");
        }
      }
      return logicalclocks.bench.PageFrames.run(
          java.util.List.of(3, 20, 256), 1000, seconds, json, spec.commandLine().getOut());
    }
    if (suite != null) {
      Progress progress =
          new Progress(
              spec.commandLine().getErr(),
              "bench suite",
              BenchSuite.STEPS,
              Progress.terminal(),
              Progress.count(BenchSuite.STEPS),
              System::nanoTime);
      int[] done = {0};
      return new BenchSuite(
              spec.commandLine().getOut(),
              flags.duration,
              flags.basePort,
              Main.class.getName(),
              what -> {
                if (what == null) {
                  progress.end(done[0]);
                } else {
                  progress.step(done[0]++, what);
                }
              })
          .write(suite);
    }
    if (flags.logDir == null) {
      flags.logDir = Files.createTempDirectory("bench").toString();
    }
    LocalConfig config = ConfigParser.local(flags.source());
    return BenchRun.run(
                config,
                new BenchRun.Options(sim, baseline ? baselineSeconds : 0, json),
                spec.commandLine().getOut())
            == 0
        ? 0
        : Main.EXIT_FAILURE;
  }
}
