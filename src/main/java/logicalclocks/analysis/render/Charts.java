package logicalclocks.analysis.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.analysis.measure.Series;
import logicalclocks.analysis.measure.SeriesBuilder;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts, drawn by JFreeChart into inline SVG (no network, no scripts needed to view).
 */
public final class Charts {
  /** Colors per VM id, distinguishable and print-friendly. */
  static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf)
  };

  private static final int MAX_POINTS_PER_SERIES = 3000;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  static Color color(int vm) {
    return PALETTE[vm % PALETTE.length];
  }

  /** Renders a chart to an SVG element string. */
  public static String svg(JFreeChart chart, int width, int height) {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    chart.draw(g, new Rectangle(width, height));
    return g.getSVGElement();
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    if (chart.getPlot() instanceof XYPlot p) {
      p.setBackgroundPaint(new Color(0xfafafa));
      p.setDomainGridlinePaint(new Color(0xdddddd));
      p.setRangeGridlinePaint(new Color(0xdddddd));
    }
  }

  /**
   * Logical clock (or queue length) of each VM against wall time, from its {@link
   * logicalclocks.analysis.measure.LaneSummary}: each bucket's lowest and highest value at the time
   * each was, and its last, so no spike between two drawn points is lost.
   */
  public static JFreeChart perVm(Series series, String title, String yLabel, boolean queue) {
    Map<Integer, XYSeries> byVm = new TreeMap<>();
    for (var lane : series.lanes().entrySet()) {
      XYSeries xy = new XYSeries("VM " + lane.getKey(), false, true);
      for (long[] p : lane.getValue().points(queue)) {
        xy.add(p[0] / 1000.0, p[1]);
      }
      byVm.put(lane.getKey(), xy);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    byVm.values().forEach(data::addSeries);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, "wall time (s)", yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r =
        queue ? new XYStepRenderer() : new XYLineAndShapeRenderer(true, false);
    int i = 0;
    for (int vm : byVm.keySet()) {
      r.setSeriesPaint(i, color(vm));
      r.setSeriesStroke(i, new BasicStroke(1.6f));
      i++;
    }
    plot.setRenderer(r);
    style(chart);
    return chart;
  }

  /** Clock spread (max - min across VMs) against wall time. */
  public static JFreeChart drift(Series series) {
    XYSeries s = new XYSeries("max clock - min clock", false, true);
    int stride = Math.max(1, series.drift().size() / MAX_POINTS_PER_SERIES);
    for (int i = 0; i < series.drift().size(); i += stride) {
      Series.DriftSample d = series.drift().get(i);
      s.add(d.tMs() / 1000.0, d.spread());
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Drift: spread of logical clocks across VMs",
            "wall time (s)",
            "clock spread",
            new XYSeriesCollection(s),
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    chart.getXYPlot().getRenderer().setSeriesPaint(0, new Color(0x444444));
    style(chart);
    return chart;
  }

  /**
   * Each VM's clocks against physical time, over host time: above, its hybrid clock's {@code l -
   * pt} (ms; bounded by the clocks' offsets); below, its Lamport clock minus its own events (ticks
   * pushed on it by RECEIVEs; unbounded).
   */
  public static JFreeChart physical(Series series) {
    XYSeriesCollection ahead = new XYSeriesCollection();
    XYSeriesCollection lamport = new XYSeriesCollection();
    for (var e : series.physical().entrySet()) {
      XYSeries a = new XYSeries("VM " + e.getKey() + " hlc l - pt", false, true);
      XYSeries l = new XYSeries("VM " + e.getKey() + " Lamport - own events", false, true);
      for (long[] p : e.getValue()) {
        a.add(p[0] / 1000.0, p[1]);
        l.add(p[0] / 1000.0, p[2]);
      }
      ahead.addSeries(a);
      lamport.addSeries(l);
    }
    NumberAxis time = new NumberAxis("wall time (s)");
    org.jfree.chart.plot.CombinedDomainXYPlot plot =
        new org.jfree.chart.plot.CombinedDomainXYPlot(time);
    XYLineAndShapeRenderer ra = new XYLineAndShapeRenderer(true, false);
    XYLineAndShapeRenderer rl = new XYLineAndShapeRenderer(true, false);
    int i = 0;
    for (int vm : series.physical().keySet()) {
      ra.setSeriesPaint(i, color(vm));
      rl.setSeriesPaint(i, color(vm));
      ra.setSeriesStroke(i, new BasicStroke(1.6f));
      rl.setSeriesStroke(i, new BasicStroke(1.6f));
      i++;
    }
    XYPlot top = new XYPlot(ahead, null, new NumberAxis("hlc l - pt (ms)"), ra);
    XYPlot bottom = new XYPlot(lamport, null, new NumberAxis("Lamport - own events"), rl);
    plot.add(top, 1);
    plot.add(bottom, 1);
    JFreeChart chart =
        new JFreeChart("Clocks against physical time", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    style(chart);
    top.setBackgroundPaint(new Color(0xfafafa));
    bottom.setBackgroundPaint(new Color(0xfafafa));
    return chart;
  }

  /** How often each clock jump size happened, per VM (a jump of 1 is an ordinary tick). */
  public static JFreeChart jumpHistogram(Series series) {
    Map<Integer, TreeMap<Long, Long>> hist = new TreeMap<>();
    long cap = 20;
    series
        .jumps()
        .forEach(
            (vm, h) ->
                h.counts()
                    .forEach(
                        (jump, count) ->
                            hist.computeIfAbsent(vm, k -> new TreeMap<>())
                                .merge(Math.min(cap, jump), count, Long::sum)));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (long size = 1; size <= cap; size++) {
      String label = size == cap ? cap + "+" : String.valueOf(size);
      for (var e : hist.entrySet()) {
        data.addValue(e.getValue().getOrDefault(size, 0L), "VM " + e.getKey(), label);
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Clock jump sizes",
            "jump (clock step between ticks)",
            "ticks",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    int i = 0;
    for (int vm : hist.keySet()) {
      chart.getCategoryPlot().getRenderer().setSeriesPaint(i++, color(vm));
    }
    chart.setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setBackgroundPaint(new Color(0xfafafa));
    ((BarRenderer) chart.getCategoryPlot().getRenderer()).setBarPainter(new StandardBarPainter());
    return chart;
  }

  /**
   * The space-time (Lamport) diagram of one window of wall time: a lane per VM, a dot per event, a
   * line per message from its SEND to its RECEIVE (dropped messages end in a short black stub).
   */
  public static JFreeChart spaceTime(Series series, List<Integer> vms, long fromMs, long toMs) {
    XYSeriesCollection data = new XYSeriesCollection();
    Map<Integer, XYSeries> lanes = new TreeMap<>();
    for (int vm : vms) {
      lanes.put(vm, new XYSeries("VM " + vm, false, true));
    }
    int drawn = 0;
    for (Series.Point p : series.points()) {
      if (p.tMs() >= fromMs
          && p.tMs() <= toMs
          && lanes.containsKey(p.vm())
          && drawn++ < SeriesBuilder.PER_WINDOW) {
        lanes.get(p.vm()).add(p.tMs() / 1000.0, vms.indexOf(p.vm()));
      }
    }
    int arrows = 0;
    lanes.values().forEach(data::addSeries);
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            String.format("Space-time diagram, %.1f s to %.1f s", fromMs / 1000.0, toMs / 1000.0),
            "wall time (s)",
            "",
            data,
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    SymbolAxis lanesAxis =
        new SymbolAxis("", vms.stream().map(v -> "VM " + v).toArray(String[]::new));
    lanesAxis.setGridBandsVisible(false);
    plot.setRangeAxis(lanesAxis);
    NumberAxis time = (NumberAxis) plot.getDomainAxis();
    time.setRange(fromMs / 1000.0, Math.max(toMs, fromMs + 1) / 1000.0);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    int i = 0;
    for (int vm : lanes.keySet()) {
      r.setSeriesPaint(i, color(vm));
      r.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      i++;
    }
    plot.setRenderer(r);
    for (Series.Msg m : series.messages()) {
      if (m.sentMs() < fromMs
          || m.sentMs() > toMs
          || !lanes.containsKey(m.from())
          || !lanes.containsKey(m.to())
          || arrows++ >= SeriesBuilder.PER_WINDOW) {
        continue;
      }
      double y0 = vms.indexOf(m.from());
      double y1 = vms.indexOf(m.to());
      if (m.recvMs() >= 0) {
        plot.addAnnotation(
            new XYLineAnnotation(
                m.sentMs() / 1000.0,
                y0,
                m.recvMs() / 1000.0,
                y1,
                new BasicStroke(0.8f),
                withAlpha(color(m.from()), 150)));
      } else if (m.outcome() == Series.Fate.DROPPED) {
        plot.addAnnotation(
            new XYLineAnnotation(
                m.sentMs() / 1000.0,
                y0,
                m.sentMs() / 1000.0 + 0.05,
                y0 + (y1 - y0) * 0.3,
                new BasicStroke(1.5f),
                Color.BLACK));
      }
    }
    style(chart);
    return chart;
  }

  private static Color withAlpha(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  /**
   * A heat map: x and y are the swept parameters, the color the measured value.
   *
   * @param cells rows of {x, y, value}
   */
  public static JFreeChart heatMap(
      String title,
      String xLabel,
      String yLabel,
      String[] yTicks,
      String valueLabel,
      List<double[]> cells) {
    double[][] xyz = new double[3][cells.size()];
    double max = 0;
    for (int i = 0; i < cells.size(); i++) {
      xyz[0][i] = cells.get(i)[0];
      xyz[1][i] = cells.get(i)[1];
      xyz[2][i] = cells.get(i)[2];
      max = Math.max(max, cells.get(i)[2]);
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries(valueLabel, xyz);
    NumberAxis x = new NumberAxis(xLabel);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new SymbolAxis(yLabel, yTicks);
    XYBlockRenderer r = new XYBlockRenderer();
    LookupPaintScale scale = new LookupPaintScale(0, Math.max(1, max) * 1.0001, Color.WHITE);
    int steps = 10;
    for (int i = 0; i < steps; i++) {
      float f = i / (float) (steps - 1);
      scale.add(
          Math.max(1, max) * i / steps, interpolate(new Color(0xfff5eb), new Color(0x7f2704), f));
    }
    r.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, r);
    double minX = cells.stream().mapToDouble(c -> c[0]).min().orElse(0);
    double maxX = cells.stream().mapToDouble(c -> c[0]).max().orElse(1);
    x.setRange(minX - 0.5, maxX + 0.5);
    y.setRange(-0.5, yTicks.length - 0.5);
    for (double[] c : cells) {
      var label =
          new XYTextAnnotation(
              c[2] >= 100
                  ? String.format(Locale.ROOT, "%.0f", c[2])
                  : String.format(Locale.ROOT, "%.1f", c[2]),
              c[0],
              c[1]);
      label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      label.setPaint(c[2] > max * 0.6 ? Color.WHITE : Color.DARK_GRAY);
      plot.addAnnotation(label);
    }
    JFreeChart chart = new JFreeChart(title, plot);
    chart.removeLegend();
    NumberAxis legendAxis = new NumberAxis(valueLabel);
    legendAxis.setRange(0, Math.max(1, max));
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    legend.setStripWidth(14);
    legend.setAxisOffset(4);
    legend.setMargin(4, 10, 40, 10);
    chart.addSubtitle(legend);
    style(chart);
    return chart;
  }

  private static Paint interpolate(Color a, Color b, float f) {
    return new Color(
        Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
        Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
        Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
  }
}
