package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.cli.Main;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader;
import logicalclocks.reliability.Reliability;
import logicalclocks.transport.proto.Ack;
import logicalclocks.transport.proto.ClockMessage;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;
import logicalclocks.vm.TickSlots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's attack, with real processes: two {@code node}s on loopback, VM 0 in a 128 MiB heap; a
 * hostile client opens 3,000 following {@code Events} streams on ONE connection and reads none of
 * them, and 3,000 clock {@code Stream}s on another, each writing messages and reading no Ack. VM 0
 * keeps its rate, ends with STOP, exits 0, and its run is verified.
 */
class ExhaustionTest {
  @TempDir Path tmp;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static final int RATE = 100;
  static final int DURATION = 20; // long enough for every flood below on a loaded 2-core machine

  Process node(int id, String peers, int port) throws Exception {
    ProcessBuilder pb =
        logicalclocks.node.ChildJvm.main(
                Main.class.getName(),
                List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("node"),
                Map.of())
            .directory(tmp.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "ID",
                "" + id,
                "PEERS",
                peers,
                "PORT",
                "" + port,
                "TICK_RATE",
                "" + RATE,
                "DURATION",
                "" + DURATION,
                "SEED",
                "5",
                "METRICS_PORT",
                "0",
                "LOG_DIR",
                tmp.toString()));
    return pb.redirectOutput(tmp.resolve("out" + id + ".txt").toFile())
        .redirectError(tmp.resolve("err" + id + ".txt").toFile())
        .start();
  }

  /** Counts how calls end; never reads a message (flow control: none requested). */
  static final class Silent<Q, R> implements ClientResponseObserver<Q, R> {
    final AtomicInteger refused;
    final AtomicInteger other;
    ClientCallStreamObserver<Q> requests;

    Silent(AtomicInteger refused, AtomicInteger other) {
      this.refused = refused;
      this.other = other;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> r) {
      requests = r;
      r.disableAutoRequestWithInitial(0);
    }

    @Override
    public void onNext(R value) {}

    @Override
    public void onError(Throwable t) {
      (Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED ? refused : other)
          .incrementAndGet();
    }

    @Override
    public void onCompleted() {
      other.incrementAndGet();
    }
  }

  @Test
  void threeThousandSilentStreamsLeaveA128MibVmTickingToItsStop() throws Exception {
    int p0 = freePort();
    int p1 = freePort();
    String peers = "127.0.0.1:" + p0 + ",127.0.0.1:" + p1;
    Process vm0 = node(0, peers, p0);
    Process vm1 = node(1, peers, p1);
    ManagedChannel events = NettyChannelBuilder.forAddress("127.0.0.1", p0).usePlaintext().build();
    ManagedChannel clocks = NettyChannelBuilder.forAddress("127.0.0.1", p0).usePlaintext().build();
    AtomicInteger eventsRefused = new AtomicInteger();
    AtomicInteger eventsOther = new AtomicInteger();
    AtomicInteger clockRefused = new AtomicInteger();
    AtomicInteger clockOther = new AtomicInteger();
    long rssBefore;
    long rssEvents;
    long rssClocks;
    long rssKib;
    int garbageClosed = 0;
    List<java.net.Socket> idle = new ArrayList<>();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(tmp.resolve("machine_0.log")));
      rssBefore = rssKib(vm0.pid());
      var ev = EventLogServiceGrpc.newStub(events);
      for (int i = 0; i < 3000; i++) {
        ev.events(
            EventsRequest.newBuilder().setFromLine(1).setFollow(true).build(),
            new Silent<EventsRequest, EventLine>(eventsRefused, eventsOther));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> eventsRefused.get() >= 3000 - CallLimits.Limits.EVENTS_STREAMS);
      rssEvents = rssKib(vm0.pid());
      var cs = ClockServiceGrpc.newStub(clocks);
      for (int i = 0; i < 3000; i++) {
        Silent<ClockMessage, Ack> s = new Silent<>(clockRefused, clockOther);
        var out = cs.stream(s);
        for (int k = 1; k <= 70; k++) {
          out.onNext(
              ClockMessage.newBuilder()
                  .setSenderId(7) // no such VM: refused message by message, never queued
                  .setSequence(k)
                  .setLogicalClock(k)
                  .build());
        }
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(tmp.resolve("err0.txt")).contains("from sender 7"));
      rssClocks = rssKib(vm0.pid());
      // Malformed frames: 100 connections that send bytes that are not HTTP/2, each closed by the
      // server; then 200 connections that open and say nothing.
      java.util.Random random = new java.util.Random(18);
      for (int i = 0; i < 100; i++) {
        try (java.net.Socket g = new java.net.Socket("127.0.0.1", p0)) {
          g.setSoTimeout(10_000);
          byte[] junk = new byte[512];
          random.nextBytes(junk);
          g.getOutputStream().write(junk);
          g.getOutputStream().flush();
          try {
            while (g.getInputStream().read() >= 0) {
              // drain what the server answers (a GOAWAY) until it closes
            }
            garbageClosed++;
          } catch (java.net.SocketException reset) {
            garbageClosed++; // closed with a reset: closed all the same
          }
        }
      }
      for (int i = 0; i < 200; i++) {
        idle.add(new java.net.Socket("127.0.0.1", p0));
      }
      rssKib = rssKib(vm0.pid());
      assertThat(vm0.waitFor(DURATION + 60, TimeUnit.SECONDS)).as("VM 0 ended its run").isTrue();
      assertThat(vm1.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      for (java.net.Socket i : idle) {
        i.close();
      }
      events.shutdownNow();
      clocks.shutdownNow();
      vm0.destroyForcibly();
      vm1.destroyForcibly();
    }
    assertThat(vm0.exitValue()).as(Files.readString(tmp.resolve("err0.txt"))).isZero();
    assertThat(vm1.exitValue()).isZero();
    var all = EventLogReader.readDir(tmp);
    assertThat(Verifier.verify(all)).isEmpty();
    long ticks0 = all.get(0).stream().filter(l -> l.event().event().isTick()).count();
    long missed0 = TickSlots.missedInLines(all.get(0));
    String err0 = Files.readString(tmp.resolve("err0.txt"));
    assertThat(ticks0 + missed0)
        .as("VM 0's slots: its ticks and those it skipped (missed=)")
        .isEqualTo((long) RATE * DURATION);
    assertThat(err0).doesNotContain("OutOfMemoryError");
    assertThat(all.get(0).get(all.get(0).size() - 1).event().event()).isEqualTo(EventType.STOP);
    assertThat(garbageClosed).as("every malformed connection closed by the server").isEqualTo(100);
    assertThat(
            all.get(0).stream()
                .filter(l -> l.event().event() == EventType.RECEIVE)
                .map(l -> l.event().get("from"))
                .distinct())
        .as("nothing from the hostile client (sender 7) reached the queue")
        .containsOnly("1");
    Reliability.record(
        "70-exhaustion",
        "3,000 silent Events streams on one connection, 3,000 clock Streams writing but never"
            + " reading their Acks, 100 connections of non-HTTP/2 bytes and 200 idle connections,"
            + " against a VM in a 128 MiB heap",
        "real node processes on loopback (-Xmx128m), a grpc-java client reading nothing"
            + " (ExhaustionTest)",
        Reliability.checked(
            eventsRefused.get()
                + " Events streams refused RESOURCE_EXHAUSTED (at most "
                + CallLimits.Limits.EVENTS_STREAMS
                + " open at once); clock streams bounded by "
                + CallLimits.Limits.CALLS_PER_CONNECTION
                + " per connection; the 100 malformed connections closed by the server; VM 0's RSS "
                + rssBefore / 1024
                + " MiB before, "
                + rssEvents / 1024
                + " after the Events streams, "
                + rssClocks / 1024
                + " after the clock streams, "
                + rssKib / 1024
                + " after the connections",
            eventsRefused.get() >= 3000 - CallLimits.Limits.EVENTS_STREAMS && garbageClosed == 100),
        Reliability.checked(
            "VM 0 did "
                + ticks0
                + " ticks of its "
                + (long) RATE * DURATION
                + " slots ("
                + missed0
                + " skipped: missed=), logged STOP and exited 0, no OutOfMemoryError; its queue took"
                + " only VM 1's messages; verifier: 0 violations",
            ticks0 + missed0 == (long) RATE * DURATION && Verifier.verify(all).isEmpty()));
  }

  static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
