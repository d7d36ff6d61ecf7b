package logicalclocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import logicalclocks.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Docs that cannot drift: every flag a command line in README.md or docs/ gives a command ({@code
 * java -jar target/logical-clocks.jar CMD ... --flag}) is one of that command's options, as
 * picocli's own model of the command says; and every command named so exists.
 */
class DocsFlagsTest {
  static final Pattern COMMAND =
      Pattern.compile("java (?:-\\S+ )*-jar (?:\\S*/)?logical-clocks\\.jar (\\w[\\w-]*)([^`\\n]*)");
  static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][\\w-]*)");

  @Test
  void everyDocumentedFlagIsAnOptionOfItsCommand() throws IOException {
    CommandLine main = Main.commandLine();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Path file : DocsLinksTest.docs()) {
      List<String> lines = Files.readAllLines(file);
      for (int n = 0; n < lines.size(); n++) {
        Matcher m = COMMAND.matcher(lines.get(n));
        while (m.find()) {
          String cmd = m.group(1);
          String where = DocsLinksTest.ROOT.relativize(file) + ":" + (n + 1);
          CommandLine sub = main.getSubcommands().get(cmd);
          if (sub == null) {
            wrong.add(where + ": no command " + cmd);
            continue;
          }
          Matcher f = FLAG.matcher(m.group(2));
          while (f.find()) {
            checked++;
            if (sub.getCommandSpec().findOption(f.group(1)) == null) {
              wrong.add(where + ": " + cmd + " has no option " + f.group(1));
            }
          }
        }
      }
    }
    assertThat(checked).as("flags checked").isGreaterThan(100);
    assertThat(wrong).isEmpty();
  }
}
