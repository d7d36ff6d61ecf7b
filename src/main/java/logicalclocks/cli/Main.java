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
      SnapshotCommand.class,
      ReplayCommand.class,
      DiffCommand.class,
      ServeCommand.class,
      ExportCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit status for bad input: a setting, a flag, a file or a port that cannot be used. */
  public static final int EXIT_CONFIG = 2;

  /** Exit status for a verdict against the run: a rule broken, a run or campaign incident. */
  public static final int EXIT_FAILURE = 1;

  /**
   * Exit status for a command that could not finish: out of memory, or an internal error (a bug);
   * never a verdict on the run.
   */
  public static final int EXIT_INTERNAL = 3;

  /** What every command's help says its exit statuses mean (one meaning each), in order. */
  static final java.util.Map<String, String> EXIT_CODES = exitCodes();

  private static java.util.Map<String, String> exitCodes() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("0", "done (and verified, where the command checks a run)");
    m.put("1", "a verdict: a clock rule broken, a message unaccounted for, a run incident");
    m.put("2", "bad input: a setting, flag, file or port that cannot be used");
    m.put("3", "could not finish: out of memory, or an internal error (its details in a file)");
    return java.util.Collections.unmodifiableMap(m);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Peers appear in DNS only once their containers start: do not cache a failed lookup for the
    // JDK's
    // default 10 s, and let a restarted peer's new address be seen soon.
    try {
      logicalclocks.config.ConfigParser.logLevel(logicalclocks.config.Source.env(System.getenv()));
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
    }
    Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Security.setProperty("networkaddress.cache.ttl", "5");
    // gRPC logs through java.util.logging: send it to SLF4J/logback like everything else.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(execute(commandLine(), args));
  }

  /**
   * Runs {@code cl} on {@code args}: its handlers take what a command throws ({@link #configure});
   * an Error picocli lets through (out of memory, a stack overflow) is one line and exit 3 here.
   */
  static int execute(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // The command, as typed (analyze's line says what its memory grows with).
      cl.getErr().println(outOfMemory(args.length > 0 ? args[0] : null));
      cl.getErr().flush();
      return EXIT_INTERNAL;
    } catch (Error e) {
      cl.getErr().println(internalError(e, cl.getCommandName()));
      cl.getErr().flush();
      return EXIT_INTERNAL;
    }
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
            ? " (an analysis needs memory for the VMs and for the messages whose fate is still"
                + " open: a message dropped while its receiver was cut off or down stays open until"
                + " the logs settle it, so a long partition needs more; its charts' summaries are"
                + " bounded)"
            : "");
  }

  /** The configured command line (tests call {@code execute} on it). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // No @file expansion: '--partition @FILE' is the model's own spec file, read and checked by it.
    cl.setExpandAtFiles(false);
    configure(cl);
    return cl;
  }

  /**
   * Every command's version, exit-status list and error handling (a test's command gets the same):
   * bad input one line and exit 2, out of memory or an internal error one line and exit 3, the
   * details of an internal error written to a file the line names, never a stack trace on the
   * console.
   */
  static void configure(CommandLine cl) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    if (spec.versionProvider() == null) {
      spec.versionProvider(new Version());
    }
    // A command that takes another's flags as a mixin (bench takes local's) answers --version
    // through that mixin's spec.
    for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
      if (mixin.versionProvider() == null) {
        mixin.versionProvider(new Version());
      }
    }
    spec.usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
    cl.setParameterExceptionHandler(Main::badUsage);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof ConfigException) {
            cmd.getErr().println("error: " + ex.getMessage());
            return EXIT_CONFIG;
          }
          if (ex.getCause() instanceof OutOfMemoryError) {
            cmd.getErr().println(outOfMemory(cmd.getCommandName()));
            return EXIT_INTERNAL;
          }
          if (ex instanceof IOException) {
            // Files that cannot be read or written, a port that cannot be bound: one line.
            cmd.getErr().println("error: " + describe((IOException) ex));
            return EXIT_CONFIG;
          }
          cmd.getErr().println(internalError(ex, cmd.getCommandName()));
          return EXIT_INTERNAL;
        });
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getParent() == cl) {
        configure(sub);
      }
    }
  }

  /**
   * An I/O error in one line that says what is wrong with the path (the JDK's file exceptions say
   * only the path).
   */
  static String describe(IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
      String path = f.getFile();
      String what =
          e instanceof java.nio.file.NoSuchFileException
              ? "no such file or directory"
              : e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : e instanceof java.nio.file.FileAlreadyExistsException
                      ? "already exists, and is not a directory this command can write into"
                      : e instanceof java.nio.file.NotDirectoryException
                          ? "not a directory"
                          : e.getClass().getSimpleName();
      return path + ": " + what;
    }
    return e.getMessage();
  }

  /** A flag or argument picocli cannot parse: one line, what to type for the usage, exit 2. */
  private static int badUsage(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String hint = "";
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
    }
    String message = ex.getMessage().replaceFirst("^Error: ", "");
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && !u.getUnmatched().isEmpty()
        && u.getUnmatched().get(0).startsWith("-")) {
      message = "unknown option '" + u.getUnmatched().get(0) + "'"; // not the value after it
    }
    cmd.getErr()
        .println(
            "error: "
                + message
                + hint
                + "; '"
                + cmd.getCommandSpec().qualifiedName()
                + " --help' lists what it takes");
    return EXIT_CONFIG;
  }

  /**
   * The one line for an internal error: what broke, and the file its stack trace was written to (in
   * the temporary directory), or why it could not be.
   */
  static String internalError(Throwable ex, String command) {
    String where;
    try {
      java.nio.file.Path file =
          java.nio.file.Files.createTempFile("logical-clocks-" + command + "-error-", ".txt");
      java.io.StringWriter trace = new java.io.StringWriter();
      try (java.io.PrintWriter w = new java.io.PrintWriter(trace)) {
        w.println("logical-clocks " + versionText() + ", command " + command);
        ex.printStackTrace(w);
      }
      java.nio.file.Files.writeString(file, trace.toString());
      where = "the details are in " + file;
    } catch (IOException | RuntimeException e) {
      where = "its details could not be written (" + e.getMessage() + ")";
    }
    return String.format(
        java.util.Locale.ROOT,
        "error: internal error in %s (a bug, not a verdict on the run): %s; %s",
        command,
        ex,
        where);
  }

  private static String versionText() {
    try {
      return new Version().getVersion()[0].replace("logical-clocks ", "");
    } catch (IOException e) {
      return "(version unknown)";
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static final class Version implements CommandLine.IVersionProvider {
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
