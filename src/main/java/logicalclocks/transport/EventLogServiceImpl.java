package logicalclocks.transport;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;

/**
 * Serves a VM's event log, line by line, byte for byte as in the file: from a given line, then
 * (follow) each new line until the run is over. Lines are read from the file only while the call
 * can take them ({@code isReady}), so a slow reader costs the VM one flow-control window, no more.
 * When no complete line is there yet it looks again {@link #POLL_MILLIS} later: the log's writer is
 * not involved.
 */
public final class EventLogServiceImpl extends EventLogServiceGrpc.EventLogServiceImplBase {
  /** How often a follower looks for new lines. */
  static final long POLL_MILLIS = 50;

  private final int vm;
  private final Path log;
  private final BooleanSupplier runOver;
  private final ScheduledExecutorService timer;
  private final AtomicLong sent = new AtomicLong();

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

  /** One call: where it is in the file, and what it still has to send. */
  private final class Reader {
    private final ServerCallStreamObserver<EventLine> out;
    private final long from;
    private final boolean follow;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    private FileChannel file;
    private long position;
    private long number;
    private boolean done;
    private boolean waiting;

    Reader(ServerCallStreamObserver<EventLine> out, long from, EventsRequest req) {
      this.out = out;
      this.from = from;
      this.follow = req.getFollow();
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
                      .build());
            }
            continue;
          }
          if (!follow || over) {
            close();
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
        }
        buffer.clear();
        int n = file.read(buffer, position);
        buffer.flip();
        if (n <= 0) {
          return null;
        }
        position += n;
      }
    }

    private synchronized void close() {
      done = true;
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
