package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import logicalclocks.config.TlsConfig;
import logicalclocks.node.MetricsExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics under mutual TLS: HTTPS with the VM's certificate, a client certificate required. */
class MetricsTlsTest {
  @TempDir Path tmp;

  static PrometheusRegistry registry() {
    PrometheusRegistry r = new PrometheusRegistry();
    Counter.builder().name("logical_clocks_probe").help("test").register(r).inc();
    return r;
  }

  /** A scraper's TLS: trusts {@code ca}; presents {@code client} when not null. */
  static SSLContext scraper(Path ca, TlsConfig client) throws Exception {
    var b = SslContextBuilder.forClient().trustManager(ca.toFile()).sslProvider(SslProvider.JDK);
    if (client != null) {
      b.keyManager(client.cert().toFile(), client.key().toFile());
    }
    return ((JdkSslContext) b.build()).context();
  }

  static HttpResponse<String> get(String url, SSLContext ssl) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void underTlsMetricsAreHttpsWithTheVmsCertificateAndPlaintextFails() throws Exception {
    TestCa ca = new TestCa(tmp, "metrics-ca");
    TlsConfig vm = ca.issue("127.0.0.1", 1);
    TlsConfig prometheus =
        ca.issue("prometheus", "CN=prometheus", java.util.List.of("prometheus.monitoring"), 1);
    TestCa stranger = new TestCa(Files.createDirectories(tmp.resolve("other")), "other-ca");
    TlsConfig alien = stranger.issue("prometheus", "CN=p", java.util.List.of("p"), 1);
    try (MetricsExporter m = MetricsExporter.serve(registry(), 0, vm)) {
      String https = "https://127.0.0.1:" + m.port() + "/metrics";
      HttpResponse<String> ok = get(https, scraper(ca.caFile(), prometheus));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("logical_clocks_probe_total 1.0");
      assertThatThrownBy(() -> get("http://127.0.0.1:" + m.port() + "/metrics", null))
          .as("plaintext HTTP to the HTTPS port")
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
      assertThatThrownBy(() -> get(https, scraper(ca.caFile(), null)))
          .as("HTTPS without a client certificate")
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
      assertThatThrownBy(
              () ->
                  get(
                      https,
                      scraper(
                          ca.caFile(), new TlsConfig(alien.cert(), alien.key(), ca.caFile(), 1))))
          .as("a client certificate from another CA")
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
      assertThatThrownBy(() -> get(https, scraper(stranger.caFile(), prometheus)))
          .as("a scraper that does not trust the VM's CA")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void withoutTlsMetricsStayPlaintext() throws Exception {
    try (MetricsExporter m = MetricsExporter.serve(registry(), 0, null)) {
      HttpResponse<String> ok = get("http://127.0.0.1:" + m.port() + "/metrics", null);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("logical_clocks_probe_total 1.0");
    }
  }
}
