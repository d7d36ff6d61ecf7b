package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import logicalclocks.config.HostPort;
import logicalclocks.transport.proto.LogEnd;
import logicalclocks.ui.LogFollower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower started before its VM (the live page's {@code ui} pod before the StatefulSet's pods,
 * {@code watch} before {@code docker compose up}) sees the VM within its own retry once the VM
 * serves, however long it was refused: not after gRPC's connection backoff, which by then has grown
 * to seconds (and to two minutes at most) while the VM's run goes on unseen.
 */
class LogFollowerReconnectTest {
  @TempDir Path dir;

  @Test
  void aVmThatComesUpAfterManyRefusalsIsFollowedWithinTheRetry() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    AtomicInteger attempts = new AtomicInteger();
    int port;
    // Before the VM serves: a port that takes each connection and resets it at once (as a pod's
    // address does before its server is up), counting gRPC's connection attempts.
    ServerSocket refusing = new ServerSocket(0, 50, loopback);
    port = refusing.getLocalPort();
    Thread acceptor =
        new Thread(
            () -> {
              while (!refusing.isClosed()) {
                try (Socket s = refusing.accept()) {
                  s.setSoLinger(true, 0);
                  attempts.incrementAndGet();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.start();
    CountDownLatch connected = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    LogFollower.Listener listener =
        new LogFollower.Listener() {
          @Override
          public void connected(int vm) {
            connected.countDown();
          }

          @Override
          public void line(int vm, String line) {}

          @Override
          public void ended(int vm, LogEnd end) {
            if (end == LogEnd.LOG_END_FINISHED) {
              finished.countDown();
            }
          }

          @Override
          public void unreachable(int vm, String why) {}
        };
    Network network = Network.tcp(null);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    Server server = null;
    try (LogFollower f =
        new LogFollower(
                network,
                new HostPort(loopback.getHostAddress(), port),
                2,
                0,
                Duration.ofMillis(200),
                listener)
            .start()) {
      // Five refused attempts: without a reset between them, gRPC spaces them 1, 1.6, 2.56 and
      // 4.1 s apart (each +-20 %), and waits 6.6 s (at least 5.2 s) before the sixth.
      await("five connection attempts refused")
          .atMost(Duration.ofSeconds(60))
          .until(() -> attempts.get() >= 5);
      refusing.close();
      acceptor.join(5000);
      Files.writeString(
          dir.resolve("machine_2.log"),
          EventLogServiceTest.START + EventLogServiceTest.stop("finished"));
      server =
          network
              .server(new InetSocketAddress(loopback, port))
              .addService(new EventLogServiceImpl(2, dir, () -> true, timer))
              .build()
              .start();
      assertThat(connected.await(3, TimeUnit.SECONDS))
          .as(
              "followed within 3 s of the VM serving, after %d refused attempts (retry 200 ms)",
              attempts.get())
          .isTrue();
      assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      refusing.close();
      if (server != null) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      timer.shutdownNow();
    }
  }

  @Test
  void anUnreachableVmSaysWhy() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, loopback)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    java.util.concurrent.BlockingQueue<String> whys =
        new java.util.concurrent.LinkedBlockingQueue<>();
    LogFollower.Listener listener =
        new LogFollower.Listener() {
          @Override
          public void connected(int vm) {}

          @Override
          public void line(int vm, String line) {}

          @Override
          public void ended(int vm, LogEnd end) {}

          @Override
          public void unreachable(int vm, String why) {
            whys.add(why);
          }
        };
    try (LogFollower f =
        new LogFollower(
                Network.tcp(null),
                new HostPort(loopback.getHostAddress(), port),
                0,
                0,
                Duration.ofMillis(200),
                listener)
            .start()) {
      String why = whys.poll(30, TimeUnit.SECONDS);
      assertThat(why)
          .as("the page's 'unreachable (why)' names the refusal, not only the status code")
          .startsWith("UNAVAILABLE: ")
          .contains("Connection refused");
    }
  }

  @Test
  void aNameThatDoesNotResolveIsSaidSo() {
    String why =
        LogFollower.why(
            io.grpc.Status.UNAVAILABLE
                .withDescription("Unable to resolve host vm9")
                .withCause(new java.net.UnknownHostException("vm9: Name or service not known"))
                .asRuntimeException());
    assertThat(why)
        .isEqualTo("UNAVAILABLE: Unable to resolve host vm9 (vm9: Name or service not known)");
    assertThat(LogFollower.why(io.grpc.Status.DEADLINE_EXCEEDED.asRuntimeException()))
        .isEqualTo("DEADLINE_EXCEEDED");
  }
}
