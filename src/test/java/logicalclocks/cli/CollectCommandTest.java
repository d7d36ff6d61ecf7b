package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogFormat;
import logicalclocks.node.Node;
import logicalclocks.transport.EventLogServiceImpl;
import logicalclocks.transport.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect} against two real VMs on loopback that finished their run and keep serving (what
 * AFTER_RUN=wait does): the files it writes are the VMs' logs, byte for byte.
 */
class CollectCommandTest {
  static final int BASE = 53300;

  @Test
  void collectsEveryLogByteForByteFromVmsThatFinished(@TempDir Path volumes, @TempDir Path out)
      throws Exception {
    List<HostPort> peers =
        IntStream.range(0, 2).mapToObj(i -> new HostPort("127.0.0.1", BASE + i)).toList();
    ModelConfig model = ModelConfig.builder().machines(2).tickRate(20).seed(5L).build();
    List<Node> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        nodes.add(
            new Node(
                new Node.Spec(
                    i,
                    peers,
                    new InetSocketAddress("127.0.0.1", BASE + i),
                    model,
                    5L,
                    volumes.resolve("vm" + i),
                    Duration.ofSeconds(1),
                    false),
                Clock.systemUTC()));
      }
      for (Node n : nodes) {
        n.startServer();
      }
      for (Node n : nodes) {
        assertThat(n.awaitPeers(Duration.ofSeconds(10))).isEmpty();
      }
      for (Node n : nodes) {
        n.startTicking();
      }
      for (Node n : nodes) {
        n.awaitFinished();
      }
      for (Node n : nodes) {
        n.stop("finished", true);
      }
      CliTest.Result r =
          CliTest.inProcess(
              "collect", "127.0.0.1:{" + BASE + ".." + (BASE + 1) + "}", "--out", out.toString());
      assertThat(r.status()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("VM 0 (127.0.0.1:" + BASE + "):").contains("VM 1");
      for (int i = 0; i < 2; i++) {
        assertThat(out.resolve(EventLogFormat.fileName(i)))
            .hasSameBinaryContentAs(volumes.resolve("vm" + i).resolve(EventLogFormat.fileName(i)));
      }
      assertThat(CliTest.inProcess("analyze", out.toString()).status()).isZero();

      // What the report Job runs: collect, then analyze; the verdict is in its output.
      Path jobOut = out.resolve("job");
      CliTest.Result job =
          CliTest.inProcess(
              "collect",
              "127.0.0.1:{" + BASE + ".." + (BASE + 1) + "}",
              "--out",
              jobOut.toString(),
              "--retry-for",
              "10",
              "--analyze");
      assertThat(job.status()).as(job.out() + job.err()).isZero();
      assertThat(job.out())
          .contains("verified: every clock rule holds and every message is accounted for");

      // watch, without a terminal: every line of both logs once, in Lamport's total order.
      CliTest.Result w =
          CliTest.inProcess("watch", "127.0.0.1:{" + BASE + ".." + (BASE + 1) + "}", "--plain");
      assertThat(w.status()).as(w.out() + w.err()).isZero();
      List<String> events = w.out().lines().filter(l -> !l.startsWith("#")).toList();
      long logged = 0;
      for (int i = 0; i < 2; i++) {
        logged +=
            java.nio.file.Files.readAllLines(
                    volumes.resolve("vm" + i).resolve(EventLogFormat.fileName(i)))
                .size();
      }
      assertThat(events).hasSize((int) logged);
      long[] previous = {-1, -1};
      for (String e : events) {
        String[] f = e.split(" ", 3);
        long clock = Long.parseLong(f[0]);
        int vm = Integer.parseInt(f[1].substring(2));
        assertThat(clock > previous[0] || (clock == previous[0] && vm >= previous[1]))
            .as("(clock, vm) never goes back: %s after %s", e, previous[0] + " vm" + previous[1])
            .isTrue();
        previous[0] = clock;
        previous[1] = vm;
      }
      assertThat(w.out()).contains("RECEIVE msg=").contains("<- SEND on vm");
      assertThat(w.out().strip()).endsWith("# every VM finished its run");
    } finally {
      for (Node n : nodes) {
        n.close();
      }
    }
  }

  static final String START =
      "ts=2026-11-27T10:00:00.000Z vm=%d event=START clock=0 queue=0 rate=1 sides=10 seed=1"
          + " peers=%d%s\n";

  static String stop(int vm, long clock, String reason) {
    return "ts=2026-11-27T10:00:01.000Z vm="
        + vm
        + " event=STOP clock="
        + clock
        + " queue=0 reason="
        + reason
        + "\n";
  }

  /** Two VMs' event logs served as a node serves them once its run is over (stopped or idle). */
  static final class Served implements AutoCloseable {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final List<Server> servers = new ArrayList<>();
    final List<EventLogServiceImpl> services = new ArrayList<>();
    final String peers;

    Served(Path volumes, int base) throws Exception {
      for (int i = 0; i < 2; i++) {
        EventLogServiceImpl s = new EventLogServiceImpl(i, volumes, () -> true, timer);
        services.add(s);
        servers.add(
            Network.tcp(null)
                .server(new InetSocketAddress("127.0.0.1", base + i))
                .addService(s)
                .build()
                .start());
      }
      peers = "127.0.0.1:{" + base + ".." + (base + 1) + "}";
    }

    @Override
    public void close() {
      servers.forEach(Server::shutdownNow);
      timer.shutdownNow();
    }
  }

  @Test
  void aVmStoppedBySignalIsWaitedForUntilItsRestartFinishesItsRun(
      @TempDir Path volumes, @TempDir Path out) throws Exception {
    Path log0 = volumes.resolve(EventLogFormat.fileName(0));
    Path log1 = volumes.resolve(EventLogFormat.fileName(1));
    Files.writeString(log0, String.format(START, 0, 1, "") + stop(0, 0, "finished"));
    Files.writeString(log1, String.format(START, 1, 0, "") + stop(1, 0, "signal"));
    try (Served vms = new Served(volumes, BASE + 10)) {
      ExecutorService collect = Executors.newSingleThreadExecutor();
      try {
        Future<CliTest.Result> r =
            collect.submit(
                () ->
                    CliTest.inProcess(
                        "collect", vms.peers, "--out", out.toString(), "--retry-for", "60"));
        // collect has read VM 1's partial log (both lines) and was told it ended stopped by a
        // signal.
        await().atMost(Duration.ofSeconds(20)).until(() -> vms.services.get(1).linesSent() >= 2);
        assertThat(r.isDone())
            .as("a signalled VM's partial log is not taken as complete")
            .isFalse();
        assertThat(out.resolve(EventLogFormat.fileName(1))).doesNotExist();
        // VM 1 is restarted and finishes its run in the same log.
        Files.writeString(
            log1,
            String.format(START, 1, 0, " resumed=true") + stop(1, 0, "finished"),
            StandardOpenOption.APPEND);
        CliTest.Result done = r.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).as(done.out() + done.err()).isZero();
        assertThat(done.err())
            .contains(
                "VM 1 (127.0.0.1:"
                    + (BASE + 11)
                    + "): its log ends with STOP reason=signal (stopped before the end of its"
                    + " run); waiting for its restart");
        assertThat(out.resolve(EventLogFormat.fileName(0))).hasSameBinaryContentAs(log0);
        assertThat(out.resolve(EventLogFormat.fileName(1))).hasSameBinaryContentAs(log1);
        assertThat(vms.services.get(1).linesSent())
            .as("the restart's lines were asked for from line 3, not from line 1 again")
            .isEqualTo(4);
      } finally {
        collect.shutdownNow();
      }
    }
  }

  /**
   * Every VM is collected at once: while VM 0 is waited for (its log ends stopped by a signal), VM
   * 1's finished log is already collected. One after the other, VM 1 was asked for only once VM 0
   * was done, and nodes that exit after their run (AFTER_RUN=exit) were gone by then.
   */
  @Test
  void everyVmIsCollectedAtOnceNotOneAfterTheOther(@TempDir Path volumes, @TempDir Path out)
      throws Exception {
    Path log0 = volumes.resolve(EventLogFormat.fileName(0));
    Files.writeString(log0, String.format(START, 0, 1, "") + stop(0, 0, "signal"));
    Files.writeString(
        volumes.resolve(EventLogFormat.fileName(1)),
        String.format(START, 1, 0, "") + stop(1, 0, "finished"));
    try (Served vms = new Served(volumes, BASE + 30)) {
      ExecutorService collect = Executors.newSingleThreadExecutor();
      try {
        Future<CliTest.Result> r =
            collect.submit(
                () ->
                    CliTest.inProcess(
                        "collect", vms.peers, "--out", out.toString(), "--retry-for", "60"));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> Files.exists(out.resolve(EventLogFormat.fileName(1))));
        assertThat(r.isDone()).as("VM 0 is still waited for").isFalse();
        assertThat(out.resolve(EventLogFormat.fileName(0))).doesNotExist();
        Files.writeString(
            log0,
            String.format(START, 0, 1, " resumed=true") + stop(0, 0, "finished"),
            StandardOpenOption.APPEND);
        CliTest.Result done = r.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).as(done.out() + done.err()).isZero();
        assertThat(done.out().lines().filter(l -> l.startsWith("VM ")))
            .as("reported in id order")
            .hasSize(2)
            .first()
            .asString()
            .startsWith("VM 0 ");
      } finally {
        collect.shutdownNow();
      }
    }
  }

  @Test
  void aVmStoppedBySignalThatNeverFinishesIsNamedAndItsPartialLogNotCollected(
      @TempDir Path volumes, @TempDir Path out) throws Exception {
    Files.writeString(
        volumes.resolve(EventLogFormat.fileName(0)),
        String.format(START, 0, 1, "") + stop(0, 0, "finished"));
    Files.writeString(
        volumes.resolve(EventLogFormat.fileName(1)),
        String.format(START, 1, 0, "") + stop(1, 0, "signal"));
    try (Served vms = new Served(volumes, BASE + 20)) {
      CliTest.Result r =
          CliTest.inProcess(
              "collect", vms.peers, "--out", out.toString(), "--retry-for", "1", "--analyze");
      assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.EXIT_FAILURE);
      assertThat(r.err())
          .contains(
              "error: VM 1 (127.0.0.1:"
                  + (BASE + 21)
                  + "): its log ends with STOP reason=signal (stopped before the end of its run)"
                  + " and it did not finish within --retry-for 1 s")
          .doesNotContain("\tat ");
      assertThat(r.out()).as("no verdict on a partial run").doesNotContain("verified");
      assertThat(out.resolve(EventLogFormat.fileName(0))).exists();
      assertThat(out.resolve(EventLogFormat.fileName(1))).doesNotExist();
      assertThat(out.resolve(EventLogFormat.fileName(1) + ".part")).doesNotExist();
    }
  }

  @Test
  void anUnreachableVmIsAnErrorLineNotAStackTrace(@TempDir Path out) {
    CliTest.Result r =
        CliTest.inProcess("collect", "127.0.0.1:1,127.0.0.1:2", "--out", out.toString(), "--now");
    assertThat(r.status()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err()).contains("error: VM 0 (127.0.0.1:1): UNAVAILABLE").doesNotContain("\tat ");
  }

  @Test
  void badPeersExit2NamingTheArgument(@TempDir Path out) {
    CliTest.Result r = CliTest.inProcess("collect", "vm0:50051", "--out", out.toString());
    assertThat(r.status()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(r.err()).contains("PEERS (the argument)='vm0:50051' is invalid");
  }
}
