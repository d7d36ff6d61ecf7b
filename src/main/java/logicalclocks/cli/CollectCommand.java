package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import logicalclocks.config.HostPort;
import logicalclocks.transport.Network;
import logicalclocks.transport.proto.LogEnd;
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
          + " ready for analyze. Waits for each VM's run to end unless --now; a VM stopped by a"
          + " signal (STOP reason=signal) is waited for, up to --retry-for, to be restarted and"
          + " finish, and named if it does not.",
      "Mutual TLS: set TLS_CERT, TLS_KEY and TLS_CA as for node."
    })
final class CollectCommand implements Callable<Integer> {
  /** How long to wait before asking a VM again. */
  static final long RETRY_MILLIS = 2000;

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
          "keep trying, for this long, a VM that cannot be reached, and wait for a VM whose log"
              + " ended with STOP reason=signal to be restarted and end its run (default 0: fail at"
              + " once)")
  int retryFor;

  @Option(
      names = "--now",
      description = "take what each log holds now instead of waiting for the run to end")
  boolean now;

  /** Most VMs followed at once (more wait for a free one). */
  static final int MAX_PARALLEL = 64;

  @Override
  public Integer call() throws Exception {
    List<HostPort> vms = cluster.vms();
    Files.createDirectories(out);
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Network network = cluster.network();
    int failed = 0;
    long giveUp = System.nanoTime() + retryFor * 1_000_000_000L;
    // Every VM at once: followed while the run goes on, each log ends with its VM's STOP, so nodes
    // that exit after their run (AFTER_RUN=exit) are all read before they go.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(vms.size(), MAX_PARALLEL),
            r -> {
              Thread t = new Thread(r, "collect");
              t.setDaemon(true);
              return t;
            });
    List<java.util.concurrent.Future<LogCollector.Collected>> pending = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < vms.size(); i++) {
        int vm = i;
        pending.add(pool.submit(() -> collectOne(network, vms.get(vm), vm, giveUp)));
      }
      for (int i = 0; i < vms.size(); i++) {
        try {
          LogCollector.Collected c = pending.get(i).get();
          console.printf(
              "VM %d (%s): %d lines, %d bytes -> %s%n",
              i, vms.get(i), c.lines(), c.bytes(), c.file());
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof LogCollector.CollectException)) {
            throw e.getCause() instanceof Exception x ? x : e;
          }
          failed++;
          err.println("error: " + e.getCause().getMessage());
        }
        console.flush();
        err.flush();
      }
    } finally {
      pool.shutdownNow();
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

  /**
   * One VM's log. A VM that cannot be reached is tried again every {@link #RETRY_MILLIS} until
   * {@code giveUp}; so is one whose log ended stopped by a signal (its restart resumes the same
   * log, asked for from the next line): only a log that ended for good (finished or failed) is
   * taken as complete, unless {@code --now}.
   */
  private LogCollector.Collected collectOne(Network network, HostPort peer, int vm, long giveUp)
      throws Exception {
    LogCollector.Download d = new LogCollector.Download(out, vm);
    try {
      while (true) {
        LogEnd end;
        try {
          end = d.fetch(network, peer, !now);
        } catch (LogCollector.CollectException e) {
          if (!e.getMessage().contains("UNAVAILABLE") || System.nanoTime() > giveUp) {
            throw e;
          }
          say("VM " + vm + " (" + peer + ") not reachable yet; retrying");
          Thread.sleep(RETRY_MILLIS);
          continue;
        }
        if (now || end != LogEnd.LOG_END_STOPPED && end != LogEnd.LOG_END_RUNNING) {
          return d.complete();
        }
        String why =
            end == LogEnd.LOG_END_STOPPED
                ? "its log ends with STOP reason=signal (stopped before the end of its run)"
                : "its run is not over";
        if (System.nanoTime() > giveUp) {
          throw new LogCollector.CollectException(
              "VM "
                  + vm
                  + " ("
                  + peer
                  + "): "
                  + why
                  + " and it did not finish within --retry-for "
                  + retryFor
                  + " s: its "
                  + d.lines()
                  + " lines are a partial log, not collected");
        }
        say("VM " + vm + " (" + peer + "): " + why + "; waiting for its restart");
        Thread.sleep(RETRY_MILLIS);
      }
    } catch (Exception e) {
      d.discard();
      throw e;
    }
  }

  private void say(String line) {
    spec.commandLine().getErr().println(line);
    spec.commandLine().getErr().flush();
  }
}
