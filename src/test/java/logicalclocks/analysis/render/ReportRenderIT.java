package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.Series;
import logicalclocks.event.EventType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html rendered by headless Chromium with networking disabled: the page draws (a non-blank
 * screenshot with the charts' colors). Skipped without Chromium unless LC_REQUIRE_BROWSER=true
 * (CI).
 */
class ReportRenderIT {
  @TempDir Path tmp;

  @Test
  void reportRendersInAHeadlessBrowser() throws Exception {
    Path chromium = requireChromium();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Path html = Report.write(ReportTest.simulated(logs, 20), "render test", tmp.resolve("report"));
    Path png = tmp.resolve("shot.png");
    Process p =
        headless(
                chromium, "--window-size=1100,1600", "--screenshot=" + png, html.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("chromium.out").toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).exists();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1100);
    int blue = 0;
    int red = 0;
    int nonWhite = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        nonWhite += rgb != 0xffffff ? 1 : 0;
        blue += near(rgb, 0x1f77b4) ? 1 : 0;
        red += near(rgb, 0xd62728) ? 1 : 0;
      }
    }
    assertThat(nonWhite).as("something was drawn").isGreaterThan(10_000);
    assertThat(blue).as("VM 0's series drawn").isGreaterThan(50);
    assertThat(red).as("VM 1's series drawn").isGreaterThan(50);
    // README's picture of a report (docs/report.png is copied from here, its caption what this
    // checks).
    Path shots = Files.createDirectories(Path.of("target", "ui"));
    Files.copy(png, shots.resolve("report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The causal view works in the browser: the page opened with {@code #select=0:K} runs its own
   * script, which marks every event of window 0 as the chosen one's causal past, future or
   * concurrent; the DOM Chromium dumps must mark exactly the events the vector clocks say.
   */
  @Test
  void causalViewMarksPastFutureAndConcurrentInTheBrowser() throws Exception {
    Path chromium = requireChromium();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Analyzer.Result result = ReportTest.simulated(logs, 20);
    Path html = Report.write(result, "causal test", tmp.resolve("report"));
    long from = Report.windows(result.series()).get(0);
    List<Series.Point> events = CausalView.events(result.series(), from, from + Report.WINDOW_MS);
    int chosen = -1;
    for (int i = events.size() / 3; i < events.size(); i++) {
      if (events.get(i).event() == EventType.RECEIVE) {
        chosen = i;
        break;
      }
    }
    assertThat(chosen).as("a RECEIVE past the first third of window 0").isNotNegative();
    Series.Point e = events.get(chosen);
    Map<Integer, String> expected = new TreeMap<>();
    for (int j = 0; j < events.size(); j++) {
      Series.Point o = events.get(j);
      expected.put(
          j,
          j == chosen
              ? "sel"
              : o.vc().happenedBefore(e.vc())
                  ? "past"
                  : e.vc().happenedBefore(o.vc()) ? "future" : "conc");
    }
    assertThat(expected.values()).contains("past", "future", "conc");
    Process p =
        headless(chromium, "--dump-dom", html.toUri() + "#select=0:" + chosen)
            .redirectError(tmp.resolve("chromium2.err").toFile())
            .redirectOutput(tmp.resolve("dom.html").toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    String dom = Files.readString(tmp.resolve("dom.html"));
    String view =
        dom.substring(
            dom.indexOf("id=\"causal-0\""), dom.indexOf("</svg>", dom.indexOf("id=\"causal-0\"")));
    Map<Integer, String> marked = new TreeMap<>();
    Matcher circle = Pattern.compile("<circle[^>]*>").matcher(view);
    while (circle.find()) {
      String tag = circle.group();
      Matcher cls = Pattern.compile("class=\"ev (\\w+)\"").matcher(tag);
      Matcher idx = Pattern.compile("data-i=\"(\\d+)\"").matcher(tag);
      if (cls.find() && idx.find()) {
        marked.put(Integer.parseInt(idx.group(1)), cls.group(1));
      }
    }
    assertThat(marked).as("what the page's script marked").isEqualTo(expected);
    assertThat(dom).contains("Lamport clock L=" + e.clock(), "vector clock vc=" + e.vc().format());
  }

  /**
   * Chromium, or the test is skipped when it cannot run; with LC_REQUIRE_BROWSER=true (CI) a
   * missing browser fails the test instead.
   */
  Path requireChromium() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    boolean runs = runs(chromium);
    if ("true".equals(System.getenv("LC_REQUIRE_BROWSER"))) {
      assertThat(runs)
          .as(
              "Chromium at %s runs (`chromium --version` exits 0); LC_REQUIRE_BROWSER=true",
              chromium)
          .isTrue();
    }
    Assumptions.assumeTrue(runs, "no runnable Chromium: browser test skipped");
    return chromium;
  }

  /** Headless Chromium with networking off and a profile of its own, then {@code args}. */
  ProcessBuilder headless(Path chromium, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir="
                    + tmp.resolve("profile-" + args.length + "-" + System.nanoTime())));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /** Whether the browser exists, is executable, and answers --version with exit status 0. */
  static boolean runs(Path chromium) throws Exception {
    if (!Files.isExecutable(chromium)) {
      return false;
    }
    Process p =
        new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }

  private static boolean near(int rgb, int target) {
    int dr = Math.abs(((rgb >> 16) & 0xff) - ((target >> 16) & 0xff));
    int dg = Math.abs(((rgb >> 8) & 0xff) - ((target >> 8) & 0xff));
    int db = Math.abs((rgb & 0xff) - (target & 0xff));
    return dr + dg + db < 40;
  }
}
