package logicalclocks.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.Source;
import logicalclocks.node.LocalCluster;
import logicalclocks.vm.Seeds;
import logicalclocks.vm.VmStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code local}: N VMs in this JVM over real gRPC on loopback, with live status lines. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Run N virtual machines in this JVM over real gRPC on loopback (VM i on base port + i).")
final class LocalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model = new ModelOptions();

  @Option(
      names = {"--base-port", "--base_port"},
      paramLabel = "PORT",
      description = "VM i listens on PORT + i (default " + ConfigParser.DEFAULT_BASE_PORT + ")")
  String basePort;

  @Option(
      names = {"--duration", "--run_duration"},
      paramLabel = "SECONDS",
      description =
          "seconds to run, 0 = until Ctrl-C (default " + ConfigParser.DEFAULT_DURATION_S + ")")
  String duration;

  @Option(
      names = "--seed",
      description = "run seed for rates and dice (default: random, logged in START)")
  String seed;

  @Option(
      names = "--log-dir",
      paramLabel = "DIR",
      description = "where machine_<id>.log go (default " + ConfigParser.DEFAULT_LOG_DIR + ")")
  String logDir;

  @Option(
      names = "--snapshot-every",
      paramLabel = "SECONDS",
      description =
          "take a distributed snapshot of the running VMs every SECONDS (records in"
              + " <log dir>/snapshots/<id>.json; default: none)")
  String snapshotEvery;

  @Option(names = "--no-status", description = "do not print live status lines")
  boolean noStatus;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      description =
          "also serve the live page on this port (0: any free one), as serve does; it stays up"
              + " after the run until Ctrl-C")
  String uiPort;

  @Option(
      names = "--ui-bind",
      paramLabel = "ADDRESS",
      description = "the live page's address (default 127.0.0.1)")
  String uiBind;

  /** The flags as settings, named like the node's environment variables. */
  Source source() {
    FlagValues flags = new FlagValues(model.values());
    ModelOptions.FLAGS.forEach((field, flag) -> flags.label(field.name(), flag));
    return flags
        .put("BASE_PORT", basePort, "--base-port")
        .put("DURATION", duration, "--duration")
        .put("SEED", seed, "--seed")
        .put("LOG_DIR", logDir, "--log-dir")
        .put("SNAPSHOT_EVERY", snapshotEvery, "--snapshot-every")
        .source();
  }

  @Override
  public Integer call() throws Exception {
    LocalConfig config = ConfigParser.local(source());
    long runSeed = config.model().seed() != null ? config.model().seed() : Seeds.fresh();
    PrintWriter out = spec.commandLine().getOut();
    // the page's settings are checked, and its port bound, before a VM starts or a log is opened:
    // a page that cannot listen must not cost the logs of the run before (they would be truncated)
    logicalclocks.ui.UiServer page = null;
    logicalclocks.ui.Feed feed = null;
    String pageUrl = null;
    if (uiPort != null || uiBind != null) {
      Source flags =
          new FlagValues(System.getenv())
              .put("UI_PORT", uiPort, "--ui-port")
              .put("UI_BIND", uiBind, "--ui-bind")
              .source();
      logicalclocks.config.UiConfig ui =
          ConfigParser.ui(flags, logicalclocks.config.UiConfig.DEFAULT_PORT);
      feed =
          new logicalclocks.ui.Feed(
              config.machines(), ui.buffer(), config.machines() + " local VMs", "live");
      page = ServeCommand.start(feed, ui, null, null);
      pageUrl = ui.url(page.port());
    }
    // A run replaces the logs of an earlier one in the same folder: say so, and that its report
    // (if analyze wrote one there) no longer describes these logs.
    java.nio.file.Path earlierLog = config.logDir().resolve("machine_0.log");
    if (java.nio.file.Files.exists(earlierLog)) {
      java.nio.file.Path report = config.logDir().resolve("report");
      out.println(
          "note: replacing the logs of an earlier run in "
              + config.logDir()
              + (java.nio.file.Files.isDirectory(report)
                  ? "; " + report + " is that run's report until analyze writes this one's"
                  : ""));
    }
    LocalCluster cluster;
    try {
      cluster = new LocalCluster(config, runSeed, Clock.systemUTC());
    } catch (RuntimeException e) {
      if (page != null) {
        page.close();
      }
      throw e;
    }
    StopSignal stop = new StopSignal().onSignals();
    cluster.start();
    out.printf(
        "%d VMs on 127.0.0.1:%d-%d, seed %d, %s, logs in %s%n",
        config.machines(),
        config.basePort(),
        config.basePort() + config.machines() - 1,
        runSeed,
        config.duration().isZero() ? "until Ctrl-C" : config.duration().toSeconds() + " s",
        config.logDir().toAbsolutePath().normalize());
    out.flush();
    logicalclocks.ui.Follow follow = null;
    if (page != null) {
      out.println("live page: " + pageUrl + " (Ctrl-C to stop)");
      out.flush();
      List<logicalclocks.config.HostPort> vms = new java.util.ArrayList<>();
      for (int i = 0; i < config.machines(); i++) {
        vms.add(new logicalclocks.config.HostPort("127.0.0.1", config.basePort() + i));
      }
      follow = new logicalclocks.ui.Follow(feed, logicalclocks.transport.Network.tcp(null), vms);
    }
    if (!config.duration().isZero()) {
      stop.after("finished", cluster::awaitFinished);
    }
    ScheduledExecutorService status =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "status");
              t.setDaemon(true);
              return t;
            });
    StatusView view = new StatusView(out, System.console() != null);
    if (!noStatus) {
      status.scheduleAtFixedRate(
          () -> view.show(cluster.stats()), 1, view.interactive() ? 1 : 5, TimeUnit.SECONDS);
    }
    String reason = stop.await();
    status.shutdownNow();
    status.awaitTermination(2, TimeUnit.SECONDS);
    cluster.stop(reason);
    view.summary(cluster.stats());
    if (cluster.snapshotsComplete() + cluster.snapshotsFailed().size() > 0) {
      List<String> failed = cluster.snapshotsFailed();
      out.printf(
          "snapshots: %d complete, %d failed%s; records in %s%n",
          cluster.snapshotsComplete(),
          failed.size(),
          failed.isEmpty() ? "" : " (" + failed.get(failed.size() - 1) + ")",
          config.logDir().resolve(logicalclocks.log.SnapshotFiles.DIR));
      out.flush();
    }
    if (page != null) {
      if (!stop.signalled()) {
        out.println("the run is over; the live page stays up until Ctrl-C");
        out.flush();
        stop.awaitSignal();
      }
      follow.close();
      page.close();
    }
    for (var n : cluster.nodes()) {
      if (n.failure() != null) {
        System.err.println(
            "error: VM " + n.id() + " failed (" + n.failure() + "); its STOP says reason=failed");
        return Main.EXIT_FAILURE;
      }
    }
    return 0;
  }

  /** Live status lines (redrawn in place on a terminal) and the final summary table. */
  static final class StatusView {
    private final PrintWriter out;
    private final boolean interactive;
    private int drawn;

    StatusView(PrintWriter out, boolean interactive) {
      this.out = out;
      this.interactive = interactive;
    }

    boolean interactive() {
      return interactive;
    }

    synchronized void show(List<VmStats> stats) {
      if (interactive && drawn > 0) {
        out.printf("\033[%dA", drawn);
      }
      drawn = 0;
      for (VmStats s : stats) {
        if (s == null) {
          continue;
        }
        out.printf(
            "%sVM %d  rate %3d/s  clock %7d  queue %5d  events %7d (send %d, recv %d, internal %d, drop %d)%n",
            interactive ? "\033[2K" : "",
            s.id(),
            s.rate(),
            s.clock(),
            s.queue(),
            s.events(),
            s.sends(),
            s.receives(),
            s.internals(),
            s.drops());
        drawn++;
      }
      out.flush();
    }

    void summary(List<VmStats> stats) {
      out.println();
      out.printf(
          "%-4s %6s %12s %8s %8s %8s %9s %6s %10s %11s %9s%n",
          "VM",
          "rate",
          "final clock",
          "events",
          "sends",
          "receives",
          "internals",
          "drops",
          "max queue",
          "final queue",
          "max jump");
      for (VmStats s : stats) {
        if (s == null) {
          continue;
        }
        out.printf(
            "%-4d %6d %12d %8d %8d %8d %9d %6d %10d %11d %9d%n",
            s.id(),
            s.rate(),
            s.clock(),
            s.events(),
            s.sends(),
            s.receives(),
            s.internals(),
            s.drops(),
            s.maxQueue(),
            s.queue(),
            s.maxJump());
      }
      for (VmStats s : stats) {
        if (s != null && s.missed() > 0) {
          out.printf(
              "VM %d missed %d tick(s): their time passed while it could not run (paused or"
                  + " stalled); skipped, not caught up (missed= in its log)%n",
              s.id(), s.missed());
        }
      }
      out.flush();
    }
  }
}
