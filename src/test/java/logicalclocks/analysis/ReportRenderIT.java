package logicalclocks.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
    Path chromium = Path.of("/usr/bin/chromium");
    boolean runs = runs(chromium);
    if ("true".equals(System.getenv("LC_REQUIRE_BROWSER"))) {
      assertThat(runs)
          .as(
              "Chromium at %s runs (`chromium --version` exits 0); LC_REQUIRE_BROWSER=true",
              chromium)
          .isTrue();
    }
    Assumptions.assumeTrue(runs, "no runnable Chromium: render test skipped");
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Path html = Report.write(ReportTest.simulated(logs, 20), "render test", tmp.resolve("report"));
    Path png = tmp.resolve("shot.png");
    Process p =
        new ProcessBuilder(
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
                    "--user-data-dir=" + tmp.resolve("profile"),
                    "--window-size=1100,1600",
                    "--screenshot=" + png,
                    html.toUri().toString()))
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
