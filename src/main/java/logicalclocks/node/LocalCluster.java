package logicalclocks.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import logicalclocks.config.HostPort;
import logicalclocks.config.LocalConfig;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.transport.Network;
import logicalclocks.transport.SharedChannels;
import logicalclocks.vm.Seeds;
import logicalclocks.vm.Snapshots;
import logicalclocks.vm.VmStats;

/**
 * N VMs in one JVM, each with its own gRPC server on loopback (VM i on base port + i). Like
 * independent machines, and like the simulation with the same seed, VM i starts at its own phase:
 * START and its first tick come a seeded fraction of its first tick period after the cluster starts
 * ({@link Seeds#startPhases}).
 */
public final class LocalCluster implements AutoCloseable {
  private final List<Node> nodes = new ArrayList<>();
  private final double[] phases;
  private final SharedChannels network;
  private final LocalConfig config;
  private SnapshotDriver snapshots;

  public LocalCluster(LocalConfig config, long seed, Clock clock) throws IOException {
    this.config = config;
    SnapshotFiles.clear(config.logDir()); // an earlier run's records do not describe these logs
    // the VMs share one connection per peer: its server takes one stream from each of them
    this.network =
        new SharedChannels(
            Network.tcp(
                null,
                logicalclocks.transport.CallLimits.Limits.sharedCallsPerConnection(
                    config.machines())));
    this.phases = Seeds.startPhases(seed, config.machines());
    List<HostPort> peers =
        IntStream.range(0, config.machines())
            .mapToObj(i -> new HostPort("127.0.0.1", config.basePort() + i))
            .toList();
    for (int i = 0; i < config.machines(); i++) {
      InetSocketAddress listen = new InetSocketAddress("127.0.0.1", config.basePort() + i);
      nodes.add(
          new Node(
              new Node.Spec(
                  i,
                  peers,
                  listen,
                  config.model(),
                  seed,
                  config.logDir(),
                  config.duration(),
                  false),
              clock,
              network));
    }
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }

  /** Starts every server, waits until all are serving, then starts every VM ticking. */
  public void start() throws IOException, InterruptedException {
    for (Node n : nodes) {
      try {
        n.startServer();
      } catch (IOException e) {
        stop("failed");
        throw new IOException(
            "VM "
                + n.id()
                + " cannot listen on "
                + n.listenAddress().getHostString()
                + ":"
                + n.listenAddress().getPort()
                + ": "
                + rootMessage(e)
                + " (another run on these ports? choose another --base-port)",
            e);
      }
    }
    // The VMs share one channel per address: VM 0 reaching every other VM and VM 1 reaching VM 0
    // checks every channel any VM will use.
    for (Node n : nodes.subList(0, 2)) {
      List<Integer> missing = n.awaitPeers(Duration.ofSeconds(10));
      if (!missing.isEmpty()) {
        throw new IOException("VM " + n.id() + " cannot reach " + n.describe(missing));
      }
    }
    for (Node n : nodes) {
      n.startTicking(Seeds.phaseNanos(phases[n.id()], n.rate()));
    }
    startSnapshots();
  }

  /**
   * Begins a snapshot every SNAPSHOT_EVERY (when the last one has ended; zero: only when asked,
   * {@code snapshot} against VM 0), VM 0 initiating, the markers and states passed in this process;
   * each record goes to {@code <log dir>/snapshots/<id>.json}.
   */
  private void startSnapshots() throws InterruptedException {
    snapshots =
        new SnapshotDriver(
            nodes.stream().map(n -> Snapshots.local(n.vm())).toList(),
            config.logDir(),
            config.snapshotEvery(),
            Duration.ofNanos(Snapshots.DEFAULT_TIMEOUT_NANOS));
    nodes.get(0).useSnapshots(snapshots);
  }

  /** Snapshots complete so far. */
  public long snapshotsComplete() {
    return snapshots == null ? 0 : snapshots.complete();
  }

  /** Snapshots failed so far: {@code <id>: <reason>} each. */
  public List<String> snapshotsFailed() {
    return snapshots == null ? List.of() : snapshots.failed();
  }

  public void awaitFinished() throws InterruptedException {
    for (Node n : nodes) {
      n.awaitFinished();
    }
  }

  public List<VmStats> stats() {
    return nodes.stream().map(Node::stats).toList();
  }

  /** The VMs, by id. */
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Stops every VM: all stop ticking, then every VM's last sends settle (delivered, or dropped at
   * their deadline) while every VM still takes messages, then all log STOP, concurrently.
   */
  public void stop(String reason) throws InterruptedException {
    if (snapshots != null) {
      snapshots.halt();
    }
    for (Node n : nodes) {
      n.haltTicking();
    }
    for (Node n : nodes) {
      n.awaitSends();
    }
    if (snapshots != null) {
      snapshots.end("the run ended");
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Node n : nodes) {
        done.add(
            pool.submit(
                () -> {
                  n.stop(reason);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("stopping a VM failed", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
      network.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop("closed");
  }
}
