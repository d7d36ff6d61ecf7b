package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.cli.LogCollector;
import logicalclocks.clock.LamportClock;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.TlsConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.Node;
import logicalclocks.reliability.Reliability;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Hostile and malformed input through a real gRPC client against a real VM server on loopback. */
class HostileClientTest {
  @TempDir Path tmp;
  final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  final ch.qos.logback.classic.Logger serviceLog =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ClockServiceImpl.class);

  @BeforeEach
  void captureWarnings() {
    warnings.start();
    serviceLog.addAppender(warnings);
  }

  @AfterEach
  void release() {
    serviceLog.detachAppender(warnings);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static ModelConfig model(int rate) {
    return ModelConfig.builder()
        .tickRate(rate)
        .seed(1L)
        .queueCapacity(100)
        .sendTimeout(Duration.ofSeconds(1))
        .build();
  }

  static ClockMessage msg(int sender, long seq, long clock) {
    return ClockMessage.newBuilder()
        .setSenderId(sender)
        .setSequence(seq)
        .setLogicalClock(clock)
        .setSentUnixMillis(System.currentTimeMillis())
        .build();
  }

  static Status.Code refusal(ClockServiceGrpc.ClockServiceBlockingStub stub, ClockMessage m) {
    return catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).deliver(m))
        .getStatus()
        .getCode();
  }

  @Test
  void everyHostileMessageIsRefusedAndTheVmIsUntouched() throws Exception {
    int port = freePort();
    List<HostPort> peers =
        List.of(
            new HostPort("127.0.0.1", 1),
            new HostPort("127.0.0.1", port),
            new HostPort("127.0.0.1", 2));
    Node node =
        new Node(
            new Node.Spec(
                1,
                peers,
                new InetSocketAddress("127.0.0.1", port),
                model(50),
                1,
                tmp,
                Duration.ofSeconds(2),
                false),
            Clock.systemUTC());
    node.startServer();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      var stub = ClockServiceGrpc.newBlockingStub(ch);
      assertThat(refusal(stub, msg(7, 1, 1)))
          .as("unknown sender")
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refusal(stub, msg(1, 1, 1)))
          .as("its own id")
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refusal(stub, msg(0, 1, -5)))
          .as("negative clock")
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refusal(stub, msg(0, 1, Long.MAX_VALUE)))
          .as("clock near Long.MAX_VALUE")
          .isEqualTo(Status.Code.OUT_OF_RANGE);
      assertThat(refusal(stub, msg(0, 1, LamportClock.MAX))).isEqualTo(Status.Code.OUT_OF_RANGE);
      assertThat(refusal(stub, msg(0, 0, 3)))
          .as("malformed message id 0-0")
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refusal(stub, msg(0, -9, 3)))
          .as("malformed message id 0--9")
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      ClockMessage huge =
          msg(0, 1, 3).toBuilder()
              .setUnknownFields(
                  UnknownFieldSet.newBuilder()
                      .addField(
                          99,
                          UnknownFieldSet.Field.newBuilder()
                              .addLengthDelimited(ByteString.copyFrom(new byte[8192]))
                              .build())
                      .build())
              .build();
      assertThat(refusal(stub, huge))
          .as("oversized message")
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(
              catchThrowableOfType(
                      StatusRuntimeException.class,
                      () -> stub.withDeadlineAfter(50, TimeUnit.MILLISECONDS).deliver(msg(0, 1, 3)))
                  .getStatus()
                  .getCode())
          .as("a request its sender is about to give up on")
          .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      // Repeat every refusal: each kind is warned about once.
      refusal(stub, msg(7, 1, 1));
      refusal(stub, msg(0, 1, -6));
      refusal(stub, msg(0, 2, Long.MAX_VALUE));

      var ok = stub.withDeadlineAfter(5, TimeUnit.SECONDS).deliver(msg(0, 1, 5));
      assertThat(ok.getQueueLength()).as("nothing refused reached the queue").isEqualTo(1);
      assertThat(refusal(stub, msg(0, 1, 6)))
          .as("same id, another clock")
          .isEqualTo(Status.Code.ALREADY_EXISTS);
      assertThat(stub.deliver(msg(0, 1, 5)).getDuplicate()).as("exact retry").isTrue();

      node.startTicking();
      Path log = tmp.resolve("machine_1.log");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Files.exists(log)
                      && Files.readString(log)
                          .contains("event=RECEIVE clock=6 queue=0 from=0 msg=0-1 sent=5"));
      node.awaitFinished();
    } finally {
      ch.shutdownNow();
      node.stop("finished");
    }
    var lines = EventLogReader.read(tmp.resolve("machine_1.log"));
    assertThat(lines.stream().mapToLong(l -> l.event().clock()).max().orElseThrow())
        .as("no refused clock value reached the clock")
        .isLessThan(200);
    assertThat(lines.stream().filter(l -> l.event().event() == EventType.RECEIVE).count())
        .isEqualTo(1);
    List<String> warned =
        warnings.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warned)
        .as("one warning per sender and kind of refusal")
        .hasSize(6)
        .anySatisfy(w -> assertThat(w).contains("sender 7", "INVALID_ARGUMENT"))
        .anySatisfy(w -> assertThat(w).contains("sender 0", "OUT_OF_RANGE"))
        .anySatisfy(w -> assertThat(w).contains("sender 0", "ALREADY_EXISTS"))
        .anySatisfy(w -> assertThat(w).contains("sender 0", "DEADLINE_EXCEEDED"));
    long highest = lines.stream().mapToLong(l -> l.event().clock()).max().orElseThrow();
    String untouched =
        Reliability.checked(
            "queue untouched (the next valid message got queue_length=1)",
            true,
            "the VM's highest clock " + highest,
            highest < 200,
            "one WARN per sender and kind",
            warned.size() == 6);
    String how = "real gRPC client against a real VM server on loopback (HostileClientTest)";
    Reliability.record(
        "60-unknown-sender",
        "Unknown sender id (7 of 3), or the VM's own id",
        how,
        "refused INVALID_ARGUMENT",
        untouched);
    Reliability.record(
        "61-negative-clock", "Negative clock", how, "refused INVALID_ARGUMENT", untouched);
    Reliability.record(
        "62-huge-clock",
        "Clock near Long.MAX_VALUE, or above 2^53",
        how,
        "refused OUT_OF_RANGE (a clock of 2^53 or more could take the receiver past the bound 2^53)",
        untouched);
    Reliability.record(
        "63-bad-id",
        "Malformed message id (sequence 0 or negative)",
        how,
        "refused INVALID_ARGUMENT",
        untouched);
    Reliability.record(
        "64-oversized",
        "Oversized message (8 KiB of unknown fields)",
        how,
        "refused RESOURCE_EXHAUSTED by the 1 KiB request limit",
        untouched);
    Reliability.record(
        "65-conflict",
        "Same message id with another clock",
        how,
        "refused ALREADY_EXISTS",
        untouched);
    Reliability.record(
        "66-retry",
        "Retried send (same id, same clock)",
        how,
        "acknowledged with duplicate=true, not enqueued again",
        Reliability.checked(
            "exactly one RECEIVE of that id",
            lines.stream().filter(l -> l.event().event() == EventType.RECEIVE).count() == 1));
    Reliability.record(
        "67-late",
        "Request arriving with less than 200 ms left before its gRPC deadline",
        how,
        "refused DEADLINE_EXCEEDED",
        untouched);
  }

  @Test
  void aFloodFromOneClientIsCutOffByTheRateLimit() throws Exception {
    int port = freePort();
    List<HostPort> peers = List.of(new HostPort("127.0.0.1", 1), new HostPort("127.0.0.1", port));
    Node node =
        new Node(
            new Node.Spec(
                1,
                peers,
                new InetSocketAddress("127.0.0.1", port),
                ModelConfig.builder()
                    .tickRate(6)
                    .seed(1L)
                    .sendTimeout(Duration.ofSeconds(1))
                    .build(),
                1,
                tmp,
                Duration.ofSeconds(1),
                false),
            Clock.systemUTC());
    node.startServer();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    int accepted = 0;
    int limited = 0;
    long started = System.nanoTime();
    double floodSeconds;
    try {
      var stub = ClockServiceGrpc.newBlockingStub(ch);
      for (int i = 1; i <= 2000; i++) {
        try {
          stub.withDeadlineAfter(5, TimeUnit.SECONDS).deliver(msg(0, i, i));
          accepted++;
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          limited++;
        }
      }
      floodSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(HealthCheck.check("127.0.0.1:" + port, Duration.ofSeconds(2)))
          .as("still serving")
          .isEqualTo("SERVING");
    } finally {
      ch.shutdownNow();
      node.stop("closed");
    }
    int limit =
        Node.rateLimit(
            ModelConfig.builder().tickRate(6).seed(1L).sendTimeout(Duration.ofSeconds(1)).build());
    assertThat(limited).isPositive();
    assertThat(accepted)
        .as("a burst of %d plus %d/s over the %.1f s flood", limit, limit, floodSeconds)
        .isBetween(limit, (int) Math.ceil(limit + limit * floodSeconds) + 1);
    assertThat(
            warnings.list.stream()
                .filter(e -> e.getFormattedMessage().contains("RESOURCE_EXHAUSTED")))
        .hasSize(1);
    Reliability.record(
        "68-flood",
        "A flood from one client: 2000 messages as fast as it can",
        "real gRPC client (HostileClientTest), TICK_RATE=6",
        Reliability.checked(
            "the first "
                + accepted
                + " accepted"
                + " (a per-sender token bucket of "
                + limit
                + "/s)",
            accepted >= limit,
            limited + " refused" + " RESOURCE_EXHAUSTED",
            limited > 0,
            "health still SERVING",
            true),
        Reliability.checked("one WARN for the whole flood", true));
  }

  @Test
  void mutualTlsRefusesStrangersAndSpoofedSenderIds() throws Exception {
    TestCa ca = new TestCa(tmp, "test-ca");
    TestCa stranger = new TestCa(Files.createDirectories(tmp.resolve("other")), "other-ca");
    int port = freePort();
    List<HostPort> peers =
        List.of(
            new HostPort("127.0.0.1", 1),
            new HostPort("127.0.0.2", port),
            new HostPort("127.0.0.3", 2));
    TlsConfig serverTls = ca.issue("127.0.0.2", freePort());
    Node node =
        new Node(
            new Node.Spec(
                1,
                peers,
                new InetSocketAddress("127.0.0.2", port),
                model(6),
                1,
                Files.createDirectories(tmp.resolve("logs")),
                Duration.ofSeconds(1),
                false,
                serverTls),
            Clock.systemUTC());
    node.startServer();
    TlsConfig vm0 = ca.issue("127.0.0.1", 1);
    TlsConfig alien = stranger.issue("127.0.0.1", 1);
    ManagedChannel good =
        NettyChannelBuilder.forAddress("127.0.0.2", port).sslContext(Tls.client(vm0)).build();
    ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.2", port).usePlaintext().build();
    ManagedChannel strange =
        NettyChannelBuilder.forAddress("127.0.0.2", port)
            .sslContext(Tls.client(new TlsConfig(alien.cert(), alien.key(), ca.caFile(), 1)))
            .build();
    try {
      var stub = ClockServiceGrpc.newBlockingStub(good);
      assertThat(stub.withDeadlineAfter(5, TimeUnit.SECONDS).deliver(msg(0, 1, 4)).getQueueLength())
          .isEqualTo(1);
      assertThat(refusal(stub, msg(2, 1, 4)))
          .as("VM 0's certificate claiming to be VM 2")
          .isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(refusal(ClockServiceGrpc.newBlockingStub(plain), msg(0, 2, 4)))
          .as("plaintext peer")
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refusal(ClockServiceGrpc.newBlockingStub(strange), msg(0, 3, 4)))
          .as("certificate of another CA")
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(HealthCheck.check("127.0.0.2:" + serverTls.healthPort(), Duration.ofSeconds(2)))
          .as("health in plaintext on HEALTH_PORT for probes")
          .isEqualTo("SERVING");
      assertThat(stub.deliver(msg(0, 4, 5)).getQueueLength())
          .as("only VM 0's two messages queued")
          .isEqualTo(2);
      String how =
          "TLS_CERT/TLS_KEY/TLS_CA from a CA made at test time; real gRPC clients (HostileClientTest)";
      Reliability.record(
          "70-mtls-spoof",
          "Sender spoofing another VM's id under mTLS",
          how,
          Reliability.checked(
              "VM 0's certificate claiming sender 2: refused PERMISSION_DENIED", true),
          Reliability.checked("queue holds only VM 0's own messages", true));
      Reliability.record(
          "71-mtls-plain",
          "Plaintext peer, or a certificate from another CA, under mTLS",
          how,
          Reliability.checked("TLS handshake refused (UNAVAILABLE at the client)", true),
          Reliability.checked(
              "nothing reached the service (the queue held only VM 0's messages)", true));
    } finally {
      good.shutdownNow();
      plain.shutdownNow();
      strange.shutdownNow();
      node.stop("closed");
    }
  }

  @Test
  void underMutualTlsTheEventLogNeedsACertificateFromTheSameCa() throws Exception {
    TestCa ca = new TestCa(tmp, "log-ca");
    TestCa stranger = new TestCa(Files.createDirectories(tmp.resolve("strangers")), "strange-ca");
    int port = freePort();
    List<HostPort> peers = List.of(new HostPort("127.0.0.1", 1), new HostPort("127.0.0.2", port));
    TlsConfig serverTls = ca.issue("127.0.0.2", freePort());
    Path logs = Files.createDirectories(tmp.resolve("tls-logs"));
    Files.writeString(logs.resolve("machine_1.log"), "a=1\nb=2\n");
    Node node =
        new Node(
            new Node.Spec(
                1,
                peers,
                new InetSocketAddress("127.0.0.2", port),
                model(6),
                1,
                logs,
                Duration.ofSeconds(1),
                false,
                serverTls),
            Clock.systemUTC());
    node.startServer();
    HostPort vm1 = peers.get(1);
    Path out = Files.createDirectories(tmp.resolve("collected"));
    try {
      TlsConfig alien = stranger.issue("127.0.0.1", 1);
      assertThatThrownBy(
              () ->
                  LogCollector.collect(
                      Network.tcp(new TlsConfig(alien.cert(), alien.key(), ca.caFile(), 1)),
                      vm1,
                      1,
                      out,
                      false))
          .as("a certificate from another CA")
          .isInstanceOf(LogCollector.CollectException.class)
          .hasMessageContaining("UNAVAILABLE");
      assertThatThrownBy(() -> LogCollector.collect(Network.tcp(null), vm1, 1, out, false))
          .as("plaintext")
          .isInstanceOf(LogCollector.CollectException.class)
          .hasMessageContaining("UNAVAILABLE");
      var got = LogCollector.collect(Network.tcp(ca.issue("127.0.0.1", 1)), vm1, 1, out, false);
      assertThat(got.lines()).isEqualTo(2);
      assertThat(out.resolve("machine_1.log")).hasContent("a=1\nb=2\n");
    } finally {
      node.close();
    }
  }

  /**
   * The report Job's identity: a certificate from the VMs' CA that names no VM. It reads every VM's
   * event log, and every clock RPC (Deliver, Stream, Hello) refuses it PERMISSION_DENIED whichever
   * sender id it claims; so does one whose CN is a VM's host beside a SAN that is not (RFC 6125:
   * the SANs are its names).
   */
  @Test
  void theReportIdentityReadsEventsButIsNoVm() throws Exception {
    TestCa ca = new TestCa(tmp, "report-ca");
    int port = freePort();
    List<HostPort> peers =
        List.of(
            new HostPort("127.0.0.1", 1),
            new HostPort("127.0.0.2", port),
            new HostPort("127.0.0.3", 2));
    TlsConfig serverTls = ca.issue("127.0.0.2", freePort());
    Path logs = Files.createDirectories(tmp.resolve("report-logs"));
    Files.writeString(logs.resolve("machine_1.log"), "a=1\nb=2\n");
    Node node =
        new Node(
            new Node.Spec(
                1,
                peers,
                new InetSocketAddress("127.0.0.2", port),
                model(6),
                1,
                logs,
                Duration.ofSeconds(1),
                false,
                serverTls),
            Clock.systemUTC());
    node.startServer();
    TlsConfig report =
        ca.issue("report", "CN=logical-clocks-report", List.of("logical-clocks-report.default"), 1);
    TlsConfig cnOfVm0 = ca.issue("cn-vm0", "CN=127.0.0.1", List.of("logical-clocks-report"), 1);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (TlsConfig id : List.of(report, cnOfVm0)) {
        ManagedChannel ch =
            NettyChannelBuilder.forAddress("127.0.0.2", port).sslContext(Tls.client(id)).build();
        channels.add(ch);
        var stub = ClockServiceGrpc.newBlockingStub(ch);
        for (int sender : new int[] {0, 2}) {
          assertThat(refusal(stub, msg(sender, 1, 4)))
              .as("Deliver claiming sender %d with %s", sender, id.cert().getFileName())
              .isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(
                  catchThrowableOfType(
                          StatusRuntimeException.class,
                          () ->
                              stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                                  .hello(
                                      logicalclocks.transport.proto.HelloRequest.newBuilder()
                                          .setSenderId(sender)
                                          .addSequences(1)
                                          .build()))
                      .getStatus()
                      .getCode())
              .as("Hello claiming sender %d", sender)
              .isEqualTo(Status.Code.PERMISSION_DENIED);
          var ack = new java.util.concurrent.CompletableFuture<logicalclocks.transport.proto.Ack>();
          var out =
              ClockServiceGrpc.newStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS).stream(
                  new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(logicalclocks.transport.proto.Ack a) {
                      ack.complete(a);
                    }

                    @Override
                    public void onError(Throwable t) {
                      ack.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      ack.completeExceptionally(new IllegalStateException("no Ack"));
                    }
                  });
          out.onNext(msg(sender, 2, 4));
          assertThat(ack.get(5, TimeUnit.SECONDS).getCode())
              .as("Stream claiming sender %d: its Ack carries the refusal", sender)
              .isEqualTo(Status.Code.PERMISSION_DENIED.value());
          out.onCompleted();
        }
      }
      assertThat(node.queueLength()).as("nothing reached the queue").isZero();
      Path out = Files.createDirectories(tmp.resolve("report-collected"));
      var got = LogCollector.collect(Network.tcp(report), peers.get(1), 1, out, false);
      assertThat(got.lines()).as("the report identity reads the event log").isEqualTo(2);
      assertThat(out.resolve("machine_1.log")).hasContent("a=1\nb=2\n");
      Reliability.record(
          "73-mtls-report-identity",
          "The report Job's certificate (same CA, names no VM) under mTLS",
          "a report certificate from a CA made at test time; real gRPC clients"
              + " (HostileClientTest)",
          Reliability.checked(
              "Deliver, Stream and Hello as VM 0 or VM 2: refused PERMISSION_DENIED",
              true,
              "a CN naming VM 0 beside other SANs: refused too",
              true),
          Reliability.checked("Events: the log read byte for byte", true));
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
      node.close();
    }
  }

  @Test
  void threeVmsOverMutualTlsKeepEveryRule() throws Exception {
    TestCa ca = new TestCa(tmp, "cluster-ca");
    int port = freePort();
    List<HostPort> peers =
        IntStream.range(0, 3).mapToObj(i -> new HostPort("127.0.0." + (i + 1), port)).toList();
    Path logs = Files.createDirectories(tmp.resolve("tls-logs"));
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TlsConfig tls = ca.issue("127.0.0." + (i + 1), freePort());
      nodes.add(
          new Node(
              new Node.Spec(
                  i,
                  peers,
                  new InetSocketAddress("127.0.0." + (i + 1), port),
                  model(40),
                  3,
                  logs,
                  Duration.ofSeconds(2),
                  false,
                  tls),
              Clock.systemUTC()));
    }
    TestNodes.start(nodes);
    for (Node n : nodes) {
      n.awaitFinished();
    }
    // Every VM's last sends settle before any VM stops (a VM that stopped first would refuse them).
    for (Node n : nodes) {
      assertThat(n.awaitSends()).isTrue();
    }
    for (Node n : nodes) {
      n.stop("finished");
    }
    var all = EventLogReader.readDir(logs);
    assertThat(Verifier.verify(all)).isEmpty();
    assertThat(
            all.values().stream()
                .flatMap(List::stream)
                .filter(l -> l.event().event() == EventType.RECEIVE)
                .count())
        .as("messages flowed over TLS")
        .isGreaterThan(20);
    assertThat(
            all.values().stream()
                .flatMap(List::stream)
                .filter(l -> l.event().event() == EventType.DROP)
                .count())
        .isZero();
  }
}
