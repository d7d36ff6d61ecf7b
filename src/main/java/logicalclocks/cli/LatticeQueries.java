package logicalclocks.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import logicalclocks.analysis.cuts.CutRun;
import logicalclocks.analysis.cuts.Expr;
import logicalclocks.analysis.cuts.Lattice;
import logicalclocks.log.EventLogReader;

/** {@code analyze --count-cuts / --possibly / --definitely}: the answers, one line each. */
final class LatticeQueries {
  private LatticeQueries() {}

  static int run(
      Path reportOut,
      Path logDir,
      boolean count,
      String possibly,
      String definitely,
      long bound,
      PrintWriter out,
      PrintWriter err) {
    if (reportOut != null) {
      err.println(
          "error: --out='"
              + reportOut
              + "' is invalid: --count-cuts, --possibly and --definitely print their answers and"
              + " write no report (run analyze without them for the report)");
      err.flush();
      return Main.EXIT_CONFIG;
    }
    if (bound < 1) {
      err.println(
          "error: --cut-bound='" + bound + "' is invalid: expected a number of cuts from 1 up");
      err.flush();
      return Main.EXIT_CONFIG;
    }
    Expr pos = null;
    Expr def = null;
    try {
      pos = possibly == null ? null : Expr.parse(possibly);
    } catch (Expr.BadExpr e) {
      return bad(err, "--possibly", possibly, e);
    }
    try {
      def = definitely == null ? null : Expr.parse(definitely);
    } catch (Expr.BadExpr e) {
      return bad(err, "--definitely", definitely, e);
    }
    CutRun r;
    try {
      r = CutRun.read(logDir);
    } catch (EventLogReader.BadLogException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return Main.EXIT_CONFIG;
    }
    try {
      if (pos != null) {
        pos.check(r.machines());
      }
    } catch (Expr.BadExpr e) {
      return bad(err, "--possibly", possibly, e);
    }
    try {
      if (def != null) {
        def.check(r.machines());
      }
    } catch (Expr.BadExpr e) {
      return bad(err, "--definitely", definitely, e);
    }
    return answer(r, count, pos, possibly, def, definitely, bound, out, err);
  }

  private static int answer(
      CutRun r,
      boolean count,
      Expr pos,
      String possibly,
      Expr def,
      String definitely,
      long bound,
      PrintWriter out,
      PrintWriter err) {
    if (count) {
      Lattice.Count c = Lattice.count(r, Lattice.COUNT_BOUND);
      out.println(
          c.complete()
              ? "consistent cuts: " + c.cuts()
              : String.format(
                  Locale.ROOT,
                  "consistent cuts: not counted (the count enumerates the cuts of every VM but"
                      + " the busiest, more than %,d of them here; the run's events per VM: %s)",
                  Lattice.COUNT_BOUND,
                  events(r)));
    }
    if (pos != null) {
      if (!ask(
          out,
          err,
          "possibly",
          possibly,
          () -> Lattice.possibly(r, pos, bound),
          bound,
          a -> a.cut() == null ? null : "witness: " + cut(a.cut()))) {
        return Main.EXIT_CONFIG;
      }
    }
    if (def != null) {
      String all = String.valueOf(Arrays.stream(r.eventsAll()).sum());
      if (!ask(
          out,
          err,
          "definitely",
          definitely,
          () -> Lattice.definitely(r, def, bound),
          bound,
          a ->
              a.path() == null
                  ? null
                  : "path avoiding it (the VM of each step, from no event to all "
                      + all
                      + "): "
                      + Arrays.stream(a.path())
                          .mapToObj(String::valueOf)
                          .collect(Collectors.joining(",")))) {
        return Main.EXIT_CONFIG;
      }
    }
    out.flush();
    return 0;
  }

  private static String events(CutRun r) {
    return IntStream.range(0, r.machines())
        .mapToObj(i -> i + ":" + r.events(i))
        .collect(Collectors.joining(","));
  }

  private static String word(Lattice.Answer a, long bound) {
    return a.holds() == null
        ? "unknown (stopped after "
            + bound
            + (bound == 1 ? " cut" : " cuts")
            + ", the bound; --cut-bound raises it, at about 300 bytes of memory a cut)"
        : a.holds() ? "yes" : "no";
  }

  /**
   * Asks one question ({@code possibly} or {@code definitely}) and prints its answer, the line
   * {@code detail} gives for it (a witness, a path; none when null) and its method; false, with the
   * error line, when its arithmetic cannot be carried out.
   */
  private static boolean ask(
      PrintWriter out,
      PrintWriter err,
      String question,
      String text,
      java.util.function.Supplier<Lattice.Answer> asked,
      long bound,
      java.util.function.Function<Lattice.Answer, String> detail) {
    Lattice.Answer a;
    try {
      a = asked.get();
    } catch (Expr.Overflow e) {
      out.flush();
      err.println(
          "error: --" + question + "='" + shown(text) + "' cannot be answered: " + e.getMessage());
      err.flush();
      return false;
    }
    out.println(question + ": " + word(a, bound));
    String more = detail.apply(a);
    if (more != null) {
      out.println(more);
    }
    out.println("method: " + a.method() + "; " + looked(a));
    return true;
  }

  private static String looked(Lattice.Answer a) {
    return a.method().startsWith("conjunctive")
        ? "VM states looked at: " + a.visited()
        : "cuts looked at: " + a.visited();
  }

  static String cut(int[] e) {
    return IntStream.range(0, e.length)
        .mapToObj(i -> i + ":" + e[i])
        .collect(Collectors.joining(","));
  }

  /** The expression as typed, cut to 80 characters in a message. */
  static String shown(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }

  private static int bad(PrintWriter err, String flag, String value, Expr.BadExpr e) {
    err.println("error: " + flag + "='" + shown(value) + "' is invalid: " + e.getMessage());
    err.flush();
    return Main.EXIT_CONFIG;
  }
}
