package logicalclocks.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Selenium through Debian's {@code /usr/bin/chromedriver},
 * offline: both binaries given explicitly (Selenium Manager never downloads one). Without them the
 * test is skipped, unless LC_REQUIRE_BROWSER=true (CI), where it fails.
 */
public final class Browser {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  /**
   * A new headless Chromium whose page is {@code width} x {@code height} CSS pixels (the viewport,
   * not the window: a window of 1280x720 has a smaller page); close it with {@code quit()}.
   */
  public static ChromeDriver open(int width, int height) {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if ("true".equals(System.getenv("LC_REQUIRE_BROWSER"))) {
      assertThat(present)
          .as("%s and %s present (LC_REQUIRE_BROWSER=true)", CHROMIUM, DRIVER)
          .isTrue();
    }
    Assumptions.assumeTrue(present, "no chromium and chromedriver: browser test skipped");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--window-size=" + width + "," + height));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    viewport(d, width, height);
    return d;
  }

  /** Resizes the window so that the page itself is {@code width} x {@code height}. */
  public static void viewport(ChromeDriver d, int width, int height) {
    for (int i = 0; i < 3; i++) {
      @SuppressWarnings("unchecked")
      List<Number> in =
          (List<Number>)
              d.executeScript("return [innerWidth, innerHeight, outerWidth, outerHeight]");
      int dw = width - in.get(0).intValue();
      int dh = height - in.get(1).intValue();
      if (dw == 0 && dh == 0) {
        return;
      }
      d.manage()
          .window()
          .setSize(
              new org.openqa.selenium.Dimension(
                  in.get(2).intValue() + dw, in.get(3).intValue() + dh));
    }
  }
}
