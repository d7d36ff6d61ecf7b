package logicalclocks.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code completion bash}: the shell completion script for every command and flag, written by
 * picocli's own generator from the commands' specification (bash; zsh reads it through {@code
 * bashcompinit}).
 */
@Command(
    name = "completion",
    header = "Print the shell completion script of every command and flag (bash or zsh).",
    mixinStandardHelpOptions = true,
    description = {
      "Print the shell completion script of every command and flag (bash; zsh after",
      "'autoload -U +X bashcompinit && bashcompinit'). With an alias",
      "  alias logical-clocks='java -jar target/logical-clocks.jar'",
      "load it with: source <(logical-clocks completion bash)"
    })
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..1",
      defaultValue = "bash",
      paramLabel = "SHELL",
      description = "bash or zsh (default: ${DEFAULT-VALUE})")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new logicalclocks.config.ConfigException("SHELL", shell, "bash or zsh");
    }
    spec.commandLine()
        .getOut()
        .print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
