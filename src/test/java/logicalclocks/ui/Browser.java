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

  /** A new headless Chromium, {@code width} x {@code height}; close it with {@code quit()}. */
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
    return d;
  }
}
