package logicalclocks.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.NodeConfig;
import logicalclocks.config.Source;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.HealthFile;
import logicalclocks.node.MetricsExporter;
import logicalclocks.node.Node;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.vm.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code node}: one VM, configured by environment variables (what a container runs). */
@Command(
    name = "node",
    header =
        "Run ONE virtual machine, configured by environment variables (a container's command).",
    mixinStandardHelpOptions = true,
    description = {
      "Run ONE virtual machine, configured by environment variables:",
      "  ID               this VM's id, its index in PEERS (default: the -<n> suffix of the host name)",
      "  PEERS            host:port of ALL VMs in id order, comma-separated (required)",
      "  PORT             port to listen on (default 50051)",
      "  METRICS_PORT     Prometheus /metrics port, 0 = none (default 9464); HTTPS under TLS",
      "  DURATION         seconds to run, 0 = until stopped (default 60)",
      "  TICK_RATE        fixed ticks per second (default: picked from MIN_TICK_RATE..MAX_TICK_RATE)",
      "  MIN_TICK_RATE    (default 1)    MAX_TICK_RATE (default 6)",
      "  DIE_SIDES        faces of the die, >= number of VMs (default 10)",
      "  SEED             run seed for rate and die (default: random, logged in START)",
      "  LOG_DIR          where machine_<id>.log is written (default ./logs)",
      "  STARTUP_TIMEOUT  seconds to wait for LOG_DIR to be writable and every peer serving (default 60)",
      "  QUEUE_CAPACITY   most queued messages (default 100000)",
      "  SEND_TIMEOUT_MS  deadline for delivering one message (default 2000)",
      "  AFTER_RUN        exit (default) or wait: stay idle after the run, and do not rerun a finished log",
      "  TLS_CERT, TLS_KEY, TLS_CA  PEM files: mutual TLS between VMs (all three, or none)",
      "  HEALTH_PORT      with TLS: plaintext port serving only gRPC health (default PORT + 1)",
      "  HEALTH_FILE      file that mirrors the health status (SERVING, NOT_SERVING), for a healthcheck"
    })
