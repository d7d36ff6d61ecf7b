package logicalclocks.cli;

import picocli.CommandLine;

/** For tests outside this package: whether a command line parses (without running it). */
public final class CliAccess {
  private CliAccess() {}

  public static boolean parses(String... args) {
    try {
      Main.commandLine().parseArgs(args);
      return true;
    } catch (CommandLine.ParameterException e) {
      return false;
    }
  }
}
