package logicalclocks.vm;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a VM in real time on its own thread: {@code rate} steps per second at a fixed rate (no
 * accumulated drift), and for a run of {@code duration} exactly {@code rate x duration} steps. The
 * loop also ends, early, when the VM's clock reaches its bound ({@link
 * VirtualMachine#atClockLimit}).
 */
public final class TickLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TickLoop.class);

  /** Tick count of a run without end. */
  public static final long UNBOUNDED = Long.MAX_VALUE;

  private final VirtualMachine vm;
  private final long totalTicks;
  private final ScheduledExecutorService thread;
  private final CountDownLatch finished = new CountDownLatch(1);
  private ScheduledFuture<?> ticking;
  private volatile long ticks;
  private volatile Throwable failure;

  /**
   * @param totalTicks steps to take ({@link #UNBOUNDED} for a run until {@link #halt}; 0 logs START
   *     only)
   */
  public TickLoop(VirtualMachine vm, long totalTicks) {
    this.vm = vm;
    this.totalTicks = totalTicks;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vm-" + vm.id());
              t.setDaemon(true);
              return t;
            });
  }

  /** The ticks a VM at {@code rate} takes in {@code duration}. */
  public static long ticksIn(int rate, Duration duration) {
    return rate * duration.toMillis() / 1000;
  }

  /** Logs START on the VM's thread, then ticks. */
  public void start() {
    start(0);
  }

  /** After {@code delayNanos} (the VM's start phase), logs START on the VM's thread, then ticks. */
  public void start(long delayNanos) {
    long periodNanos = 1_000_000_000L / vm.setup().rate();
    thread.schedule(vm::start, delayNanos, TimeUnit.NANOSECONDS);
    ticking = thread.scheduleAtFixedRate(this::tick, delayNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    if (ticks >= totalTicks) {
      finished.countDown();
      return;
    }
    if (vm.atClockLimit()) {
      LOG.warn(
          "VM {} reached the logical clock bound 2^53 on tick {}; stopping it", vm.id(), ticks);
      ticks = totalTicks;
      finished.countDown();
      return;
    }
    try {
      vm.step();
    } catch (Throwable e) { // any failure ends the run as failed, never as finished
      failure = e;
      LOG.error("VM {} failed on tick {}; stopping it", vm.id(), ticks, e);
      ticks = totalTicks;
      finished.countDown();
      if (ticking != null) {
        ticking.cancel(false);
      }
      if (e instanceof Error err) {
        throw err;
      }
      return;
    }
    if (++ticks >= totalTicks) {
      finished.countDown();
    }
  }

  public void awaitFinished() throws InterruptedException {
    finished.await();
  }

  /** What made a step fail and ended the run, or null when none did. */
  public Throwable failure() {
    return failure;
  }

  /** Stops ticking; returns once no tick is running. The VM is left for its owner to stop. */
  public void halt() throws InterruptedException {
    if (ticking != null) {
      ticking.cancel(false);
    }
    thread.shutdown();
    if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
      LOG.warn("VM {} tick thread did not stop within 10 s", vm.id());
    }
    finished.countDown();
  }
}
