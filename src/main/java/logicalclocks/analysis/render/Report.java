package logicalclocks.analysis.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.Drift;
import logicalclocks.analysis.measure.Numbers;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.Series;
import logicalclocks.analysis.measure.Windows;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader.BadLogException;

/**
 * Writes a run's analysis: a console table, and a folder with report.md, metrics.json, CSVs,
 * report.html.
 */
public final class Report {
  /** Width of one window of the space-time diagram. */
  static final long WINDOW_MS = Windows.WIDTH_MS;

  private Report() {}

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The per-VM summary table, as plain text. */
  public static String consoleTable(RunMetrics m) {
    StringWriter sw = new StringWriter();
    PrintWriter out = new PrintWriter(sw);
    out.printf(
        Locale.ROOT,
        "%-3s %5s %8s %8s %7s %7s %7s %6s %6s %6s %6s %7s %7s %7s %6s %9s%n",
        "VM",
        "rate",
        "observed",
        "clock",
        "clock/s",
        "sends",
        "recvs",
        "intern",
        "drops",
        "jmean",
        "jp95",
        "jmax",
        "qmean",
        "qmax",
        "qstop",
        "delay p95");
    for (RunMetrics.VmMetrics v : m.vms()) {
      out.printf(
          Locale.ROOT,
          "%-3d %5d %8.2f %8d %7.2f %7d %7d %6d %6d %6.2f %6.0f %7.0f %7.2f %7.0f %6d %7.0fms%n",
          v.vm(),
          v.rate(),
          v.observedRate(),
          v.finalClock(),
          v.clockRate(),
          v.count(EventType.SEND),
          v.count(EventType.RECEIVE),
          v.count(EventType.INTERNAL),
          v.count(EventType.DROP),
          v.jumps().mean(),
          v.jumps().p95(),
          v.jumps().max(),
          v.queue().mean(),
          v.queue().max(),
          v.queueAtStop(),
          v.delayMs().p95());
    }
    for (RunMetrics.VmMetrics v : m.vms()) {
      if (v.missed() != null) {
        out.printf(
            Locale.ROOT,
            "VM %d missed %d tick(s) in %d gap(s), the longest %d ms (it could not run: paused or"
                + " stalled)%n",
            v.vm(),
            v.missed().ticks(),
            v.missed().gaps(),
            v.missed().longestGapMs());
      }
    }
    out.printf(
        Locale.ROOT,
        "run: %.1f s, %d messages (%d received, %d dropped, %d queued at STOP); drift mean %.1f"
            + " max %.0f; jumps mean %.2f p95 %.0f max %.0f%n",
        m.seconds(),
        m.messages(),
        m.received(),
        m.dropped(),
        m.queuedAtStop(),
        m.drift().mean(),
        m.drift().max(),
        m.jumps().mean(),
        m.jumps().p95(),
        m.jumps().max());
    if (m.lateDeliveries() > 0) {
      out.printf(
          Locale.ROOT,
          "%d message(s) were given up on by their sender (DROP deadline/unreachable) but had"
              + " reached the receiver, which RECEIVEd them: its RECEIVE settles them%n",
          m.lateDeliveries());
    }
    for (RunMetrics.VmMetrics v : m.vms()) {
      RunMetrics.QueueCheck q = v.model();
      out.printf(
          Locale.ROOT,
          "queue model VM %d: arrivals %.2f/s (observed %.2f/s) vs service %.0f/s,"
              + " utilization %.2f (observed %.2f): predicted %s, observed %s%n",
          v.vm(),
          q.predictedArrivalRate(),
          q.observedArrivalRate(),
          q.serviceRate(),
          q.predictedUtilization(),
          q.observedUtilization(),
          q.predictedStable() ? "stable" : "UNSTABLE",
          q.observedGrowing() ? "GROWING" : "bounded");
    }
    out.println(causality(m));
    if (m.physical() != null) {
      PhysicalSection.sentences(m).forEach(out::println);
    }
    if (m.violations().isEmpty()) {
      out.println("verified: every clock rule holds and every message is accounted for");
    } else {
      out.printf("%d VIOLATION(S):%n", m.violations().size());
      m.violations().forEach(v -> out.println("  " + v));
    }
    out.flush();
    return sw.toString();
  }

