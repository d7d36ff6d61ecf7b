package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import logicalclocks.config.HostPort;
import logicalclocks.transport.LogCollector;
import logicalclocks.transport.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code collect PEERS --out DIR}: every VM's log through its gRPC {@code Events} RPC, byte for
 * byte as on its volume, ready for {@code analyze}.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description = {
      "Download every VM's machine_<id>.log through gRPC (byte for byte as on its volume) into DIR,"
          + " ready for analyze. Waits for each VM's run to end unless --now.",
      "Mutual TLS: set TLS_CERT, TLS_KEY and TLS_CA as for node."
    })
final class CollectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin PeersArgument cluster = new PeersArgument();

  @Option(names = "--out", paramLabel = "DIR", description = "where the logs go (default ./logs)")
  Path out = Path.of("logs");

  @Option(
      names = "--analyze",
      description =
          "then run analyze on DIR: the verdict and the summary table; exit as analyze does")
  boolean analyze;

  @Option(
      names = "--retry-for",
      paramLabel = "SECONDS",
      description =
          "keep trying a VM that cannot be reached for this long (default 0: fail at once)")
  int retryFor;

  @Option(
      names = "--now",
      description = "take what each log holds now instead of waiting for the run to end")
  boolean now;

  @Override
  public Integer call() throws Exception {
    List<HostPort> vms = cluster.vms();
    Files.createDirectories(out);
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Network network = cluster.network();
    int failed = 0;
    long giveUp = System.nanoTime() + retryFor * 1_000_000_000L;
    for (int i = 0; i < vms.size(); i++) {
      try {
        LogCollector.Collected c = collectOne(network, vms.get(i), i, giveUp);
        console.printf(
            "VM %d (%s): %d lines, %d bytes -> %s%n",
            i, vms.get(i), c.lines(), c.bytes(), c.file());
      } catch (LogCollector.CollectException e) {
        failed++;
        err.println("error: " + e.getMessage());
      }
      console.flush();
      err.flush();
    }
    if (failed > 0) {
      return Main.EXIT_FAILURE;
    }
    if (analyze) {
      var cl = Main.commandLine();
      cl.setOut(console);
      cl.setErr(err);
      return cl.execute("analyze", out.toString());
    }
    return 0;
  }

  /** One VM's log; a VM that cannot be reached is tried again every 2 s until {@code giveUp}. */
  private LogCollector.Collected collectOne(Network network, HostPort peer, int vm, long giveUp)
      throws Exception {
    while (true) {
      try {
        return LogCollector.collect(network, peer, vm, out, !now);
      } catch (LogCollector.CollectException e) {
        if (!e.getMessage().contains("UNAVAILABLE") || System.nanoTime() > giveUp) {
          throw e;
        }
        spec.commandLine()
            .getErr()
            .println("VM " + vm + " (" + peer + ") not reachable yet; retrying");
        spec.commandLine().getErr().flush();
        Thread.sleep(2000);
      }
    }
  }
}
