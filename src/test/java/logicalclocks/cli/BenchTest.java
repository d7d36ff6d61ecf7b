package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} as CI runs it: short, checking accounting only (no speed is asserted: speed lives
 * in BENCHMARKS.md). Bounded: 3 VMs for 2 s.
 */
class BenchTest {
  @TempDir Path logs;

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String out) throws Exception {
    String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
    return new ObjectMapper().readValue(line, Map.class);
  }

  @Test
  void overloadShedsAtOnceAndAccountsForEveryMessage() throws Exception {
    // The most messages the model offers: 10,000 ticks/s, a 3-sided die (every idle tick sends).
    CliTest.Result r =
        CliTest.inProcess(
            "bench",
            "--tick-rate",
            "10000",
            "--die-sides",
            "3",
            "--duration",
            "2",
            "--seed",
            "7",
            "--base-port",
            "53100",
            "--log-dir",
            logs.toString(),
            "--json");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    Map<String, Object> m = json(r.out());
    assertThat(m.get("violations")).as("every message in exactly one fate").isEqualTo(0);
    assertThat((Map<String, Object>) m.get("dropReasons"))
        .as("what cannot go is shed at once as backpressure, never after a deadline storm")
        .containsOnlyKeys(
            m.get("dropped").equals(0) ? new String[0] : new String[] {"backpressure"});
    long sent = ((Number) m.get("sent")).longValue();
    long fates =
        ((Number) m.get("received")).longValue()
            + ((Number) m.get("dropped")).longValue()
            + ((Number) m.get("queuedAtStop")).longValue();
    assertThat(fates).isEqualTo(sent);
    assertThat(((Number) m.get("events")).longValue() + ((Number) m.get("missed")).longValue())
        .as("every tick slot is an event or reported missed: 3 VMs x 10,000/s x 2 s")
        .isEqualTo(60_000);
    assertThat(r.out()).contains("tick slots missed (skipped: a VM could not run in time): ");
  }

  @Test
  void baselineIsGrpcJavasBenchmarkShapeAndTheRatioIsAgainstIt() throws Exception {
    CliTest.Result r =
        CliTest.inProcess(
            "bench",
            "--tick-rate",
            "100",
            "--duration",
            "1",
            "--seed",
            "7",
            "--base-port",
            "53110",
            "--log-dir",
            logs.toString(),
            "--baseline",
            "--baseline-seconds",
            "1",
            "--json");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    Map<String, Object> m = json(r.out());
    double baseline = ((Number) m.get("baselinePerSecond")).doubleValue();
    assertThat(baseline).as("the benchmark shape carried messages").isPositive();
    assertThat(((Number) m.get("ratioToBaseline")).doubleValue())
        .isCloseTo(
            ((Number) m.get("deliveredPerSecond")).doubleValue() / baseline,
            org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.out())
        .contains(
            "grpc-java qps benchmark shape (AsyncServer/AsyncClient streaming ping-pong,"
                + " 1 channel, 16 outstanding calls, 32/16-byte payloads)");
  }

  @Test
  void simulationModeTimesTheSimulatorAndTheAnalyzer() throws Exception {
    CliTest.Result r =
        CliTest.inProcess(
            "bench",
            "--sim",
            "--tick-rate",
            "100",
            "--duration",
            "10",
            "--seed",
            "7",
            "--log-dir",
            logs.toString(),
            "--json");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    Map<String, Object> m = json(r.out());
    assertThat(m.get("engine")).isEqualTo("sim");
    assertThat(((Number) m.get("events")).longValue()).isEqualTo(3000);
    assertThat(m).containsKeys("simSeconds", "analyzeSeconds");
    assertThat(r.out()).contains("simulator: ").contains("analyze: ");
  }
}
