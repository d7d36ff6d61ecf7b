package logicalclocks.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the settings parser: {@link ConfigParser#node} (environment variables and a host name),
 * {@link ConfigParser#local} (the flags, as {@code local} maps them) and {@link ConfigParser#peers}
 * with its {@code {a..b}} ranges. Only {@link ConfigException} may escape, a parsed setting is
 * within its documented range, and no PEERS value costs more than a bounded amount of memory to
 * read (measured as the bytes this thread allocates).
 *
 * <p>LOG_DIR is not fuzzed: the parser creates it, and a fuzzer must not create directories all
 * over the file system. It is always a temporary directory.
 */
class ConfigParserFuzzTest {
  /** Every variable {@code node} and {@code local} read, LOG_DIR aside. */
  static final List<String> KEYS = new ArrayList<>();

  static {
    KEYS.addAll(
        List.of(
            "ID",
            "PEERS",
            "PORT",
            "DURATION",
            "STARTUP_TIMEOUT",
            "AFTER_RUN",
            "METRICS_PORT",
            "HEALTH_PORT",
            "TLS_CERT",
            "TLS_KEY",
            "TLS_CA",
            "BASE_PORT",
            "GRPC_REFLECTION"));
    for (ModelConfig.Field f : ModelConfig.Field.values()) {
      KEYS.add(f.name());
    }
  }

  private static final Path LOG_DIR;

  static {
    try {
      LOG_DIR = Files.createTempDirectory("lc-fuzz-config");
      LOG_DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Most bytes one parse may allocate: generous for 10,000 valid peers, far below what copying a
   * long entry once per number of a range costs.
   */
  static final long MAX_ALLOCATED = 64L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    // Loads (and, when fuzzing, instruments) the parser's classes before any allocation is
    // measured: the first call would otherwise be charged for it.
    Map<String, String> warm =
        Map.of("PEERS", "vm{0..2}:50051", "ID", "1", "LOG_DIR", LOG_DIR.toString());
    ConfigParser.node(Source.env(warm), null);
    ConfigParser.local(Source.env(warm));
    for (String bad : List.of("x", "vm{2..1}:1", "[::1]:0,a:1")) {
      try {
        ConfigParser.peers(Source.env(Map.of("PEERS", bad)));
      } catch (ConfigException expected) {
        // warmed up
      }
    }
  }

  /** Bytes this thread has allocated so far. */
  static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @FuzzTest(maxDuration = "5s")
  void nodeLocalAndPeers(FuzzedDataProvider data) {
    int target = data.consumeInt(0, 2);
    Map<String, String> values = new HashMap<>();
    int n = data.consumeInt(0, 2 * KEYS.size());
    for (int i = 0; i < n; i++) {
      values.put(data.pickValue(KEYS), data.consumeString(64));
    }
    String hostname = data.consumeBoolean() ? data.consumeString(64) : null;
    // PEERS last, from the rest of the input: the mutator then works mostly on it.
    values.put("PEERS", data.consumeRemainingAsString());
    values.put("LOG_DIR", LOG_DIR.toString());
    Map<String, String> flags = new HashMap<>();
    values.keySet().forEach(k -> flags.put(k, "--" + k.toLowerCase().replace('_', '-')));

    // Parsed twice, the second measured: the first may load (and, when fuzzing, instrument) a
    // class no earlier input reached, a one-time cost charged to this thread that is not the
    // parser's. What a parse allocates each time it runs is what the bound is about.
    parse(target, values, flags, hostname);
    long before = allocated();
    parse(target, values, flags, hostname);
    long allocated = allocated() - before;
    assertThat(allocated)
        .as("bytes allocated to parse a PEERS of %d chars", values.get("PEERS").length())
        .isLessThan(MAX_ALLOCATED);
  }

  private static void parse(
      int target, Map<String, String> values, Map<String, String> flags, String hostname) {
    try {
      switch (target) {
        case 0 -> {
          NodeConfig c = ConfigParser.node(Source.env(values), hostname);
          assertThat(c.peers()).hasSizeBetween(2, ModelConfig.MAX_MACHINES);
          assertThat(c.id()).isBetween(0, c.peers().size() - 1);
          assertThat(c.port()).isBetween(1, 65535);
          assertThat(c.model().machines()).isEqualTo(c.peers().size());
        }
        case 1 -> {
          LocalConfig c = ConfigParser.local(Source.of(values, flags::get));
          assertThat(c.machines()).isBetween(2, ModelConfig.MAX_MACHINES);
          assertThat(c.basePort()).isBetween(1, 65535 - c.machines() + 1);
        }
        default -> {
          List<HostPort> peers = ConfigParser.peers(Source.env(values));
          assertThat(peers).hasSizeBetween(2, ModelConfig.MAX_MACHINES).doesNotHaveDuplicates();
          for (HostPort p : peers) {
            assertThat(p.port()).isBetween(1, 65535);
          }
        }
      }
    } catch (ConfigException expected) {
      assertThat(expected.getMessage()).contains("is invalid: expected");
    }
  }
}
