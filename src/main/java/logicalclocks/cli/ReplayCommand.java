package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigException;
import logicalclocks.sim.Rerun;
import logicalclocks.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code replay}: re-execute a recorded run with the VMs' own code, or fork it at one event. */
@Command(
    name = "replay",
    header = "Re-execute a recorded run event for event, or fork it at one event and simulate on.",
    mixinStandardHelpOptions = true,
    description = {
      "Re-executes the run in LOG_DIR (from local, a node, compose, chaos or the simulation) with",
      "the VMs' own code, each fed what its log recorded (wall time, die rolls, what had arrived",
      "by each line, drops, markers, skipped slots, restarts), and writes logs to --out that must",
      "equal the recorded ones byte for byte: exit 0 when they do, 1 naming the first line that",
      "could not be reproduced and why. With --fork VM:EVENT:CHANGE, replays up to VM's",
      "EVENT-th tick event (SEND, RECEIVE or INTERNAL, from 1), changes it (die=K: another roll;",
      "delay=MS: that SEND's messages held MS longer; drop: that SEND's messages lost;",
      "pause=MS: the VM paused) and simulates on; compare the two with 'diff'."
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "LOG_DIR", description = "the recorded run's logs")
  Path dir;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write")
  Path out;

  @Option(
      names = "--fork",
      paramLabel = "VM:EVENT:CHANGE",
      description = "fork at that event: die=K, delay=MS, drop or pause=MS")
  String fork;

  @Option(
      names = "--delay-ms",
      paramLabel = "MS",
      defaultValue = "" + Simulation.DEFAULT_DELAY_MS,
      description =
          "after a fork: median network delay of new messages, ms (default ${DEFAULT-VALUE})")
  long delayMs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("LOG_DIR", dir.toString(), "a folder of machine_<id>.log files");
    }
    if (delayMs < 0 || delayMs > Simulation.MAX_DELAY_MS) {
      throw new ConfigException(
          "--delay-ms", "" + delayMs, "a delay from 0 to " + Simulation.MAX_DELAY_MS + " ms");
    }
    if (dir.toAbsolutePath().normalize().equals(this.out.toAbsolutePath().normalize())) {
      throw new ConfigException("--out", this.out.toString(), "a folder other than LOG_DIR");
    }
    Rerun.Fork f = null;
    if (fork != null) {
      try {
        f = Rerun.Fork.parse(fork);
      } catch (IllegalArgumentException bad) {
        throw new ConfigException("--fork", fork, bad.getMessage());
      }
    }
    try (var files = Files.list(dir)) {
      if (files.noneMatch(p -> p.getFileName().toString().matches("machine_[0-9]+\\.log"))) {
        throw new ConfigException("LOG_DIR", dir.toString(), "a folder of machine_<id>.log files");
      }
    }
    try {
      Rerun.Result r =
          f == null
              ? Rerun.replay(dir, this.out)
              : Rerun.fork(dir, this.out, f, Duration.ofMillis(delayMs));
      for (String t : r.torn()) {
        out.println("note: " + t + " was cut off mid-write (a kill): not replayed");
      }
      if (f == null) {
        out.printf(
            "replayed %d VMs: %d lines, every one as recorded (ts included) -> %s%n",
            r.vms(), r.lines(), this.out);
      } else {
        out.printf(
            "forked at %s: %d lines replayed as recorded, then simulated; %d lines -> %s%n",
            f, r.replayed(), r.lines(), this.out);
        out.printf("compare them with the diff command: diff %s %s%n", dir, this.out);
      }
      return 0;
    } catch (IllegalArgumentException bad) {
      throw new ConfigException("--fork", fork, bad.getMessage());
    } catch (Rerun.Unreproducible bad) {
      err.println("not reproduced: " + bad.getMessage());
      return 1;
    }
  }
}
