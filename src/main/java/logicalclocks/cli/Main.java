package logicalclocks.cli;

import java.io.IOException;
import java.security.Security;
import java.util.Properties;
import logicalclocks.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar logical-clocks.jar <command>}. */
@Command(
    name = "logical-clocks",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Lamport logical clocks in a small asynchronous distributed system over gRPC.",
    subcommands = {
      LocalCommand.class,
      NodeCommand.class,
      HealthCommand.class,
      InitLogsCommand.class,
      AnalyzeCommand.class,
      ExperimentCommand.class,
      SweepCommand.class,
      NotebookCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      CollectCommand.class,
      WatchCommand.class,
      ServeCommand.class,
      ExportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit status for bad configuration or usage. */
  public static final int EXIT_CONFIG = 2;

  /** Exit status for a run that could not start or failed. */
  public static final int EXIT_FAILURE = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Peers appear in DNS only once their containers start: do not cache a failed lookup for the
    // JDK's
    // default 10 s, and let a restarted peer's new address be seen soon.
    Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Security.setProperty("networkaddress.cache.ttl", "5");
    // gRPC logs through java.util.logging: send it to SLF4J/logback like everything else.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    int exit;
    try {
      exit = commandLine().execute(args);
    } catch (OutOfMemoryError e) {
      System.err.println(outOfMemory(null));
      exit = EXIT_FAILURE;
    }
    System.exit(exit);
  }

  /**
   * The one line printed when the heap runs out in {@code command} (null when not known): what to
   * do, never a stack trace; for an analysis, what its memory grows with.
   */
  static String outOfMemory(String command) {
    return String.format(
        java.util.Locale.ROOT,
        "error: out of memory (the heap's limit is %d MiB): give the JVM more, e.g. java -Xmx2g"
            + " -jar logical-clocks.jar ...%s",
        Runtime.getRuntime().maxMemory() >> 20,
        "analyze".equals(command)
            ? " (an analysis needs memory for the VMs, for the messages whose fate it has not read"
                + " yet, and for its charts' summaries, which are bounded; not for the run's"
                + " length)"
            : "");
  }

  /** The configured command line (tests call {@code execute} on it). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // No @file expansion: '--partition @FILE' is the model's own spec file, read and checked by it.
    cl.setExpandAtFiles(false);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof ConfigException) {
            cmd.getErr().println("error: " + ex.getMessage());
            return EXIT_CONFIG;
          }
          if (ex.getCause() instanceof OutOfMemoryError) {
            cmd.getErr().println(outOfMemory(cmd.getCommandName()));
            return EXIT_FAILURE;
          }
          if (ex instanceof IOException) {
            // A run that cannot start or read/write its files: one line, not a stack trace.
            cmd.getErr().println("error: " + ex.getMessage());
            return EXIT_FAILURE;
          }
          throw ex;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (var in = Main.class.getResourceAsStream("/logicalclocks/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"logical-clocks " + p.getProperty("version", "(dev)")};
    }
  }
}
