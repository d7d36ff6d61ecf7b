package logicalclocks.analysis.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.Series;
import logicalclocks.analysis.measure.SeriesBuilder;

/**
 * An interactive causal view of one window of a run, for report.html: each tick event a dot on its
 * VM's lane, each delivered message a line; clicking a dot marks its causal past (green) and future
 * (orange) and greys the events concurrent with it, and shows its Lamport and vector clocks. The
 * relations come from the vector clocks (event a happened before b exactly when b's entry for a's
 * VM is at least a's own), computed in the page by a few lines of plain JavaScript: no network.
 */
final class CausalView {
  static final int WIDTH = 1000;
  static final int LEFT = 60;
  static final int RIGHT = 30;
  static final int LANE = 60;

  private CausalView() {}

  /** The script the views share (once per page). */
  static String script() {
    return "<script>\n"
        + "function happenedBefore(a,b){return (b.c[a.v]||0)>=a.c[a.v];}\n"
        + "function pick(w,i){var es=CAUSAL[w],e=es[i];"
        + "document.querySelectorAll('#causal-'+w+' circle.ev').forEach(function(n){"
        + "var j=+n.getAttribute('data-i'),o=es[j];"
        + "n.setAttribute('class','ev '+(j==i?'sel':happenedBefore(o,e)?'past':happenedBefore(e,o)?'future':'conc'));});"
        + "var vc=Object.keys(e.c).map(function(k){return k+':'+e.c[k];}).join(',');"
        + "document.getElementById('causal-info-'+w).textContent="
        + "'VM '+e.v+' '+e.t+' at '+e.ms+' ms: Lamport clock L='+e.l+', vector clock vc='+vc"
        + "+' | green: its causal past, orange: its causal future, grey: concurrent with it';}\n"
        + "document.addEventListener('DOMContentLoaded',function(){var m=/select=(\\d+):(\\d+)/"
        + ".exec(location.hash);if(m){showWindow(+m[1]);pick(+m[1],+m[2]);}});\n"
        + "</script>\n";
  }

  /** The style of the views (once per page). */
  static String style() {
    return ".causal circle.ev{fill:#1f77b4;cursor:pointer}.causal circle.sel{fill:#000}"
        + ".causal circle.past{fill:#2ca02c}.causal circle.future{fill:#ff7f0e}"
        + ".causal circle.conc{fill:#ddd}.causal line.msg{stroke:#999;stroke-width:1}"
        + ".causal line.lane{stroke:#ccc}.causal text{font:12px sans-serif;fill:#444}";
  }

  /** The tick events with a vector clock in [from, to), in time order. */
  static List<Series.Point> events(Series s, long from, long to) {
    return s.points().stream()
        .filter(p -> p.event().isTick() && p.vc() != null && p.tMs() >= from && p.tMs() < to)
        .limit(SeriesBuilder.PER_WINDOW)
        .sorted((a, b) -> Long.compare(a.tMs(), b.tMs()))
        .toList();
  }

  /**
   * The view of window {@code w}, [from, from + width): an SVG, its info line, and its events as
   * data ({@code CAUSAL[w]}); or a note when the logs carry no vector clocks.
   */
  static String window(Series s, List<Integer> vms, int w, long from, long width) {
    List<Series.Point> events = events(s, from, from + width);
    if (vms.size() > SeriesBuilder.CAUSAL_VIEW_VMS) {
      return "<p class=\"causal-none\">Causal view: not drawn for more than "
          + SeriesBuilder.CAUSAL_VIEW_VMS
          + " VMs (a lane each would not fit a page).</p>\n"
          + "<script>CAUSAL["
          + w
          + "]=[];</script>\n";
    }
    if (events.isEmpty()) {
      return "<p class=\"causal-none\">Causal view: no events with vector clocks in this window"
          + " (runs with VECTOR_CLOCKS=false have none).</p>\n"
          + "<script>CAUSAL["
          + w
          + "]=[];</script>\n";
    }
    int height = 30 + LANE * vms.size();
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<h3>Causal view</h3>\n<svg class=\"causal\" id=\"causal-%d\""
                + " xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
            w,
            WIDTH,
            height,
            WIDTH,
            height));
    Map<Integer, Double> laneY = new HashMap<>();
    for (int i = 0; i < vms.size(); i++) {
      double y = 25 + LANE * i;
      laneY.put(vms.get(i), y);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"lane\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\""
                  + " y2=\"%.1f\"/><text x=\"5\" y=\"%.1f\">VM %d</text>",
              LEFT,
              y,
              WIDTH - RIGHT,
              y,
              y + 4,
              vms.get(i)));
    }
    int arrows = 0;
    for (Series.Msg m : s.messages()) {
      if (arrows >= SeriesBuilder.PER_WINDOW) {
        break;
      }
      if (m.recvMs() >= 0
          && m.sentMs() >= from
          && m.recvMs() < from + width
          && laneY.containsKey(m.from())
          && laneY.containsKey(m.to())) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<line class=\"msg\" x1=\"%.1f\" y1=\"%.1f\"" + " x2=\"%.1f\" y2=\"%.1f\"/>",
                x(m.sentMs(), from, width),
                laneY.get(m.from()),
                x(m.recvMs(), from, width),
                laneY.get(m.to())));
        arrows++;
      }
    }
    List<String> data = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Series.Point p = events.get(i);
      if (!laneY.containsKey(p.vm())) {
        continue;
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"ev\" data-i=\"%d\" cx=\"%.1f\""
                  + " cy=\"%.1f\" r=\"6\" onclick=\"pick(%d,%d)\"><title>VM %d %s L=%d vc=%s</title></circle>",
              i,
              x(p.tMs(), from, width),
              laneY.get(p.vm()),
              w,
              i,
              p.vm(),
              p.event(),
              p.clock(),
              p.vc().format()));
      data.add(
          String.format(
              Locale.ROOT,
              "{v:%d,t:'%s',ms:%d,l:%d,c:{%s}}",
              p.vm(),
              p.event(),
              p.tMs(),
              p.clock(),
              p.vc().entries().entrySet().stream()
                  .map(e -> e.getKey() + ":" + e.getValue())
                  .collect(Collectors.joining(","))));
    }
    svg.append("</svg>\n<p id=\"causal-info-")
        .append(w)
        .append("\">Click an event to see its causal past and future.</p>\n");
    svg.append("<script>CAUSAL[")
        .append(w)
        .append("]=[")
        .append(String.join(",", data))
        .append("];</script>\n");
    return svg.toString();
  }

  private static double x(long ms, long from, long width) {
    return LEFT + (ms - from) * (double) (WIDTH - LEFT - RIGHT) / width;
  }
}
