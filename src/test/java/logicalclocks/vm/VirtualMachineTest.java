package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.VectorClock;
import logicalclocks.clock.VirtualClock;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import org.junit.jupiter.api.Test;

/**
 * A VM driven step by step: fake transport, virtual clock, scripted or seeded die. No threads, no
 * sleeps.
 */
class VirtualMachineTest {
  /** Records sends; the test decides each one's outcome. */
  static final class FakeTransport implements Transport {
    record Sent(int to, Message message, Outcome outcome) {}

    final List<Sent> sent = new ArrayList<>();

    @Override
    public void send(int to, Message message, Outcome outcome) {
      sent.add(new Sent(to, message, outcome));
    }
  }

  /** A die that rolls the given numbers in order. */
  static RandomGenerator scripted(int... rolls) {
    ArrayDeque<Integer> left = new ArrayDeque<>();
    for (int r : rolls) {
      left.add(r);
    }
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int nextInt(int origin, int bound) {
        int r = left.removeFirst();
        assertThat(r).isBetween(origin, bound - 1);
        return r;
      }
    };
  }

  final VirtualClock wall = new VirtualClock(Instant.parse("2026-11-25T23:59:01.000Z"));
  final FakeTransport transport = new FakeTransport();
  final List<String> lines = new ArrayList<>();

  VirtualMachine vm(int id, RandomGenerator die) {
    List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
    others.remove(Integer.valueOf(id));
    return new VirtualMachine(
        new VirtualMachine.Setup(id, others, 4, 10, 99),
        die,
        wall,
        transport,
        e -> lines.add(EventLogFormat.format(e)),
        new Inbox(100));
  }

  @Test
  void exactEventSequence() {
    VirtualMachine vm = vm(0, scripted(5, 1, 3, 7));
    vm.start();
    tick(vm);
    tick(vm);
    tick(vm);
    // from a sender whose clock is 5 s ahead: the hybrid clock takes its l and counts on from it
    vm.inbox()
        .offer(
            new Message(
                2,
                1,
                10,
                wall.millis(),
                VectorClock.parse("1:2,2:4"),
                0,
                new HybridTime(1795651147000L, 3)));
    tick(vm);
    transport.sent.get(0).outcome().delivered();
    transport.sent.get(1).outcome().delivered();
    transport.sent.get(2).outcome().dropped("unreachable");
    tick(vm);
    assertThat(vm.pendingSends()).isZero();
    vm.stop("finished");

    assertThat(lines)
        .containsExactly(
            "ts=2026-11-25T23:59:01.000Z vm=0 event=START clock=0 queue=0 rate=4 sides=10 seed=99 peers=1,2"
                + " offset_ms=0 drift_ppm=0",
            "ts=2026-11-25T23:59:01.250Z vm=0 event=INTERNAL clock=1 queue=0 die=5"
                + " hlc=1795651141250:0 vc=0:1",
            "ts=2026-11-25T23:59:01.500Z vm=0 event=SEND clock=2 queue=0 to=1 msg=0-1 die=1"
                + " hlc=1795651141500:0 vc=0:2",
            "ts=2026-11-25T23:59:01.750Z vm=0 event=SEND clock=3 queue=0 to=1,2 msg=0-2,0-3 die=3"
                + " hlc=1795651141750:0 vc=0:3",
            "ts=2026-11-25T23:59:02.000Z vm=0 event=RECEIVE clock=11 queue=0 from=2 msg=2-1 sent=10"
                + " hlc=1795651147000:4 vc=0:4,1:2,2:4",
            "ts=2026-11-25T23:59:02.250Z vm=0 event=DROP clock=11 queue=0 to=2 msg=0-3 reason=unreachable",
            "ts=2026-11-25T23:59:02.250Z vm=0 event=INTERNAL clock=12 queue=0 die=7"
                + " hlc=1795651147000:5 vc=0:5,1:2,2:4",
            "ts=2026-11-25T23:59:02.250Z vm=0 event=STOP clock=12 queue=0 reason=finished");
    assertThat(transport.sent)
        .extracting(s -> s.to() + ":" + s.message().id() + "@" + s.message().clock())
        .containsExactly("1:0-1@2", "1:0-2@3", "2:0-3@3");
    assertThat(transport.sent)
        .as("a message carries its SEND's vector clock")
        .extracting(x -> x.message().vector().format())
        .containsExactly("0:2", "0:3", "0:3");
    assertThat(transport.sent)
        .as("a message carries its SEND's hybrid clock")
        .extracting(x -> x.message().hlc().format())
        .containsExactly("1795651141500:0", "1795651141750:0", "1795651141750:0");
    VmStats stats = vm.stats();
    assertThat(stats.events()).isEqualTo(5);
    assertThat(stats.maxJump()).isEqualTo(8);
    assertThat(stats.drops()).isEqualTo(1);
  }

  @Test
  void queuedMessagesAreTakenOnePerTickBeforeAnyRoll() {
    VirtualMachine vm = vm(1, scripted(9));
    vm.start();
    vm.inbox().offer(new Message(0, 1, 3, 0));
    vm.inbox().offer(new Message(2, 1, 1, 0));
    LogEvent first = vm.step();
    assertThat(first.clock()).isEqualTo(4);
    assertThat(first.queue()).isEqualTo(1);
    LogEvent second = vm.step();
    assertThat(second.clock()).as("max(4, 1) + 1").isEqualTo(5);
    assertThat(second.queue()).isZero();
    assertThat(vm.step().get("die")).isEqualTo("9");
    assertThat(vm.stop("signal").queue()).isZero();
    assertThat(vm.inbox().offer(new Message(0, 2, 1, 0))).isEqualTo(Inbox.Offer.CLOSED);
    assertThatThrownBy(vm::step).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stopReportsTheQueueLeft() {
    VirtualMachine vm = vm(2, scripted());
    vm.start();
    vm.inbox().offer(new Message(0, 1, 3, 0));
    vm.inbox().offer(new Message(1, 1, 1, 0));
    vm.step();
    LogEvent stop = vm.stop("finished");
    assertThat(stop.queue()).isEqualTo(1);
    assertThat(stop.get("queued")).as("the ids left, oldest first").isEqualTo("1-1");
  }

  /**
   * A VM whose clock reaches 2^53 takes no further step and stops saying why; its log passes the
   * rules.
   */
  @Test
  void aVmAtTheClockBoundStopsWithReasonClockLimit() {
    long max = 1L << 53;
    VirtualMachine vm = vm(2, scripted(9));
    vm.start();
    vm.inbox().offer(new Message(0, 1, max - 2, 0));
    vm.inbox().offer(new Message(1, 1, max - 1, 0));
    assertThat(vm.step().clock()).isEqualTo(max - 1);
    assertThat(vm.atClockLimit()).isFalse();
    assertThat(vm.step().clock()).isEqualTo(max);
    assertThat(vm.atClockLimit()).isTrue();
    assertThatThrownBy(vm::step)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clock bound");
    LogEvent stop = vm.stop("finished");
    assertThat(stop.get("reason")).isEqualTo(VirtualMachine.CLOCK_LIMIT);
    assertThat(stop.clock()).isEqualTo(max);
  }

  /**
   * The tick loop ends by itself when the clock reaches its bound, and the node stops the VM
   * cleanly.
   */
  @Test
  void theTickLoopEndsAtTheClockBound() throws Exception {
    long max = 1L << 53;
    VirtualMachine vm =
        new VirtualMachine(
            new VirtualMachine.Setup(0, List.of(1, 2), 1000, 10, 1),
            scripted(9, 9),
            wall,
            transport,
            e -> lines.add(EventLogFormat.format(e)),
            new Inbox(10),
            max - 2,
            0,
            VectorClock.zero());
    TickLoop loop = new TickLoop(vm, TickLoop.UNBOUNDED);
    loop.start();
    loop.awaitFinished();
    loop.halt();
    vm.stop("finished");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(2)).contains("event=INTERNAL clock=" + max);
    assertThat(lines.get(3)).contains("event=STOP clock=" + max).endsWith("reason=clock-limit");
  }

  @Test
  void sameSeedSameEvents() {
    List<String> a = run(Seeds.forVm(7, 0));
    lines.clear();
    List<String> b = run(Seeds.forVm(7, 0));
    assertThat(b).isEqualTo(a).hasSize(202);
    lines.clear();
    assertThat(run(Seeds.forVm(8, 0))).isNotEqualTo(a);
  }

  private List<String> run(RandomGenerator random) {
    VirtualClock clock = new VirtualClock(Instant.EPOCH);
    VirtualMachine vm =
        new VirtualMachine(
            new VirtualMachine.Setup(0, List.of(1, 2), 4, 10, 7),
            random,
            clock,
            (to, m, outcome) -> outcome.delivered(),
            e -> lines.add(EventLogFormat.format(e)),
            new Inbox(10));
    vm.start();
    for (int i = 0; i < 200; i++) {
      clock.advance(Duration.ofMillis(250));
      vm.step();
    }
    vm.stop("finished");
    return List.copyOf(lines);
  }

  @Test
  void resumedVmContinuesItsClockAndSequence() {
    VirtualMachine vm =
        new VirtualMachine(
            new VirtualMachine.Setup(0, List.of(1, 2), 4, 10, 1),
            scripted(1),
            wall,
            transport,
            e -> lines.add(EventLogFormat.format(e)),
            new Inbox(10),
            40,
            12,
            VectorClock.parse("0:7,1:3"));
    vm.start();
    vm.step();
    assertThat(lines.get(0)).contains("event=START clock=40").endsWith("resumed=true");
    assertThat(lines.get(1))
        .contains("event=SEND clock=41")
        .contains("msg=0-13")
        .endsWith(" vc=0:8,1:3");
  }

  private void tick(VirtualMachine vm) {
    wall.advance(Duration.ofMillis(250));
    vm.step();
  }
}
