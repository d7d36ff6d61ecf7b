package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.config.HostPort;
import logicalclocks.config.LocalConfig;
import logicalclocks.config.ModelConfig;
import logicalclocks.node.LocalCluster;
import logicalclocks.transport.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The live page in a real browser (Debian's Chromium through Selenium, 1280x720), against a live
 * 3-VM local run over real gRPC and against the replay of its logs: pause stops the drawing while
 * events keep coming; after five steps back and a rewind every gauge says its log's clock at the
 * play position; each step's narration has the log lines' numbers; played at 2x after a 6 s pause
 * the page is live again within 6 s; events drawn in each VM's order with counts equal to the logs;
 * the causal highlight of a clicked event equals what the vector clocks in the logs say; the replay
 * draws every line (a malformed one as an error). The screenshot README shows is taken here ({@code
 * target/ui/live-page.png}) and checked to show what its caption says.
 */
class LivePageIT {
  @TempDir Path tmp;

  /** One drawn element, as its data attributes say. */
  record Drawn(int vm, long clock, String event, long line, int count, String vc, String cls) {}

  @SuppressWarnings("unchecked")
  static List<Drawn> drawn(ChromeDriver d) {
    List<Map<String, Object>> raw =
        (List<Map<String, Object>>)
            d.executeScript(
                "return [...document.querySelectorAll('#dots .ev')].map(e => ({vm: +e.dataset.vm,"
                    + " clock: +e.dataset.clock, event: e.dataset.event, line: +e.dataset.line,"
                    + " count: +e.dataset.count, vc: e.dataset.vc || '', cls:"
                    + " e.getAttribute('class')}));");
    List<Drawn> out = new ArrayList<>();
    for (Map<String, Object> m : raw) {
      out.add(
          new Drawn(
              ((Number) m.get("vm")).intValue(),
              ((Number) m.get("clock")).longValue(),
              (String) m.get("event"),
              ((Number) m.get("line")).longValue(),
              ((Number) m.get("count")).intValue(),
              (String) m.get("vc"),
              (String) m.get("cls")));
    }
    return out;
  }

  static long js(ChromeDriver d, String expr) {
    return ((Number) ((JavascriptExecutor) d).executeScript("return " + expr + ";")).longValue();
  }

  static List<String> lines(Path log) throws Exception {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  /** The log's line n of VM vm (1-based). */
  static logicalclocks.event.LogEvent at(
      Map<Integer, List<logicalclocks.event.LogEvent>> logs, int vm, long n) {
    return logs.get(vm).get((int) n - 1);
  }

  @Test
  void liveRunThenItsReplay() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("live"));
    ModelConfig model = ModelConfig.builder().machines(3).tickRate(15).seed(11L).build();
    // a free port's neighbours may be taken by another process meanwhile (an ephemeral port of a
    // client): bind again on other ports, at most 5 times
    int base = 0;
    LocalCluster cluster = null;
    for (int attempt = 0; cluster == null; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        base = Math.min(s.getLocalPort(), 60000);
      }
      LocalCluster c =
          new LocalCluster(
              new LocalConfig(base, Duration.ofSeconds(36), model, logs), 11, Clock.systemUTC());
      try {
        c.start();
        cluster = c;
      } catch (java.io.IOException taken) {
        if (attempt == 4) {
          throw taken;
        }
      }
    }
    List<HostPort> vms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      vms.add(new HostPort("127.0.0.1", base + i));
    }
    Feed feed = new Feed(3, 10_000, "3 local VMs", "live");
    ChromeDriver d = Browser.open(1280, 720);
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 4, null).start();
        Follow follow = new Follow(feed, Network.tcp(null), vms)) {
      d.get("http://127.0.0.1:" + server.port() + "/");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> d.findElements(By.cssSelector("#dots .ev")).size() > 30);

      // pause: the page stops drawing while the server goes on sending
      d.findElement(By.tagName("body")).sendKeys(" ");
      long cursor = js(d, "window.lc.cursor");
      long seen = js(d, "window.lc.lastSeq");
      int drawnPaused = drawn(d).size();
      await().atMost(Duration.ofSeconds(20)).until(() -> js(d, "window.lc.lastSeq") >= seen + 30);
      assertThat(js(d, "window.lc.cursor")).as("paused: nothing more shown").isEqualTo(cursor);
      assertThat(drawn(d)).as("paused: nothing more drawn").hasSize(drawnPaused);
      assertThat(d.findElement(By.id("position")).getText()).startsWith("paused");

      // five steps back, then a rewind: the gauges are the logs' clocks at the play position, and
      // each step's narration has the numbers of the log's lines
      for (int i = 0; i < 5; i++) {
        d.findElement(By.tagName("body")).sendKeys(Keys.ARROW_LEFT);
      }
      Map<Integer, List<logicalclocks.event.LogEvent>> sofar = PageChecks.logs(logs, 3);
      PageChecks.gaugesAreTheLogsAtTheCursor(d, sofar);
      d.findElement(By.tagName("body")).sendKeys(Keys.HOME);
      PageChecks.gaugesAreTheLogsAtTheCursor(d, sofar);
      int told = 0;
      for (int i = 0; i < 40; i++) {
        d.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
        PageChecks.settled(d);
        told += narrationIsTheLog(d, sofar);
      }
      assertThat(told).as("steps whose rule was checked against the log").isGreaterThan(25);
      PageChecks.gaugesAreTheLogsAtTheCursor(d, sofar);

      // live, then paused 6 s, then played at 2x: live again within 6 s (the speed chosen first,
      // so that the pause is the 6 s between the two key presses)
      d.findElement(By.id("live")).click();
      new org.openqa.selenium.support.ui.Select(d.findElement(By.id("speed"))).selectByValue("2");
      d.findElement(By.tagName("body")).sendKeys(" ");
      long pausedAt = js(d, "window.lc.cursor");
      await()
          .pollDelay(Duration.ofSeconds(6)) // the pause being measured: 6 s of the run go by
          .atMost(Duration.ofSeconds(8))
          .until(() -> true);
      d.findElement(By.tagName("body")).sendKeys(" ");
      assertThat(js(d, "window.lc.cursor")).isLessThan(js(d, "window.lc.end"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      ((JavascriptExecutor) d)
                          .executeScript("return window.lc.liveAt > window.lc.playAt")));
      double paused =
          ((Number)
                  ((JavascriptExecutor) d)
                      .executeScript("return window.lc.playAt - window.lc.pausedAt"))
              .doubleValue();
      double took =
          ((Number)
                  ((JavascriptExecutor) d)
                      .executeScript("return window.lc.liveAt - window.lc.playAt"))
              .doubleValue();
      // at 2x a pause of P ms is caught up in P ms less the last 250 (live again once within
      // 250 ms of the newest event): within the pause's own length
      assertThat(paused).as("ms paused").isGreaterThanOrEqualTo(6000.0);
      System.out.printf(
          "LivePageIT: paused %.0f ms, live again %.0f ms after play at 2x%n", paused, took);
      assertThat(took)
          .as("ms from play at 2x to live, after a pause of %.0f ms", paused)
          .isLessThanOrEqualTo(paused);
      assertThat(js(d, "window.lc.cursor")).isGreaterThan(pausedAt);

      cluster.awaitFinished();
      cluster.stop("finished");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> d.findElement(By.id("verdict")).getText().startsWith("verified"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> js(d, "window.lc.cursor") == js(d, "window.lc.end"));
      assertThat(d.findElement(By.id("position")).getText()).startsWith("finished");

      assertCausalHighlightIsTheVectorClocks(d);
      d.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
      d.findElement(By.tagName("body")).sendKeys("f"); // the whole run in the window
      PageChecks.settled(d);
      assertEveryLineDrawnInOrder(d, logs);

      // README's screenshot: lecture mode at 1280x720, a RECEIVE chosen in the middle of the window
      d.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
      d.findElement(By.tagName("body")).sendKeys("l");
      js(d, "(window.lc.pb.pause(), window.lc.seek(Math.floor(window.lc.end * 0.6)), 0)");
      PageChecks.settled(d);
      List<WebElement> receives =
          d.findElements(By.cssSelector("#dots .ev.RECEIVE")).stream()
              .filter(e -> e.getRect().getX() > 250 && e.getRect().getX() < 700)
              .toList();
      assertThat(receives).isNotEmpty();
      receives.get(receives.size() / 2).click();
      // the pointer away from the diagram: no hover card over the picture
      new org.openqa.selenium.interactions.Actions(d)
          .moveToElement(d.findElement(By.id("title")))
          .perform();
      PageChecks.settled(d);
      assertThat(PageChecks.overlappingLabels(d)).isEmpty();
      Path shots = Files.createDirectories(Path.of("target", "ui"));
      Path shot = shots.resolve("live-page.png");
      Files.copy(
          d.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
      // it shows what its caption says: the chosen event, its past and its future, clock labels
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(shot.toFile());
      assertThat(pixels(img, 0xe0218a))
          .as("pixels of the selected event's colour")
          .isGreaterThan(100);
      assertThat(pixels(img, 0xf08000)).as("pixels of the causal past's colour").isGreaterThan(300);
      assertThat(pixels(img, 0x0aa6b8))
          .as("pixels of the causal future's colour")
          .isGreaterThan(300);
      assertThat(PageChecks.num(d, "document.querySelectorAll('#clabels text').length"))
          .isGreaterThan(10);
      assertThat(d.findElement(By.id("legend")).isDisplayed()).isTrue();
    } finally {
      cluster.stop("finished");
    }

    // the replay of the same logs, one line corrupted
    Path copy = Files.createDirectories(tmp.resolve("replay"));
    for (int i = 0; i < 3; i++) {
      Files.copy(logs.resolve("machine_" + i + ".log"), copy.resolve("machine_" + i + ".log"));
    }
    List<String> one = new ArrayList<>(lines(copy.resolve("machine_1.log")));
    one.add(5, "ts=garbage vm=1 event=SEND clock=x");
    Files.write(copy.resolve("machine_1.log"), one, StandardCharsets.UTF_8);
    Feed replayFeed = new Feed(3, 1_000_000, "replay", "replay", 0);
    Replay replay = Replay.of(Replay.logs(copy), replayFeed, 0);
    try (UiServer server = new UiServer(replayFeed, "127.0.0.1", 0, 4, copy).start()) {
      replay.run();
      Browser.viewport(d, 1600, 1000);
      d.get("http://127.0.0.1:" + server.port() + "/");
      long total = 0;
      for (int i = 0; i < 3; i++) {
        total += lines(copy.resolve("machine_" + i + ".log")).size();
      }
      long expected = total;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> js(d, "window.lc.run.st.c.lines") == expected);
      d.findElement(By.tagName("body")).sendKeys("f");
      PageChecks.settled(d);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> drawn(d).stream().mapToInt(Drawn::count).sum() == expected);
      assertEveryLineDrawnInOrder(d, copy);
      List<Drawn> errors = drawn(d).stream().filter(x -> x.event().equals("ERROR")).toList();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).vm()).isEqualTo(1);
      assertThat(errors.get(0).line()).isEqualTo(6);
      assertThat(d.findElement(By.id("problems")).getText()).contains("vm1 line 6: unreadable");
      assertThat(d.findElement(By.id("verdict")).getText())
          .isEqualTo("not verified: 1 unreadable line(s)");
    } finally {
      d.quit();
    }
  }

  /** Pixels of {@code img} within a few steps of colour {@code rgb}. */
  static long pixels(java.awt.image.BufferedImage img, int rgb) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) < 12
            && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) < 12
            && Math.abs((p & 255) - (rgb & 255)) < 12) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * The narration of the event the play position is on, against its VM's log: the clock before it
   * (its previous line's), the clock its message carried ({@code sent=}) and the clock it got.
   * Returns 1 when a tick's rule was checked, 0 for other lines.
   */
  static int narrationIsTheLog(
      ChromeDriver d, Map<Integer, List<logicalclocks.event.LogEvent>> logs) {
    WebElement n = d.findElement(By.id("narration"));
    String text = n.getText().split("\n")[0];
    int vm = Integer.parseInt(n.getAttribute("data-vm"));
    long line = Long.parseLong(n.getAttribute("data-line"));
    if (line < 2 || line > logs.get(vm).size()) {
      return 0;
    }
    logicalclocks.event.LogEvent e = at(logs, vm, line);
    logicalclocks.event.LogEvent before = at(logs, vm, line - 1);
    java.util.regex.Matcher tick =
        java.util.regex.Pattern.compile("clock (\\d+) \\+ 1 = (\\d+)$").matcher(text);
    java.util.regex.Matcher recv =
        java.util.regex.Pattern.compile("clock = max\\((\\d+), (\\d+)\\) \\+ 1 = (\\d+)$")
            .matcher(text);
    assertThat(text).as("vm%d line %d", vm, line).startsWith("vm" + vm + " " + e.event().name());
    switch (e.event()) {
      case SEND, INTERNAL -> {
        assertThat(tick.find()).as(text).isTrue();
        assertThat(Long.parseLong(tick.group(1))).as(text).isEqualTo(before.clock());
        assertThat(Long.parseLong(tick.group(2))).as(text).isEqualTo(e.clock());
        return 1;
      }
      case RECEIVE -> {
        assertThat(recv.find()).as(text).isTrue();
        assertThat(Long.parseLong(recv.group(1))).as(text).isEqualTo(before.clock());
        assertThat(Long.parseLong(recv.group(2))).as(text).isEqualTo(Long.parseLong(e.get("sent")));
        assertThat(Long.parseLong(recv.group(3))).as(text).isEqualTo(e.clock());
        return 1;
      }
      default -> {
        return 0;
      }
    }
  }

  /** Every line of every log drawn once, each VM's in its log's order, with its clock. */
  static void assertEveryLineDrawnInOrder(ChromeDriver d, Path logs) throws Exception {
    List<Drawn> all = drawn(d);
    for (int vm = 0; vm < 3; vm++) {
      List<String> log = lines(logs.resolve("machine_" + vm + ".log"));
      int v = vm;
      List<Drawn> mine =
          all.stream()
              .filter(x -> x.vm() == v)
              .sorted(java.util.Comparator.comparingLong(Drawn::line))
              .toList();
      assertThat(mine.stream().mapToInt(Drawn::count).sum())
          .as("vm%d: events drawn = lines in its log", vm)
          .isEqualTo(log.size());
      long lastLine = 0;
      for (Drawn x : mine) {
        assertThat(x.line())
            .as("vm%d's lines drawn in order, each once", vm)
            .isGreaterThan(lastLine);
        lastLine = x.line() + x.count() - 1;
        String text = log.get((int) x.line() - 1);
        if (x.count() == 1 && !x.event().equals("ERROR")) {
          assertThat(text).contains(" event=" + x.event() + " clock=" + x.clock() + " ");
        }
      }
    }
  }

  /**
   * Clicks a RECEIVE in the middle of the run: every drawn event with a vector clock is marked past
   * exactly when its clock is below the chosen one's, future when above, concurrent otherwise.
   */
  static void assertCausalHighlightIsTheVectorClocks(ChromeDriver d) {
    int panel = (int) PageChecks.num(d, "lc.view.left()");
    List<WebElement> receives =
        d.findElements(By.cssSelector("#dots .ev.RECEIVE")).stream()
            .filter(e -> e.getRect().getX() > panel + 4)
            .toList();
    assertThat(receives).hasSizeGreaterThan(10);
    WebElement chosen = receives.get(receives.size() / 2);
    String vc = chosen.getAttribute("data-vc");
    String vm = chosen.getAttribute("data-vm");
    String line = chosen.getAttribute("data-line");
    chosen.click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !d.findElements(By.cssSelector("#dots .ev.selected")).isEmpty());
    Map<Integer, Long> mine = vector(vc);
    int past = 0;
    int future = 0;
    int concurrent = 0;
    for (Drawn x : drawn(d)) {
      if (x.vc().isEmpty()) {
        continue; // START, STOP, DROP carry no vector clock
      }
      if (String.valueOf(x.vm()).equals(vm) && String.valueOf(x.line()).equals(line)) {
        assertThat(x.cls()).contains("selected");
        continue;
      }
      Map<Integer, Long> other = vector(x.vc());
      String expected = leq(other, mine) ? "past" : leq(mine, other) ? "future" : "concurrent";
      assertThat(x.cls())
          .as("vm%d line %d (vc %s) against vc %s", x.vm(), x.line(), x.vc(), vc)
          .contains(expected);
      switch (expected) {
        case "past" -> past++;
        case "future" -> future++;
        default -> concurrent++;
      }
    }
    assertThat(past).isPositive();
    assertThat(future).isPositive();
    assertThat(concurrent).isPositive();
    assertThat(d.findElement(By.id("detail")).getText())
        .contains("Lamport clock")
        .contains(vc)
        .contains("hybrid ");
  }

  static Map<Integer, Long> vector(String vc) {
    Map<Integer, Long> m = new TreeMap<>();
    for (String part : vc.split(",")) {
      String[] kv = part.split(":");
      m.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
    }
    return m;
  }

  static boolean leq(Map<Integer, Long> a, Map<Integer, Long> b) {
    Map<Integer, Long> all = new HashMap<>(a);
    for (Map.Entry<Integer, Long> e : all.entrySet()) {
      if (e.getValue() > b.getOrDefault(e.getKey(), 0L)) {
        return false;
      }
    }
    return true;
  }
}
