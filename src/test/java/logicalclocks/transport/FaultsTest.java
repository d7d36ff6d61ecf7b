package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.Node;
import logicalclocks.recovery.InboxJournal;
import logicalclocks.reliability.Reliability;
import logicalclocks.vm.TickSlots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults a skeptical user tried, over real gRPC (grpc-java's in-process transport: the real
 * services, stubs and channels, no sockets), each at a load users run: every message keeps exactly
 * one fate. A crash is {@link Node#kill}: what SIGKILL leaves (nothing more logged, the files as
 * written so far).
 */
class FaultsTest {
  @TempDir Path logs;

  static final List<HostPort> PEERS = List.of(new HostPort("vm0", 1), new HostPort("vm1", 1));
  final InProcessNetwork network = new InProcessNetwork();

  ModelConfig model(int rate) {
    return ModelConfig.builder().tickRate(rate).seed(11L).build();
  }

  Node node(int id, int rate, Duration duration, Clock clock) {
    return new Node(
        new Node.Spec(
            id, PEERS, InProcessNetwork.at(PEERS.get(id)), model(rate), 11L, logs, duration, true),
        clock,
        network);
  }

  static void startAll(Node... nodes) throws Exception {
    TestNodes.start(List.of(nodes));
  }

  /** Stops the nodes as a cluster stops: all halt, every send settles, then all log STOP. */
  static void stopAll(String reason, Node... nodes) throws Exception {
    for (Node n : nodes) {
      n.haltTicking();
    }
    for (Node n : nodes) {
      n.awaitSends();
    }
    for (Node n : nodes) {
      n.stop(reason);
    }
  }

  static void awaitEvents(Node n, long events) {
    await().atMost(Duration.ofSeconds(30)).until(() -> n.stats().events() >= events);
  }

  java.util.TreeMap<Integer, List<EventLogReader.Line>> read() throws Exception {
    return EventLogReader.readDir(logs);
  }

  static List<LogEvent> events(List<EventLogReader.Line> lines) {
    return lines.stream().map(EventLogReader.Line::event).toList();
  }

  static long count(List<EventLogReader.Line> lines, EventType type) {
    return lines.stream().filter(l -> l.event().event() == type).count();
  }

  /**
   * Finding 1: at 200 ticks/s, a VM killed and restarted a second later on its log. The restart
   * asks its peer what it holds and sends again only the rest, as retries of the same ids: nothing
   * it sent is DROPped for a reason the receiver did not give.
   */
  @Test
  void aRestartAtLoadKeepsEveryMessageToOneFate() throws Exception {
    Node n0 = node(0, 200, Duration.ZERO, Clock.systemUTC());
    Node n1 = node(1, 200, Duration.ZERO, Clock.systemUTC());
    startAll(n0, n1);
    awaitEvents(n1, 600);
    n1.kill();
    awaitEvents(n0, n0.stats().events() + 200); // about a second of vm0 sending to a dead peer
    Node again = node(1, 200, Duration.ZERO, Clock.systemUTC());
    again.startServer();
    assertThat(again.awaitPeers(Duration.ofSeconds(10))).isEmpty();
    again.startTicking();
    awaitEvents(again, 400);
    stopAll("signal", n0, again);
    var all = read();
    assertThat(Verifier.verify(all)).as("every rule, every message").isEmpty();
    List<LogEvent> vm1 = events(all.get(1));
    assertThat(vm1.stream().filter(e -> e.event() == EventType.START)).hasSize(2);
    assertThat(
            vm1.stream()
                .filter(e -> e.event() == EventType.DROP && "backpressure".equals(e.get("reason"))))
        .as("no definite local refusal of a message sent before the crash")
        .isEmpty();
    long sends = count(all.get(0), EventType.SEND) + count(all.get(1), EventType.SEND);
    Reliability.record(
        "14-restart-at-load",
        "VM killed at load and restarted on its log a second later",
        "2 VMs at 200 ticks/s over gRPC (in-process transport); VM 1 killed (nothing more logged)"
            + " after 600 events, VM 0 ticking on alone for 200 more, VM 1 restarted on the same"
            + " log and journal (FaultsTest)",
        Reliability.checked(
            "the restart asked VM 0 what it held and sent again only the rest, as retries of the"
                + " same ids; none DROPped as backpressure",
            true),
        Reliability.checked(
            "verifier: 0 violations over " + sends + " SENDs across the restart",
            Verifier.verify(all).isEmpty()));
  }

