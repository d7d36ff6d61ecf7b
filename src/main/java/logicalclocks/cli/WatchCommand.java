package logicalclocks.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import logicalclocks.analysis.live.LiveAnalysis;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.config.HostPort;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.Network;
import logicalclocks.ui.Follow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code watch PEERS}: a running cluster, live, through each VM's {@code Events} RPC — per VM its
 * state, rate, clock, queue, events and drops, refreshed in place; and the events merged in
 * Lamport's total order. Without a terminal (or with {@code --plain}) it prints plain lines.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Watch a running cluster through each VM's gRPC event log: per VM its state, rate, Lamport"
          + " clock, queue, events and drops, and the events merged in one total order (clock,"
          + " VM id, line), each RECEIVE marked with its SEND. A VM not seen yet, unreachable or"
          + " stopped by a signal holds the merged events back for --grace. Ends when every VM's"
          + " log has ended for good (exit 0 when every run finished, 1 when one failed), or on"
          + " Ctrl-C.",
      "Mutual TLS: set TLS_CERT, TLS_KEY and TLS_CA as for node."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin PeersArgument cluster = new PeersArgument();

  @Option(names = "--plain", description = "plain lines even on a terminal")
  boolean plain;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      description =
          "how long a VM not seen yet, unreachable or stopped by a signal holds the merged events"
              + " back before they are shown without it (default 60, STARTUP_TIMEOUT's default)")
  int grace = 60;

  @Option(
      names = "--lines",
      paramLabel = "N",
      description = "events shown on the screen (default 20)")
  int lines = 20;

  @Override
  public Integer call() throws Exception {
    List<HostPort> vms = cluster.vms();
    Network network = cluster.network();
    boolean screen = !plain && System.console() != null;
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    WatchModel model = new WatchModel(vms.size(), lines, Duration.ofSeconds(grace), 0);
    LiveAnalysis live = new LiveAnalysis(vms.size());
    Follow.Sink sink =
        new Follow.Sink() {
          @Override
          public void state(int vm, WatchModel.State state, String detail) {
            synchronized (model) {
              model.state(vm, state, detail);
            }
          }

          @Override
          public void line(int vm, String line, long hostMs) {
            LogEvent e;
            try {
              e =
                  EventLogFormat.parse(
                      line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
            } catch (LogFormatException bad) {
              synchronized (model) {
                model.unreadable(vm, bad.getMessage());
                live.unreadable(vm, bad.getMessage());
              }
              return;
            }
            synchronized (model) {
              model.line(vm, e);
              live.line(vm, e);
            }
          }
        };
    String title = "logical-clocks watch: " + vms.size() + " VMs (Ctrl-C to quit)";
    try (Follow followers = new Follow(sink, network, vms)) {
      while (true) {
        boolean done;
        List<Integer> failed;
        synchronized (model) {
          List<WatchModel.Merged> released = model.release((System.nanoTime() - start) / 1_000_000);
          if (screen) {
            out.print("\033[H\033[2J" + model.screen(title) + "\n" + live.verdict() + "\n");
          } else {
            model.notices().forEach(n -> out.println("# " + n));
            released.forEach(m -> out.println(WatchModel.plain(m)));
          }
          done = model.allEnded();
          failed = model.failed();
        }
        out.flush();
        if (done) {
          live.end();
          out.println(screen ? live.verdict() : "# " + live.verdict());
          String end =
              failed.isEmpty()
                  ? "every VM finished its run"
                  : "every VM's log has ended; failed: "
                      + failed.stream().map(i -> "vm" + i).collect(Collectors.joining(", "));
          out.println(screen ? end : "# " + end);
          out.flush();
          return failed.isEmpty() && live.verified() ? 0 : Main.EXIT_FAILURE;
        }
        Thread.sleep(screen ? 500 : 200);
      }
    }
  }
}
