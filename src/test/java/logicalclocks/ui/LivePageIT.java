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
import logicalclocks.transport.LocalCluster;
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
 * The live page in a real browser (Debian's Chromium through Selenium), against a live 3-VM local
 * run over real gRPC and against the replay of its logs: events drawn in each VM's order with
 * counts equal to the logs, pause stops the drawing while events keep coming, the causal highlight
 * of a clicked event equals what the vector clocks in the logs say, and the replay draws every line
 * (a malformed one as an error). The screenshot README shows is taken here ({@code
 * target/ui/live-page.png}).
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

  @Test
  void liveRunThenItsReplay() throws Exception {
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = Math.min(s.getLocalPort(), 60000);
    }
    Path logs = Files.createDirectories(tmp.resolve("live"));
    ModelConfig model = ModelConfig.builder().machines(3).tickRate(15).seed(11L).build();
    LocalCluster cluster =
        new LocalCluster(
            new LocalConfig(base, Duration.ofSeconds(12), model, logs), 11, Clock.systemUTC());
    List<HostPort> vms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      vms.add(new HostPort("127.0.0.1", base + i));
    }
    Feed feed = new Feed(3, 10_000, "3 local VMs", "live");
    ChromeDriver d = Browser.open(1400, 900);
    cluster.start();
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
      // the events drawn: an AGGREGATE element stands for several (data-count)
      int countPaused = drawn(d).stream().mapToInt(Drawn::count).sum();
      await().atMost(Duration.ofSeconds(20)).until(() -> js(d, "window.lc.lastSeq") >= seen + 30);
      assertThat(js(d, "window.lc.cursor")).as("paused: nothing more shown").isEqualTo(cursor);
      assertThat(drawn(d)).as("paused: nothing more drawn").hasSize(drawnPaused);
      assertThat(d.findElement(By.id("position")).getText()).startsWith("paused");
      // a step forward draws exactly one more event
      d.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> drawn(d).stream().mapToInt(Drawn::count).sum() == countPaused + 1);
      d.findElement(By.tagName("body")).sendKeys(Keys.ARROW_LEFT);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> drawn(d).stream().mapToInt(Drawn::count).sum() == countPaused);
      d.findElement(By.id("live")).click();

      cluster.awaitFinished();
      cluster.stop("finished");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> d.findElement(By.id("verdict")).getText().startsWith("verified"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> js(d, "window.lc.cursor") == js(d, "window.lc.lastSeq") + 1);

      assertEveryLineDrawnInOrder(d, logs);
      assertCausalHighlightIsTheVectorClocks(d);
      // README's screenshot: the chosen event's causal past and future, zoomed in once
      d.findElement(By.tagName("body")).sendKeys("+");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  Boolean.FALSE.equals(
                      ((JavascriptExecutor) d).executeScript("return window.lc.dirty")));
      Path shots = Files.createDirectories(Path.of("target", "ui"));
      Files.copy(
          d.getScreenshotAs(OutputType.FILE).toPath(),
          shots.resolve("live-page.png"),
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      cluster.stop("finished");
    }

    // the replay of the same logs, one line corrupted, as fast as it reads
    Path copy = Files.createDirectories(tmp.resolve("replay"));
    for (int i = 0; i < 3; i++) {
      Files.copy(logs.resolve("machine_" + i + ".log"), copy.resolve("machine_" + i + ".log"));
    }
    List<String> one = new ArrayList<>(lines(copy.resolve("machine_1.log")));
    one.add(5, "ts=garbage vm=1 event=SEND clock=x");
    Files.write(copy.resolve("machine_1.log"), one, StandardCharsets.UTF_8);
    Feed replayFeed = new Feed(3, 10_000, "replay", "replay");
    Replay replay = Replay.of(Replay.logs(copy), replayFeed, 0);
    try (UiServer server = new UiServer(replayFeed, "127.0.0.1", 0, 4, copy).start()) {
      replay.run();
      d.get("http://127.0.0.1:" + server.port() + "/");
      long total = 0;
      for (int i = 0; i < 3; i++) {
        total += lines(copy.resolve("machine_" + i + ".log")).size();
      }
      long expected = total;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> drawn(d).stream().mapToInt(Drawn::count).sum() == expected);
      assertEveryLineDrawnInOrder(d, copy);
      List<Drawn> errors = drawn(d).stream().filter(x -> x.event().equals("ERROR")).toList();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).vm()).isEqualTo(1);
      assertThat(errors.get(0).line()).isEqualTo(6);
      assertThat(d.findElement(By.id("problems")).getText()).contains("vm1 line 6: unreadable");
      assertThat(d.findElement(By.id("verdict")).getText()).contains("1 unreadable line");
    } finally {
      d.quit();
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
    List<WebElement> receives = d.findElements(By.cssSelector("#dots .ev.RECEIVE"));
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
        .contains("hybrid clock");
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
