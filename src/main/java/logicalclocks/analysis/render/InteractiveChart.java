package logicalclocks.analysis.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import logicalclocks.analysis.measure.Series;

/**
 * The report's interactive charts: each a block of JSON (its series, colors and axes) that {@code
 * report/charts.js} draws with uPlot, both inlined into report.html (it opens from file://, no
 * network). Hover shows each VM's value, dragging across zooms, a click on a VM in the legend hides
 * it.
 *
 * <p>A series never loses a minimum or a maximum: where the points do not fit ({@link #MAX_POINTS}
 * across a chart's series) the time axis is cut into slots and each series keeps, per slot, its
 * lowest and its highest point, in the order they happened.
 */
public final class InteractiveChart {
  /** Points a chart carries at most, across its series; above it, slots keep each min and max. */
  static final int MAX_POINTS = 200_000;

  /** Where uPlot lives in its WebJar (the version is the pom's {@code uplot.version}). */
  static final String UPLOT = "META-INF/resources/webjars/uplot/";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a chart's series are drawn. */
  enum Style {
    LINE,
    STEP,
    POINTS
  }

  /** One series: its label, color (VM palette) and points {@code {t ms, value}} in time order. */
  record Line(String label, int vm, List<long[]> points) {}

  private InteractiveChart() {}

  /** The CSS and scripts every interactive chart needs, once per page. */
  static String assets() {
    String version = uplotVersion();
    return "<style>"
        + resource(UPLOT + version + "/dist/uPlot.min.css")
        + "figure.chart{margin:1.5em 0}.chart-help{font-size:12px;color:#666;margin:.2em 0 0}"
        + ".u-title{font-size:15px}"
        + "</style>\n<script>"
        + resource(UPLOT + version + "/dist/uPlot.iife.min.js")
        + "</script>\n<script>"
        + resource("logicalclocks/report/charts.js")
        + "</script>\n";
  }

  /** Each VM's clock ({@code queue} false) or queue length over wall time, from its lane. */
  static String perVm(String id, Series s, String title, String yLabel, boolean queue) {
    List<Line> lines = new ArrayList<>();
    for (var lane : s.lanes().entrySet()) {
      lines.add(new Line("VM " + lane.getKey(), lane.getKey(), lane.getValue().points(queue)));
    }
    return figure(
        id, title, "wall time (s)", yLabel, queue ? Style.STEP : Style.LINE, false, lines);
  }

  /** The clock spread across VMs over wall time. */
  static String drift(String id, Series s) {
    List<long[]> pts = new ArrayList<>();
    for (Series.DriftSample d : s.drift()) {
      pts.add(new long[] {d.tMs(), d.spread()});
    }
    return figure(
        id,
        "Drift: spread of logical clocks across VMs",
        "wall time (s)",
        "max clock - min clock",
        Style.LINE,
        false,
        List.of(new Line("spread", -1, pts)));
  }

  /**
   * Each VM's physical-time measures, column {@code column} of {@link Series#physical()} ({@code
   * 1}: hybrid {@code l - pt}; {@code 2}: Lamport minus own events).
   */
  static String physical(String id, Series s, int column, String title, String yLabel) {
    List<Line> lines = new ArrayList<>();
    for (var e : s.physical().entrySet()) {
      List<long[]> pts = new ArrayList<>(e.getValue().size());
      for (long[] p : e.getValue()) {
        pts.add(new long[] {p[0], p[column]});
      }
      lines.add(new Line("VM " + e.getKey(), e.getKey(), pts));
    }
    return figure(id, title, "wall time (s)", yLabel, Style.LINE, false, lines);
  }

  /** How many ticks had each clock jump size, per VM, jumps of 20 and more as one (log scale). */
  static String jumps(String id, Series s) {
    long largest = 1;
    for (var h : s.jumps().values()) {
      for (long jump : h.counts().keySet()) {
        largest = Math.max(largest, jump);
      }
    }
    long cap = Math.min(20, Math.max(5, largest)); // the axis ends at the largest jump (20: 20+)
    Map<Integer, TreeMap<Long, Long>> hist = new TreeMap<>();
    s.jumps()
        .forEach(
            (vm, h) ->
                h.counts()
                    .forEach(
                        (jump, count) ->
                            hist.computeIfAbsent(vm, k -> new TreeMap<>())
                                .merge(Math.min(cap, jump), count, Long::sum)));
    ObjectNode chart = JSON.createObjectNode();
    chart.put(
        "title",
        largest > cap
            ? "Clock jump sizes (" + cap + " means " + cap + " or more)"
            : "Clock jump sizes");
    chart.put("x", "jump (clock step between a VM's events)");
    chart.put("y", "how many times (log scale)");
    chart.put("style", Style.POINTS.name().toLowerCase(Locale.ROOT));
    chart.put("log", true);
    chart.put("xTime", false);
    ArrayNode series = chart.putArray("series");
    ArrayNode data = chart.putArray("data");
    ArrayNode xs = data.addArray();
    for (long size = 1; size <= cap; size++) {
      xs.add(size);
    }
    for (var e : hist.entrySet()) {
      ObjectNode sn = series.addObject();
      sn.put("label", "VM " + e.getKey());
      sn.put("color", color(e.getKey()));
      ArrayNode ys = data.addArray();
      for (long size = 1; size <= cap; size++) {
        long c = e.getValue().getOrDefault(size, 0L);
        if (c == 0) {
          ys.addNull(); // log scale: no point where nothing happened
        } else {
          ys.add(c);
        }
      }
    }
    chart.put(
        "help",
        "How many times each VM's clock stepped by each size between two of its events (1: an"
            + " ordinary tick). Hover for counts; click a VM in the legend to hide or show it.");
    return html(id, chart);
  }

