package logicalclocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import logicalclocks.cli.Main;
import logicalclocks.node.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command in a fenced block of README.md and docs/ that runs in seconds is run, as written,
 * in one working folder, in the order a reader meets them (README first, then docs/ by name), and
 * must exit 0. Those that cannot run in seconds here are skipped by rule, and the rule is asserted:
 * real time (local, bench, chaos, experiment --live), a cluster or a server (node, collect, watch,
 * serve), or an input only such a command makes. What the docs presuppose is made first: {@code
 * logs} by {@code local --duration 3 --seed 7} (README's first command, shortened), and {@code
 * k8s-logs} as a copy of it (what {@code collect} would fetch).
 */
class DocsCommandsIT {
  @TempDir Path work;

  /** Commands that run in seconds whatever their flags, or with these flags. */
  static final Set<String> FAST =
      Set.of("analyze", "export", "sweep", "completion", "replay", "diff");

  /** Flags of analyze and export that take a value (the rest of the words are positional). */
  static final Set<String> VALUED =
      Set.of(
          "--out",
          "--format",
          "--count",
          "--skip",
          "--title",
          "--possibly",
          "--definitely",
          "--cut-bound",
          "--fork",
          "--delay-ms");

  record Cmd(String where, List<String> args) {}

  static List<Cmd> fencedCommands() throws Exception {
    List<Path> files = new ArrayList<>(List.of(DocsLinksTest.ROOT.resolve("README.md")));
    try (var s = Files.list(DocsLinksTest.ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Cmd> out = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      boolean fenced = false;
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i);
        if (l.startsWith("```")) {
          fenced = !fenced;
          continue;
        }
        if (!fenced) {
          continue;
        }
        int first = i;
        while (l.endsWith("\\") && i + 1 < lines.size()) {
          l = l.substring(0, l.length() - 1) + " " + lines.get(++i).trim();
        }
        String where = DocsLinksTest.ROOT.relativize(f) + ":" + (first + 1);
        for (String part : l.replaceAll("\\s+#.*$", "").split("&&")) {
          String cmd = part.trim().split("\\|")[0].trim(); // the jar's part of a pipe
          if (cmd.startsWith("java -jar target/logical-clocks.jar ")) {
            out.add(
                new Cmd(
                    where, words(cmd.substring("java -jar target/logical-clocks.jar ".length()))));
          }
        }
      }
    }
    return out;
  }

  /** Shell words: spaces split, single quotes group (no variables or globs in these commands). */
  static List<String> words(String s) {
    List<String> w = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : s.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          w.add(cur.toString());
        }
        cur.setLength(0);
        any = false;
      } else {
        cur.append(c);
        any = true;
      }
    }
    if (any) {
      w.add(cur.toString());
    }
    return w;
  }

  /** Why a command is not run here, or null when it runs in seconds. */
  String skip(List<String> a) {
    String cmd = a.get(0);
    if (a.contains("&") || a.stream().anyMatch(x -> x.startsWith("["))) {
      return "a background job or an optional part in brackets";
    }
    if (cmd.equals("experiment")) {
      if (!a.contains("--sim")) {
        return "real time";
      }
      int plan = a.indexOf("--plan");
      if (plan > 0
          && !Files.exists(work.resolve(a.get(plan + 1)))
          && !a.get(plan + 1).equals("all")) {
        return "a plan file the reader writes";
      }
      return null;
    }
    if (!FAST.contains(cmd)) {
      return "real time, a cluster or a server";
    }
    if (cmd.equals("sweep") && a.contains("--clocks")) {
      return null;
    }
    if (cmd.equals("analyze")
        || cmd.equals("export")
        || cmd.equals("replay")
        || cmd.equals("diff")) {
      for (int k = 1; k < a.size(); k++) {
        if (VALUED.contains(a.get(k))) {
          k++;
        } else if (!a.get(k).startsWith("--")) {
          return Files.exists(work.resolve(a.get(k))) || Files.exists(Path.of(a.get(k)))
              ? null
              : "its input (" + a.get(k) + ") comes from a command not run here";
        }
      }
    }
    return null;
  }

  @Test
  void everyFencedCommandThatRunsInSecondsRunsAsWritten() throws Exception {
    assertThat(run(List.of("local", "--duration", "3", "--seed", "7", "--no-status"))).isZero();
    copy(work.resolve("logs"), work.resolve("k8s-logs"));
    List<String> ran = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Cmd c : fencedCommands()) {
      String why = skip(c.args());
      if (why != null) {
        skipped.add(c.where() + " " + String.join(" ", c.args()) + ": " + why);
        continue;
      }
      int exit = run(c.args());
      // diff's 1 says the two runs differ: what a fork's comparison is for
      boolean ok = exit == 0 || (exit == 1 && c.args().get(0).equals("diff"));
      (ok ? ran : failed).add(c.where() + " " + String.join(" ", c.args()) + " -> " + exit);
    }
    System.out.println("ran:\n  " + String.join("\n  ", ran));
    System.out.println("skipped:\n  " + String.join("\n  ", skipped));
    assertThat(failed).as("fenced commands that did not exit 0").isEmpty();
    assertThat(ran).as("commands run").hasSizeGreaterThanOrEqualTo(15);
    assertThat(ran)
        .as("README's newcomer commands among them")
        .anyMatch(r -> r.startsWith("README.md") && r.contains(" analyze logs"))
        .anyMatch(r -> r.startsWith("README.md") && r.contains(" experiment --sim"));
  }

  private int run(List<String> args) throws Exception {
    Process p =
        ChildJvm.main(Main.class.getName(), List.of("-Xmx512m"), args, Map.of())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("last.out").toFile())
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0) {
      System.out.println(
          String.join(" ", args)
              + ":\n"
              + Files.readString(work.resolve("last.out"), StandardCharsets.UTF_8));
    }
    return p.exitValue();
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
