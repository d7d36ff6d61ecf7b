package logicalclocks.analysis.stream;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.log.LogCursor;

/**
 * A log's lines read and parsed a batch ahead on another core, while the pass consumes the batch
 * before: reading and analysing overlap instead of taking turns. One batch at a time is being read
 * per log (a log is read in its order, by one thread at a time); what is read ahead is bounded in
 * all (about {@link #LINES_AHEAD} lines over all logs), whatever the run's length. A bad line
 * reaches the pass exactly where it is in the log: the lines before it first.
 */
final class ReadAhead implements LineSource {
  /** Lines read ahead over all logs of a pass (each log at least {@link #MIN_BATCH}). */
  static final int LINES_AHEAD = 16_384;

  static final int MIN_BATCH = 16;
  static final int MAX_BATCH = 4_096;

  /**
   * Shared by every pass: as many readers as cores, daemons (a pass never waits on them to end).
   */
  private static final ExecutorService READERS =
      Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "log-reader");
            t.setDaemon(true);
            // What kills a reader reaches the pass through the reader's own field (see read), not
            // as a stack trace on the console.
            t.setUncaughtExceptionHandler((thread, e) -> {});
            return t;
          });

  /** Lines read, and the error that ended the batch early (null if none). */
  private record Batch(Line[] lines, int size, BadLogException error) {}

  private final LogCursor cursor;
  private final Instant first;
  private final Instant last;
  private final int batchSize;
  private CompletableFuture<Batch> ahead;
  private Batch current = new Batch(new Line[0], 0, null);
  private int next;

  ReadAhead(LogCursor cursor, Instant first, Instant last, int logs) {
    this.cursor = cursor;
    this.first = first;
    this.last = last;
    this.batchSize = Math.max(MIN_BATCH, Math.min(MAX_BATCH, LINES_AHEAD / Math.max(1, logs)));
    this.ahead = CompletableFuture.supplyAsync(this::read, READERS);
  }

  /**
   * What ended a read with an Error or an unchecked exception (out of memory above all): set before
   * anything else is allocated, so the pass sees it even when the future cannot be completed.
   */
  private volatile Throwable failed;

  private Batch read() {
    try {
      return readBatch();
    } catch (Error | RuntimeException e) {
      failed = e;
      throw e;
    }
  }

  /**
   * The batch {@code f} brings, or what ended its reader: a pass never waits for a reader that died
   * (out of memory, its future left incomplete: the pass hung there).
   */
  private Batch await(CompletableFuture<Batch> f) {
    while (true) {
      Throwable t = failed;
      if (t instanceof Error e) {
        throw e;
      }
      if (t instanceof RuntimeException e) {
        throw e;
      }
      try {
        return f.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillReading) {
        // look again
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading a log", e);
      }
    }
  }

  private Batch readBatch() {
    Line[] lines = new Line[batchSize];
    int n = 0;
    try {
      Line l;
      while (n < batchSize && (l = cursor.next()) != null) {
        lines[n++] = l;
      }
      return new Batch(lines, n, null);
    } catch (BadLogException e) {
      return new Batch(lines, n, e);
    }
  }

  @Override
  public Line next() throws BadLogException {
    if (next == current.size()) {
      if (current.error() != null) {
        throw current.error();
      }
      if (ahead == null) {
        return null;
      }
      current = await(ahead);
      next = 0;
      // Another batch while this one is consumed, unless this one ended the log.
      ahead =
          current.size() == batchSize && current.error() == null
              ? CompletableFuture.supplyAsync(this::read, READERS)
              : null;
      if (current.size() == 0) {
        return next();
      }
    }
    Line l = current.lines()[next];
    current.lines()[next++] = null; // consumed: not kept by the batch
    return l;
  }

  @Override
  public Instant first() {
    return first;
  }

  @Override
  public Instant last() {
    return last;
  }

  @Override
  public void close() {
    if (ahead != null) {
      try {
        await(ahead); // the reader is done with the cursor before it closes
      } catch (RuntimeException | Error ended) {
        // it ended; the pass has heard (or will hear) why from next()
      }
      ahead = null;
    }
    cursor.close();
  }
}
