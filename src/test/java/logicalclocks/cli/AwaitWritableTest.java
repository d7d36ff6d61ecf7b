package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node waits for LOG_DIR to become writable (compose's logs-init opens it while the VMs start)
 * instead of failing at once. (Tests run as root, for whom any existing directory is writable, so a
 * directory that does not exist yet plays the one not yet opened.)
 */
class AwaitWritableTest {
  @TempDir Path tmp;

  @Test
  void returnsOnceTheDirectoryBecomesWritable() throws Exception {
    Path dir = tmp.resolve("logs");
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return NodeCommand.awaitWritable(dir, Duration.ofSeconds(30), () -> false);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(waited).isNotDone();
    Files.createDirectories(dir);
    assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void givesUpAtTheTimeoutOrWhenCancelled() throws Exception {
    Path dir = tmp.resolve("never");
    assertThat(NodeCommand.awaitWritable(dir, Duration.ofMillis(100), () -> false)).isFalse();
    AtomicBoolean stop = new AtomicBoolean(true);
    assertThat(NodeCommand.awaitWritable(dir, Duration.ofSeconds(60), stop::get)).isFalse();
    assertThat(NodeCommand.awaitWritable(tmp, Duration.ZERO, () -> false)).isTrue();
  }
}
