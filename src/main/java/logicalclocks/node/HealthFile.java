package logicalclocks.node;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's gRPC health status mirrored into a file (HEALTH_FILE), for a container healthcheck
 * that starts no JVM: the file holds the status the health service answers ({@code SERVING} once
 * the server is started, {@code NOT_SERVING} from the stop on), one word and a newline, replaced
 * atomically at each change. It says what the node set, not that its threads still answer: a probe
 * pairs it with a TCP connect to the node's port.
 */
public final class HealthFile {
  private static final Logger LOG = LoggerFactory.getLogger(HealthFile.class);

  private final Path file;

  /** Starts with no file: a status left by an earlier process in this container is removed. */
  public HealthFile(Path file) throws IOException {
    this.file = file;
    Files.deleteIfExists(file);
  }

  public Path path() {
    return file;
  }

  /** Writes {@code status}; a failure is logged (the probe then reports unhealthy), not thrown. */
  public void write(ServingStatus status) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, status.name() + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write health status {} to {}: {}", status, file, e.toString());
    }
  }

  /** The status in {@code file}, or null when there is none. */
  public static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).strip() : null;
  }
}
