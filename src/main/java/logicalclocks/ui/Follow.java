package logicalclocks.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.config.HostPort;
import logicalclocks.transport.LogFollower;
import logicalclocks.transport.Network;
import logicalclocks.transport.proto.LogEnd;

/**
 * Feeds a {@link Feed} from every VM's {@code Events} RPC, as {@code watch} follows them: a VM not
 * reachable is tried again (and shown unreachable), one stopped by a signal is followed through its
 * restart, one whose run finished or failed is shown so.
 */
public final class Follow implements AutoCloseable {
  private final List<LogFollower> followers = new ArrayList<>();

  public Follow(Feed feed, Network network, List<HostPort> vms) {
    LogFollower.Listener listener =
        new LogFollower.Listener() {
          @Override
          public void connected(int vm) {
            feed.state(vm, WatchModel.State.LIVE, "");
          }

          @Override
          public void line(int vm, String line) {
            feed.line(vm, line, System.currentTimeMillis());
          }

          @Override
          public void ended(int vm, LogEnd end) {
            switch (end) {
              case LOG_END_FINISHED -> feed.state(vm, WatchModel.State.FINISHED, "");
              case LOG_END_FAILED -> feed.state(vm, WatchModel.State.FAILED, "");
              case LOG_END_STOPPED ->
                  feed.state(vm, WatchModel.State.STOPPED, "waiting for its restart");
              default -> {}
            }
          }

          @Override
          public void unreachable(int vm, String why) {
            feed.state(vm, WatchModel.State.UNREACHABLE, why);
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
