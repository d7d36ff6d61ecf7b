package logicalclocks.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * N VMs in one JVM on loopback, run by {@code local}.
 *
 * @param basePort VM i listens on basePort + i
 * @param duration run length; zero runs until stopped
 * @param model the model's knobs (with the number of VMs)
 * @param logDir where the {@code machine_<id>.log} files are written
 * @param snapshotEvery how often a snapshot of the run begins ({@code SNAPSHOT_EVERY}); zero: never
 */
public record LocalConfig(
    int basePort, Duration duration, ModelConfig model, Path logDir, Duration snapshotEvery) {
  /** A run that takes no snapshots. */
  public LocalConfig(int basePort, Duration duration, ModelConfig model, Path logDir) {
    this(basePort, duration, model, logDir, Duration.ZERO);
  }

  /** Number of VMs. */
  public int machines() {
    return model.machines();
  }
}
