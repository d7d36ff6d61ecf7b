package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.transport.HealthCheck;
import logicalclocks.vm.TickSlots;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/** VMs as containers on one Testcontainers network, each reachable by its DNS alias. */
final class VmCluster implements AutoCloseable {
  static final int PORT = 50051;

  final Network network = Network.newNetwork();
  final List<GenericContainer<?>> vms = new ArrayList<>();

  /**
   * Waits until the VM's own gRPC health service answers SERVING (readiness does not depend on
   * peers).
   */
  static final class GrpcHealthWait extends AbstractWaitStrategy {
    private final int port;

    GrpcHealthWait() {
      this(PORT);
    }

    /** Asks health on {@code port} (a TLS VM's plaintext HEALTH_PORT). */
    GrpcHealthWait(int port) {
      this.port = port;
    }

    @Override
    protected void waitUntilReady() {
      String target = waitStrategyTarget.getHost() + ":" + waitStrategyTarget.getMappedPort(port);
      await("gRPC health SERVING at " + target)
          .atMost(startupTimeout)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> "SERVING".equals(HealthCheck.check(target, Duration.ofSeconds(1))));
    }
  }

  /** Creates (does not start) a VM container named by its DNS alias. */
  GenericContainer<?> add(
      String image,
      String alias,
      Map<String, String> env,
      Consumer<GenericContainer<?>> customize) {
    GenericContainer<?> c =
        new GenericContainer<>(image)
            .withNetwork(network)
            .withNetworkAliases(alias)
            .withEnv(env)
            .withExposedPorts(PORT)
            .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("container." + alias)))
            .waitingFor(new GrpcHealthWait().withStartupTimeout(Duration.ofSeconds(60)));
    customize.accept(c);
    vms.add(c);
    return c;
  }

  /** Containers besides the VMs on this network (e.g. the ui), stopped first at {@link #close}. */
  final List<GenericContainer<?>> others = new ArrayList<>();

  void closeWith(GenericContainer<?> c) {
    others.add(c);
  }

  void start() {
    vms.forEach(GenericContainer::start);
  }

  static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  static Long exitCode(GenericContainer<?> c) {
    var state = docker().inspectContainerCmd(c.getContainerId()).exec().getState();
    return Boolean.TRUE.equals(state.getRunning()) ? null : state.getExitCodeLong();
  }

  /** Waits for every VM's process to exit and returns the exit codes. */
  List<Long> awaitExit(Duration atMost) {
    await("all VMs exited")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> vms.stream().allMatch(c -> exitCode(c) != null));
    return vms.stream().map(VmCluster::exitCode).toList();
  }

  static void sigterm(GenericContainer<?> c) {
    docker().killContainerCmd(c.getContainerId()).withSignal("TERM").exec();
  }

  /** Copies every file under {@code dir} of a container (running or exited) into {@code into}. */
  static void copyDir(GenericContainer<?> c, String dir, Path into) throws IOException {
    Files.createDirectories(into);
    try (InputStream in =
            docker().copyArchiveFromContainerCmd(c.getContainerId(), dir + "/.").exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          Files.copy(
              tar,
              into.resolve(Path.of(e.getName()).getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Lines in a VM's log so far (copied out of the running container into {@code scratch}). */
  static long logLines(GenericContainer<?> c, int id, Path scratch) throws IOException {
    try {
      copyDir(c, "/logs", scratch);
    } catch (NotFoundException e) {
      return 0;
    }
    Path log = scratch.resolve(EventLogFormat.fileName(id));
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return lines.count();
    }
  }

  /** Copies the VMs' logs out and checks them against every rule of the event-log contract. */
  EventLogReaderResult collectAndVerify(Path into) throws Exception {
    for (GenericContainer<?> c : vms) {
      copyDir(c, "/logs", into);
    }
    var logs = EventLogReader.readDir(into);
    assertThat(logs.keySet()).hasSize(vms.size());
    assertThat(Verifier.verify(logs)).as("violations of the event-log contract").isEmpty();
    return new EventLogReaderResult(logs);
  }

  record EventLogReaderResult(SortedMap<Integer, List<EventLogReader.Line>> logs) {
    long count(int vm, EventType type) {
      return logs.get(vm).stream().filter(l -> l.event().event() == type).count();
    }

    /** Ticks a VM did: its SEND, RECEIVE and INTERNAL events. */
    long ticks(int vm) {
      return count(vm, EventType.SEND)
          + count(vm, EventType.RECEIVE)
          + count(vm, EventType.INTERNAL);
    }

    /** Tick slots skipped by a VM (its lines' {@code missed=}). */
    long missed(int vm) {
      return TickSlots.missedInLines(logs.get(vm));
    }

    /**
     * A VM's tick slots: the ticks it did and those it skipped; rate x duration for a VM that ran
     * its whole run (a loaded host may make it skip some).
     */
    long slots(int vm) {
      return ticks(vm) + missed(vm);
    }

    LogEvent last(int vm) {
      var lines = logs.get(vm);
      return lines.get(lines.size() - 1).event();
    }
  }

  @Override
  public void close() {
    others.forEach(GenericContainer::stop);
    vms.forEach(GenericContainer::stop);
    network.close();
  }
}
