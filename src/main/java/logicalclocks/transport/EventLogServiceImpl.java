package logicalclocks.transport;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;
import logicalclocks.transport.proto.LogEnd;

/**
 * Serves a VM's event log, line by line, byte for byte as in the file: from a given line, then
 * (follow) each new line until the run is over. Lines are read from the file only while the call
 * can take them ({@code isReady}), so a slow reader costs the VM one flow-control window, no more.
 * When no complete line is there yet it looks again {@link #POLL_MILLIS} later: the log's writer is
 * not involved.
 *
 * <p>A call starts reading where an earlier call left off, or at the nearest checkpoint before its
 * line (the byte offset of every {@link #CHECKPOINT_LINES}th line start, remembered as lines are
 * read), never from byte 0 once the lines before it were read: a follower that asks again from the
 * next line costs nothing but the new lines. A call that ends normally ends with an {@link
 * EventLine} that carries no line and says in {@code end} how the log ended ({@link LogEnd}).
 */
public final class EventLogServiceImpl extends EventLogServiceGrpc.EventLogServiceImplBase {
  /** How often a follower looks for new lines. */
  static final long POLL_MILLIS = 50;

  private final int vm;
  private final Path log;
  private final BooleanSupplier runOver;
  private final ScheduledExecutorService timer;

  /** A line start is remembered every this many lines. */
  static final int CHECKPOINT_LINES = 1024;

  /** Bytes read backwards at a time to find the last line. */
  private static final int TAIL_BLOCK = 256;

  /** STOP reasons of a run stopped before its end, that a restart resumes. */
  static final Set<String> STOPPED = Set.of("signal", "closed");

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();

  /** Line number -> byte offset where that line starts, for lines 1, 1 + CHECKPOINT_LINES, ... */
  private final ConcurrentSkipListMap<Long, Long> checkpoints = new ConcurrentSkipListMap<>();

  /** The furthest line start any call reached: {line, offset} (line 1 at offset 0 at first). */
  private volatile long[] furthest = {1, 0};

  /**
   * @param logDir where the VM's machine_<id>.log is (it may not exist yet)
   * @param runOver true once this process's run has ended and its last line is written
   * @param timer where followers wait for new lines
   */
  public EventLogServiceImpl(
      int vm, Path logDir, BooleanSupplier runOver, ScheduledExecutorService timer) {
    this.vm = vm;
    this.log = logDir.resolve(EventLogFormat.fileName(vm));
    this.runOver = runOver;
    this.timer = timer;
  }

  /** Lines handed to callers so far, over all calls. */
  public long linesSent() {
    return sent.get();
  }

  /** Bytes read from the log file so far, over all calls. */
  public long bytesRead() {
    return bytesRead.get();
  }