  /**
   * Analyses the logs of {@code logs} in one pass, writing events.csv and messages.csv as it reads
   * them, then the rest of the report; returns the analysis.
   */
  public static Analyzer.Result write(Path logs, String title, Path dir)
      throws IOException, BadLogException {
    return write(logs, title, dir, null);
  }

  /** As {@link #write(Path, String, Path)}, counting the bytes read in {@code read} (progress). */
  public static Analyzer.Result write(
      Path logs, String title, Path dir, java.util.concurrent.atomic.LongAdder read)
      throws IOException, BadLogException {
    Analyzer.Result result;
    var sources = Analyzer.open(logs, read); // before the report's folder is made
    boolean streamedDrift;
    try (CsvFiles csv = new CsvFiles(dir)) {
      List<Integer> vms = new java.util.ArrayList<>(sources.keySet());
      result =
          Analyzer.analyze(
              sources,
              new Analyzer.Outputs(
                  List.of(csv::point),
                  List.of(csv::message),
                  List.of(),
                  List.of(d -> csv.drift(d, vms))),
              logs);
      streamedDrift = csv.wroteDrift();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    } finally {
      sources.values().forEach(s -> s.close());
    }
    write(result, title, dir, !streamedDrift);
    return result;
  }

  /**
   * Writes a report of an analysis done already (without events.csv and messages.csv; drift.csv
   * from the series' drift samples: every one of a run of up to {@link
   * logicalclocks.analysis.measure.Measures}' chart size, about 400 s, else the widest of each
   * stretch).
   */
  public static Path write(Analyzer.Result result, String title, Path dir) throws IOException {
    return write(result, title, dir, true);
  }

