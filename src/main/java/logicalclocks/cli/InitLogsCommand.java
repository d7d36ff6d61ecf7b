package logicalclocks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code init-logs DIR}: creates a log directory and opens it to the image's non-root user. Run as
 * root by docker-compose.yml's one-shot {@code logs-init} service, because the engine creates a
 * missing bind-mount directory root-owned.
 */
@Command(
    name = "init-logs",
    mixinStandardHelpOptions = true,
    description =
        "Create DIR and make it writable by the VMs' non-root user (compose's logs-init service).")
final class InitLogsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "the log directory")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    spec.commandLine().getOut().println(dir + " is ready for the VMs' logs");
    return 0;
  }
}
