package logicalclocks.cli;

import java.util.concurrent.Callable;
import logicalclocks.chaos.Campaign;
import logicalclocks.chaos.ChaosConfig;
import logicalclocks.config.Source;
import logicalclocks.vm.Seeds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chaos}: a fault campaign against real {@code node} processes on loopback (SIGKILL,
 * SIGSTOP, SIGTERM and restarts on a seeded schedule), then the verifier on their logs.
 */
@Command(
    name = "chaos",
    header =
        "Fault campaign: real node processes killed, paused and restarted on a seeded schedule, then verified.",
    mixinStandardHelpOptions = true,
    description = {
      "Fault campaign: start N node processes on 127.0.0.1, apply a seeded",
      "schedule of faults, then verify their logs:",
      "  kill            SIGKILL, restart at once",
      "  kill-later      SIGKILL, restart seconds later",
      "  kill-after-run  SIGKILL, restart once the others finished their run",
      "  pause           SIGSTOP, SIGCONT seconds later",
      "  term            SIGTERM, restart once it exits",
      "Each violation is shown with the fault nearest to it in time.",
      "Exit 0 when verified, 1 on any violation or campaign incident, 2 for bad flags."
    })
final class ChaosCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--machines",
      paramLabel = "N",
      description =
          "number of VMs, one JVM each, 2 to "
              + ChaosConfig.MAX_MACHINES
              + " (default "
              + ChaosConfig.DEFAULT_MACHINES
              + ")")
  String machines;

  @Option(
      names = "--tick-rate",
      paramLabel = "RATE",
      description =
          "ticks/s of every VM, 1 to "
              + ChaosConfig.MAX_TICK_RATE
              + " (default "
              + ChaosConfig.DEFAULT_TICK_RATE
              + ")")
  String tickRate;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description =
          "each VM's run, "
              + ChaosConfig.MIN_DURATION_S
              + " to "
              + ChaosConfig.MAX_DURATION_S
              + " s (default "
              + ChaosConfig.DEFAULT_DURATION_S
              + ")")
  String duration;

  @Option(
      names = "--faults",
      paramLabel = "K",
      description =
          "number of faults, at most one per 3 s of --duration (default "
              + ChaosConfig.DEFAULT_FAULTS
              + ": every kind once)")
  String faults;

  @Option(
      names = "--snapshot-every",
      paramLabel = "SECONDS",
      description =
          "VM 0 takes a snapshot of the cluster every SECONDS, each checked against the logs with"
              + " the rest (default "
              + ChaosConfig.DEFAULT_SNAPSHOT_EVERY_S
              + "; 0: none)")
  String snapshotEvery;

  @Option(
      names = "--seed",
      description = "seed of the schedule and of the nodes' rates and dice (default: random)")
  String seed;

  @Option(
      names = "--base-port",
      paramLabel = "PORT",
      description =
          "VM i listens on PORT + i; the ports must be free (default "
              + ChaosConfig.DEFAULT_BASE_PORT
              + ")")
  String basePort;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "campaign folder: logs/ and each VM's node_<id>.out/.err; must not hold an earlier"
              + " run's logs (default "
              + ChaosConfig.DEFAULT_OUT
              + ")")
  String out;

  @Option(
      names = "--jar",
      paramLabel = "JAR",
      description = "the jar the nodes run (default: the one this command runs from)")
  String jar;

  @Override
  public Integer call() throws Exception {
    Source flags =
        new FlagValues()
            .put("MACHINES", machines, "--machines")
            .put("TICK_RATE", tickRate, "--tick-rate")
            .put("DURATION", duration, "--duration")
            .put("FAULTS", faults, "--faults")
            .put("SNAPSHOT_EVERY", snapshotEvery, "--snapshot-every")
            .put("SEED", seed, "--seed")
            .put("BASE_PORT", basePort, "--base-port")
            .put("OUT", out, "--out")
            .put("JAR", jar, "--jar")
            .source();
    ChaosConfig config = ChaosConfig.parse(flags, Seeds.fresh(), ChaosConfig.runningJar());
    return new Campaign(config, spec.commandLine().getOut()).run().exitCode();
  }
}
