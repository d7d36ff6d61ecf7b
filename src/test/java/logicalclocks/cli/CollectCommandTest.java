package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.Node;
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
