package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.HostPort;
import logicalclocks.config.Source;
import logicalclocks.config.UiConfig;
import logicalclocks.ui.Feed;
import logicalclocks.ui.Follow;
import logicalclocks.ui.Replay;
import logicalclocks.ui.UiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: the live page. Follows every VM's Events RPC (PEERS, with TLS as for {@code
 * watch}) or replays a finished run's log directory, and pushes the events to browsers.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the live page: a space-time diagram of the running cluster (or of a finished run's"
          + " logs, replayed), its gauges and the verdict so far, in a browser. Follows every VM's"
          + " gRPC event log as watch does (PEERS), or replays --replay DIR at --speed. Listens"
          + " on 127.0.0.1 unless --bind says otherwise. Runs until Ctrl-C.",
      "Mutual TLS: set TLS_CERT, TLS_KEY and TLS_CA as for node."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "PEERS",
      description =
          "host:port of all VMs in id order, as for node (e.g. 'vm{0..2}:50051'); or --replay")
  String peers;

  @Option(names = "--replay", paramLabel = "DIR", description = "replay this run's logs instead")
  Path replay;

  @Option(
      names = "--speed",
      paramLabel = "X",
      description =
          "the pace the page starts playing a replay at, times the run's own (default 1; 0: at"
              + " once to the end); the page's speed control changes it")
  String speed;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "the HTTP port (default " + UiConfig.DEFAULT_PORT + "; 0: any free one)")
  String port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "the address to listen on (default 127.0.0.1; 0.0.0.0: every interface)")
  String bind;

  @Option(
      names = "--max-clients",
      paramLabel = "N",
      description =
          "browsers that may follow at once (default " + UiConfig.DEFAULT_MAX_CLIENTS + ")")
  String maxClients;

  @Option(
      names = "--buffer",
      paramLabel = "N",
      description =
          "events kept for a browser that joins late (default "
              + UiConfig.DEFAULT_BUFFER
              + "; a replay keeps its whole run, up to "
              + UiConfig.MAX_BUFFER
              + ")")
  String buffer;

  @Override
  public Integer call() throws Exception {
    // the flags as settings, named as a container's environment names them (UI_*, REPLAY_SPEED)
    Source flags =
        new FlagValues(System.getenv())
            .put("UI_PORT", port, "--port")
            .put("UI_BIND", bind, "--bind")
            .put("UI_MAX_CLIENTS", maxClients, "--max-clients")
            .put("UI_BUFFER", buffer, "--buffer")
            .put("REPLAY_SPEED", speed, "--speed")
            .source();
    UiConfig ui = ConfigParser.ui(flags, UiConfig.DEFAULT_PORT);
    if ((peers == null) == (replay == null)) {
      throw new ConfigException(
          "PEERS / --replay",
          peers == null ? "(neither)" : peers + " and --replay " + replay,
          "either PEERS (a running cluster) or --replay DIR (a finished run's logs)");
    }
    PrintWriter out = spec.commandLine().getOut();
    StopSignal stop = new StopSignal().onSignals();
    if (replay != null) {
      SortedMap<Integer, Path> logs;
      try {
        logs = Replay.logs(replay);
      } catch (java.io.IOException e) {
        throw new ConfigException(
            "--replay", replay.toString(), "a run's log directory (" + e.getMessage() + ")");
      }
      // the whole run is read at once (its lines kept, up to --buffer: by default the most a
      // replay keeps) and the page plays it at --speed, its own speed control's first value
      int keep =
          buffer == null && System.getenv("UI_BUFFER") == null ? UiConfig.MAX_BUFFER : ui.buffer();
      Feed feed = new Feed(logs.lastKey() + 1, keep, "replay of " + replay, "replay", ui.speed());
      Replay r = Replay.of(logs, feed, 0);
      try (UiServer server = start(feed, ui, replay, out)) {
        Thread t = new Thread(r, "replay");
        t.setDaemon(true);
        t.start();
        stop.await();
        r.stop();
      }
      return 0;
    }
    PeersArgument cluster = new PeersArgument();
    cluster.peers = peers;
    List<HostPort> vms = cluster.vms();
    Feed feed = new Feed(vms.size(), ui.buffer(), vms.size() + " VMs: " + peers, "live");
    try (UiServer server = start(feed, ui, null, out);
        Follow follow = new Follow(feed, cluster.network(), vms)) {
      stop.await();
    }
    return 0;
  }

  /**
   * Starts the page's server, printing its URL to {@code out} unless null (a port in use is an
   * error naming it).
   */
  static UiServer start(Feed feed, UiConfig ui, Path logDir, PrintWriter out) {
    UiServer server = new UiServer(feed, ui.bind(), ui.port(), ui.maxClients(), logDir);
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      throw new ConfigException(
          "the page's address",
          ui.bind() + ":" + ui.port(),
          "an address and port free to listen on (" + rootMessage(e) + ")");
    }
    if (out != null) {
      out.println("live page: " + ui.url(server.port()) + " (Ctrl-C to stop)");
      out.flush();
    }
    return server;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