  /** How a log whose last complete line is {@code last} (null: none) ended. */
  static LogEnd endOf(byte[] last, boolean runOver) {
    if (!runOver) {
      return LogEnd.LOG_END_RUNNING;
    }
    if (last == null) {
      return LogEnd.LOG_END_FAILED;
    }
    LogEvent e;
    try {
      String text = new String(last, StandardCharsets.UTF_8);
      e = EventLogFormat.parse(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    } catch (RuntimeException bad) { // LogFormatException, or a number that is not one
      return LogEnd.LOG_END_FAILED;
    }
    if (e.event() != EventType.STOP) {
      return LogEnd.LOG_END_FAILED;
    }
    String reason = e.get("reason");
    if (ResumePoint.RUN_OVER.contains(reason)) {
      return LogEnd.LOG_END_FINISHED;
    }
    return STOPPED.contains(reason) ? LogEnd.LOG_END_STOPPED : LogEnd.LOG_END_FAILED;
  }

  /**
   * Where a call from line {@code from} starts reading: {line, offset}, at most at {@code from}:
   * the caller's own offset of that line when it is plausible, else the furthest line start or
   * checkpoint known before it.
   */
  private long[] startFor(long from, long hint, FileChannel file) throws IOException {
    if (hint > 0 && startsALine(hint, file)) {
      return new long[] {from, hint};
    }
    long[] best = {1, 0};
    Map.Entry<Long, Long> c = checkpoints.floorEntry(from);
    if (c != null) {
      best = new long[] {c.getKey(), c.getValue()};
    }
    long[] f = furthest;
    if (f[0] <= from && f[0] > best[0]) {
      best = f;
    }
    if (best[1] > 0 && !startsALine(best[1], file)) { // not the file read before: start over
      checkpoints.clear();
      furthest = new long[] {1, 0};
      return new long[] {1, 0};
    }
    return best;
  }

  /** Whether {@code offset} is within the file and just after a newline (reads one byte). */
  private boolean startsALine(long offset, FileChannel file) throws IOException {
    if (offset > file.size()) {
      return false;
    }
    ByteBuffer before = ByteBuffer.allocate(1);
    if (file.read(before, offset - 1) != 1) {
      return false;
    }
    bytesRead.incrementAndGet();
    return before.get(0) == '\n';
  }

  private void reached(long line, long offset) {
    if ((line - 1) % CHECKPOINT_LINES == 0) {
      checkpoints.putIfAbsent(line, offset);
    }
  }

  private synchronized void reachedFurthest(long line, long offset) {
    if (line > furthest[0]) {
      furthest = new long[] {line, offset};
    }
  }

  @Override
  public void events(EventsRequest req, StreamObserver<EventLine> response) {
    if (req.getFromLine() < 0) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("from_line must be >= 0, got " + req.getFromLine())
              .asRuntimeException());
      return;
    }
    new Reader((ServerCallStreamObserver<EventLine>) response, Math.max(1, req.getFromLine()), req)
        .start();
  }

  /** What one call reads of the file at a time. */
  static final int READ_BUFFER_BYTES = 8 * 1024;

  /** One call: where it is in the file, and what it still has to send. */
  private final class Reader {
    private final ServerCallStreamObserver<EventLine> out;
    private final long from;
    private final long fromOffset;
    private final boolean follow;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    // allocated once the file is open (a refused or idle call holds none), released on close
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private FileChannel file;
    private long position;
    private long number;
    private boolean done;
    private boolean waiting;
    private byte[] lastLine;

    Reader(ServerCallStreamObserver<EventLine> out, long from, EventsRequest req) {
      this.out = out;
      this.from = from;
      this.follow = req.getFollow();
      this.fromOffset = req.getFromOffset();
    }

    void start() {
      out.setOnCancelHandler(this::close);
      out.setOnReadyHandler(this::pump);
      pump();
    }

    /** Sends lines while the call can take them; runs on the call's executor or the timer. */
    private synchronized void pump() {
      if (done || waiting) {
        return;
      }
      try {
        while (out.isReady()) {
          // Whether the run was over BEFORE reading: then an empty read means the end.
          boolean over = runOver.getAsBoolean();
          byte[] line = nextLine();
          if (line != null) {
            if (number >= from) {
              sent.incrementAndGet();
              out.onNext(
                  EventLine.newBuilder()
                      .setVm(vm)
                      .setNumber(number)
                      .setText(ByteString.copyFrom(line))
                      .setOffset(nextStart() - line.length)
                      .build());
            }
            continue;
          }
          if (!follow || over) {
            LogEnd end = endOf(lastLine != null ? lastLine : tailLine(), over);
            close();
            out.onNext(EventLine.newBuilder().setVm(vm).setEnd(end).setOffset(nextStart()).build());
            out.onCompleted();
            return;
          }
          waiting = true;
          timer.schedule(
              () -> {
                synchronized (this) {
                  waiting = false;
                }
                pump();
              },
              POLL_MILLIS,
              TimeUnit.MILLISECONDS);
          return;
        }
      } catch (IOException | RuntimeException e) {
        close();
        out.onError(
            Status.INTERNAL
                .withDescription("cannot read " + log.getFileName() + ": " + e.getMessage())
                .asRuntimeException());
      }
    }

    /** The next complete line (newline included), or null when none is complete yet. */
    private byte[] nextLine() throws IOException {
      while (true) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
          if (buffer.get(i) == '\n') {
            byte[] chunk = new byte[i + 1 - buffer.position()];
            buffer.get(chunk);
            partial.write(chunk);
            number++;
            byte[] line = partial.toByteArray();
            partial.reset();
            lastLine = line;
            reached(number + 1, position - buffer.remaining());
            return line;
          }
        }
        if (buffer.hasRemaining()) { // the start of a line whose end is not written yet
          byte[] rest = new byte[buffer.remaining()];
          buffer.get(rest);
          partial.write(rest);
        }
        if (file == null) {
          try {
            file = FileChannel.open(log, StandardOpenOption.READ);
          } catch (NoSuchFileException e) {
            return null; // not created yet
          }
          long[] start = startFor(from, fromOffset, file);
          number = start[0] - 1;
          position = start[1];
          buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        }
        buffer.clear();
        int n = file.read(buffer, position);
        buffer.flip();
        if (n <= 0) {
          if (partial.size() == 0) {
            reachedFurthest(number + 1, position);
          }
          return null;
        }
        bytesRead.addAndGet(n);
        position += n;
      }
    }

    /** Where the line after the last one read starts. */
    private long nextStart() {
      return position - buffer.remaining() - partial.size();
    }

    /** The file's last complete line, read backwards from its end (null when it has none). */
    private byte[] tailLine() throws IOException {
      if (file == null) {
        return null;
      }
      long end = file.size();
      long pos = end;
      byte[] acc = new byte[0];
      while (pos > 0) {
        int n = (int) Math.min(TAIL_BLOCK, pos);
        pos -= n;
        ByteBuffer block = ByteBuffer.allocate(n);
        while (block.hasRemaining() && file.read(block, pos + block.position()) > 0) {}
        bytesRead.addAndGet(n);
        byte[] joined = new byte[n + acc.length];
        System.arraycopy(block.array(), 0, joined, 0, n);
        System.arraycopy(acc, 0, joined, n, acc.length);
        acc = joined;
        int last = lastIndexOf(acc, acc.length - 1);
        if (last < 0) {
          continue;
        }
        int before = lastIndexOf(acc, last - 1);
        if (before >= 0 || pos == 0) {
          byte[] line = new byte[last - before];
          System.arraycopy(acc, before + 1, line, 0, line.length);
          return line;
        }
      }
      return null;
    }

    private static int lastIndexOf(byte[] bytes, int from) {
      for (int i = from; i >= 0; i--) {
        if (bytes[i] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private synchronized void close() {
      done = true;
      buffer = ByteBuffer.allocate(0);
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          // read-only: nothing to lose
        }
      }
    }
  }
}
