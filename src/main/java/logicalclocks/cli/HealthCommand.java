package logicalclocks.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.Source;
import logicalclocks.transport.HealthCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code health}: a gRPC health probe for container healthchecks. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = "Ask a VM's gRPC health service; exit 0 when SERVING, 1 otherwise.")
final class HealthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      description =
          "host:port to ask (default: localhost:$PORT, or localhost:$HEALTH_PORT with TLS; PORT 50051)")
  String target;

  @Option(
      names = "--timeout",
      defaultValue = "2",
      description = "seconds to wait for an answer (default 2)")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    // The port is read as node reads it: PORT, or HEALTH_PORT with mutual TLS (health is plaintext
    // there).
    String t =
        target != null
            ? target
            : "localhost:" + ConfigParser.probePort(Source.env(System.getenv()));
    String status = HealthCheck.check(t, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    spec.commandLine().getOut().println(t + " " + status);
    return "SERVING".equals(status) ? 0 : 1;
  }
}
