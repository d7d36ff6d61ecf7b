package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/** What the browser tests check on the live page, read from the page's own elements. */
final class PageChecks {
  private PageChecks() {}

  static Object js(ChromeDriver d, String script) {
    return ((JavascriptExecutor) d).executeScript(script);
  }

  static long num(ChromeDriver d, String expr) {
    return ((Number) js(d, "return " + expr + ";")).longValue();
  }

  /** Every VM's log, parsed: its lines' events by line number - 1 (null: unreadable). */
  static Map<Integer, List<LogEvent>> logs(Path dir, int machines) throws Exception {
    Map<Integer, List<LogEvent>> out = new HashMap<>();
    for (int vm = 0; vm < machines; vm++) {
      List<LogEvent> l = new ArrayList<>();
      for (String line :
          Files.readAllLines(dir.resolve(EventLogFormat.fileName(vm)), StandardCharsets.UTF_8)) {
        try {
          l.add(EventLogFormat.parse(line));
        } catch (RuntimeException unreadable) {
          l.add(null);
        }
      }
      out.put(vm, l);
    }
    return out;
  }

  /**
   * Each VM's gauge says the clock of the last readable line of its log shown at the play position
   * (the lines shown: those the page's model holds below its position).
   */
  @SuppressWarnings("unchecked")
  static void gaugesAreTheLogsAtTheCursor(ChromeDriver d, Map<Integer, List<LogEvent>> logs) {
    await("every gauge's data-clock equals its log's clock at the play position")
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              List<List<Object>> rows =
                  (List<List<Object>>)
                      js(
                          d,
                          "const r = lc.run, P = lc.cursor, last = {};"
                              + " for (let k = r.k0; k < P; k++) { const it = r.item(k);"
                              + "   if (it.e !== 'STATE') last[it.vm] = it.n; }"
                              + " return [...document.querySelectorAll('[data-gauge]')].map(g =>"
                              + "   [+g.dataset.gauge, g.dataset.clock, last[g.dataset.gauge] || 0]);");
              assertThat(rows).hasSize(logs.size());
              for (List<Object> row : rows) {
                int vm = ((Number) row.get(0)).intValue();
                int shown = ((Number) row.get(2)).intValue();
                String expected = "\u2013";
                for (int n = shown; n >= 1; n--) {
                  LogEvent e = logs.get(vm).get(n - 1);
                  if (e != null) {
                    expected = String.valueOf(e.clock());
                    break;
                  }
                }
                assertThat(row.get(1))
                    .as("vm%d's gauge with its lines 1..%d shown", vm, shown)
                    .isEqualTo(expected);
              }
            });
  }

  /**
   * Pairs of visible text labels whose boxes intersect (the diagram's, the legend's, the controls',
   * the header's, the side panel's), each box cut to what its scrolling ancestors show.
   */
  @SuppressWarnings("unchecked")
  static List<String> overlappingLabels(ChromeDriver d) {
    return (List<String>)
        js(
            d,
            "const cut = (a, b) => ({ left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),"
                + "   right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) });"
                + " const shown = (t) => { let r = t.getBoundingClientRect();"
                + "   r = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };"
                + "   for (let p = t.parentElement; p; p = p.parentElement) {"
                + "     const s = getComputedStyle(p);"
                + "     if (s.overflowX !== 'visible' || s.overflowY !== 'visible') r = cut(r, p.getBoundingClientRect());"
                + "   }"
                + "   return cut(r, { left: 0, top: 0, right: innerWidth, bottom: innerHeight }); };"
                + " const boxes = [];"
                + " const all = document.querySelectorAll('#diagram text, #legend > span, #controls > *,"
                + "   header > *, #gauges .gauge, #counters > span, #narration, #detail');"
                + " for (const t of all) {"
                + "   if (!t.textContent.trim() && t.tagName !== 'INPUT' && t.tagName !== 'SELECT') continue;"
                + "   const r = shown(t);"
                + "   if (r.right - r.left <= 0.5 || r.bottom - r.top <= 0.5) continue;"
                + "   boxes.push({ r, what: t.tagName + (t.getAttribute('class') ? '.' + t.getAttribute('class') : '')"
                + "     + \" '\" + (t.textContent || t.value || '').trim().slice(0, 24) + \"'\" });"
                + " }"
                + " const out = [];"
                + " for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {"
                + "   const a = boxes[i].r, b = boxes[j].r;"
                + "   if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5"
                + "     && b.top < a.bottom - 0.5) out.push(boxes[i].what + ' / ' + boxes[j].what);"
                + " }"
                + " return out.slice(0, 20);");
  }

  /** How many text labels are visible in the diagram (so an empty page cannot pass the check). */
  static long diagramLabels(ChromeDriver d) {
    return num(d, "document.querySelectorAll('#diagram text').length");
  }

  /** The controls shown sit on one row inside the window (a hidden one is on no row). */
  @SuppressWarnings("unchecked")
  static void controlsOnOneRow(ChromeDriver d) {
    List<List<Number>> boxes =
        (List<List<Number>>)
            js(
                d,
                "return [...document.querySelectorAll('#controls > *')].filter(e => !e.hidden).map(e => {"
                    + " const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.right]; });");
    double top = boxes.get(0).get(0).doubleValue();
    double width = num(d, "innerWidth");
    for (List<Number> b : boxes) {
      assertThat(Math.abs(b.get(0).doubleValue() - top))
          .as("a control below the first row")
          .isLessThan(8);
      assertThat(b.get(2).doubleValue())
          .as("a control beyond the window's right edge")
          .isLessThanOrEqualTo(width);
    }
  }

  /** Whether element {@code css} lies wholly inside the viewport. */
  static boolean inViewport(ChromeDriver d, String css) {
    return Boolean.TRUE.equals(
        js(
            d,
            "const e = document.querySelector(\""
                + css
                + "\"); if (!e) return false; const r = e.getBoundingClientRect();"
                + " return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight"
                + " && r.right <= innerWidth;"));
  }

  /** Waits until the page has drawn its latest state. */
  static void settled(ChromeDriver d) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Boolean.FALSE.equals(js(d, "return lc.dirty")));
  }

  /**
   * The pixel's colour [r, g, b, a] at (x, y) of the last exported PNG (its pixels, 2 per CSS px).
   */
  @SuppressWarnings("unchecked")
  static List<Number> exportedPixel(ChromeDriver d, int x, int y) {
    return (List<Number>)
        ((JavascriptExecutor) d)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " const img = new Image();"
                    + " img.onload = () => { const c = document.createElement('canvas');"
                    + "   c.width = img.width; c.height = img.height; const g = c.getContext('2d');"
                    + "   g.drawImage(img, 0, 0); done([...g.getImageData("
                    + x
                    + ", "
                    + y
                    + ", 1, 1).data]); };"
                    + " img.src = lc.lastExport.url;");
  }
}
