package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import logicalclocks.experiment.Experiment;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A custom study's default folder is not the assignment's, which the notebook reads. */
class ExperimentFolderTest {
  static String folder(String... args) {
    CommandLine main = Main.commandLine();
    var parsed = main.parseArgs(args);
    ExperimentCommand cmd = (ExperimentCommand) parsed.subcommand().commandSpec().userObject();
    return cmd.defaultFolder(Experiment.Engine.SIM);
  }

  @Test
  void eachStudyHasItsOwnDefaultFolder() {
    assertThat(folder("experiment", "--sim")).isEqualTo("experiment-sim");
    assertThat(folder("experiment", "--sim", "--rates", "3,5,2", "--runs", "3"))
        .isEqualTo("experiment-sim-custom");
    assertThat(folder("experiment", "--sim", "--rates", "3,5,2", "--name", "mine"))
        .isEqualTo("experiment-sim-mine");
    assertThat(folder("experiment", "--sim", "--plan", "all")).isEqualTo("experiment-sim-all");
    assertThat(folder("experiment", "--sim", "--plan", "plans/my-plan.json"))
        .isEqualTo("experiment-sim-my-plan");
  }
}
