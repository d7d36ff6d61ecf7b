package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import logicalclocks.config.HostPort;
import logicalclocks.config.ModelConfig;
import logicalclocks.node.MetricsExporter;
import logicalclocks.node.Node;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VMs' /metrics scraped by a real Prometheus server (Debian's {@code prometheus}): it starts
 * with a scrape config pointing at two running VMs, and its HTTP API must show each VM's Lamport
 * clock rising, with the message counters and the JVM's metrics beside it. Skipped without a {@code
 * prometheus} binary unless LC_REQUIRE_PROMETHEUS=true (CI), when it fails instead.
 */
class PrometheusScrapeIT {
  static final int BASE = 53400;
  final HttpClient http = HttpClient.newHttpClient();

  static Path prometheus() {
    Path bin = Path.of("/usr/bin/prometheus");
    boolean there = Files.isExecutable(bin);
    if ("true".equals(System.getenv("LC_REQUIRE_PROMETHEUS"))) {
      assertThat(there).as("%s exists; LC_REQUIRE_PROMETHEUS=true", bin).isTrue();
    }
    Assumptions.assumeTrue(there, "no prometheus binary: Prometheus test skipped");
    return bin;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The value of {@code query}'s first series, if Prometheus has one. */
  OptionalDouble query(int port, String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v1/query?query="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return OptionalDouble.empty();
    }
    JsonNode result = new ObjectMapper().readTree(r.body()).path("data").path("result");
    if (!result.isArray() || result.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }

  @Test
  void prometheusScrapesEveryVmAndSeesItsClockRise(@TempDir Path dir) throws Exception {
    Path bin = prometheus();
    List<HostPort> peers =
        IntStream.range(0, 2).mapToObj(i -> new HostPort("127.0.0.1", BASE + i)).toList();
    ModelConfig model = ModelConfig.builder().machines(2).tickRate(20).seed(3L).build();
    List<Node> nodes = new ArrayList<>();
    List<MetricsExporter> exporters = new ArrayList<>();
    Process server = null;
    try {
      for (int i = 0; i < 2; i++) {
        Node n =
            new Node(
                new Node.Spec(
                    i,
                    peers,
                    new InetSocketAddress("127.0.0.1", BASE + i),
                    model,
                    3L,
                    dir.resolve("logs"),
                    Duration.ZERO,
                    false),
                Clock.systemUTC());
        nodes.add(n);
        exporters.add(MetricsExporter.start(n, 0));
      }
      TestNodes.start(nodes);
      int web = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: logical-clocks
              static_configs:
                - targets: ['127.0.0.1:%d', '127.0.0.1:%d']
          """
              .formatted(exporters.get(0).port(), exporters.get(1).port()));
      server =
          new ProcessBuilder(
                  bin.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + web)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.out").toFile())
              .start();
      for (int vm = 0; vm < 2; vm++) {
        String clock = "logical_clocks_lamport_clock{vm=\"" + vm + "\"}";
        await("Prometheus has VM " + vm + "'s clock")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> query(web, clock).orElse(0) > 0);
        double first = query(web, clock).getAsDouble();
        await("VM " + vm + "'s clock rises in Prometheus")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> query(web, clock).orElse(0) > first);
      }
      assertThat(query(web, "sum(logical_clocks_messages_sent_total)").orElse(0)).isPositive();
      assertThat(query(web, "logical_clocks_tick_rate{vm=\"1\"}")).hasValue(20.0);
      assertThat(query(web, "count(logical_clocks_events_total)")).hasValue(8.0);
      assertThat(query(web, "count(jvm_memory_used_bytes)").orElse(0))
          .as("the standard JVM metrics")
          .isPositive();
      assertThat(query(web, "sum(logical_clocks_delivery_latency_seconds_count)").orElse(0))
          .as("delivery latency histogram")
          .isPositive();
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor();
      }
      for (Node n : nodes) {
        n.close();
      }
      exporters.forEach(MetricsExporter::close);
    }
  }
}
