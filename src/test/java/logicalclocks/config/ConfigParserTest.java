package logicalclocks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {
  @TempDir Path tmp;

  Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("PEERS", "vm0:50051,vm1:50051,vm2:50051");
    m.put("LOG_DIR", tmp.toString());
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaults() {
    NodeConfig c = ConfigParser.node(Source.env(env("ID", "1")), "laptop");
    assertThat(c.id()).isEqualTo(1);
    assertThat(c.peers())
        .containsExactly(
            new HostPort("vm0", 50051), new HostPort("vm1", 50051), new HostPort("vm2", 50051));
    assertThat(c.port()).isEqualTo(50051);
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.model()).isEqualTo(ModelConfig.defaults());
    assertThat(c.logDir()).isEqualTo(tmp);
  }

  @Test
  void everyKnob() {
    NodeConfig c =
        ConfigParser.node(
            Source.env(
                env(
                    "ID",
                    "2",
                    "PORT",
                    "6000",
                    "DURATION",
                    "0",
                    "TICK_RATE",
                    "5",
                    "DIE_SIDES",
                    "3",
                    "SEED",
                    "-12",
                    "STARTUP_TIMEOUT",
                    "5",
                    "QUEUE_CAPACITY",
                    "10",
                    "SEND_TIMEOUT_MS",
                    "300",
                    "PEERS",
                    "[::1]:1,10.0.0.2:2,Host-C.example:3")),
            null);
    assertThat(c.id()).isEqualTo(2);
    assertThat(c.peers())
        .extracting(HostPort::toString)
        .containsExactly("[::1]:1", "10.0.0.2:2", "host-c.example:3");
    assertThat(c.duration()).isZero();
    assertThat(c.model().tickRate()).isEqualTo(5);
    assertThat(c.model().dieSides()).isEqualTo(3);
    assertThat(c.model().seed()).isEqualTo(-12L);
    assertThat(c.model().queueCapacity()).isEqualTo(10);
    assertThat(c.model().sendTimeout()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void peersTakeARangeThatStandsForOneEntryPerNumber() {
    NodeConfig c =
        ConfigParser.node(
            Source.env(env("PEERS", "logical-clocks-{0..9}.logical-clocks:50051")),
            "logical-clocks-7");
    assertThat(c.peers()).hasSize(10);
    assertThat(c.peers().get(0)).hasToString("logical-clocks-0.logical-clocks:50051");
    assertThat(c.peers().get(9)).hasToString("logical-clocks-9.logical-clocks:50051");
    assertThat(c.id()).isEqualTo(7);
    NodeConfig ports =
        ConfigParser.node(
            Source.env(env("PEERS", "127.0.0.1:{50051..50053},vm9:1", "ID", "0")), "x");
    assertThat(ports.peers().stream().map(Object::toString))
        .containsExactly("127.0.0.1:50051", "127.0.0.1:50052", "127.0.0.1:50053", "vm9:1");
  }

  @Test
  void aNodesMachinesAreItsPeers() {
    assertThat(
            ConfigParser.node(Source.env(env("ID", "0", "MACHINES", "3")), "x").model().machines())
        .isEqualTo(3);
    assertThatThrownBy(() -> ConfigParser.node(Source.env(env("ID", "0", "MACHINES", "5")), "x"))
        .hasMessageStartingWith("MACHINES='5' is invalid")
        .hasMessageContaining("the number of PEERS");
  }

  @Test
  void idFromStatefulSetHostName() {
    assertThat(ConfigParser.node(Source.env(env()), "logical-clocks-2").id()).isEqualTo(2);
    assertThatThrownBy(() -> ConfigParser.node(Source.env(env()), "logical-clocks-3"))
        .hasMessageContaining("ID (from host name logical-clocks-3)='3' is invalid");
    assertThatThrownBy(() -> ConfigParser.node(Source.env(env()), "laptop"))
        .hasMessageStartingWith("ID=(unset) is invalid")
        .hasMessageContaining("laptop");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ID|abc|ID='abc' is invalid: expected an integer from 0 to 2",
        "ID|3|ID='3' is invalid: expected an integer from 0 to 2",
        "ID|-1|ID='-1' is invalid",
        "ID|' 1'|ID=' 1' is invalid",
        "PEERS|vm0:50051|PEERS='vm0:50051' is invalid: expected comma-separated host:port",
        "PEERS|vm0:50051,vm1|entry 1 'vm1' is not host:port",
        "PEERS|vm0:50051, vm1:50051|entry 1 ' vm1:50051' has a bad host name",
        "PEERS|vm0:50051,vm0:50051|entry 1 'vm0:50051' appears twice",
        "PEERS|vm0:50051,vm1:99999|has a port outside 1-65535",
        "PEERS|vm_0:1,vm1:2|has a bad host name",
        "PEERS|vm0:1,,vm2:3|entry 1 '' is not host:port",
        "PORT|0|PORT='0' is invalid: expected a TCP port from 1 to 65535",
        "METRICS_PORT|abc|METRICS_PORT='abc' is invalid: expected a TCP port from 1 to 65535 for Prometheus' /metrics, or 0 for none",
        "METRICS_PORT|50051|METRICS_PORT='50051' is invalid: expected a TCP port other than PORT and HEALTH_PORT",
        "PORT|http|PORT='http' is invalid",
        "DURATION|-5|DURATION='-5' is invalid: expected whole seconds from 0",
        "DURATION|1.5|DURATION='1.5' is invalid",
        "DURATION|99999999999|DURATION='99999999999' is invalid",
        "TICK_RATE|0|TICK_RATE='0' is invalid: expected ticks per second",
        "TICK_RATE|1000000|TICK_RATE='1000000' is invalid",
        "MIN_TICK_RATE|x|MIN_TICK_RATE='x' is invalid",
        "DIE_SIDES|2|DIE_SIDES='2' is invalid: expected a number of die faces from N=3",
        "SEED|abc|SEED='abc' is invalid: expected a 64-bit integer",
        "STARTUP_TIMEOUT|0|STARTUP_TIMEOUT='0' is invalid",
        "QUEUE_CAPACITY|0|QUEUE_CAPACITY='0' is invalid",
        "SEND_TIMEOUT_MS|-1|SEND_TIMEOUT_MS='-1' is invalid",
        "SEND_TIMEOUT_MS|' 5'|SEND_TIMEOUT_MS=' 5' is invalid",
        "DURATION|'60 '|DURATION='60 ' is invalid",
        "PEERS|'vm0:50051 ,vm1:50051'|entry 0 'vm0:50051 ' is not host:port",
        "PEERS|VM0:1,vm0:1|entry 1 'vm0:1' appears twice",
        "PEERS|vm{0..10000}:50051|at most 10000 numbers",
        "PEERS|vm{5..2}:50051|must be one {a..b} with a <= b",
        "PEERS|vm{0..1}-{0..1}:50051|must be one {a..b}",
        "TICK_RATE|99999999999999999999|TICK_RATE='99999999999999999999' is invalid",
        "MAX_TICK_RATE|10001|MAX_TICK_RATE='10001' is invalid",
        "DIE_SIDES|1000001|DIE_SIDES='1000001' is invalid",
        "AFTER_RUN|forever|AFTER_RUN='forever' is invalid: expected exit or wait",
        "VECTOR_CLOCKS|yes|VECTOR_CLOCKS='yes' is invalid: expected true or false",
        "TLS_CERT|/nonexistent.pem|TLS_CERT='/nonexistent.pem' is invalid: expected a readable PEM file",
        "TLS_CA|/etc/hostname|TLS_CERT=(unset) is invalid: expected a PEM file: TLS_CERT, TLS_KEY and TLS_CA go together",
      })
  void badValuesNameVariableValueAndExpectation(String key, String value, String message) {
    assertThatThrownBy(() -> ConfigParser.node(Source.env(env("ID", "0", key, value)), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void tlsFilesAndHealthPort() throws Exception {
    Path pem = Files.writeString(tmp.resolve("x.pem"), "-----BEGIN-----\n");
    NodeConfig c =
        ConfigParser.node(
            Source.env(
                env(
                    "ID",
                    "0",
                    "TLS_CERT",
                    pem.toString(),
                    "TLS_KEY",
                    pem.toString(),
                    "TLS_CA",
                    pem.toString())),
            null);
    assertThat(c.tls().healthPort()).isEqualTo(50052);
    assertThat(ConfigParser.node(Source.env(env("ID", "0")), null).tls()).isNull();
    assertThatThrownBy(
            () ->
                ConfigParser.node(
                    Source.env(
                        env(
                            "ID",
                            "0",
                            "TLS_CERT",
                            pem.toString(),
                            "TLS_KEY",
                            pem.toString(),
                            "TLS_CA",
                            pem.toString(),
                            "HEALTH_PORT",
                            "50051")),
                    null))
        .hasMessage("HEALTH_PORT='50051' is invalid: expected a TCP port other than PORT (50051)");
  }

  @Test
  void ratesOutOfOrder() {
    assertThatThrownBy(
            () ->
                ConfigParser.node(
                    Source.env(env("ID", "0", "MIN_TICK_RATE", "5", "MAX_TICK_RATE", "2")), null))
        .hasMessage("MAX_TICK_RATE='2' is invalid: expected a rate >= MIN_TICK_RATE (5)");
    assertThat(
            ConfigParser.node(Source.env(env("ID", "0", "MIN_TICK_RATE", "8")), null)
                .model()
                .maxTickRate())
        .as("max follows a min above the default max")
        .isEqualTo(8);
  }

  @Test
  void unwritableLogDir() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThatThrownBy(
            () -> ConfigParser.node(Source.env(env("ID", "0", "LOG_DIR", file.toString())), null))
        .hasMessageStartingWith("LOG_DIR='" + file + "' is invalid: expected a writable directory");
  }

  @Test
  void localFlagsAreNamedInErrors() {
    Source flags =
        Source.of(Map.of("MACHINES", "1"), v -> "--" + v.toLowerCase().replace('_', '-'));
    assertThatThrownBy(() -> ConfigParser.local(flags))
        .hasMessage("--machines='1' is invalid: expected a number of machines from 2 to 10000");
    Source rates =
        Source.of(
            Map.of("MACHINES", "3", "RATES", "3,5", "LOG_DIR", tmp.toString()), v -> "--rates");
    assertThatThrownBy(() -> ConfigParser.local(rates))
        .hasMessageContaining("3 comma-separated tick rates");
    LocalConfig ok =
        ConfigParser.local(Source.of(Map.of("RATES", "3,5,2", "LOG_DIR", tmp.toString()), v -> v));
    assertThat(ok.model().rates()).isEqualTo(List.of(3, 5, 2));
    assertThat(ok.basePort()).isEqualTo(50050);
    assertThat(ok.machines()).isEqualTo(3);
  }
}
