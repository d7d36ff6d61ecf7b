package logicalclocks.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Turns SIGTERM / SIGINT, or the end of a run, into one "stop now" with a reason. */
final class StopSignal {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);

  private final CountDownLatch latch = new CountDownLatch(1);
  private final CountDownLatch signalled = new CountDownLatch(1);
  private final AtomicReference<String> reason = new AtomicReference<>();

  /** Handles SIGTERM and SIGINT by requesting a stop (the JVM is not torn down by the signal). */
  StopSignal onSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            s -> {
              LOG.info("received SIG{}: stopping", name);
              signalled.countDown();
              request("signal");
            });
      } catch (IllegalArgumentException e) {
        LOG.debug("cannot handle SIG{}", name, e);
      }
    }
    return this;
  }

  void request(String why) {
    if ("signal".equals(why)) {
      signalled.countDown();
    }
    reason.compareAndSet(null, why);
    latch.countDown();
  }

  /**
   * Whether SIGTERM or SIGINT came at any time, even after another reason (the run's end) won the
   * stop: a process asked to stop as its run ends must not then idle.
   */
  boolean signalled() {
    return signalled.getCount() == 0;
  }

  /** Waits for SIGTERM or SIGINT; returns at once if one came already. */
  void awaitSignal() throws InterruptedException {
    signalled.await();
  }

  /** Whether a stop was requested. */
  boolean requested() {
    return latch.getCount() == 0;
  }

  /** Waits for a stop request and returns its reason. */
  String await() throws InterruptedException {
    latch.await();
    return reason.get();
  }

  /** Requests a stop with {@code why} once {@code task} returns (on a daemon thread). */
  void after(String why, InterruptibleTask task) {
    Thread t =
        new Thread(
            () -> {
              try {
                task.run();
                request(why);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "run-watch");
    t.setDaemon(true);
    t.start();
  }

  @FunctionalInterface
  interface InterruptibleTask {
    void run() throws InterruptedException;
  }
}
