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
    long first = Long.MAX_VALUE;
    for (RunDiff.Vm v : r.vms()) {
      if (!v.identical()) {
        first = Math.min(first, v.event());
      }
    }
    if (first != Long.MAX_VALUE) {
      long from = Math.max(1, first - BEFORE);
      s.append("<h2>The two runs, one above the other</h2><p>Tick events ")
          .append(from)
          .append(" to ")
          .append(from + SPAN - 1)
          .append(
              " of each VM (x: its event number; each dot labelled with its Lamport clock; arrows:"
                  + " messages). A VM's events from its first")
          .append(" divergence on are drawn red; the first one ringed.</p>");
      for (int run = 0; run < 2; run++) {
        s.append("<p><b>").append(run == 0 ? "A" : "B").append("</b></p>");
        s.append(diagram(run == 0 ? a : b, r, from, run == 0 ? "a" : "b"));
      }
    }
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

  /** Tick events drawn before the first divergence, and in all. */
  static final int BEFORE = 12;

  static final int SPAN = 40;

  private record Dot(int vm, long event, String type, long clock, List<String> msgs, String line) {}

  /** One run's events {@code from .. from + SPAN - 1} of each VM as an SVG space-time diagram. */
  private static String diagram(Path dir, RunDiff.Result r, long from, String id) {
    int dx = 24;
    int dy = 48;
    int left = 46;
    int top = 22;
    List<RunDiff.Vm> vms = r.vms();
    java.util.Map<String, Dot> sends = new java.util.HashMap<>();
    List<Dot> dots = new ArrayList<>();
    for (RunDiff.Vm v : vms) {
      Path f = dir.resolve(logicalclocks.log.EventLogFormat.fileName(v.vm()));
      if (!java.nio.file.Files.exists(f)) {
        continue;
      }
      try (LogCursor c = LogCursor.open(f)) {
        long ticks = 0;
        String t;
        while ((t = c.nextText()) != null && ticks < from + SPAN - 1) {
          logicalclocks.event.LogEvent e = logicalclocks.log.EventLogFormat.parse(t);
          if (!e.event().isTick() || ++ticks < from) {
            continue;
          }
          List<String> msgs = e.get("msg") == null ? List.of() : e.list("msg");
          Dot d = new Dot(v.vm(), ticks, e.event().name(), e.clock(), msgs, t);
          dots.add(d);
          if (e.event() == logicalclocks.event.EventType.SEND) {
            msgs.forEach(m -> sends.put(m, d));
          }
        }
      } catch (EventLogReader.BadLogException | RuntimeException bad) {
        // drawn as far as it reads: the text above says what is wrong
      }
    }
    int width = left + SPAN * dx + 20;
    int height = top + vms.size() * dy;
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"runs\" id=\"diagram-")
        .append(id)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" font-size=\"11\" font-family=\"system-ui,sans-serif\">")
        .append("<defs><marker id=\"h")
        .append(id)
        .append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\"")
        .append(" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#777\"/>")
        .append("</marker></defs>");
    java.util.Map<Integer, Integer> row = new java.util.HashMap<>();
    for (int i = 0; i < vms.size(); i++) {
      int y = top + i * dy + dy / 2;
      row.put(vms.get(i).vm(), y);
      s.append("<text x=\"4\" y=\"")
          .append(y + 4)
          .append("\">vm")
          .append(vms.get(i).vm())
          .append("</text>");
      s.append("<line x1=\"")
          .append(left)
          .append("\" y1=\"")
          .append(y)
          .append("\" x2=\"")
          .append(width - 10)
          .append("\" y2=\"")
          .append(y)
          .append("\" stroke=\"#ccc\"/>");
    }
    java.util.function.ToIntFunction<Dot> x = d -> left + (int) (d.event() - from) * dx + dx / 2;
    for (Dot d : dots) {
      if (!d.type().equals("RECEIVE") || d.msgs().isEmpty()) {
        continue;
      }
      Dot send = sends.get(d.msgs().get(0));
      if (send == null) {
        continue;
      }
      s.append("<line class=\"msg\" x1=\"")
          .append(x.applyAsInt(send))
          .append("\" y1=\"")
          .append(row.get(send.vm()))
          .append("\" x2=\"")
          .append(x.applyAsInt(d) - 3)
          .append("\" y2=\"")
          .append(row.get(d.vm()) + (row.get(d.vm()) > row.get(send.vm()) ? -6 : 6))
          .append("\" stroke=\"#999\" marker-end=\"url(#h")
          .append(id)
          .append(")\"/>");
    }
    java.util.Map<Integer, RunDiff.Vm> byVm = new java.util.HashMap<>();
    vms.forEach(v -> byVm.put(v.vm(), v));
    for (Dot d : dots) {
      RunDiff.Vm v = byVm.get(d.vm());
      boolean diverged = !v.identical() && d.event() >= v.event();
      boolean firstOne = !v.identical() && d.event() == v.event();
      String fill =
          switch (d.type()) {
            case "SEND" -> "#1f6feb";
            case "RECEIVE" -> "#1a7f37";
            default -> "#8c959f";
          };
      int cx = x.applyAsInt(d);
      int cy = row.get(d.vm());
      s.append("<circle class=\"ev")
          .append(diverged ? " diverged" : "")
          .append(firstOne ? " first" : "")
          .append("\" cx=\"")
          .append(cx)
          .append("\" cy=\"")
          .append(cy)
          .append("\" r=\"5\" fill=\"")
          .append(diverged ? "#fff" : fill)
          .append("\" stroke=\"")
          .append(diverged ? "#cf222e" : fill)
          .append("\" stroke-width=\"2\"><title>")
          .append(esc(d.line()))
          .append("</title></circle>");
      if (firstOne) {
        s.append("<circle cx=\"")
            .append(cx)
            .append("\" cy=\"")
            .append(cy)
            .append("\" r=\"10\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"2\"/>");
      }
      s.append("<text x=\"")
          .append(cx)
          .append("\" y=\"")
          .append(cy + 19)
          .append("\" text-anchor=\"middle\" fill=\"")
          .append(diverged ? "#cf222e" : "#555")
          .append("\">")
          .append(d.clock())
          .append("</text>");
    }
    return s.append("</svg>").toString();
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
