package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Exit statuses mean one thing each (0 done, 1 a verdict, 2 bad input, 3 could not finish), every
 * command says so in its help and answers {@code --version}, a bad flag is one line, an internal
 * error is one line naming the file its stack trace went to, and {@code completion bash} prints a
 * script bash accepts.
 */
class ExitStatusTest {
  record Result(int status, String out, String err) {}

  static Result run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  static Result run(String... args) {
    return run(Main.commandLine(), args);
  }

  static List<String> commands() {
    List<String> names = new ArrayList<>();
    for (var e : Main.commandLine().getSubcommands().entrySet()) {
      if (!e.getKey().equals("help")) {
        names.add(e.getKey());
      }
    }
    return names;
  }

  @Test
  void everyCommandAnswersVersionAndListsTheExitStatuses() {
    assertThat(commands())
        .contains("analyze", "local", "node", "completion")
        .hasSizeGreaterThan(12);
    for (String name : commands()) {
      Result v = run(name, "--version");
      assertThat(v.status()).as(name + " --version").isZero();
      assertThat(v.out()).as(name + " --version").startsWith("logical-clocks ");
      Result h = run(name, "--help");
      assertThat(h.status()).as(name + " --help").isZero();
      assertThat(h.out())
          .as(name + " --help")
          .contains("Exit status:")
          .containsPattern("\\n\\s+0\\s+done")
          .containsPattern("\\n\\s+1\\s+a verdict")
          .containsPattern("\\n\\s+2\\s+bad input")
          .containsPattern("\\n\\s+3\\s+could not finish");
    }
  }

  @Test
  void aBadFlagIsOneLineAndExit2() {
    Result r = run("analyze", "--bogus", "logs");
    assertThat(r.status()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("error: unknown option '--bogus'")
        .contains("'logical-clocks analyze --help' lists what it takes");
    Result typo = run("local", "--duratio", "3");
    assertThat(typo.status()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(typo.err().strip().lines()).hasSize(1);
    assertThat(typo.err()).contains("did you mean").contains("--duration");
  }

  @Command(name = "explodes", mixinStandardHelpOptions = true)
  static final class Explodes implements Callable<Integer> {
    final Throwable what;

    Explodes(Throwable what) {
      this.what = what;
    }

    @Override
    public Integer call() throws Exception {
      if (what instanceof Exception e) {
        throw e;
      }
      throw (Error) what;
    }
  }

  @Test
  void anInternalErrorIsExit3WithOneLineAndItsStackTraceInAFile() throws Exception {
    CommandLine cl = new CommandLine(new Explodes(new IllegalStateException("a bug here")));
    Main.configure(cl);
    Result r = run(cl);
    assertThat(r.status()).isEqualTo(Main.EXIT_INTERNAL);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("error: internal error in explodes (a bug, not a verdict on the run):")
        .contains("java.lang.IllegalStateException: a bug here")
        .doesNotContain("\tat ");
    Matcher m = Pattern.compile("the details are in (\\S+\\.txt)").matcher(r.err());
    assertThat(m.find()).as(r.err()).isTrue();
    Path file = Path.of(m.group(1));
    try {
      assertThat(Files.readString(file))
          .contains("IllegalStateException: a bug here")
          .contains("\tat logicalclocks.cli.ExitStatusTest.");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void outOfMemoryIsExit3NotAVerdict() {
    // As the command throws it, and as a worker thread's failure brings it back (the cause of an
    // ExecutionException): one line each, exit 3, never 1.
    for (Throwable oom :
        List.of(
            new OutOfMemoryError("test: no heap left"),
            new java.util.concurrent.ExecutionException(
                new OutOfMemoryError("test: no heap left")))) {
      CommandLine cl = new CommandLine(new Explodes(oom));
      Main.configure(cl);
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err, true));
      assertThat(Main.execute(cl)).as(oom.toString()).isEqualTo(Main.EXIT_INTERNAL);
      assertThat(err.toString().strip().lines()).hasSize(1);
      assertThat(err.toString()).startsWith("error: out of memory");
    }
  }

  @Test
  void anErrorPicocliLetsThroughIsExit3WithOneLine() throws Exception {
    CommandLine cl = new CommandLine(new Explodes(new StackOverflowError("test: too deep")));
    Main.configure(cl);
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    assertThat(Main.execute(cl)).isEqualTo(Main.EXIT_INTERNAL);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString())
        .contains("internal error in explodes")
        .contains("StackOverflowError");
    Matcher m = Pattern.compile("the details are in (\\S+\\.txt)").matcher(err.toString());
    assertThat(m.find()).isTrue();
    Files.deleteIfExists(Path.of(m.group(1)));
  }

  @Test
  void completionBashIsAScriptBashAccepts() throws Exception {
    Result r = run("completion", "bash");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("complete -F")
        .contains("analyze")
        .contains("--tick-rate")
        .contains("--extra-clocks");
    Path script = Files.createTempFile("completion", ".bash");
    try {
      Files.writeString(script, r.out());
      Process bash =
          new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
      assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bash.exitValue()).as(new String(bash.getInputStream().readAllBytes())).isZero();
    } finally {
      Files.deleteIfExists(script);
    }
    Result fish = run("completion", "fish");
    assertThat(fish.status()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(fish.err().strip())
        .isEqualTo("error: SHELL='fish' is invalid: expected bash or zsh");
  }
}
