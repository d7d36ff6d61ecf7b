package logicalclocks.node;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import logicalclocks.config.TlsConfig;
import logicalclocks.transport.Tls;
import logicalclocks.vm.VmStats;

/**
 * A VM's Prometheus metrics on {@code /metrics} (official Prometheus Java client): its Lamport
 * clock, queue length, events by type, messages sent, received and dropped by reason, configured
 * tick rate, delivery latency, and the standard JVM metrics. Every VM series carries the label
 * {@code vm}. Values are read from the VM at scrape time; only the latency is observed as messages
 * are delivered. Under mutual TLS it is HTTPS with the VM's certificate, and the scraper needs a
 * client certificate from the VM's CA.
 */
public final class MetricsExporter implements AutoCloseable {
  /** Prefix of every series of this project. */
  public static final String PREFIX = "logical_clocks_";

  private final HTTPServer server;

  private MetricsExporter(HTTPServer server) {
    this.server = server;
  }

  /**
   * Registers {@code node}'s metrics and the JVM's, and serves them on {@code port} (all
   * interfaces).
   */
  public static MetricsExporter start(Node node, int port) throws IOException {
    return start(node, port, null);
  }

  /**
   * As {@link #start(Node, int)}; with {@code tls} (the VM's mutual TLS settings) {@code /metrics}
   * is served over HTTPS only, with the VM's certificate and key, and a scraper must present a
   * client certificate signed by the VM's CA ({@code TLS_CA}); without, plaintext HTTP.
   */
  public static MetricsExporter start(Node node, int port, TlsConfig tls) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    register(node, registry);
    JvmMetrics.builder().register(registry);
    return serve(registry, port, tls);
  }

  /** Serves {@code registry} on {@code port}: HTTPS with a required client certificate if tls. */
  public static MetricsExporter serve(PrometheusRegistry registry, int port, TlsConfig tls)
      throws IOException {
    HTTPServer.Builder b = HTTPServer.builder().port(port).registry(registry);
    if (tls != null) {
      b.httpsConfigurator(https(tls));
    }
    return new MetricsExporter(b.buildAndStart());
  }

  /**
   * The JDK HTTPS server's settings: the VM's certificate chain and key, trusting only TLS_CA, and
   * a client certificate required (TLS 1.2 or 1.3, the JDK's default suites).
   */
  static HttpsConfigurator https(TlsConfig tls) throws IOException {
    SSLContext context = Tls.jdkServerContext(tls);
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    };
  }

  /** Registers {@code node}'s series in {@code registry}. */
  static void register(Node node, PrometheusRegistry registry) {
    String vm = Integer.toString(node.id());
    GaugeWithCallback.builder()
        .name(PREFIX + "lamport_clock")
        .help("The VM's Lamport clock")
        .labelNames("vm")
        .callback(cb -> cb.call(stat(node).clock(), vm))
        .register(registry);
    GaugeWithCallback.builder()
        .name(PREFIX + "queue_length")
        .help("Messages in the VM's queue")
        .labelNames("vm")
        .callback(cb -> cb.call(node.queueLength(), vm))
        .register(registry);
    GaugeWithCallback.builder()
        .name(PREFIX + "tick_rate")
        .help("The VM's configured ticks per second")
        .labelNames("vm")
        .callback(cb -> cb.call(node.rate(), vm))
        .register(registry);
    CounterWithCallback.builder()
        .name(PREFIX + "events")
        .help("Events the VM logged, by type (SEND, RECEIVE, INTERNAL, DROP)")
        .labelNames("vm", "type")
        .callback(
            cb -> {
              VmStats s = stat(node);
              cb.call(s.sends(), vm, "SEND");
              cb.call(s.receives(), vm, "RECEIVE");
              cb.call(s.internals(), vm, "INTERNAL");
              cb.call(s.drops(), vm, "DROP");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name(PREFIX + "messages_sent")
        .help("Messages the VM sent (a SEND to every peer counts one per peer)")
        .labelNames("vm")
        .callback(cb -> cb.call(node.messagesSent(), vm))
        .register(registry);
    CounterWithCallback.builder()
        .name(PREFIX + "messages_received")
        .help("Messages the VM took off its queue (RECEIVE)")
        .labelNames("vm")
        .callback(cb -> cb.call(stat(node).receives(), vm))
        .register(registry);
    CounterWithCallback.builder()
        .name(PREFIX + "messages_dropped")
        .help("Messages the VM could not deliver (DROP), by reason")
        .labelNames("vm", "reason")
        .callback(cb -> node.dropsByReason().forEach((reason, n) -> cb.call(n, vm, reason)))
        .register(registry);
    Histogram latency =
        Histogram.builder()
            .name(PREFIX + "delivery_latency_seconds")
            .help("From a message's SEND to the receiver's acknowledgement (queued and journaled)")
            .labelNames("vm")
            .classicOnly()
            .classicUpperBounds(
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    var mine = latency.labelValues(vm);
    node.onDelivered(micros -> mine.observe(micros / 1e6));
  }

  /** The VM's counters, zero before it starts ticking. */
  private static VmStats stat(Node node) {
    VmStats s = node.stats();
    return s != null ? s : new VmStats(node.id(), node.rate(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** Where it serves. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
