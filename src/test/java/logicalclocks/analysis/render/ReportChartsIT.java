package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import logicalclocks.ui.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * report.html's charts, used as a reader would in Debian's Chromium opened from file:// (no
 * network): hovering shows each VM's value at that instant, a click on a VM in the legend hides it,
 * dragging across zooms in and a double click zooms out.
 */
class ReportChartsIT {
  @TempDir Path tmp;

  @Test
  void chartsAnswerHoverLegendClicksDragAndDoubleClick() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Path html = Report.write(ReportTest.simulated(logs, 20), "charts test", tmp.resolve("report"));
    ChromeDriver d = Browser.open(1280, 900);
    try {
      d.get(html.toUri().toString());
      new WebDriverWait(d, Duration.ofSeconds(30))
          .until(
              x -> "drawn".equals(d.findElement(By.tagName("body")).getAttribute("data-charts")));
      for (String id : List.of("clock-chart", "queue-chart", "jump-histogram", "drift-chart")) {
        assertThat(d.findElements(By.cssSelector("#" + id + " canvas")))
            .as("%s drawn on a canvas", id)
            .isNotEmpty();
      }
      WebElement fig = d.findElement(By.id("clock-chart"));
      d.executeScript("arguments[0].scrollIntoView()", fig);
      assertThat(d.executeScript("return arguments[0].uplot.series.length", fig))
          .as("the x series and one per VM")
          .isEqualTo(4L);
      WebElement over = fig.findElement(By.cssSelector(".u-over"));
      int w = over.getRect().getWidth();

      // Hover: the legend shows each VM's value at the cursor, the value uPlot holds there.
      new Actions(d).moveToElement(over, w / 4, 0).perform();
      @SuppressWarnings("unchecked")
      List<Object> hovered =
          (List<Object>)
              d.executeScript(
                  "var u=arguments[0].uplot, i=u.cursor.idx;"
                      + "var cells=[...arguments[0].querySelectorAll('.u-legend .u-series')]"
                      + ".map(r=>r.querySelector('.u-value').textContent);"
                      + "return [i, cells, u.data[1][i], u.data[0][i]];",
                  fig);
      assertThat(hovered.get(0)).as("a point under the cursor").isNotNull();
      @SuppressWarnings("unchecked")
      List<String> cells = (List<String>) hovered.get(1);
      assertThat(cells.get(0)).as("the time under the cursor").endsWith(" s");
      assertThat(cells.subList(1, 4)).as("each VM's value").noneMatch(String::isBlank);
      if (hovered.get(2) != null) {
        assertThat(cells.get(1)).isEqualTo(String.valueOf(((Number) hovered.get(2)).longValue()));
      }

      // A click on VM 1 in the legend hides its line, a second shows it again.
      WebElement vm1 = fig.findElements(By.cssSelector(".u-legend .u-series")).get(2);
      assertThat(vm1.getText()).contains("VM 1");
      vm1.click();
      assertThat(d.executeScript("return arguments[0].uplot.series[2].show", fig)).isEqualTo(false);
      assertThat(vm1.getAttribute("class")).contains("u-off");
      vm1.click();
      assertThat(d.executeScript("return arguments[0].uplot.series[2].show", fig)).isEqualTo(true);

      // Drag across a quarter of the plot: zoomed in; double click: the whole run again.
      double full = span(d, fig);
      new Actions(d)
          .moveToElement(over, -w / 4, 0)
          .clickAndHold()
          .moveByOffset(w / 4, 0)
          .release()
          .perform();
      double zoomed = span(d, fig);
      assertThat(zoomed).as("x range after dragging a quarter").isLessThan(full * 0.4);
      new Actions(d).moveToElement(over, 0, 0).doubleClick().perform();
      assertThat(span(d, fig)).as("x range after a double click").isEqualTo(full);
    } finally {
      d.quit();
    }
  }

  private static double span(ChromeDriver d, WebElement fig) {
    return ((Number)
            d.executeScript("var s=arguments[0].uplot.scales.x; return s.max - s.min;", fig))
        .doubleValue();
  }
}
