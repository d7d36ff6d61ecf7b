package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import logicalclocks.event.LogEvent;
import org.junit.jupiter.api.Test;

/**
 * The real-time loop against a stall: its monotonic time source is the real one plus an offset, and
 * a step that "stalls" moves the offset forward at once, as a paused process finds on waking that
 * time went on without it. The slots whose time passed are skipped and counted, never fired in a
 * burst, and the run still ends at its slot count.
 */
class TickLoopTest {
  static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(10); // 100 ticks/s

  final AtomicLong offset = new AtomicLong();
  final LongSupplier nanos = () -> System.nanoTime() + offset.get();

  /** A line as logged, and the loop's time when it was. */
  record Logged(LogEvent event, long nanos) {}

  final List<Logged> logged = Collections.synchronizedList(new ArrayList<>());

  /** A VM at 100 ticks/s whose die always says INTERNAL, and whose n-th tick line stalls. */
  VirtualMachine vm(int stallAtTick, long stallNanos) {
    RandomGenerator internal =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt(int origin, int bound) {
            return 7;
          }
        };
    int[] ticks = new int[1];
    return new VirtualMachine(
        new VirtualMachine.Setup(0, List.of(1, 2), 100, 10, 1),
        internal,
        Clock.systemUTC(),
        (to, m, outcome) -> outcome.delivered(),
        e -> {
          if (e.event().isTick() && ++ticks[0] == stallAtTick) {
            offset.addAndGet(stallNanos);
          }
          logged.add(new Logged(e, nanos.getAsLong()));
        },
        new Inbox(10));
  }

  List<Logged> ticks() {
    synchronized (logged) {
      return logged.stream().filter(l -> l.event().event().isTick()).toList();
    }
  }

  @Test
  void slotsOverdueAfterAStallAreSkippedAndCountedNotFiredInABurst() throws Exception {
    long slots = 60;
    long stall = TimeUnit.MILLISECONDS.toNanos(300);
    VirtualMachine vm = vm(10, stall);
    TickLoop loop = new TickLoop(vm, slots, nanos);
    loop.start();
    loop.awaitFinished();
    loop.halt();
    vm.stop("finished");

    List<Logged> ticks = ticks();
    long missedOnLines = ticks.stream().mapToLong(l -> VirtualMachine.missedOf(l.event())).sum();
    assertThat(loop.steps()).as("steps taken are the tick lines").isEqualTo(ticks.size());
    assertThat(loop.missed()).as("the lines say every slot skipped").isEqualTo(missedOnLines);
    assertThat(vm.stats().missed()).isEqualTo(missedOnLines);
    assertThat(ticks.size() + missedOnLines)
        .as("the run ends at its slot count: steps + missed")
        .isEqualTo(slots);

    Logged stalled = ticks.get(9);
    Logged after = ticks.get(10);
    // the stall put the next slot at least 290 ms (29 periods) behind: all skipped, on one line
    assertThat(VirtualMachine.missedOf(after.event()))
        .as("the first tick after the stall says how many slots it skipped")
        .isGreaterThanOrEqualTo(29);
    assertThat(after.event().get(VirtualMachine.MISSED_KEY)).isNotNull();

    // No burst: a step runs only a slot less than a period overdue, so the steps in the 100 ms
    // after the release are of slots due in those 100 ms (or the period before): at most 11.
    // Fired late at a fixed rate, the 29 overdue slots would all run at the release.
    long release = stalled.nanos();
    long soonAfter =
        ticks.subList(10, ticks.size()).stream() // the steps after the stalled one
            .filter(l -> l.nanos() < release + 10 * PERIOD)
            .count();
    assertThat(soonAfter).as("steps in the 100 ms after the stall").isLessThanOrEqualTo(11L);

    // STOP carries none: nothing was skipped after the last tick
    LogEvent stop = logged.get(logged.size() - 1).event();
    assertThat(stop.get(VirtualMachine.MISSED_KEY)).isNull();
  }

  @Test
  void slotsSkippedAtTheEndOfTheRunAreOnItsStop() throws Exception {
    VirtualMachine vm = vm(5, TimeUnit.SECONDS.toNanos(1)); // past the run's end (20 slots)
    TickLoop loop = new TickLoop(vm, 20, nanos);
    loop.start();
    loop.awaitFinished();
    loop.halt();
    LogEvent stop = vm.stop("finished");

    assertThat(ticks()).hasSize(5);
    assertThat(loop.steps()).isEqualTo(5);
    assertThat(loop.missed()).isEqualTo(15);
    assertThat(
            ticks().stream().mapToLong(l -> VirtualMachine.missedOf(l.event())).sum()
                + VirtualMachine.missedOf(stop))
        .as("every skipped slot is on a line")
        .isEqualTo(15);
    assertThat(stop.get(VirtualMachine.MISSED_KEY))
        .as("no tick followed the stall: STOP says it")
        .isNotNull();
  }
}