  /**
   * Finding 2: a VM killed mid-run, its peer finishing its run meanwhile and staying up
   * (AFTER_RUN=wait). Restarted, the VM learns that its peer's run is over (not merely "not
   * serving"), runs what is left of its own run, ends its messages to the finished peer with a
   * definite reason, and logs STOP.
   */
  @Test
  void aVmRestartedAfterItsPeerFinishedCompletesItsRun() throws Exception {
    Node n0 = node(0, 100, Duration.ofSeconds(2), Clock.systemUTC());
    Node n1 = node(1, 100, Duration.ofSeconds(6), Clock.systemUTC());
    startAll(n0, n1);
    awaitEvents(n1, 80);
    n1.kill();
    n0.awaitFinished();
    n0.stop("finished", true); // AFTER_RUN=wait: still serving, refusing messages as stopped
    Node again = node(1, 100, Duration.ofSeconds(6), Clock.systemUTC());
    again.startServer();
    assertThat(again.pastItsEnd()).as("time is left of its run").isFalse();
    assertThat(again.awaitPeers(Duration.ofSeconds(5)))
        .as("a finished peer says so: nothing to wait for")
        .isEmpty();
    again.startTicking();
    again.awaitFinished();
    again.stop("finished");
    n0.close();
    var all = read();
    assertThat(Verifier.verify(all)).isEmpty();
    List<LogEvent> vm1 = events(all.get(1));
    assertThat(vm1.get(vm1.size() - 1).get("reason")).isEqualTo("finished");
    LogEvent resumed = vm1.stream().filter(e -> "true".equals(e.get("resumed"))).findFirst().get();
    LogEvent stop = vm1.get(vm1.size() - 1);
    long afterRestart = TickSlots.of(vm1.subList(vm1.indexOf(resumed), vm1.size()));
    // What was left of its run: up to the end of its 6 s (from its first START), at its rate.
    assertThat(Duration.between(vm1.get(0).ts(), stop.ts()))
        .as("it ran to the end of its run")
        .isGreaterThanOrEqualTo(Duration.ofMillis(5900));
    double leftSeconds = Duration.between(resumed.ts(), stop.ts()).toMillis() / 1000.0;
    assertThat(leftSeconds).as("time was left when it resumed").isGreaterThan(0.5);
    assertThat(afterRestart)
        .as("its tick slots (ticks + missed) over what was left (%.2f s at 100/s)", leftSeconds)
        .isGreaterThanOrEqualTo((long) (0.8 * 100 * leftSeconds));
    assertThat(
            vm1.stream()
                .filter(e -> e.event() == EventType.DROP)
                .filter(e -> e.ts().isAfter(vm1.get(0).ts().plusSeconds(3))))
        .as("messages to the finished peer end as stopped (a definite reason)")
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.get("reason")).isEqualTo("stopped"));
  }

  /** Restarted past its run's end with its peer gone for good: START and STOP at once. */
  @Test
  void restartedPastItsEndWithoutItsPeerItStopsAtOnce() throws Exception {
    Node n0 = node(0, 100, Duration.ofSeconds(1), Clock.systemUTC());
    Node n1 = node(1, 100, Duration.ofSeconds(1), Clock.systemUTC());
    startAll(n0, n1);
    awaitEvents(n1, 50);
    n1.kill();
    n0.awaitFinished();
    n0.stop("finished");
    Node again = node(1, 100, Duration.ofSeconds(1), Clock.systemUTC());
    again.startServer();
    await().atMost(Duration.ofSeconds(5)).until(again::pastItsEnd);
    again.startTicking();
    again.awaitFinished();
    again.stop("finished");
    var all = read();
    assertThat(Verifier.verify(all)).isEmpty();
    List<LogEvent> tail = events(all.get(1));
    assertThat(tail.get(tail.size() - 1).event()).isEqualTo(EventType.STOP);
    assertThat(tail.stream().filter(e -> "true".equals(e.get("resumed")))).hasSize(1);
  }

  /**
   * Finding 4: a VM whose wall clock runs 10 minutes ahead of its peer's (and one 10 minutes
   * behind) still receives every message: no fate depends on wall clocks agreeing.
   */
  @Test
  void wallClocksMinutesApartChangeNoFate() throws Exception {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
    Node n0 = node(0, 100, Duration.ofSeconds(2), Clock.systemUTC());
    Node n1 = node(1, 100, Duration.ofSeconds(2), ahead);
    startAll(n0, n1);
    n0.awaitFinished();
    n1.awaitFinished();
    stopAll("finished", n0, n1);
    var all = read();
    assertThat(Verifier.verify(all)).isEmpty();
    assertThat(events(all.get(1)).get(0).ts())
        .as("VM 1's log is stamped by its own clock")
        .isAfter(events(all.get(0)).get(0).ts().plusSeconds(500));
    for (var lines : all.values()) {
      assertThat(count(lines, EventType.RECEIVE)).isPositive();
      assertThat(count(lines, EventType.DROP)).as("nothing refused for its age").isZero();
    }
    long received = count(all.get(0), EventType.RECEIVE) + count(all.get(1), EventType.RECEIVE);
    Reliability.record(
        "16-clock-skew",
        "Wall clocks 10 minutes apart",
        "2 VMs at 100 ticks/s over gRPC (in-process transport), VM 1's wall clock (its log and its"
            + " messages' timestamps) 10 minutes ahead (FaultsTest); and a real node under faketime"
            + " (SkewedClockIT)",
        Reliability.checked(
            "every message delivered both ways: "
                + received
                + " RECEIVEs, 0 DROPs (nothing compares one machine's wall clock with another's)",
            all.values().stream().allMatch(l -> count(l, EventType.DROP) == 0)),
        Reliability.checked("verifier: 0 violations", Verifier.verify(all).isEmpty()));
  }

  /**
   * Finding 5: the logs deleted (as the idle node's message used to say) but the inbox journals
   * left: each journal is moved aside with a warning, never replayed into the new run.
   */
  @Test
  void aJournalWithoutItsLogIsMovedAsideNotReplayed() throws Exception {
    Node n0 = node(0, 200, Duration.ZERO, Clock.systemUTC());
    Node n1 = node(1, 1, Duration.ZERO, Clock.systemUTC()); // slow: its queue fills
    startAll(n0, n1);
    await().atMost(Duration.ofSeconds(30)).until(() -> n1.queueLength() >= 20);
    n0.haltTicking();
    n0.awaitSends();
    n0.stop("signal");
    n1.stop("signal");
    assertThat(InboxJournal.read(InboxJournal.file(logs, 1))).hasSizeGreaterThanOrEqualTo(20);
    for (int i = 0; i < 2; i++) {
      Files.delete(logs.resolve(EventLogFormat.fileName(i)));
    }
    Node m0 = node(0, 200, Duration.ZERO, Clock.systemUTC());
    Node m1 = node(1, 200, Duration.ZERO, Clock.systemUTC());
    startAll(m0, m1);
    awaitEvents(m1, 300);
    stopAll("signal", m0, m1);
    assertThat(Verifier.verify(read())).as("the new run alone, verified").isEmpty();
    assertThat(logs.resolve("machine_1.inbox.stale-1")).exists();
    assertThat(count(read().get(1), EventType.START)).isEqualTo(1);
  }

  /** Finding 7: killed after START and before its first tick; the restart says resumed=true. */
  @Test
  void aCrashBeforeTheFirstTickResumesCleanly() throws Exception {
    // VM 1's log as a kill right after its START leaves it
    Files.writeString(
        logs.resolve(EventLogFormat.fileName(1)),
        "ts=2026-12-01T10:00:00.000Z vm=1 event=START clock=0 queue=0 rate=50 sides=10 seed=11"
            + " peers=0\n");
    Node m0 = node(0, 50, Duration.ZERO, Clock.systemUTC());
    Node m1 = node(1, 50, Duration.ZERO, Clock.systemUTC());
    startAll(m0, m1);
    awaitEvents(m1, 30);
    stopAll("signal", m0, m1);
    var all = read();
    List<LogEvent> vm1 = events(all.get(1));
    assertThat(vm1.get(1).event()).isEqualTo(EventType.START);
    assertThat(vm1.get(1).get("resumed")).isEqualTo("true");
    assertThat(Verifier.verify(all)).isEmpty();
  }

  /**
   * Finding 8: a step that throws ends the run with STOP reason=failed, never "finished", and the
   * node reports the failure (its process exits non-zero).
   */
  @Test
  void aStepThatThrowsEndsTheRunAsFailed() throws Exception {
    AtomicLong reads = new AtomicLong();
    Clock failsOnce =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneId.of("UTC");
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            if (reads.incrementAndGet() == 40) {
              throw new IllegalStateException("injected failure");
            }
            return Instant.now();
          }
        };
    Node n0 = node(0, 100, Duration.ofSeconds(30), Clock.systemUTC());
    Node n1 = node(1, 100, Duration.ofSeconds(30), failsOnce);
    startAll(n0, n1);
    n1.awaitFinished();
    assertThat(n1.failure()).hasMessage("injected failure");
    n1.stop("finished");
    n0.stop("signal");
    List<LogEvent> vm1 = events(read().get(1));
    LogEvent stop = vm1.get(vm1.size() - 1);
    assertThat(stop.event()).isEqualTo(EventType.STOP);
    assertThat(stop.get("reason")).isEqualTo("failed");
    assertThat(vm1.size()).as("it stopped at the failing tick").isLessThan(100);
  }
}
