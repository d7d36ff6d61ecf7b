package logicalclocks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fuzzing the settings parser found ({@link ConfigParserFuzzTest}), as plain unit tests. */
class ConfigFuzzFindingsTest {
  @Test
  void aLongPeersEntryWithARangeIsRefusedBeforeItIsCopiedOncePerNumber() {
    // Was: the entry copied 10,000 times (about 200 MB for a 10 kB entry) before any check.
    String peers = "h".repeat(10_000) + "{0..9999}:50051";
    long before = ConfigParserFuzzTest.allocated();
    assertThatThrownBy(() -> ConfigParser.peers(Source.env(Map.of("PEERS", peers))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("an entry with a range is at most 300 characters");
    assertThat(ConfigParserFuzzTest.allocated() - before).isLessThan(1L << 20);
  }

  @Test
  void theLargestValidPeersStaysWithinTheFuzzTestsMemoryBound() {
    // 10,000 entries of 20 characters: the most PEERS' ranges may expand to
    String entry = "hh{0..9999}.ex:50051";
    assertThat(entry.length() * 10_000L).isEqualTo(ConfigParser.MAX_EXPANDED_CHARS);
    long before = ConfigParserFuzzTest.allocated();
    List<HostPort> peers = ConfigParser.peers(Source.env(Map.of("PEERS", entry)));
    assertThat(peers).hasSize(ModelConfig.MAX_MACHINES);
    assertThat(ConfigParserFuzzTest.allocated() - before)
        .isLessThan(ConfigParserFuzzTest.MAX_ALLOCATED / 4);
    // one more character per entry is refused before anything is expanded (was: 240-character
    // hosts x 10,000 accepted, and a 95-character one found by the fuzzer cost 110 MB under its
    // hooks)
    long before2 = ConfigParserFuzzTest.allocated();
    assertThatThrownBy(() -> ConfigParser.peers(Source.env(Map.of("PEERS", "h" + entry))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("its ranges expand to at most 200000 characters");
    assertThat(ConfigParserFuzzTest.allocated() - before2).isLessThan(1L << 20);
  }

  @Test
  void aTlsPathThatIsNoPathIsAConfigException(@TempDir Path dir) throws Exception {
    // Was: InvalidPathException (a NUL character) escaped from node's and collect's TLS settings.
    Path pem = Files.writeString(dir.resolve("any.pem"), "not checked here");
    for (String key : List.of("TLS_CERT", "TLS_KEY", "TLS_CA")) {
      Map<String, String> env = new HashMap<>();
      for (String k : List.of("TLS_CERT", "TLS_KEY", "TLS_CA")) {
        env.put(k, pem.toString());
      }
      env.put(key, "ca\0.pem");
      assertThatThrownBy(() -> ConfigParser.tls(Source.env(env), 50051))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(key);
    }
  }
}
