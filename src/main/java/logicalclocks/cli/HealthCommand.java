package logicalclocks.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import logicalclocks.transport.HealthCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code health}: a gRPC health probe for container healthchecks. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Ask a VM's gRPC health service; exit 0 when SERVING, 1 otherwise.")
final class HealthCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--target",
      description = "host:port to ask (default: localhost:$PORT, or localhost:$HEALTH_PORT with TLS; PORT 50051)")
  String target;

  @Option(names = "--timeout", defaultValue = "2", description = "seconds to wait for an answer (default 2)")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    String t = target;
    if (t == null) {
      String port = System.getenv("PORT");
      int p = port == null || port.isBlank() ? 50051 : Integer.parseInt(port.trim());
      String tls = System.getenv("TLS_CERT");
      if (tls != null && !tls.isBlank()) {
        // With mutual TLS, health is also served in plaintext on HEALTH_PORT for probes.
        String hp = System.getenv("HEALTH_PORT");
        p = hp == null || hp.isBlank() ? p + 1 : Integer.parseInt(hp.trim());
      }
      t = "localhost:" + p;
    }
    String status = HealthCheck.check(t, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    spec.commandLine().getOut().println(t + " " + status);
    return "SERVING".equals(status) ? 0 : 1;
  }
}
