package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import logicalclocks.config.HostPort;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code Events} RPC in-process: from a line, follow, end, a slow reader, and {@code collect}.
 */
class EventLogServiceTest {
  static final HostPort VM2 = new HostPort("vm2", 1);

  @TempDir Path dir;
  Path log;
  final AtomicBoolean runOver = new AtomicBoolean();
  final InProcessNetwork network = new InProcessNetwork();
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  EventLogServiceImpl service;
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    log = dir.resolve("machine_2.log");
    service = new EventLogServiceImpl(2, dir, runOver::get, timer);
    server = network.server(InProcessNetwork.at(VM2)).addService(service).build().start();
    channel = network.channel(VM2);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
  }

  void append(String text) throws Exception {
    Files.writeString(
        log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  List<String> read(long from, boolean follow) {
    List<String> lines = new ArrayList<>();
    Iterator<EventLine> it =
        EventLogServiceGrpc.newBlockingStub(channel)
            .events(EventsRequest.newBuilder().setFromLine(from).setFollow(follow).build());
    it.forEachRemaining(
        l -> {
          assertThat(l.getVm()).isEqualTo(2);
          lines.add(l.getNumber() + ":" + l.getText().toStringUtf8());
        });
    return lines;
  }

  @Test
  void fromAGivenLineByteForByte() throws Exception {
    append("a=1\nb=2\nc=\"x y\"\nd=4\ne=5\n");
    assertThat(read(3, false)).containsExactly("3:c=\"x y\"\n", "4:d=4\n", "5:e=5\n");
    assertThat(read(0, false)).hasSize(5);
    assertThat(read(9, false)).isEmpty();
  }

  @Test
  void aLineNotYetEndedIsNotSent() throws Exception {
    append("a=1\nb=");
    assertThat(read(1, false)).containsExactly("1:a=1\n");
  }

  @Test
  void followSendsNewLinesUntilTheRunIsOver() throws Exception {
    append("START\n");
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    CountDownLatch ended = new CountDownLatch(1);
    EventLogServiceGrpc.newStub(channel)
        .events(
            EventsRequest.newBuilder().setFromLine(1).setFollow(true).build(),
            new io.grpc.stub.StreamObserver<>() {
              @Override
              public void onNext(EventLine l) {
                got.add(l.getNumber() + ":" + l.getText().toStringUtf8());
              }

              @Override
              public void onError(Throwable t) {
                got.add("error " + t);
              }

              @Override
              public void onCompleted() {
                ended.countDown();
              }
            });
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("1:START\n");
    append("SEND half");
    append(" written\n");
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("2:SEND half written\n");
    assertThat(ended.getCount()).as("still following: the run is not over").isEqualTo(1);
    append("STOP\n");
    runOver.set(true);
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(got).containsExactly("3:STOP\n");
  }

  @Test
  void followingALogNotCreatedYetWaitsForIt() throws Exception {
    runOver.set(false);
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    Iterator<EventLine> it =
        EventLogServiceGrpc.newBlockingStub(channel)
            .events(EventsRequest.newBuilder().setFollow(true).build());
    Thread reader = new Thread(() -> it.forEachRemaining(l -> got.add(l.getText().toStringUtf8())));
    reader.start();
    append("START\n");
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("START\n");
    runOver.set(true);
    reader.join(10_000);
    assertThat(reader.isAlive()).isFalse();
  }

  @Test
  void aNegativeLineIsRefused() {
    assertThatThrownBy(() -> read(-1, false))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT");
  }

  @Test
  void aSlowReaderGetsOnlyWhatItAsksFor() throws Exception {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      big.append("ts=x vm=2 event=INTERNAL clock=").append(i).append('\n');
    }
    append(big.toString());
    runOver.set(true);
    AtomicInteger received = new AtomicInteger();
    CountDownLatch three = new CountDownLatch(3);
    ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
    EventLogServiceGrpc.newStub(channel)
        .events(
            EventsRequest.newBuilder().setFromLine(1).build(),
            new ClientResponseObserver<EventsRequest, EventLine>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<EventsRequest> requests) {
                call[0] = requests;
                requests.disableAutoRequestWithInitial(3);
              }

              @Override
              public void onNext(EventLine l) {
                received.incrementAndGet();
                three.countDown();
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
    // Asked for 3: over half a second nothing more arrives, and the server reads no further than
    // the transport lets it send (not the 20,000 lines it could).
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> received.get() == 3 && service.linesSent() < 100);
    call[0].request(20_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 20_000);
  }

  @Test
  void collectWritesTheFileByteForByteAndChecksTheVmId(@TempDir Path out) throws Exception {
    append("ts=2026-11-27T10:00:00.000Z vm=2 event=START\nx=\"é ü\"\nlast=1\n");
    runOver.set(true);
    var c = LogCollector.collect(network, VM2, 2, out, true);
    assertThat(c.lines()).isEqualTo(3);
    assertThat(Files.readAllBytes(out.resolve("machine_2.log"))).isEqualTo(Files.readAllBytes(log));
    assertThatThrownBy(() -> LogCollector.collect(network, VM2, 1, out, true))
        .isInstanceOf(LogCollector.CollectException.class)
        .hasMessageContaining("serves the log of VM 2");
    assertThat(out.resolve("machine_1.log")).as("no partial file left behind").doesNotExist();
    assertThat(out.resolve("machine_1.log.part")).doesNotExist();
  }
}
