package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import logicalclocks.analysis.live.WatchModel;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the page shows besides the events, in Chromium: an unreachable VM and a restarted one as
 * such, a violation marked on the event where it happened, the keyboard (lecture mode, theme, time
 * axis), and the window exported as SVG.
 */
class PageStatesIT {
  static int written;

  /** A line a few hundred ms after the one before (no two on one pixel of the wall axis). */
  static String line(int vm, String event, long clock, String extra) {
    written++;
    return "ts=2026-12-02T05:17:"
        + (10 + written)
        + ".000Z vm="
        + vm
        + " event="
        + event
        + " clock="
        + clock
        + " queue=0 "
        + extra;
  }

  @Test
  void statesViolationsKeysAndExport() throws Exception {
    Feed feed = new Feed(3, 1000, "states", "live");
    feed.state(0, WatchModel.State.UNREACHABLE, "connection refused");
    feed.line(1, line(1, "START", 0, "rate=2 sides=10 seed=1 peers=0,2"), 1);
    feed.line(1, line(1, "INTERNAL", 1, "die=7"), 2);
    feed.line(1, line(1, "STOP", 1, "reason=signal"), 3);
    feed.line(1, line(1, "START", 1, "rate=2 sides=10 seed=1 peers=0,2 resumed=true"), 4);
    feed.line(1, line(1, "INTERNAL", 2, "die=7"), 5);
    feed.line(2, line(2, "START", 0, "rate=2 sides=10 seed=1 peers=0,1"), 1);
    feed.line(2, line(2, "INTERNAL", 1, "die=7"), 2);
    feed.line(2, line(2, "INTERNAL", 1, "die=7"), 3); // the clock did not move: a violation
    ChromeDriver d = Browser.open(1200, 800);
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 2, null).start()) {
      d.get("http://127.0.0.1:" + server.port() + "/");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> d.findElements(By.cssSelector("#dots .ev")).size() == 8);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> !d.findElements(By.cssSelector(".gauge.unreachable[data-vm='0']")).isEmpty());
      assertThat(d.findElement(By.cssSelector(".gauge[data-vm='0']")).getText())
          .contains("unreachable")
          .contains("connection refused");
      assertThat(d.findElements(By.cssSelector("#lanes .lane.unreachable"))).hasSize(1);
      assertThat(d.findElement(By.cssSelector(".gauge[data-vm='1']")).getText())
          .contains("restarted 1");
      assertThat(d.findElements(By.cssSelector("#dots .ev.START[data-vm='1'][data-restart='1']")))
          .hasSize(1);
      // the time it was stopped (SIGTERM, then its restart) is drawn on its lane
      assertThat(d.findElements(By.cssSelector("#spans .down.stopped[data-vm='1']"))).hasSize(1);
      List<WebElement> bad = d.findElements(By.cssSelector("#dots .ev.violation"));
      assertThat(bad).hasSize(1);
      assertThat(bad.get(0).getAttribute("data-vm")).isEqualTo("2");
      assertThat(bad.get(0).getAttribute("data-line")).isEqualTo("3");
      assertThat(d.findElement(By.id("verdict")).getText()).contains("violation(s)");
      assertThat(d.findElement(By.id("verdict")).getAttribute("title"))
          .contains("violation(s), first machine_2.log:3");
      assertThat(d.findElement(By.id("problems")).getText()).contains("machine_2.log:3");

      WebElement body = d.findElement(By.tagName("body"));
      body.sendKeys("l");
      body.sendKeys("t");
      assertThat(body.getAttribute("class")).contains("lecture").contains("dark");
      body.sendKeys("a");
      assertThat(((JavascriptExecutor) d).executeScript("return window.lc.axis"))
          .isEqualTo("lamport");
      // on the Lamport axis, a VM's events lie left to right in clock order (the two at clock 1
      // side by side, not on one pixel)
      @SuppressWarnings("unchecked")
      List<List<Number>> xs =
          (List<List<Number>>)
              ((JavascriptExecutor) d)
                  .executeScript(
                      "return [...document.querySelectorAll(\"#dots .ev[data-vm='2']\")]"
                          + ".map(e => [+e.dataset.clock, +e.dataset.x, +e.dataset.count]);");
      assertThat(xs.stream().mapToInt(x -> x.get(2).intValue()).sum()).isEqualTo(3);
      for (int i = 1; i < xs.size(); i++) {
        assertThat(xs.get(i).get(1).doubleValue())
            .isGreaterThan(xs.get(i - 1).get(1).doubleValue());
        assertThat(xs.get(i).get(0).longValue())
            .isGreaterThanOrEqualTo(xs.get(i - 1).get(0).longValue());
      }
      assertThat(d.findElements(By.cssSelector("#dots .ev.violation[data-vm='2']"))).hasSize(1);
      d.findElement(By.id("svg")).click();
      String svg =
          (String) ((JavascriptExecutor) d).executeScript("return window.lc.lastExport.text");
      assertThat(svg)
          .startsWith("<svg")
          .contains("data-event=\"START\"")
          .contains("font-family:")
          .doesNotContain("var(--");
      d.findElement(By.id("png")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "png"
                      .equals(
                          ((JavascriptExecutor) d)
                              .executeScript("return window.lc.lastExport.kind")));
      assertThat(
              ((Number) ((JavascriptExecutor) d).executeScript("return window.lc.lastExport.size"))
                  .longValue())
          .as("a PNG of the window, not an empty one")
          .isGreaterThan(2000);
    } finally {
      d.quit();
    }
  }
}