  private static Path write(Analyzer.Result result, String title, Path dir, boolean drift)
      throws IOException {
    Files.createDirectories(dir);
    RunMetrics m = result.metrics();
    Series s = result.series();
    JSON.writeValue(dir.resolve("metrics.json").toFile(), m);
    if (drift) {
      writeDrift(s, m, dir);
    }
    Files.writeString(dir.resolve("report.md"), markdown(m, title), StandardCharsets.UTF_8);
    Path html = dir.resolve("report.html");
    // Written as it is drawn: a chart's SVG is in memory once, never the whole page.
    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(html, StandardCharsets.UTF_8), false)) {
      html(result, title, out);
      if (out.checkError()) {
        throw new IOException("cannot write " + html);
      }
    }
    return html;
  }

  static void writeDrift(Series s, RunMetrics m, Path dir) throws IOException {
    StringBuilder dr =
        new StringBuilder(driftHeader(m.vms().stream().map(RunMetrics.VmMetrics::vm).toList()));
    for (Series.DriftSample d : s.drift()) {
      driftRow(dr, d);
    }
    Files.writeString(dir.resolve("drift.csv"), dr);
  }

  /** drift.csv's header: the time, the spread, then each VM's clock. */
  static String driftHeader(List<Integer> vms) {
    StringBuilder dr = new StringBuilder("t_ms,spread");
    for (int vm : vms) {
      dr.append(",clock_vm").append(vm);
    }
    return dr.append('\n').toString();
  }

  /** A sample's row of drift.csv. */
  static void driftRow(StringBuilder dr, Series.DriftSample d) {
    dr.append(d.tMs()).append(',').append(d.spread());
    for (long c : d.clocks()) {
      dr.append(',').append(c);
    }
    dr.append('\n');
  }

  static String markdown(RunMetrics m, String title) {
    StringBuilder md = new StringBuilder("# " + title + "\n\n");
    md.append(runLine(m)).append("\n\n");
    md.append(
        m.violations().isEmpty()
            ? "**Verified**: " + VERIFIED + "\n\n"
            : "**"
                + m.violations().size()
                + " violation(s)**:\n\n"
                + String.join("\n", m.violations().stream().map(v -> "- `" + v + "`").toList())
                + "\n\n");
    md.append(vmTable(m).markdown()).append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "Drift (clock spread across VMs, sampled every %d ms): mean %s, max %s.%n%n",
            Drift.SAMPLE_MS,
            f(m.drift().mean()),
            f(m.drift().max())));
    md.append("## Causality\n\n").append(causality(m)).append("\n\n");
    if (m.physical() != null) {
      md.append("## Physical time\n\n")
          .append(PhysicalSection.table(m.physical()).markdown())
          .append('\n')
          .append(String.join("\n\n", PhysicalSection.sentences(m)))
          .append("\n\n");
    }
    md.append("## Queue model\n\n").append(queueModelTable(m).markdown());
    md.append(
        "\nFiles: `metrics.json`, `events.csv`, `messages.csv`, `drift.csv`, charts in `report.html`.\n");
    return md.toString();
  }

  /**
   * One row per VM: rates, clocks, events, jumps, queues and delays; and, when a VM skipped tick
   * slots, how many, in how many gaps, and the longest gap.
   */
  static Table vmTable(RunMetrics m) {
    boolean missed = m.vms().stream().anyMatch(v -> v.missed() != null);
    List<String> columns =
        new java.util.ArrayList<>(
            List.of(
                "VM",
                "rate",
                "observed rate",
                "final clock",
                "clock/s",
                "SEND",
                "RECEIVE",
                "INTERNAL",
                "DROP",
                "jump mean",
                "jump p50",
                "jump p95",
                "jump max",
                "queue mean",
                "queue p95",
                "queue max",
                "queue at STOP",
                "delay mean ms",
                "delay p95 ms",
                "delay max ms"));
    if (missed) {
      columns.addAll(List.of("missed ticks", "gaps", "longest gap ms"));
    }
    Table t = new Table(columns.toArray(String[]::new));
    for (RunMetrics.VmMetrics v : m.vms()) {
      List<Object> row =
          new java.util.ArrayList<>(
              List.of(
                  v.vm(),
                  v.rate(),
                  f(v.observedRate()),
                  v.finalClock(),
                  f(v.clockRate()),
                  v.count(EventType.SEND),
                  v.count(EventType.RECEIVE),
                  v.count(EventType.INTERNAL),
                  v.count(EventType.DROP),
                  f(v.jumps().mean()),
                  f(v.jumps().p50()),
                  f(v.jumps().p95()),
                  f(v.jumps().max()),
                  f(v.queue().mean()),
                  f(v.queue().p95()),
                  f(v.queue().max()),
                  v.queueAtStop(),
                  f(v.delayMs().mean()),
                  f(v.delayMs().p95()),
                  f(v.delayMs().max())));
      if (missed) {
        RunMetrics.Missed x = v.missed();
        row.addAll(x == null ? List.of(0, 0, 0) : List.of(x.ticks(), x.gaps(), x.longestGapMs()));
      }
      t.row(row.toArray());
    }
    return t;
  }

  /** One row per VM: the queue model's prediction against what was observed. */
  static Table queueModelTable(RunMetrics m) {
    Table t =
        new Table(
            "VM",
            "predicted arrivals/s",
            "observed arrivals/s",
            "service/s",
            "predicted utilization",
            "observed utilization",
            "predicted",
            "observed");
    for (RunMetrics.VmMetrics v : m.vms()) {
      RunMetrics.QueueCheck q = v.model();
      t.row(
          v.vm(),
          f(q.predictedArrivalRate()),
          f(q.observedArrivalRate()),
          f(q.serviceRate()),
          f(q.predictedUtilization()),
          f(q.observedUtilization()),
          q.predictedStable() ? "stable" : "unstable",
          q.observedGrowing() ? "growing" : "bounded");
    }
    return t;
  }

  /** The run in one sentence: VMs, seconds, and what became of the messages. */
  static String runLine(RunMetrics m) {
    return String.format(
        Locale.ROOT,
        "%d VMs, %s s, %d messages: %d received, %d dropped, %d queued at STOP.",
        m.machines(),
        Numbers.one(m.seconds()),
        m.messages(),
        m.received(),
        m.dropped(),
        m.queuedAtStop());
  }

  /** How much of Lamport's order is false, or why that is not known. */
  static String causality(RunMetrics m) {
    return m.causality() == null
        ? "Causality: not measured (the logs carry no vector clocks: VECTOR_CLOCKS=false)."
        : m.causality().sentence();
  }

  static final String VERIFIED = "every clock rule holds and every message is accounted for.";

  /** Start times of the space-time windows: up to 6, spread over the run. */
  static List<Long> windows(Series s) {
    return Windows.starts(s.endMs());
  }

  static String html(Analyzer.Result result, String title) {
    StringWriter sw = new StringWriter();
    html(result, title, new PrintWriter(sw));
    return sw.toString();
  }

  /** The HTML report, written to {@code h} part by part. */
  static void html(Analyzer.Result result, String title, PrintWriter h) {
    RunMetrics m = result.metrics();
    Series s = result.series();
    List<Integer> vms = m.vms().stream().map(RunMetrics.VmMetrics::vm).toList();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title))
        .append(
            "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
                + "table{border-collapse:collapse;font-size:13px;margin:1em 0;display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid #ccc;padding:3px 7px;"
                + "text-align:right}th{background:#f3f3f3}.ok{color:#2a7a2a}.bad{color:#b00}figure{margin:1.5em 0}"
                + "svg{max-width:100%;height:auto}.window{display:none}.window.shown{display:block}"
                + CausalView.style()
                + "</style>\n")
        .append(InteractiveChart.assets())
        .append("</head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");
    h.append("<p>")
        .append(esc(runLine(m)))
        .append(" Drift mean ")
        .append(f(m.drift().mean()))
        .append(", max ")
        .append(f(m.drift().max()))
        .append(".</p>\n");
    if (m.violations().isEmpty()) {
      h.append("<p class=\"ok\" id=\"verdict\">Verified: ").append(VERIFIED).append("</p>\n");
    } else {
      h.append("<p class=\"bad\" id=\"verdict\">")
          .append(String.valueOf(m.violations().size()))
          .append(" violation(s):</p><ul>");
      m.violations()
          .forEach(v -> h.append("<li><code>").append(esc(v.toString())).append("</code></li>"));
      h.append("</ul>\n");
    }
    // What the assignment asks first: jumps, drift and queues, in sentences and charts.
    h.append("<h2>Jumps, drift and queues</h2>\n<div id=\"assignment\">");
    assignmentSentences(m).forEach(x -> h.append("<p>").append(esc(x)).append("</p>\n"));
    h.append("</div>\n");
    h.append(
        InteractiveChart.perVm(
            "clock-chart", s, "Logical clock vs wall time", "logical clock", false));
    h.append(
        InteractiveChart.perVm(
            "queue-chart", s, "Queue length vs wall time", "queued messages", true));
    h.append(InteractiveChart.jumps("jump-histogram", s));
    h.append(InteractiveChart.drift("drift-chart", s));
    h.append("<h2>Per VM</h2>\n").append(vmTable(m).html());
    h.append("<h2>Queue model</h2>\n").append(queueModelTable(m).html());
    h.append("<h2>Causality</h2>\n<p id=\"causality\">").append(esc(causality(m))).append("</p>\n");
    if (m.physical() != null) {
      h.append("<h2>Physical time</h2>\n<div id=\"physical\">");
      if (skewed(m.physical())) {
        h.append(PhysicalSection.table(m.physical()).html());
      } else {
        // A feature the run did not use is one line, not a table of zeros and a flat chart.
        h.append("<p>No VM's clock was skewed: every offset, drift and step was 0 and no wall")
            .append(" clock stepped back.</p>\n");
      }
      PhysicalSection.sentences(m).forEach(x -> h.append("<p>").append(esc(x)).append("</p>\n"));
      h.append("</div>\n");
      if (skewed(m.physical()) && !s.physical().isEmpty()) {
        h.append("<div id=\"physical-chart\">")
            .append(
                InteractiveChart.physical(
                    "physical-ahead-chart",
                    s,
                    1,
                    "Hybrid clock ahead of physical time (l - pt)",
                    "l - pt (ms)"))
            .append(
                InteractiveChart.physical(
                    "physical-lamport-chart",
                    s,
                    2,
                    "Lamport clock minus own events (ticks pushed on by RECEIVEs)",
                    "Lamport - own events"))
            .append("</div>\n");
      }
    }
    List<Long> windows = windows(s);
    h.append(
        "<script>var CAUSAL=[];</script>\n<h2>Space-time diagram</h2>\n<p>Dots are events; a line runs from each SEND to its RECEIVE; a short black"
            + " stub is a dropped message (colours are the sending VM's). Window: <select id=\"window\" onchange=\"showWindow(this.value)\">");
    for (int i = 0; i < windows.size(); i++) {
      h.append(
          String.format(
              Locale.ROOT,
              "<option value=\"%d\">%.1f s &ndash; %.1f s</option>",
              i,
              windows.get(i) / 1000.0,
              (windows.get(i) + WINDOW_MS) / 1000.0));
    }
    h.append("</select></p>\n");
    for (int i = 0; i < windows.size(); i++) {
      long from = windows.get(i);
      h.append("<div class=\"window")
          .append(i == 0 ? " shown" : "")
          .append("\" id=\"space-time-")
          .append(String.valueOf(i))
          .append("\">")
          .append(
              Charts.svg(
                  Charts.spaceTime(s, vms, from, from + WINDOW_MS), 1000, 60 + 70 * vms.size()))
          .append(CausalView.window(s, vms, i, from, WINDOW_MS))
          .append("</div>\n");
    }
    h.append(
        "<script>function showWindow(i){document.querySelectorAll('.window').forEach(function(e,k){"
            + "e.className='window'+(k==i?' shown':'');});"
            + "document.getElementById('window').value=i;}</script>\n");
    h.append(CausalView.script());
    h.append("</body></html>\n");
    h.flush();
  }

  /**
   * Whether any VM's clock was declared skewed, drifting or stepped, or its wall clock stepped
   * back.
   */
  static boolean skewed(logicalclocks.analysis.measure.PhysicalMetrics p) {
    return p.vms().stream()
        .anyMatch(
            v ->
                v.offsetMs() != 0
                    || v.driftPpm() != 0
                    || (v.steps() != null && !v.steps().isEmpty())
                    || v.wallStepsBack() > 0);
  }

  /** What the run says about the assignment's questions, from its numbers. */
  static List<String> assignmentSentences(RunMetrics m) {
    List<String> out = new ArrayList<>();
    RunMetrics.VmMetrics jumpiest = null;
    RunMetrics.VmMetrics longest = null;
    for (RunMetrics.VmMetrics v : m.vms()) {
      if (jumpiest == null || v.jumps().max() > jumpiest.jumps().max()) {
        jumpiest = v;
      }
      if (longest == null || v.queue().max() > longest.queue().max()) {
        longest = v;
      }
    }
    if (jumpiest == null) {
      return out;
    }
    out.add(
        String.format(
            Locale.ROOT,
            "Jumps: the largest step of a clock between two of its VM's events was %s, on VM %d"
                + " (rate %d ticks/s); a step above 1 is a RECEIVE of a clock that was ahead.",
            f(jumpiest.jumps().max()),
            jumpiest.vm(),
            jumpiest.rate()));
    out.add(
        String.format(
            Locale.ROOT,
            "Drift: at any instant the VMs' clocks were at most %s apart (%s on average).",
            f(m.drift().max()),
            f(m.drift().mean())));
    out.add(
        String.format(
            Locale.ROOT,
            "Queues: the longest was %s message(s), on VM %d (rate %d ticks/s)%s.",
            f(longest.queue().max()),
            longest.vm(),
            longest.rate(),
            longest.queueAtStop() > 0
                ? ", which still held " + longest.queueAtStop() + " at STOP"
                : ""));
    return out;
  }

  static String esc(String s) {
    return Table.escape(s);
  }

  private static String f(double v) {
    return Numbers.compact(v);
  }
}
