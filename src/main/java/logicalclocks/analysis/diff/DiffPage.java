package logicalclocks.analysis.diff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.LogCursor;

/**
 * {@code diff --out}: one self-contained HTML page: per VM, its verdict and the lines around its
 * first divergence in both runs one above the other, the divergent line marked; the first message
 * whose events differ; the summary side by side.
 */
public final class DiffPage {
  /** Lines shown before and after a divergence. */
  static final int CONTEXT = 4;

  private DiffPage() {}

  public static String html(RunDiff.Result r, Path a, Path b) {
    StringBuilder s = new StringBuilder();
    s.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>diff</title>")
        .append("<style>body{font:15px system-ui,sans-serif;margin:1.5em;max-width:1200px}")
        .append("pre{font:13px ui-monospace,monospace;background:#f6f6f6;padding:.5em;")
        .append("overflow-x:auto}.mark{background:#ffd7d7;font-weight:bold}")
        .append(".same{color:#1a7f37}.diff{color:#b42318}table{border-collapse:collapse}")
        .append("td,th{padding:2px 10px;text-align:right}th{text-align:left}</style></head><body>")
        .append("<h1>Where two runs first differ</h1><p>A: <code>")
        .append(esc(a.toString()))
        .append("</code><br>B: <code>")
        .append(esc(b.toString()))
        .append("</code></p>");
    for (RunDiff.Vm v : r.vms()) {
      s.append("<h2 id=\"vm").append(v.vm()).append("\">vm").append(v.vm()).append(": ");
      if (v.identical()) {
        s.append("<span class=\"same\">identical</span></h2>");
        continue;
      }
      s.append("<span class=\"diff\">first divergence at event ")
          .append(v.event())
          .append("</span> (line ")
          .append(v.line())
          .append(")</h2>");
      for (int run = 0; run < 2; run++) {
        Path dir = run == 0 ? a : b;
        s.append("<p>").append(run == 0 ? "A" : "B").append("</p><pre>");
        for (String[] l : window(dir, v.vm(), v.line())) {
          boolean mark = Long.parseLong(l[0]) == v.line();
          s.append(mark ? "<span class=\"mark\">" : "")
              .append(String.format("%6s  ", l[0]))
              .append(esc(l[1]))
              .append(mark ? "</span>" : "")
              .append('\n');
        }
        s.append("</pre>");
      }
    }
    RunDiff.Message m = r.firstMessage();
    s.append("<h2>Happens-before</h2><p>");
    if (m == null) {
      s.append("The same in both runs: every message sent and received by the same events.");
    } else {
      s.append("First difference at message <b>")
          .append(esc(m.msg()))
          .append("</b><br>A: ")
          .append(esc(RunDiff.where(m.sendA(), m.receiveA())))
          .append("<br>B: ")
          .append(esc(RunDiff.where(m.sendB(), m.receiveB())));
    }
    s.append("</p><h2>Summary</h2><table><tr><th></th><th></th><th>A</th><th>B</th></tr>");
    for (RunDiff.Vm v : r.vms()) {
      row(s, v, "events", RunDiff.Summary::events);
      row(s, v, "final clock", RunDiff.Summary::finalClock);
      row(s, v, "max jump", RunDiff.Summary::maxJump);
      row(s, v, "max queue", RunDiff.Summary::maxQueue);
      row(s, v, "drops", RunDiff.Summary::drops);
    }
    return s.append("</table></body></html>\n").toString();
  }

  private static void row(
      StringBuilder s,
      RunDiff.Vm v,
      String what,
      java.util.function.ToLongFunction<RunDiff.Summary> f) {
    String x = v.sumA() == null ? "-" : Long.toString(f.applyAsLong(v.sumA()));
    String y = v.sumB() == null ? "-" : Long.toString(f.applyAsLong(v.sumB()));
    s.append("<tr><th>vm")
        .append(v.vm())
        .append("</th><th>")
        .append(what)
        .append("</th><td>")
        .append(x)
        .append("</td><td")
        .append(x.equals(y) ? "" : " class=\"diff\"")
        .append(">")
        .append(y)
        .append("</td></tr>");
  }

  /** Lines {@code line - CONTEXT .. line + CONTEXT} of a VM's log: {number, text}. */
  private static List<String[]> window(Path dir, int vm, long line) {
    List<String[]> out = new ArrayList<>();
    Path f = dir.resolve(logicalclocks.log.EventLogFormat.fileName(vm));
    try (LogCursor c = LogCursor.open(f)) {
      String t;
      while ((t = c.nextText()) != null && c.lines() <= line + CONTEXT) {
        if (c.lines() >= line - CONTEXT) {
          out.add(new String[] {Integer.toString(c.lines()), t});
        }
      }
    } catch (EventLogReader.BadLogException e) {
      out.add(new String[] {"", "(" + e.getMessage() + ")"});
    }
    return out;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
