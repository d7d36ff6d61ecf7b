package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import logicalclocks.analysis.diff.DiffPage;
import logicalclocks.analysis.diff.RunDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diff}: where two runs first differ, per VM and in happens-before. */
@Command(
    name = "diff",
    header = "Show where two runs (a run and its replay or fork) first differ.",
    mixinStandardHelpOptions = true,
    description = {
      "Streams both runs and prints, per VM, 'vm<ID>: identical' or 'vm<ID>: first divergence",
      "at event <N>' (N counts SEND, RECEIVE and INTERNAL from 1; a DROP or SNAPSHOT line counts",
      "with the next one) with both lines; then the first message whose SEND or RECEIVE is not",
      "the same event in both runs; then a summary side by side. Lines are compared in every",
      "field but ts. Exit 0 when identical, 1 when they differ, 2 when a run cannot be read."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_A", description = "a run's logs")
  Path a;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "another run's logs")
  Path b;

  @Option(names = "--out", paramLabel = "FILE", description = "also write an HTML page")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RunDiff.Result r;
    try {
      r = RunDiff.compare(a, b);
    } catch (RunDiff.BadRun bad) {
      err.println("cannot compare: " + bad.getMessage());
      return 2;
    }
    o.print(RunDiff.text(r, a.toString(), b.toString()));
    if (out != null) {
      Path part = out.resolveSibling(out.getFileName() + ".part");
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(part, DiffPage.html(r, a, b), StandardCharsets.UTF_8);
      Files.move(part, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      o.println("page: " + out);
    }
    o.flush();
    return r.identical() ? 0 : 1;
  }
}
