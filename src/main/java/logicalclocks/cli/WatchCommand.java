package logicalclocks.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import logicalclocks.analysis.WatchModel;
import logicalclocks.config.HostPort;
import logicalclocks.transport.LogFollower;
import logicalclocks.transport.Network;
import logicalclocks.transport.proto.LogEnd;
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
          + " clock, queue, events and drops, and the events merged in Lamport's total order"
          + " (clock, then VM id), each RECEIVE marked with its SEND. Ends when every VM has"
          + " finished its run, or on Ctrl-C.",
      "Mutual TLS: set TLS_CERT, TLS_KEY and TLS_CA as for node."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin PeersArgument cluster = new PeersArgument();

  @Option(names = "--plain", description = "plain lines even on a terminal")
  boolean plain;

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
    WatchModel model = new WatchModel(vms.size(), lines);
    List<LogFollower> followers = new ArrayList<>();
    LogFollower.Listener listener =
        new LogFollower.Listener() {
          @Override
          public void connected(int vm) {
            synchronized (model) {
              model.state(vm, WatchModel.State.LIVE, "");
            }
          }

          @Override
          public void line(int vm, String line) {
            synchronized (model) {
              model.line(vm, line);
            }
          }

          @Override
          public void ended(int vm, LogEnd end) {
            synchronized (model) {
              switch (end) {
                case LOG_END_FINISHED, LOG_END_FAILED ->
                    model.state(vm, WatchModel.State.FINISHED, "");
                case LOG_END_STOPPED ->
                    model.state(vm, WatchModel.State.UNREACHABLE, "stopped by a signal");
                default -> {} // still running: the follower asks again
              }
            }
          }

          @Override
          public void unreachable(int vm, String why) {
            synchronized (model) {
              model.state(vm, WatchModel.State.UNREACHABLE, why);
            }
          }
        };
    for (int i = 0; i < vms.size(); i++) {
      followers.add(
          new LogFollower(network, vms.get(i), i, 0, Duration.ofSeconds(1), listener).start());
    }
    String title = "logical-clocks watch: " + vms.size() + " VMs (Ctrl-C to quit)";
    try {
      while (true) {
        boolean done;
        synchronized (model) {
          List<WatchModel.Merged> released = model.release();
          if (screen) {
            out.print("\033[H\033[2J" + model.screen(title));
          } else {
            model.notices().forEach(n -> out.println("# " + n));
            released.forEach(m -> out.println(WatchModel.plain(m)));
          }
          done = model.allFinished();
        }
        out.flush();
        if (done) {
          out.println(screen ? "every VM finished its run" : "# every VM finished its run");
          out.flush();
          return 0;
        }
        Thread.sleep(screen ? 500 : 200);
      }
    } finally {
      for (LogFollower f : followers) {
        f.close();
      }
    }
  }
}
