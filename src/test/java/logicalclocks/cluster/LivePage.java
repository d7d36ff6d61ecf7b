package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import logicalclocks.ui.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** The live page ({@code serve}) of a containerised cluster, seen from the host. */
final class LivePage {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  final String base;

  /** The page at {@code http://host:port/}. */
  LivePage(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  /** GET {@code path}: its status and body, or null when nothing answers yet. */
  HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code /api/state}, or null when nothing answers yet. */
  JsonNode state() throws Exception {
    HttpResponse<String> r = get("/api/state");
    return r == null || r.statusCode() != 200 ? null : JSON.readTree(r.body());
  }

  /**
   * Waits until {@code /api/state} has shown each of {@code vms} VMs live with lines read from its
   * event log (its run under way; not necessarily all in the same answer), and returns the last
   * state read. On a timeout the assertion says what it saw last.
   */
  JsonNode awaitAllLiveWithLines(int vms, Duration within) {
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    java.util.Set<Integer> live = new java.util.TreeSet<>();
    try {
      await("/api/state at " + base + " shows " + vms + " live VMs with lines")
          .atMost(within)
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(
              () -> {
                JsonNode s = state();
                if (s == null) {
                  return false;
                }
                seen.set(s);
                assertThat(s.get("vms")).as("VMs in /api/state").hasSize(vms);
                for (JsonNode vm : s.get("vms")) {
                  if (vm.get("state").asText().equals("live") && vm.get("lines").asLong() > 0) {
                    live.add(vm.get("id").asInt());
                  }
                }
                return live.size() == vms;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "; seen live with lines: " + live + "; last state: " + seen.get(), e);
    }
    return seen.get();
  }

  /** The page's HTML (GET /): a page, from the jar. */
  String html() {
    HttpResponse<String> r = get("/");
    assertThat(r).as("GET %s/", base).isNotNull();
    assertThat(r.statusCode()).as("GET %s/", base).isEqualTo(200);
    return r.body();
  }

  /**
   * Opens the page in headless Chromium and waits until every VM's lane has drawn events ({@code
   * #dots .ev[data-vm='i']}); returns how many each drew.
   */
  List<Integer> awaitLanesDrawn(int vms, Duration within) {
    ChromeDriver d = Browser.open(1280, 800);
    try {
      d.get(base + "/");
      List<Integer> drawn = new ArrayList<>();
      await("every VM's lane drawn in " + base + "/")
          .atMost(within)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                drawn.clear();
                for (int i = 0; i < vms; i++) {
                  drawn.add(
                      d.findElements(By.cssSelector("#dots .ev[data-vm='" + i + "']")).size());
                }
                return drawn.stream().allMatch(n -> n > 0);
              });
      return List.copyOf(drawn);
    } finally {
      d.quit();
    }
  }
}
