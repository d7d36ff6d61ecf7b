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

/**
 * Fuzzes {@code Events} ({@link EventLogServiceImpl}) with a fuzzed {@code from_line} and {@code
 * follow}, a log of fuzzed bytes (or none yet) that grows while it is read, and a caller that is
 * not always ready to take a line. Handled through a direct call observer, so every step runs on
 * the test's thread (the followers' poll runs at once instead of 50 ms later). It never throws and
 * never fails the call for a valid request; the lines sent are exactly the log's complete lines
 * from {@code max(1, from_line)} on, byte for byte, numbered from 1 — never a byte that is not in
 * the file, never a line without its newline; and the call ends once the run is over.
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
    if (data.consumeBoolean()) {
      byte[] initial = data.consumeBytes(data.consumeInt(0, 512));
      Files.write(log, initial);
      file.write(initial);
    }
    long from = data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-1, 8);
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
    service.events(EventsRequest.newBuilder().setFromLine(from).setFollow(follow).build(), call);
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
    List<byte[]> expected = completeLines(file.toByteArray());
    List<byte[]> sent = new ArrayList<>();
    long number = Math.max(1, from);
    for (EventLine l : call.lines) {
      assertThat(l.getVm()).isEqualTo(3);
      assertThat(l.getNumber()).isEqualTo(number++);
      sent.add(l.getText().toByteArray());
    }
    List<byte[]> tail =
        from - 1 >= expected.size()
            ? List.of()
            : expected.subList((int) Math.max(0, from - 1), expected.size());
    assertThat(sent).hasSameSizeAs(tail);
    for (int i = 0; i < tail.size(); i++) {
      assertThat(sent.get(i)).as("line %d", i + Math.max(1, from)).isEqualTo(tail.get(i));
    }
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
