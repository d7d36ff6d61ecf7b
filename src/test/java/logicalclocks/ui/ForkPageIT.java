package logicalclocks.ui;

import static logicalclocks.ui.PageChecks.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import logicalclocks.config.ModelConfig;
import logicalclocks.log.EventLogFormat;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * "Fork here" on a replay (Chromium, 1280x720): a selected SEND of the slow VM is forked with a
 * pause; the page says where the fork first diverges (at exactly that event of that VM) and links
 * the comparison, whose page draws the two runs one above the other with the divergence ringed.
 */
class ForkPageIT {
  @TempDir Path tmp;

  @Test
  void forkHereShowsWhereTheTwoRunsDiverge() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    // VM 0 ticks slowest: its queue builds up
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().machines(3).rates(List.of(2, 5, 5)).dieSides(8).seed(3L).build(),
            Duration.ofSeconds(30),
            3,
            Duration.ofMillis(50)),
        dir);
    List<String> lines = Files.readAllLines(dir.resolve(EventLogFormat.fileName(0)));
    long ticks = 0;
    int line = -1;
    long event = -1;
    for (int i = 0; i < lines.size(); i++) {
      var e = EventLogFormat.parse(lines.get(i));
      if (e.event().isTick()) {
        ticks++;
        if (ticks == 20) {
          line = i + 1;
          event = ticks;
          break;
        }
      }
    }
    assertThat(line).isPositive();

    Feed feed = new Feed(3, 1_000_000, "fork test", "replay", 0);
    Replay.of(Replay.logs(dir), feed, 0).run();
    ChromeDriver d = Browser.open(1280, 720);
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 4, dir).start()) {
      long total = LecturePageIT.lines(dir, 3);
      String base = "http://127.0.0.1:" + server.port();
      d.get(base + "/");
      await().atMost(Duration.ofSeconds(30)).until(() -> num(d, "lc.run.st.c.lines") == total);
      assertThat(d.findElement(By.id("forkbox")).isDisplayed()).as("nothing selected").isFalse();
      int n = line;
      PageChecks.js(
          d,
          "const r = lc.run; for (let k = r.k0; k < r.kEnd; k++) { const it = r.item(k);"
              + " if (it.vm === 0 && it.n === "
              + n
              + ") { lc.seek(k + 1); lc.select(k); return k; } } return -1;");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> d.findElement(By.id("forkbox")).isDisplayed());
      new org.openqa.selenium.support.ui.Select(d.findElement(By.id("forkchange")))
          .selectByValue("pause=2000");
      d.findElement(By.id("forkgo")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "done".equals(d.findElement(By.id("forkout")).getAttribute("data-state"))
                      || "error"
                          .equals(d.findElement(By.id("forkout")).getAttribute("data-state")));
      String out = d.findElement(By.id("forkout")).getText();
      assertThat(out)
          .contains("fork 1 (0:" + event + ":pause=2000)")
          .contains("vm0: first divergence at event " + event + " ")
          .contains("happens-before: first difference at message");
      Path shots = Files.createDirectories(Path.of("target", "ui"));
      Files.write(shots.resolve("fork-here.png"), d.getScreenshotAs(OutputType.BYTES));

      String page = d.findElement(By.id("forklink")).getAttribute("href");
      d.get(page);
      assertThat(d.findElement(By.tagName("h1")).getText())
          .isEqualTo("Where two runs first differ");
      assertThat(d.findElements(By.cssSelector("svg#diagram-a circle.ev"))).isNotEmpty();
      assertThat(d.findElements(By.cssSelector("svg#diagram-b circle.ev"))).isNotEmpty();
      // the forked VM's first divergent event is ringed in both runs, at the same x
      var a = d.findElement(By.cssSelector("svg#diagram-a circle.ev.first[cy='" + 46 + "']"));
      var b = d.findElement(By.cssSelector("svg#diagram-b circle.ev.first[cy='" + 46 + "']"));
      assertThat(a.getAttribute("cx")).isEqualTo(b.getAttribute("cx"));
      assertThat(d.findElement(By.id("vm0")).getText())
          .isEqualTo("vm0: first divergence at event " + event + " (line " + line + ")");
      Files.write(shots.resolve("fork.png"), d.getScreenshotAs(OutputType.BYTES));

      // a fork the run cannot take: the page says why
      d.get(base + "/");
      await().atMost(Duration.ofSeconds(30)).until(() -> num(d, "lc.run.st.c.lines") == total);
      PageChecks.js(
          d,
          "const r = lc.run; for (let k = r.k0; k < r.kEnd; k++) { const it = r.item(k);"
              + " if (it.vm === 1 && it.e === 'RECEIVE') { lc.seek(k + 1); lc.select(k); return k; } }"
              + " return -1;");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> d.findElement(By.id("forkbox")).isDisplayed());
      new org.openqa.selenium.support.ui.Select(d.findElement(By.id("forkchange")))
          .selectByValue("drop");
      d.findElement(By.id("forkgo")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "error".equals(d.findElement(By.id("forkout")).getAttribute("data-state")));
      assertThat(d.findElement(By.id("forkout")).getText()).contains("changes a SEND");
    } finally {
      d.quit();
    }
  }
}
