package logicalclocks.ui;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.HostPort;
import logicalclocks.transport.Network;
import logicalclocks.transport.proto.EventLine;
import logicalclocks.transport.proto.EventLogServiceGrpc;
import logicalclocks.transport.proto.EventsRequest;
import logicalclocks.transport.proto.LogEnd;

/**
 * Follows one VM's log through its {@code Events} RPC on a thread of its own, from where it left
 * off: a VM that is not up yet, stops, restarts or cannot be reached is tried again every {@code
 * retry}, asking for the line after the last one it got (never from line 1 again). It ends once the
 * VM says its log ended for good ({@link LogEnd#LOG_END_FINISHED} or {@link
 * LogEnd#LOG_END_FAILED}); after {@link LogEnd#LOG_END_STOPPED} (stopped by a signal) it goes on,
 * for the VM's restart.
 */
public final class LogFollower implements AutoCloseable {
  /** What a follower reports. */
  public interface Listener {
    /** The stream is open. */
    void connected(int vm);

    /** The next line of the VM's log (newline included). */
    void line(int vm, String line);

    /**
     * A call ended with every line sent, and the VM said how its log ended: after {@code
     * LOG_END_FINISHED} or {@code LOG_END_FAILED} nothing more is asked; after {@code
     * LOG_END_STOPPED} the follower goes on asking, for a restart.
     */
    void ended(int vm, LogEnd end);

    /** The VM could not be reached or the stream broke; it will be tried again. */
    void unreachable(int vm, String why);
  }

  private final Thread thread;
  private volatile boolean closed;
  private volatile Context.CancellableContext call;

  /**
   * @param linesSeen lines already received (the follower asks for the next one)
   */
  public LogFollower(
      Network network, HostPort peer, int vm, long linesSeen, Duration retry, Listener listener) {
    this.thread =
        new Thread(
            () -> {
              long next = linesSeen + 1;
              // Where line `next` starts in the file, as the VM said (0: not known yet).
              long[] offset = {0};
              ManagedChannel channel = network.channel(peer);
              try {
                while (!closed) {
                  CountDownLatch ended = new CountDownLatch(1);
                  long[] got = {0};
                  LogEnd[] end = {null};
                  String[] why = {null};
                  boolean[] atDeadline = {false};
                  long from = next;
                  Context.CancellableContext ctx = Context.current().withCancellation();
                  call = ctx;
                  ctx.run(
                      () ->
                          EventLogServiceGrpc.newStub(channel)
                              .withDeadlineAfter(retry.toMillis() * 4 + 1000, TimeUnit.MILLISECONDS)
                              .events(
                                  EventsRequest.newBuilder()
                                      .setFromLine(from)
                                      .setFromOffset(offset[0])
                                      .setFollow(true)
                                      .build(),
                                  new StreamObserver<>() {
                                    boolean announced;

                                    @Override
                                    public void onNext(EventLine l) {
                                      if (l.getEnd() != LogEnd.LOG_END_UNSPECIFIED) {
                                        end[0] = l.getEnd();
                                        offset[0] = l.getOffset();
                                        return;
                                      }
                                      offset[0] = l.getOffset() + l.getText().size();
                                      if (!announced) {
                                        announced = true;
                                        listener.connected(vm);
                                      }
                                      got[0]++;
                                      listener.line(
                                          vm, l.getText().toString(StandardCharsets.UTF_8));
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                      why[0] = why(t);
                                      atDeadline[0] =
                                          Status.fromThrowable(t).getCode()
                                              == Status.Code.DEADLINE_EXCEEDED;
                                      ended.countDown();
                                    }

                                    @Override
                                    public void onCompleted() {
                                      if (end[0] == null) { // a server that does not say
                                        end[0] = LogEnd.LOG_END_FINISHED;
                                      }
                                      ended.countDown();
                                    }
                                  }));
                  ended.await();
                  next += got[0];
                  if (end[0] != null) {
                    listener.ended(vm, end[0]);
                    if (end[0] == LogEnd.LOG_END_FINISHED || end[0] == LogEnd.LOG_END_FAILED) {
                      return;
                    }
                  }
                  if (closed) {
                    return;
                  }
                  if (end[0] != null) {
                    // Stopped by a signal (or still running): its process is going away; ask again,
                    // from the next line, for its restart.
                    Thread.sleep(retry.toMillis());
                    retryNow(channel);
                    continue;
                  }
                  // A follow call ends at its deadline now and then (so a silently dead peer is
                  // noticed): that is no outage, ask again for the next line at once.
                  if (!atDeadline[0]) {
                    listener.unreachable(vm, why[0]);
                    Thread.sleep(retry.toMillis());
                    retryNow(channel);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                try {
                  network.release(channel);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "follow-vm" + vm);
    thread.setDaemon(true);
  }

  /**
   * Makes the next call try to connect now, every {@code retry}: a channel that failed to connect
   * waits out gRPC's own backoff (1 s growing by 1.6 up to 2 min, name resolution likewise) and
   * fails every call at once until then, so a VM that came up after its follower had been refused
   * for a minute would be seen only up to a minute later, its run perhaps over by then.
   */
  private static void retryNow(ManagedChannel channel) {
    channel.resetConnectBackoff();
  }

  public LogFollower start() {
    thread.start();
    return this;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    var c = call;
    if (c != null) {
      c.cancel(null);
    }
    thread.interrupt();
    thread.join(5000);
  }

  /**
   * Why a call failed, as a user can act on it: the status code, gRPC's description and its cause's
   * message (a name that does not resolve, a connection refused, a certificate refused).
   */
  public static String why(Throwable t) {
    if (!(t instanceof StatusRuntimeException e)) {
      return t.toString();
    }
    Status s = e.getStatus();
    StringBuilder b = new StringBuilder(s.getCode().name());
    String description = s.getDescription();
    if (description != null && !description.isBlank()) {
      b.append(": ").append(description);
    }
    String cause = s.getCause() == null ? null : s.getCause().getMessage();
    if (cause != null
        && !cause.isBlank()
        && (description == null || !description.contains(cause))) {
      b.append(" (").append(cause).append(')');
    }
    return b.toString();
  }
}
