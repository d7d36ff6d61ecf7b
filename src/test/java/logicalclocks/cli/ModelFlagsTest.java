package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The model's flags (ModelOptions) are declared once: local, bench and experiment take every one,
 * with the same names, defaults and help; sweep takes --machines and the weather's.
 */
class ModelFlagsTest {
  static Map<String, String> modelOptions(String command) {
    CommandLine cl = Main.commandLine().getSubcommands().get(command);
    Map<String, String> out = new TreeMap<>();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      String name = o.longestName();
      if (o.userObject() instanceof java.lang.reflect.Field f
          && f.getDeclaringClass().getName().startsWith(ModelOptions.class.getName())) {
        out.put(
            name,
            String.join("|", o.names())
                + " default="
                + o.defaultValue()
                + " help="
                + String.join(" ", o.description()));
      }
    }
    return out;
  }

  @Test
  void theModelsFlagsAreTheSameOnLocalBenchAndExperiment() {
    Map<String, String> local = modelOptions("local");
    assertThat(local)
        .containsKeys(
            "--num_machines",
            "--tick-rate",
            "--die-sides",
            "--queue-capacity",
            "--send-timeout-ms",
            "--loss",
            "--clock-offsets",
            "--extra-clocks");
    assertThat(modelOptions("bench")).isEqualTo(local);
    assertThat(modelOptions("experiment")).isEqualTo(local);
    Map<String, String> sweep = modelOptions("sweep");
    for (String f : List.of("--num_machines", "--delay-ms", "--loss", "--partition")) {
      assertThat(sweep.get(f)).as("sweep " + f).isEqualTo(local.get(f));
    }
  }
}
