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
import logicalclocks.cli.LogCollector;
import logicalclocks.config.HostPort;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;
import logicalclocks.transport.proto.LogEnd;
import logicalclocks.ui.LogFollower;
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

  /** How the last call {@link #read} made said the log ended. */
  LogEnd end;

  List<String> read(long from, boolean follow) {
    List<String> lines = new ArrayList<>();
    end = null;
    Iterator<EventLine> it =
        EventLogServiceGrpc.newBlockingStub(channel)
            .events(EventsRequest.newBuilder().setFromLine(from).setFollow(follow).build());
    it.forEachRemaining(
        l -> {
          assertThat(l.getVm()).isEqualTo(2);
          assertThat(end).as("nothing after the end").isNull();
          if (l.getEnd() != LogEnd.LOG_END_UNSPECIFIED) {
            assertThat(l.getNumber()).isZero();
            assertThat(l.getText().isEmpty()).isTrue();
            end = l.getEnd();
          } else {
            lines.add(l.getNumber() + ":" + l.getText().toStringUtf8());
          }
        });
    assertThat(end).as("a call that ends normally says how the log ended").isNotNull();
    return lines;
  }

  static String stop(String reason) {
    return "ts=2026-11-27T10:00:01.000Z vm=2 event=STOP clock=3 queue=0 reason=" + reason + "\n";
  }

  static final String START =
      "ts=2026-11-27T10:00:00.000Z vm=2 event=START clock=0 queue=0 rate=1 sides=10 seed=1"
          + " peers=0,1\n";

  /** How a VM whose log holds {@code content} (null: no log) says it ended, asked from a line. */
  LogEnd endOf(String content, boolean over, long from, boolean follow) throws Exception {
    Path d = Files.createTempDirectory(dir, "vm");
    if (content != null) {
      Files.writeString(d.resolve("machine_2.log"), content);
    }
    HostPort at = new HostPort("case" + System.identityHashCode(d), 1);
    Server s =
        network
            .server(InProcessNetwork.at(at))
            .addService(new EventLogServiceImpl(2, d, () -> over, timer))
            .build()
            .start();
    ManagedChannel c = network.channel(at);
    try {
      LogEnd got = null;
      Iterator<EventLine> it =
          EventLogServiceGrpc.newBlockingStub(c)
              .events(EventsRequest.newBuilder().setFromLine(from).setFollow(follow).build());
      while (it.hasNext()) {
        EventLine l = it.next();
        assertThat(got).as("nothing after the end").isNull();
        if (l.getEnd() != LogEnd.LOG_END_UNSPECIFIED) {
          got = l.getEnd();
        }
      }
      return got;
    } finally {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theLastMessageSaysHowTheLogEnded() throws Exception {
    assertThat(endOf(null, true, 1, false)).as("over, and no log").isEqualTo(LogEnd.LOG_END_FAILED);
    assertThat(endOf(START, true, 1, true))
        .as("over, without STOP")
        .isEqualTo(LogEnd.LOG_END_FAILED);
    assertThat(endOf(START, false, 1, false)).as("being written").isEqualTo(LogEnd.LOG_END_RUNNING);
    String[][] cases = {
      {"finished", "LOG_END_FINISHED"},
      {"clock-limit", "LOG_END_FINISHED"},
      {"signal", "LOG_END_STOPPED"},
      {"closed", "LOG_END_STOPPED"},
      {"failed", "LOG_END_FAILED"},
      {"startup-timeout", "LOG_END_FAILED"}
    };
    for (String[] c : cases) {
      String content = START + stop(c[0]);
      LogEnd expected = LogEnd.valueOf(c[1]);
      assertThat(endOf(content, false, 1, false))
          .as("STOP reason=%s, this process's run not over yet", c[0])
          .isEqualTo(LogEnd.LOG_END_RUNNING);
      assertThat(endOf(content, true, 1, true)).as("STOP reason=%s", c[0]).isEqualTo(expected);
      assertThat(endOf(content, true, 1, false)).as("STOP reason=%s", c[0]).isEqualTo(expected);
      assertThat(endOf(content, true, 3, true))
          .as("STOP reason=%s, asked from past the end", c[0])
          .isEqualTo(expected);
    }
    // Through the test's own service: the end carries no line, and comes last.
    append(START + stop("signal"));
    runOver.set(true);
    assertThat(read(1, true)).hasSize(2);
    assertThat(end).isEqualTo(LogEnd.LOG_END_STOPPED);
  }

  @Test
  void aCallFromALaterLineDoesNotReadTheFileFromByteZero() throws Exception {
    StringBuilder big = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      big.append("ts=x vm=2 event=INTERNAL clock=").append(i).append('\n');
    }
    append(big.toString());
    long size = Files.size(log);
    runOver.set(false);
    assertThat(read(1, false)).hasSize(10_000);
    assertThat(service.bytesRead()).as("the whole file, once").isEqualTo(size);

    // A follower asking again from the next line it has not seen: nothing before it is read.
    long before = service.bytesRead();
    append("ts=x vm=2 event=INTERNAL clock=10001\n");
    assertThat(read(10_001, false)).containsExactly("10001:ts=x vm=2 event=INTERNAL clock=10001\n");
    assertThat(service.bytesRead() - before)
        .as("only the new line and the byte before it (not the %d bytes before it)", size)
        .isEqualTo(Files.size(log) - size + 1);

    // From a line in the middle: from the checkpoint before it, at most CHECKPOINT_LINES lines.
    before = service.bytesRead();
    assertThat(read(9_500, false))
        .hasSize(502)
        .first()
        .isEqualTo("9500:ts=x vm=2 event=INTERNAL clock=9500\n");
    long line = "ts=x vm=2 event=INTERNAL clock=10000\n".length();
    assertThat(service.bytesRead() - before)
        .isLessThanOrEqualTo((EventLogServiceImpl.CHECKPOINT_LINES + 502) * line);

    // Asked from past the end, it reads only the last line (to say how the log ended).
    before = service.bytesRead();
    assertThat(read(20_000, false)).isEmpty();
    assertThat(service.bytesRead() - before).isLessThanOrEqualTo(2 * 256);
  }

  @Test
  void aFollowCallReadsEachByteOnceHoweverOftenItLooksForNewLines() throws Exception {
    append(START);
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    CountDownLatch ended = new CountDownLatch(1);
    EventLogServiceGrpc.newStub(channel)
        .events(
            EventsRequest.newBuilder().setFromLine(1).setFollow(true).build(),
            new io.grpc.stub.StreamObserver<>() {
              @Override
              public void onNext(EventLine l) {
                got.add(l.getEnd() + " " + l.getText().toStringUtf8());
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
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("LOG_END_UNSPECIFIED " + START);
    for (int i = 1; i <= 5; i++) {
      String l = "ts=x vm=2 event=INTERNAL clock=" + i + "\n";
      append(l);
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("LOG_END_UNSPECIFIED " + l);
    }
    append(stop("signal"));
    runOver.set(true);
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(got).containsExactly("LOG_END_UNSPECIFIED " + stop("signal"), "LOG_END_STOPPED ");
    assertThat(service.bytesRead())
        .as("each byte read once over every poll")
        .isEqualTo(Files.size(log));
  }

  @Test
  void aFollowerGoesOnAfterAStopBySignalAndAsksForItsRestartFromTheNextLine() throws Exception {
    append(START + stop("signal"));
    runOver.set(true);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    BlockingQueue<LogEnd> ends = new LinkedBlockingQueue<>();
    CountDownLatch unreachable = new CountDownLatch(1);
    LogFollower.Listener listener =
        new LogFollower.Listener() {
          @Override
          public void connected(int vm) {}

          @Override
          public void line(int vm, String line) {
            lines.add(line);
          }

          @Override
          public void ended(int vm, LogEnd end) {
            ends.add(end);
          }

          @Override
          public void unreachable(int vm, String why) {
            unreachable.countDown();
          }
        };
    try (LogFollower f =
        new LogFollower(network, VM2, 2, 0, Duration.ofMillis(50), listener).start()) {
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo(START);
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo(stop("signal"));
      assertThat(ends.poll(10, TimeUnit.SECONDS)).isEqualTo(LogEnd.LOG_END_STOPPED);
      // The VM's process goes away (SIGTERM) ...
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      assertThat(unreachable.await(10, TimeUnit.SECONDS)).isTrue();
      // ... and is restarted: a new process, which has read nothing of the log yet, goes on in it.
      String resumed = START.replace("peers=0,1", "peers=0,1 resumed=true");
      append(resumed);
      AtomicBoolean restartedRunOver = new AtomicBoolean();
      EventLogServiceImpl restarted = new EventLogServiceImpl(2, dir, restartedRunOver::get, timer);
      server = network.server(InProcessNetwork.at(VM2)).addService(restarted).build().start();
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo(resumed);
      append(stop("finished"));
      restartedRunOver.set(true);
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo(stop("finished"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ends.contains(LogEnd.LOG_END_FINISHED));
      long before = (START + stop("signal")).length();
      assertThat(restarted.bytesRead())
          .as("asked again from line 3 at its offset: the %d bytes before it are not read", before)
          .isLessThanOrEqualTo(Files.size(log) - before + 1 + 2 * 256);
    }
    assertThat(lines).as("no line twice").isEmpty();
    assertThat(ends)
        .as("it stops asking once the log ended for good")
        .doesNotContain(LogEnd.LOG_END_FAILED, LogEnd.LOG_END_RUNNING);
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
    assertThat(got).containsExactly("3:STOP\n", "0:");
  }

  @Test
  void followingALogNotCreatedYetWaitsForIt() throws Exception {
    runOver.set(false);
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    Iterator<EventLine> it =
        EventLogServiceGrpc.newBlockingStub(channel)
            .events(EventsRequest.newBuilder().setFollow(true).build());
    Thread reader =
        new Thread(
            () ->
                it.forEachRemaining(
                    l -> {
                      if (l.getEnd() == LogEnd.LOG_END_UNSPECIFIED) {
                        got.add(l.getText().toStringUtf8());
                      }
                    }));
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
                if (l.getEnd() == LogEnd.LOG_END_UNSPECIFIED) {
                  received.incrementAndGet();
                  three.countDown();
                }
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
