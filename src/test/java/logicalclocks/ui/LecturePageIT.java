package logicalclocks.ui;

import static logicalclocks.ui.PageChecks.js;
import static logicalclocks.ui.PageChecks.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.LogEvent;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page as a teacher projects it (Debian's Chromium through Selenium), on replays of simulated
 * runs: lecture mode at 1280x720 and 1920x1080 with 3 and 20 VMs keeps its controls on one row, no
 * two text labels overlapping, every clock written beside its dot at 3 VMs, dots apart, a selected
 * event and its detail both in view; the gauges say the logs' clocks at the play position after
 * steps, a rewind and a scrub; the quiz grades a wrong answer wrong; a replay plays at the speed
 * serve was given; the export keeps the screen's styles.
 */
class LecturePageIT {
  @TempDir Path tmp;

  static Path simulate(Path dir, int machines, int seconds) throws Exception {
    ModelConfig model =
        ModelConfig.builder()
            .machines(machines)
            .dieSides(Math.max(10, machines + 10))
            .seed(21L)
            .build();
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(seconds), 21, Simulation.DEFAULT_DELAY),
        dir);
    return dir;
  }

  static long lines(Path dir, int machines) throws Exception {
    long n = 0;
    for (int vm = 0; vm < machines; vm++) {
      n += Files.readAllLines(dir.resolve("machine_" + vm + ".log")).size();
    }
    return n;
  }

  /** A replay of dir served, the page opened at w x h and loaded whole. */
  static UiServer open(ChromeDriver d, Path dir, int machines, double speed) throws Exception {
    Feed feed = new Feed(machines, 1_000_000, "lecture test", "replay", speed);
    Replay.of(Replay.logs(dir), feed, 0).run();
    UiServer server = new UiServer(feed, "127.0.0.1", 0, 4, dir).start();
    d.get("http://127.0.0.1:" + server.port() + "/");
    long total = lines(dir, machines);
    await().atMost(Duration.ofSeconds(30)).until(() -> num(d, "lc.run.st.c.lines") == total);
    return server;
  }

  static void key(ChromeDriver d, CharSequence k) {
    d.findElement(By.tagName("body")).sendKeys(k);
  }

  @ParameterizedTest(name = "{0}x{1}, {2} VMs")
  @CsvSource({"1280,720,3", "1920,1080,3", "1280,720,20", "1920,1080,20"})
  void aLectureLayoutThatFits(int w, int h, int machines) throws Exception {
    Path dir = simulate(tmp.resolve("run"), machines, 20);
    Map<Integer, List<LogEvent>> logs = PageChecks.logs(dir, machines);
    ChromeDriver d = Browser.open(w, h);
    try (UiServer server = open(d, dir, machines, 0)) {
      key(d, "l");
      key(d, " "); // paused at the end
      for (int i = 0; i < 12; i++) {
        key(d, Keys.ARROW_LEFT);
      }
      PageChecks.settled(d);
      assertThat(d.findElement(By.tagName("body")).getAttribute("class")).contains("lecture");
      PageChecks.controlsOnOneRow(d);
      assertThat(PageChecks.overlappingLabels(d)).as("text labels that overlap").isEmpty();
      assertThat(PageChecks.diagramLabels(d)).isGreaterThan(machines);
      if (machines == 3) {
        // every clock written beside its dot at the default zoom
        long dots = num(d, "document.querySelectorAll('#dots circle').length");
        long labels = num(d, "document.querySelectorAll('#clabels text').length");
        assertThat(labels)
            .as("clock labels beside %d dots", dots)
            .isGreaterThanOrEqualTo(dots * 9 / 10);
        assertThat(labels).isGreaterThan(10);
      }
      // the zoom fits the rates: no two of a VM's dots merge
      @SuppressWarnings("unchecked")
      List<List<Number>> xs =
          (List<List<Number>>)
              js(
                  d,
                  "return [...document.querySelectorAll('#dots circle')].map(c => [+c.dataset.vm,"
                      + " +c.getAttribute('cx'), +c.getAttribute('r')]);");
      Map<Integer, Double> lastX = new java.util.HashMap<>();
      xs.stream()
          .sorted(java.util.Comparator.comparingDouble(x -> x.get(1).doubleValue()))
          .forEach(
              x -> {
                int vm = x.get(0).intValue();
                Double before = lastX.put(vm, x.get(1).doubleValue());
                if (before != null) {
                  assertThat(x.get(1).doubleValue() - before)
                      .as("vm%d's dots apart", vm)
                      .isGreaterThanOrEqualTo(2 * x.get(2).doubleValue());
                }
              });
      // the contract for scripts
      @SuppressWarnings("unchecked")
      List<String> fates =
          (List<String>)
              js(
                  d,
                  "return [...document.querySelectorAll('[data-msg][data-fate]')].map(m => m.dataset.fate)");
      assertThat(fates).isNotEmpty();
      assertThat(Set.copyOf(fates))
          .isSubsetOf("received", "dropped", "queued", "late", "in-flight");
      assertThat(d.findElements(By.cssSelector("[data-gauge][data-clock]"))).hasSize(machines);
      for (String id : List.of("legend", "narration", "timeline")) {
        assertThat(d.findElement(By.id(id)).isDisplayed()).as(id).isTrue();
      }
      // a RECEIVE selected: it and its detail in view
      // (one wholly right of the lanes' names: one at the window's left edge is under them)
      int panel = (int) num(d, "lc.view.left()");
      List<WebElement> receives =
          d.findElements(By.cssSelector("#dots .ev.RECEIVE")).stream()
              .filter(e -> e.getRect().getX() > panel + 4)
              .toList();
      assertThat(receives).isNotEmpty();
      WebElement chosen = receives.get(receives.size() / 2);
      chosen.click();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !d.findElements(By.cssSelector("#dots .ev.selected")).isEmpty());
      PageChecks.settled(d);
      assertThat(PageChecks.inViewport(d, "#dots .ev.selected"))
          .as("the selected event in view")
          .isTrue();
      assertThat(PageChecks.inViewport(d, "#detail")).as("its detail in view").isTrue();
      assertThat(PageChecks.inViewport(d, "#narration")).as("its rule in view").isTrue();
      assertThat(d.findElement(By.id("detail")).getText())
          .contains("RECEIVE")
          .contains("Lamport clock");
      assertThat(PageChecks.overlappingLabels(d))
          .as("text labels that overlap, selected")
          .isEmpty();
      // the gauges at the play position: after steps, a rewind, a scrub
      key(d, Keys.ESCAPE);
      PageChecks.gaugesAreTheLogsAtTheCursor(d, logs);
      key(d, Keys.HOME);
      PageChecks.gaugesAreTheLogsAtTheCursor(d, logs);
      for (int i = 0; i < 5; i++) {
        key(d, Keys.ARROW_RIGHT);
      }
      PageChecks.gaugesAreTheLogsAtTheCursor(d, logs);
      WebElement bar = d.findElement(By.id("timeline"));
      new org.openqa.selenium.interactions.Actions(d)
          .moveToElement(bar, bar.getSize().getWidth() / 10, 0)
          .click()
          .perform();
      long end = num(d, "lc.end");
      await().atMost(Duration.ofSeconds(5)).until(() -> num(d, "lc.cursor") > end / 4);
      assertThat(num(d, "lc.cursor")).isLessThan(end * 3 / 4);
      PageChecks.gaugesAreTheLogsAtTheCursor(d, logs);
      if (machines == 20) {
        d.findElement(By.cssSelector("[data-gauge='7']")).click(); // hide vm7
        PageChecks.settled(d);
        assertThat(num(d, "document.querySelectorAll('#labels g[data-vm]').length")).isEqualTo(19);
        assertThat(d.findElements(By.cssSelector("#dots [data-vm='7']"))).isEmpty();
        assertThat(PageChecks.overlappingLabels(d)).isEmpty();
      }
      java.nio.file.Files.createDirectories(Path.of("target", "ui"));
      java.nio.file.Files.copy(
          d.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
          Path.of("target", "ui", "lecture-" + w + "x" + h + "-" + machines + ".png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      d.quit();
    }
  }

  @Test
  void theQuizGradesAWrongAnswerWrong() throws Exception {
    Path dir = simulate(tmp.resolve("run"), 3, 20);
    Map<Integer, List<LogEvent>> logs = PageChecks.logs(dir, 3);
    ChromeDriver d = Browser.open(1280, 720);
    try (UiServer server = open(d, dir, 3, 0)) {
      key(d, "l");
      js(d, "lc.seek(Math.floor(lc.end / 2)); lc.pb.pause();");
      key(d, "q");
      d.findElement(By.id("quizstart")).click();
      List<WebElement> inputs = d.findElements(By.cssSelector("#quizitems input"));
      assertThat(inputs).hasSize(3);
      // the clocks are hidden until graded: on the page and in its data; no label of the VM's
      // events
      // from the first asked on gives a number away (a DROP or STOP after a SEND has its clock)
      assertThat(d.findElements(By.cssSelector("#clabels .clk.hidden"))).isNotEmpty();
      @SuppressWarnings("unchecked")
      List<String> leaks =
          (List<String>)
              js(
                  d,
                  "const q = lc.view.quiz; return [...document.querySelectorAll('#clabels text')]"
                      + ".map(t => lc.run.item(+t.dataset.k))"
                      + ".filter(e => e.vm === q.vm && e.k >= q.firstK && !/\\?/.test("
                      + "document.querySelector(`#clabels text[data-k='${e.k}']`).textContent))"
                      + ".map(e => 'vm' + e.vm + ' line ' + e.n);");
      assertThat(leaks).as("labels that give a quiz answer away").isEmpty();
      assertThat(
              d.findElement(By.cssSelector("[data-gauge='" + num(d, "lc.view.quiz.vm") + "']"))
                  .getAttribute("data-clock"))
          .isEqualTo("?");
      @SuppressWarnings("unchecked")
      List<List<Number>> asked =
          (List<List<Number>>) js(d, "return lc.view.quiz.q.events.map(e => [e.vm, e.n]);");
      long[] truth = new long[3];
      for (int i = 0; i < 3; i++) {
        truth[i] =
            logs.get(asked.get(i).get(0).intValue())
                .get(asked.get(i).get(1).intValue() - 1)
                .clock();
      }
      inputs.get(0).sendKeys(String.valueOf(truth[0] + 1)); // wrong
      inputs.get(1).sendKeys(String.valueOf(truth[1])); // right
      d.findElement(By.id("quizcheck")).click();
      List<WebElement> items = d.findElements(By.cssSelector("#quizitems li"));
      assertThat(items.get(0).getAttribute("class")).isEqualTo("wrong");
      assertThat(items.get(0).getText()).contains("it is " + truth[0]);
      assertThat(items.get(1).getAttribute("class")).isEqualTo("ok");
      assertThat(items.get(2).getAttribute("class")).as("no answer").isEqualTo("wrong");
      assertThat(d.findElement(By.id("quizscore")).getText()).isEqualTo("1 of 3 right");
      assertThat(d.findElements(By.cssSelector("#clabels .clk.hidden"))).isEmpty();
      // the same logs, the same position, the same VM: the same quiz
      Object again =
          js(
              d,
              "return lc.run.quiz(lc.view.quiz.vm, 3, lc.view.quiz.q.from).events.map(e => [e.vm, e.n]);");
      assertThat(again).isEqualTo(asked);
    } finally {
      d.quit();
    }
  }

  @Test
  void aReplayPlaysAtTheSpeedServeWasGivenAndTheExportKeepsTheScreen() throws Exception {
    Path dir = simulate(tmp.resolve("run"), 3, 20);
    ChromeDriver d = Browser.open(1280, 720);
    try (UiServer server = open(d, dir, 3, 4)) {
      assertThat(d.findElement(By.id("speed")).getAttribute("value")).isEqualTo("4");
      long at = num(d, "lc.cursor");
      await().atMost(Duration.ofSeconds(10)).until(() -> num(d, "lc.cursor") > at + 20);
      assertThat(num(d, "lc.cursor"))
          .as("playing, not at the end at once")
          .isLessThan(num(d, "lc.end"));
      key(d, " ");
      key(d, "l");
      PageChecks.settled(d);
      d.findElement(By.id("png")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "png".equals(js(d, "return lc.lastExport && lc.lastExport.kind")));
      // the label panel of the PNG is the page's background (white), not black
      long laneY = num(d, "Math.round(lc.view.laneY(0))");
      List<Number> px =
          PageChecks.exportedPixel(d, 2 * 80, (int) (2 * (laneY + 0.3 * num(d, "lc.view.laneH"))));
      assertThat(px.subList(0, 3).stream().map(Number::intValue).toList())
          .as("the label panel's colour")
          .containsExactly(255, 255, 255);
      d.findElement(By.id("svg")).click();
      String svg = (String) js(d, "return lc.lastExport.text");
      String size =
          (String)
              js(d, "return getComputedStyle(document.querySelector('#clabels text')).fontSize");
      assertThat(svg)
          .startsWith("<svg")
          .contains("font-size:" + size) // lecture sizes kept
          .contains("font-family:")
          .doesNotContain("class=\"ev"); // styles inlined, not left to a stylesheet
    } finally {
      d.quit();
    }
  }
}
