package logicalclocks.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One VM run by {@code node}, configured by environment variables.
 *
 * @param id this VM's id, its index in {@code peers}
 * @param peers every VM's address, in id order (entry {@code id} is this VM)
 * @param port port this VM's gRPC server listens on
 * @param duration run length; zero runs until stopped
 * @param model the model's knobs
 * @param logDir where {@code machine_<id>.log} is written
 * @param startupTimeout how long to wait for every peer to be serving
 * @param afterRun what the process does once its DURATION is over
 * @param tls mutual TLS settings, or null for plaintext
 * @param metricsPort where Prometheus' /metrics is served, 0 for nowhere
 * @param healthFile where the health status is mirrored for a healthcheck (HEALTH_FILE), or null
 * @param snapshotEvery how often VM 0 takes a snapshot of the cluster ({@code SNAPSHOT_EVERY};
 *     zero: only when asked; the other VMs take part whatever theirs says)
 * @param reflection whether the gRPC server answers server reflection (GRPC_REFLECTION; by default
 *     on in plaintext, off under mutual TLS)
 */
public record NodeConfig(
    int id,
    List<HostPort> peers,
    int port,
    Duration duration,
    ModelConfig model,
    Path logDir,
    Duration startupTimeout,
    AfterRun afterRun,
    TlsConfig tls,
    int metricsPort,
    Path healthFile,
    boolean reflection,
    Duration snapshotEvery) {

  /** What a node does when its run is over. */
  public enum AfterRun {
    /** Exit 0 (compose, plain runs). */
    EXIT,
    /**
     * Stay alive, idle, until stopped; and on a restart over a log whose run already finished, do
     * not run again (a StatefulSet restarts every exited container).
     */
    WAIT
  }

  public NodeConfig {
    peers = List.copyOf(peers);
  }
}
