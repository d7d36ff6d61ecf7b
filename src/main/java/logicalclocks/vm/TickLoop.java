package logicalclocks.vm;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a VM in real time on its own thread, {@code rate} tick slots per second: slot k is due at
 * start + k x period (no accumulated drift), and a run of {@code duration} has {@code rate x
 * duration} slots. A slot whose time has passed by a whole period or more, and by at least {@link
 * #PAUSE_NANOS}, when the loop gets to run (a paused process, SIGSTOP, a long GC pause, a stalled
 * step) is <b>skipped</b>, never fired late in a burst: a machine that was paused did nothing
 * meanwhile. A shorter hiccup (the scheduler, a short GC) is caught up, as on a fixed-rate
 * schedule, so a fast VM does not lose ticks to jitter a user could never see. The VM's next tick
 * line (or its STOP, when no tick follows) says how many slots were skipped ({@link
 * VirtualMachine#skipTicks}); steps taken = slots - missed, and the run still ends at its last
 * slot. The loop also ends, early, when the VM's clock reaches its bound ({@link
 * VirtualMachine#atClockLimit}).
 *
 * <p>Time is monotonic ({@link System#nanoTime} unless another source is given, for tests).
 */
public final class TickLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TickLoop.class);

  /** Tick count of a run without end. */
  public static final long UNBOUNDED = Long.MAX_VALUE;

  private final VirtualMachine vm;
  private final long totalTicks;
  private final LongSupplier nanos;
  private final ScheduledThreadPoolExecutor thread;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile ScheduledFuture<?> ticking;
  private volatile boolean halted;
  private long startNanos;
  private long periodNanos;

  /** The next slot to run (written by the VM's thread only). */
  private volatile long next;

  private volatile long steps;
  private volatile long missed;
  private volatile Throwable failure;

  /**
   * @param totalTicks tick slots of the run ({@link #UNBOUNDED} for a run until {@link #halt}; 0
   *     logs START only)
   */
  public TickLoop(VirtualMachine vm, long totalTicks) {
    this(vm, totalTicks, System::nanoTime);
  }

  /**
   * A loop reading monotonic time from {@code nanos} (a test's clock; the thread still waits in
   * real time for the gap between two slots).
   */
  public TickLoop(VirtualMachine vm, long totalTicks, LongSupplier nanos) {
    this.vm = vm;
    this.totalTicks = totalTicks;
    this.nanos = nanos;
    this.thread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "vm-" + vm.id());
              t.setDaemon(true);
              return t;
            });
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The tick slots a VM at {@code rate} has in {@code duration}. */
  public static long ticksIn(int rate, Duration duration) {
    return rate * duration.toMillis() / 1000;
  }

  /** Logs START on the VM's thread, then ticks. */
  public void start() {
    start(0);
  }

  /**
   * After {@code delayNanos} (the VM's start phase), logs START on the VM's thread, then ticks:
   * slot 0 is due as soon as START is written (the time the thread took to start and to write the
   * run's first line is not counted against the first slots).
   */
  public void start(long delayNanos) {
    periodNanos = 1_000_000_000L / vm.setup().rate();
    ticking =
        thread.schedule(
            () -> {
              try {
                vm.start();
              } catch (Throwable e) {
                fail(e, "START");
                return;
              }
              startNanos = nanos.getAsLong();
              tick();
            },
            delayNanos,
            TimeUnit.NANOSECONDS);
  }

  /** How late a slot must be to count as missed (besides a whole period): 20 ms. */
  public static final long PAUSE_NANOS = 20_000_000L;

  private void tick() {
    if (halted) {
      return;
    }
    long slot = next;
    long late = nanos.getAsLong() - (startNanos + slot * periodNanos);
    if (late >= Math.max(periodNanos, PAUSE_NANOS) && slot < totalTicks) {
      // slots slot .. slot+skip-1 are a whole period or more overdue: skipped, not fired late
      long skip = Math.min(late / periodNanos, totalTicks - slot);
      missed += skip;
      slot += skip;
      next = slot;
      vm.skipTicks(skip);
    }
    if (slot >= totalTicks) {
      finished.countDown();
      return;
    }
    if (vm.atClockLimit()) {
      LOG.warn("VM {} reached the logical clock bound 2^53 on tick {}; stopping it", vm.id(), slot);
      next = totalTicks;
      finished.countDown();
      return;
    }
    try {
      vm.step();
    } catch (Throwable e) {
      fail(e, "tick " + slot);
      return;
    }
    steps++;
    next = ++slot;
    if (slot >= totalTicks) {
      finished.countDown();
      return;
    }
    long delay = startNanos + slot * periodNanos - nanos.getAsLong();
    try {
      ticking = thread.schedule(this::tick, Math.max(0, delay), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopped) {
      // halted meanwhile
    }
  }

  /** Any failure ends the run as failed, never as finished. */
  private void fail(Throwable e, String where) {
    failure = e;
    LOG.error("VM {} failed on {}; stopping it", vm.id(), where, e);
    next = totalTicks;
    finished.countDown();
    if (e instanceof Error err) {
      throw err;
    }
  }

  public void awaitFinished() throws InterruptedException {
    finished.await();
  }

  /** What made a step fail and ended the run, or null when none did. */
  public Throwable failure() {
    return failure;
  }

  /** Steps taken so far. */
  public long steps() {
    return steps;
  }

  /** Slots skipped so far (their time had passed by a whole period when the loop got to run). */
  public long missed() {
    return missed;
  }

  /** Stops ticking; returns once no tick is running. The VM is left for its owner to stop. */
  public void halt() throws InterruptedException {
    halted = true;
    ScheduledFuture<?> t = ticking;
    if (t != null) {
      t.cancel(false);
    }
    thread.shutdown();
    if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
      LOG.warn("VM {} tick thread did not stop within 10 s", vm.id());
    }
    finished.countDown();
  }
}
