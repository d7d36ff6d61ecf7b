package logicalclocks.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.config.HostPort;
import logicalclocks.transport.Network;
import logicalclocks.transport.proto.LogEnd;

/**
 * Follows every VM's {@code Events} RPC into a {@link Sink} ({@code serve}'s {@link Feed}, {@code
 * watch}'s screen): a VM not reachable is tried again (and shown unreachable), one stopped by a
 * signal is followed through its restart, one whose run finished or failed is shown so.
 */
public final class Follow implements AutoCloseable {
  /** Where what the followers see goes: each VM's state and its next line (from their threads). */
  public interface Sink {
    void state(int vm, WatchModel.State state, String detail);

    /** VM {@code vm}'s next line (newline included), read at host time {@code hostMs}. */
    void line(int vm, String line, long hostMs);
  }

  private final List<LogFollower> followers = new ArrayList<>();

  /** Follows into the live page's feed. */
  public Follow(Feed feed, Network network, List<HostPort> vms) {
    this(
        new Sink() {
          @Override
          public void state(int vm, WatchModel.State state, String detail) {
            feed.state(vm, state, detail);
          }

          @Override
          public void line(int vm, String line, long hostMs) {
            feed.line(vm, line, hostMs);
          }
        },
        network,
        vms);
  }

  public Follow(Sink sink, Network network, List<HostPort> vms) {
    LogFollower.Listener listener =
        new LogFollower.Listener() {
          @Override
          public void connected(int vm) {
            sink.state(vm, WatchModel.State.LIVE, "");
          }

          @Override
          public void line(int vm, String line) {
            sink.line(vm, line, System.currentTimeMillis());
          }

          @Override
          public void ended(int vm, LogEnd end) {
            switch (end) {
              case LOG_END_FINISHED -> sink.state(vm, WatchModel.State.FINISHED, "");
              case LOG_END_FAILED -> sink.state(vm, WatchModel.State.FAILED, "");
              case LOG_END_STOPPED ->
                  sink.state(vm, WatchModel.State.STOPPED, "waiting for its restart");
              default -> {} // still running: the follower asks again
            }
          }

          @Override
          public void unreachable(int vm, String why) {
            sink.state(vm, WatchModel.State.UNREACHABLE, why);
          }
        };
    for (int i = 0; i < vms.size(); i++) {
      followers.add(
          new LogFollower(network, vms.get(i), i, 0, Duration.ofSeconds(1), listener).start());
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (LogFollower f : followers) {
      f.close();
    }
  }
}
