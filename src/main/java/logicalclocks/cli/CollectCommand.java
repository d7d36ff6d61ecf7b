package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.HostPort;
import logicalclocks.config.Source;
import logicalclocks.config.TlsConfig;
import logicalclocks.transport.LogCollector;
import logicalclocks.transport.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

  @Parameters(
      paramLabel = "PEERS",
      description = "host:port of all VMs in id order, as for node (e.g. vm{0..2}:50051)")
  String peers;

  @Option(names = "--out", paramLabel = "DIR", description = "where the logs go (default ./logs)")
  Path out = Path.of("logs");

  @Option(
      names = "--now",
      description = "take what each log holds now instead of waiting for the run to end")
  boolean now;

  @Override
  public Integer call() throws Exception {
    Map<String, String> values = new HashMap<>(System.getenv());
    values.put("PEERS", peers);
    Source src = Source.of(values, v -> v.equals("PEERS") ? "PEERS (the argument)" : v);
    List<HostPort> vms = ConfigParser.peers(src);
    TlsConfig tls = ConfigParser.tls(src, 1);
    Files.createDirectories(out);
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Network network = Network.tcp(tls);
    int failed = 0;
    for (int i = 0; i < vms.size(); i++) {
      try {
        LogCollector.Collected c = LogCollector.collect(network, vms.get(i), i, out, !now);
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
    return failed == 0 ? 0 : Main.EXIT_FAILURE;
  }
}