  /**
   * The aligned table uPlot draws: the x values (seconds) and, per line, its value at each (null
   * where it has none). Every point when they fit in {@link #MAX_POINTS}; else {@code slots} slots
   * of time, each line keeping in each its lowest and its highest point (the earlier of the two
   * first).
   */
  static Aligned align(List<Line> lines, int maxPoints) {
    long total = lines.stream().mapToLong(l -> l.points().size()).sum();
    if (total <= maxPoints) {
      TreeSet<Long> times = new TreeSet<>();
      lines.forEach(l -> l.points().forEach(p -> times.add(p[0])));
      if ((long) times.size() * Math.max(1, lines.size()) <= 4L * maxPoints) {
        Map<Long, Integer> index = new LinkedHashMap<>();
        double[] x = new double[times.size()];
        int i = 0;
        for (long t : times) {
          index.put(t, i);
          x[i++] = t / 1000.0;
        }
        List<Long[]> ys = new ArrayList<>();
        for (Line l : lines) {
          Long[] y = new Long[x.length];
          for (long[] p : l.points()) {
            y[index.get(p[0])] = p[1]; // the last of equal times, as the lane kept them
          }
          ys.add(y);
        }
        return new Aligned(x, ys, 0);
      }
    }
    long end = 1;
    for (Line l : lines) {
      for (long[] p : l.points()) {
        end = Math.max(end, p[0] + 1);
      }
    }
    int slots = (int) Math.max(16, Math.min(4096, maxPoints / (2L * Math.max(1, lines.size()))));
    long width = Math.max(1, (end + slots - 1) / slots);
    slots = (int) ((end + width - 1) / width);
    double[] x = new double[2 * slots];
    for (int k = 0; k < slots; k++) {
      x[2 * k] = (k * width) / 1000.0;
      x[2 * k + 1] = (k * width + width / 2.0) / 1000.0;
    }
    List<Long[]> ys = new ArrayList<>();
    for (Line l : lines) {
      long[] mn = new long[slots];
      long[] mnT = new long[slots];
      long[] mx = new long[slots];
      long[] mxT = new long[slots];
      boolean[] has = new boolean[slots];
      for (long[] p : l.points()) {
        int k = (int) Math.min(slots - 1, p[0] / width);
        if (!has[k]) {
          has[k] = true;
          mn[k] = mx[k] = p[1];
          mnT[k] = mxT[k] = p[0];
        } else if (p[1] < mn[k]) {
          mn[k] = p[1];
          mnT[k] = p[0];
        } else if (p[1] > mx[k]) {
          mx[k] = p[1];
          mxT[k] = p[0];
        }
      }
      Long[] y = new Long[x.length];
      for (int k = 0; k < slots; k++) {
        if (has[k]) {
          boolean minFirst = mnT[k] <= mxT[k];
          y[2 * k] = minFirst ? mn[k] : mx[k];
          y[2 * k + 1] = minFirst ? mx[k] : mn[k];
        }
      }
      ys.add(y);
    }
    return new Aligned(x, ys, width);
  }

  /**
   * The table uPlot draws.
   *
   * @param slotMs 0 when every point is there; else the slot width in ms
   */
  record Aligned(double[] x, List<Long[]> ys, long slotMs) {}

  private static String figure(
      String id,
      String title,
      String xLabel,
      String yLabel,
      Style style,
      boolean log,
      List<Line> lines) {
    Aligned a = align(lines, MAX_POINTS);
    ObjectNode chart = JSON.createObjectNode();
    chart.put("title", title);
    chart.put("x", xLabel);
    chart.put("y", yLabel);
    chart.put("style", style.name().toLowerCase(Locale.ROOT));
    chart.put("log", log);
    chart.put("xTime", true);
    ArrayNode series = chart.putArray("series");
    ArrayNode data = chart.putArray("data");
    ArrayNode xs = data.addArray();
    for (double v : a.x()) {
      xs.add(v);
    }
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode sn = series.addObject();
      sn.put("label", lines.get(i).label());
      sn.put("color", lines.get(i).vm() < 0 ? "#444444" : color(lines.get(i).vm()));
      ArrayNode ys = data.addArray();
      for (Long v : a.ys().get(i)) {
        if (v == null) {
          ys.addNull();
        } else {
          ys.add(v);
        }
      }
    }
    String help =
        lines.size() > 1
            ? "Hover for each VM's value; drag across to zoom in, double-click to zoom out; click a"
                + " VM in the legend to hide or show it."
            : "Hover for values; drag across to zoom in, double-click to zoom out.";
    help +=
        a.slotMs() == 0
            ? " Every point is drawn."
            : String.format(
                Locale.ROOT,
                " Each line keeps its lowest and highest point in every %d ms, so no spike is lost.",
                a.slotMs());
    chart.put("help", help);
    return html(id, chart);
  }

  private static String html(String id, ObjectNode chart) {
    String json;
    try {
      json = JSON.writeValueAsString(chart);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Inside <script>, "</" would end the element: JSON allows "<" escaped.
    json = json.replace("<", "\\u003c");
    return "<figure id=\""
        + id
        + "\" class=\"chart\"><div class=\"chart-host\"></div>"
        + "<script type=\"application/json\" class=\"chart-data\">"
        + json
        + "</script><noscript><p>This chart needs JavaScript; its numbers are in the CSV files"
        + " beside this report.</p></noscript></figure>\n";
  }

  static String color(int vm) {
    return String.format(Locale.ROOT, "#%06x", Charts.color(vm).getRGB() & 0xffffff);
  }

  static String uplotVersion() {
    try (InputStream in =
        InteractiveChart.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("uPlot's WebJar is not on the class path");
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resource(String name) {
    try (InputStream in = InteractiveChart.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
