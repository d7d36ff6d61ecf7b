package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventsRequest;
import logicalclocks.transport.proto.LogEnd;

/**
 * Fuzzes {@code Events} ({@link EventLogServiceImpl}) with a fuzzed {@code from_line}, {@code
 * from_offset} and {@code follow}, a log of fuzzed bytes (or none yet) that grows while it is read,
 * and a caller that is not always ready to take a line. Handled through a direct call observer, so
 * every step runs on the test's thread (the followers' poll runs at once instead of 50 ms later).
 * It never throws and never fails the call for a valid request; the lines sent are exactly the
 * log's complete lines from {@code max(1, from_line)} on, byte for byte, numbered from 1 — never a
 * byte that is not in the file, never a line without its newline (each line's {@code offset} is
 * where the file holds it), and the call ends once the run is over with one last message saying how
 * the log ended and where its next line starts. A {@code from_offset} within the file and just
 * after a newline is taken as where {@code from_line} starts (as documented); any other is ignored.
 */
class EventLogServiceFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("lc-fuzz-events");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "5s")
  void events(FuzzedDataProvider data) throws IOException {
    Path log = DIR.resolve(EventLogFormat.fileName(3));
    Files.deleteIfExists(log);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    boolean initialExists = data.consumeBoolean();
    byte[] initial = null;
    if (initialExists) {
      initial = data.consumeBytes(data.consumeInt(0, 512));
      Files.write(log, initial);
      file.write(initial);
    }
    long from = data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-1, 8);
    long hint = data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-1, 700);
    boolean follow = data.consumeBoolean();
    int overAfter = data.consumeInt(0, 6);
    List<byte[]> appends = new ArrayList<>();
    for (int i = 0; i < overAfter; i++) {
      appends.add(data.consumeBytes(data.consumeInt(0, 128)));
    }
    boolean[] readiness = data.consumeBooleans(64);

    int[] asked = {0};
    EventLogServiceImpl service =
        new EventLogServiceImpl(
            3,
            DIR,
            () -> {
              // Each look at "is the run over?" first lets the writer add a chunk.
              int k = asked[0]++;
              if (k < appends.size()) {
                append(log, appends.get(k));
                file.write(appends.get(k), 0, appends.get(k).length);
              }
              return k >= appends.size();
            },
            new InlineTimer());
    Call call = new Call(readiness);
    service.events(
        EventsRequest.newBuilder().setFromLine(from).setFromOffset(hint).setFollow(follow).build(),
        call);
    for (int i = 0; i < 1000 && !call.closed; i++) {
      call.ready.run(); // gRPC calls the on-ready handler when the call can take more
    }

    if (from < 0) {
      assertThat(call.error).isNotNull();
      assertThat(Status.fromThrowable(call.error).getCode())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(call.lines).isEmpty();
      return;
    }
    assertThat(call.error).as("error %s", call.error).isNull();
    assertThat(call.completed).as("the call ends when the run is over").isTrue();
    byte[] bytes = file.toByteArray();
    // The file is opened on the first read, after the first look at the run (one append).
    long openedSize = (initialExists || !appends.isEmpty()) ? openedSize(initial, appends) : -1;
    boolean hinted = hint > 0 && hint <= openedSize && bytes[(int) hint - 1] == '\n';
    int start = hinted ? (int) hint : 0;
    long firstNumber = hinted ? Math.max(1, from) : 1;
    List<byte[]> lines = completeLines(Arrays.copyOfRange(bytes, start, bytes.length));
    assertThat(call.lines).isNotEmpty();
    EventLine last = call.lines.get(call.lines.size() - 1);
    assertThat(last.getEnd()).isNotEqualTo(LogEnd.LOG_END_UNSPECIFIED);
    assertThat(last.getText().isEmpty()).isTrue();
    List<EventLine> sent = call.lines.subList(0, call.lines.size() - 1);
    long number = Math.max(1, from);
    long offset = start;
    int expectedIndex = 0;
    for (byte[] line : lines) {
      long n = firstNumber + expectedIndex++;
      if (n >= Math.max(1, from)) {
        int k = (int) (n - Math.max(1, from));
        assertThat(k).as("line %d sent", n).isLessThan(sent.size());
        EventLine l = sent.get(k);
        assertThat(l.getVm()).isEqualTo(3);
        assertThat(l.getNumber()).isEqualTo(number++);
        assertThat(l.getEnd()).isEqualTo(LogEnd.LOG_END_UNSPECIFIED);
        assertThat(l.getOffset()).as("offset of line %d", n).isEqualTo(offset);
        assertThat(l.getText().toByteArray()).as("line %d", n).isEqualTo(line);
      }
      offset += line.length;
    }
    assertThat(sent).hasSize((int) (number - Math.max(1, from)));
    assertThat(last.getOffset()).as("where the next line starts").isEqualTo(offset);
  }

  private static long openedSize(byte[] initial, List<byte[]> appends) {
    return (initial == null ? 0 : initial.length) + (appends.isEmpty() ? 0 : appends.get(0).length);
  }

  private static void append(Path log, byte[] bytes) {
    try {
      Files.write(log, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The file's lines that end with a newline, newline included. */
  static List<byte[]> completeLines(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lines.add(Arrays.copyOfRange(bytes, start, i + 1));
        start = i + 1;
      }
    }
    return lines;
  }

  /** Runs a scheduled poll at once, on the caller's thread. */
  static final class InlineTimer extends ScheduledThreadPoolExecutor {
    InlineTimer() {
      super(0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      command.run();
      return null;
    }
  }

  /** A server call whose readiness follows fuzzed booleans (then is always ready). */
  static final class Call extends ServerCallStreamObserver<EventLine> {
    final boolean[] readiness;
    int asked;
    Runnable ready = () -> {};
    Runnable cancel = () -> {};
    final List<EventLine> lines = new ArrayList<>();
    Throwable error;
    boolean completed;
    boolean closed;

    Call(boolean[] readiness) {
      this.readiness = readiness;
    }

    @Override
    public boolean isReady() {
      return asked < readiness.length ? readiness[asked++] : true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {
      ready = onReadyHandler;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {
      cancel = onCancelHandler;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void onNext(EventLine value) {
      assertThat(closed).as("a line after the call ended").isFalse();
      lines.add(value);
    }

    @Override
    public void onError(Throwable t) {
      assertThat(closed).as("an error after the call ended").isFalse();
      closed = true;
      error = t;
    }

    @Override
    public void onCompleted() {
      assertThat(closed).as("completed twice").isFalse();
      closed = true;
      completed = true;
    }
  }
}