final class NodeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  /** Exit status of a node ended by an Error (such as OutOfMemoryError) on any thread. */
  static final int EXIT_ERROR = Main.EXIT_INTERNAL;

  @Override
  public Integer call() throws Exception {
    // Never a zombie: an Error that kills any thread ends the process (the image also runs the JVM
    // with -XX:+ExitOnOutOfMemoryError), so an orchestrator restarts it. The tick thread's own
    // failures end the run with STOP reason=failed first (TickLoop).
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          if (e instanceof Error) {
            LOG.error("thread {} died of {}; exiting with status {}", t.getName(), e, EXIT_ERROR);
            Runtime.getRuntime().halt(EXIT_ERROR);
          }
          LOG.error("thread {} died", t.getName(), e);
        });
    return run(System.getenv(), hostname());
  }

  static Integer run(Map<String, String> env, String hostname) throws Exception {
    return run(env, hostname, null);
  }

  /**
   * @param stop what requests a stop (null: SIGTERM and SIGINT, as a process)
   */
  static Integer run(Map<String, String> env, String hostname, StopSignal stop) throws Exception {
    NodeConfig config = ConfigParser.node(Source.env(env), hostname);
    boolean waitAfter = config.afterRun() == NodeConfig.AfterRun.WAIT;
    long seed = config.model().seed() != null ? config.model().seed() : Seeds.fresh();
    StopSignal signals = stop != null ? stop : new StopSignal().onSignals();
    HealthFile healthFile =
        config.healthFile() == null ? null : new HealthFile(config.healthFile());
    long started = System.nanoTime();
    if (!awaitWritable(config.logDir(), config.startupTimeout(), signals::requested)) {
      if (signals.requested()) {
        LOG.info("VM {}: stopped while waiting for LOG_DIR; nothing logged", config.id());
        return 0;
      }
      throw new ConfigException(
          "LOG_DIR",
          config.logDir().toString(),
          "a writable directory (still not writable by this process after "
              + config.startupTimeout().toSeconds()
              + " s: "
              + describe(config.logDir())
              + "; with docker-compose.yml the logs-init service opens ./logs)");
    }
    sameRunShape(config);
    Duration startupLeft = config.startupTimeout().minusNanos(System.nanoTime() - started);
    if (waitAfter && finishedBefore(config)) {
      StopSignal signal = signals;
      // Its log stays readable over gRPC (collect, watch) while it idles, and a peer restarted
      // after the run learns what this VM holds of its messages and that its run is over.
      Node idle = node(config, seed, healthFile);
      idle.serveFinished();
      LOG.info(
          "VM {}: {} already holds a finished run; idling (AFTER_RUN=wait). Delete the log and its"
              + " .inbox journal (or the volume) to start a new run.",
          config.id(),
          config.logDir().resolve(EventLogFormat.fileName(config.id())));
      signal.await();
      idle.close();
      return 0;
    }
    Node node = node(config, seed, healthFile);
    return run(config, node, signals, waitAfter, startupLeft);
  }

  /**
   * Waits until {@code dir} is writable by this process, at most {@code timeout} or until {@code
   * cancelled}: in docker-compose.yml the one-shot logs-init service opens the bind-mounted ./logs
   * (which the engine creates owned by root) while the VMs start, without the VMs waiting for it to
   * finish first.
   */
  static boolean awaitWritable(Path dir, Duration timeout, BooleanSupplier cancelled)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean told = false;
    while (!Files.isWritable(dir)) {
      if (cancelled.getAsBoolean() || System.nanoTime() - deadline >= 0) {
        return false;
      }
      if (!told) {
        LOG.info("waiting for LOG_DIR {} to be writable ({})", dir, describe(dir));
        told = true;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /**
   * A node resumes the log it finds in LOG_DIR; a log of another cluster's run (its first START
   * names other peers) is refused, never appended to: its messages would be refused by every peer
   * and its old queue counted as lost.
   */
  static void sameRunShape(NodeConfig config) {
    Path log = config.logDir().resolve(EventLogFormat.fileName(config.id()));
    if (!Files.exists(log)) {
      return;
    }
    String expected =
        java.util.stream.IntStream.range(0, config.peers().size())
            .filter(i -> i != config.id())
            .mapToObj(String::valueOf)
            .collect(java.util.stream.Collectors.joining(","));
    String found;
    try {
      var first = logicalclocks.log.EventLogReader.first(log);
      if (first == null || first.event() != logicalclocks.event.EventType.START) {
        return; // what else is wrong with it, resuming says
      }
      found = first.get("peers") == null ? "" : first.get("peers");
    } catch (logicalclocks.log.EventLogReader.BadLogException e) {
      return;
    }
    if (!found.equals(expected)) {
      throw new ConfigException(
          "LOG_DIR",
          config.logDir().toString(),
          "a folder without another run's log: "
              + log
              + " holds a run whose VM "
              + config.id()
              + " had peers "
              + (found.isEmpty() ? "(none)" : found)
              + ", but PEERS now gives it "
              + expected
              + " (give LOG_DIR another folder, or delete that log and its .inbox journal)");
    }
  }

  /** Owner and mode of {@code dir}, for a message. */
  private static String describe(Path dir) {
    try {
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
      return "owner "
          + a.owner().getName()
          + ", mode "
          + PosixFilePermissions.toString(a.permissions());
    } catch (IOException | UnsupportedOperationException e) {
      return e.toString();
    }
  }

  private static Node node(NodeConfig config, long seed, HealthFile healthFile) throws IOException {
    Node node =
        new Node(
            new Node.Spec(
                config.id(),
                config.peers(),
                new InetSocketAddress(config.port()),
                config.model(),
                seed,
                config.logDir(),
                config.duration(),
                true,
                config.tls(),
                config.reflection()),
            Clock.systemUTC());
    if (healthFile != null) {
      node.mirrorHealthTo(healthFile);
    }
    return node;
  }

  /**
   * Prometheus' /metrics, started once the VM ticks: off the path to its first tick (the client and
   * the JVM metrics take about a second of start-up on a small machine). A port it cannot bind is
   * logged, and the VM runs on without metrics.
   */
  private static MetricsExporter startMetrics(NodeConfig config, Node node) {
    if (config.metricsPort() <= 0) {
      return null;
    }
    try {
      return MetricsExporter.start(node, config.metricsPort(), config.tls());
    } catch (IOException e) {
      LOG.error(
          "VM {} cannot serve /metrics on port {}: {}; running without metrics",
          config.id(),
          config.metricsPort(),
          e.getMessage());
      return null;
    }
  }

  private static int run(
      NodeConfig config, Node node, StopSignal stop, boolean waitAfter, Duration startupLeft)
      throws Exception {
    try {
      node.startServer();
    } catch (IOException e) {
      LOG.error("VM {} cannot listen on port {}: {}", config.id(), config.port(), e.getMessage());
      node.stop("failed");
      return Main.EXIT_CONFIG;
    }
    if (node.pastItsEnd()) {
      // Restarted after its run's end: START and STOP at once, with or without its peers (what it
      // sent before the crash is still settled: held by a peer, sent again, or DROPped).
      LOG.info("VM {}: its run ended while it was down; logging START and STOP", config.id());
    } else {
      LOG.info(
          "VM {} serving gRPC on port {}; waiting for peers {}",
          config.id(),
          node.port(),
          config.peers());
      List<Integer> missing = node.awaitPeers(startupLeft, stop::requested);
      if (stop.requested()) {
        // Stopped while waiting: nothing was logged, and nothing is (a resumed log stays as the
        // crash left it, for the next start to resume).
        LOG.info("VM {}: stopped while waiting for its peers; nothing logged", config.id());
        node.close();
        return 0;
      }
      if (!missing.isEmpty()) {
        LOG.error(
            "VM {}: peers not serving after {} s: {}",
            config.id(),
            config.startupTimeout().toSeconds(),
            node.describe(missing));
        node.close();
        return Main.EXIT_FAILURE;
      }
    }
    node.snapshotEvery(config.snapshotEvery());
    node.startTicking();
    if (config.duration().isZero()) {
      LOG.info("VM {} ticking at {} ticks/s for ever (until stopped)", config.id(), node.rate());
    } else if (node.runLeft().isZero()) {
      LOG.info(
          "VM {}: nothing is left of its {} s run (it ended while this VM was down); no tick",
          config.id(),
          config.duration().toSeconds());
    } else {
      LOG.info(
          "VM {} ticking at {} ticks/s for {}{}",
          config.id(),
          node.rate(),
          String.format(java.util.Locale.ROOT, "%.1f s", node.runLeft().toMillis() / 1000.0),
          node.runLeft().equals(config.duration())
              ? ""
              : " (what is left of its " + config.duration().toSeconds() + " s run)");
    }
    MetricsExporter metrics = startMetrics(config, node);
    try {
      if (!config.duration().isZero()) {
        stop.after("finished", node::awaitFinished);
      }
      String reason = stop.await();
      boolean failed = node.failure() != null;
      boolean idle = waitAfter && "finished".equals(reason) && !failed && !stop.signalled();
      node.stop(reason, idle);
      if (failed) {
        LOG.error(
            "VM {} failed: {}; STOP reason={} logged",
            config.id(),
            node.failure().toString(),
            Node.FAILED);
        node.close();
        return Main.EXIT_FAILURE;
      }
      LOG.info("VM {} stopped ({}); log flushed", config.id(), reason);
      if (idle) {
        LOG.info(
            "VM {} finished its run; idling until stopped (AFTER_RUN=wait), still serving its event"
                + " log",
            config.id());
        stop.awaitSignal(); // returns at once for a signal that came while the run ended
        node.close();
      }
      return 0;
    } finally {
      if (metrics != null) {
        metrics.close();
      }
    }
  }

  private static boolean finishedBefore(NodeConfig config) throws IOException {
    try {
      return ResumePoint.of(
              config.logDir().resolve(EventLogFormat.fileName(config.id())), config.id())
          .finished();
    } catch (EventLogReader.BadLogException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  static String hostname() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
