package logicalclocks.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.vm.Snapshots;

/**
 * Runs {@link Snapshots} in real time for a process: polls the snapshot under way every {@link
 * #POLL_MS} ms, begins one every {@code every} (when set), begins one on request ({@link #take}),
 * and writes each record to {@code <log dir>/snapshots/<id>.json}. One per initiator: a {@code
 * local} run's, or a node's (the initiator of its cluster's snapshots).
 */
public final class SnapshotDriver implements AutoCloseable {
  /** How often the snapshot under way is moved on. */
  public static final long POLL_MS = 10;

  private final Snapshots snapshots;
  private final Path logDir;
  private final ScheduledExecutorService thread;
  private final AtomicLong complete = new AtomicLong();
  private final List<String> failed = Collections.synchronizedList(new ArrayList<>());
  private final List<CompletableFuture<Snapshots.Record>> waiting = new ArrayList<>();
  private CompletableFuture<Snapshots.Record> underWay;
  private long nextNanos;

  /**
   * @param members the VMs, the initiator first
   * @param every how often a snapshot begins on its own (zero: only on request)
   */
  public SnapshotDriver(
      List<Snapshots.Member> members, Path logDir, Duration every, Duration timeout) {
    this.logDir = logDir;
    this.snapshots =
        Snapshots.of(
            members, this::recorded, timeout.toNanos(), Snapshots.DEFAULT_MARKER_DELAY_NANOS);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "snapshots");
              t.setDaemon(true);
              return t;
            });
    long everyNanos = every.toNanos();
    nextNanos = everyNanos > 0 ? System.nanoTime() + everyNanos : Long.MAX_VALUE;
    thread.scheduleWithFixedDelay(
        () -> {
          long now = System.nanoTime();
          snapshots.poll(now);
          synchronized (this) {
            if (snapshots.underWay()) {
              return;
            }
            if (!waiting.isEmpty() || now >= nextNanos) {
              if (snapshots.begin(now) != 0) {
                underWay = waiting.isEmpty() ? null : waiting.remove(0);
                if (now >= nextNanos) {
                  nextNanos = now + everyNanos;
                }
              }
            }
          }
        },
        POLL_MS,
        POLL_MS,
        TimeUnit.MILLISECONDS);
  }

  private void recorded(Snapshots.Record r) {
    SnapshotFiles.write(logDir, r);
    if (r.complete()) {
      complete.incrementAndGet();
    } else {
      failed.add(r.id() + ": " + r.reason());
    }
    CompletableFuture<Snapshots.Record> f;
    synchronized (this) {
      f = underWay;
      underWay = null;
    }
    if (f != null) {
      f.complete(r);
    }
  }

  /** Begins a snapshot as soon as none is under way; its record once it ended. */
  public synchronized CompletableFuture<Snapshots.Record> take() {
    CompletableFuture<Snapshots.Record> f = new CompletableFuture<>();
    waiting.add(f);
    return f;
  }

  /** Snapshots complete so far. */
  public long complete() {
    return complete.get();
  }

  /** Snapshots failed so far: {@code <id>: <reason>} each. */
  public List<String> failed() {
    return List.copyOf(failed);
  }

  /** Stops beginning snapshots (the one under way goes on until {@link #end}). */
  public void halt() throws InterruptedException {
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The run is ending: the snapshot under way completes if it can, else fails saying why. */
  public void end(String why) {
    snapshots.end(why);
    synchronized (this) {
      for (CompletableFuture<Snapshots.Record> f : waiting) {
        f.completeExceptionally(new IllegalStateException(why + ": no snapshot begun"));
      }
      waiting.clear();
    }
  }

  @Override
  public void close() throws InterruptedException {
    halt();
    end("closed");
  }
}
