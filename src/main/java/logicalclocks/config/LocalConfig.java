package logicalclocks.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * N VMs in one JVM on loopback, run by {@code local}.
 *
 * @param machines number of VMs
 * @param basePort VM i listens on basePort + i
 * @param duration run length; zero runs until stopped
 * @param model the model's knobs
 * @param logDir where the {@code machine_<id>.log} files are written
 */
public record LocalConfig(int machines, int basePort, Duration duration, ModelConfig model, Path logDir) {}
