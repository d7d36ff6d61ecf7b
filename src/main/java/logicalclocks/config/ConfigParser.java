package logicalclocks.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and validates every setting, in one place, into records. Errors are {@link ConfigException}s. */
public final class ConfigParser {
  public static final int DEFAULT_PORT = 50051;
  public static final int DEFAULT_BASE_PORT = 50050;
  public static final int DEFAULT_MACHINES = 3;
  public static final long DEFAULT_DURATION_S = 60;
  public static final long DEFAULT_STARTUP_TIMEOUT_S = 60;
  public static final String DEFAULT_LOG_DIR = "./logs";

  /** Upper bounds that keep a run meaningful (and its numbers far from overflow). */
  public static final int MAX_TICK_RATE = 10_000;
  public static final int MAX_MACHINES = 64;
  public static final int MAX_DIE_SIDES = 1_000_000;
  public static final long MAX_DURATION_S = 7L * 24 * 3600;
  public static final int MAX_QUEUE_CAPACITY = 10_000_000;

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");
  private static final Pattern PEER = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");
  private static final Pattern ORDINAL = Pattern.compile(".*-(\\d{1,9})");

  private ConfigParser() {}

  /**
   * Configuration of {@code node}: ID, PEERS, PORT, DURATION, LOG_DIR, STARTUP_TIMEOUT and the model knobs.
   *
   * @param hostname this host's name; when ID is unset and it ends in {@code -<n>}, ID = n
   */
  public static NodeConfig node(Source src, String hostname) {
    List<HostPort> peers = peers(src);
    int id;
    String rawId = src.get("ID");
    if (blank(rawId)) {
      Matcher m = hostname == null ? null : ORDINAL.matcher(hostname);
      if (m == null || !m.matches()) {
        throw new ConfigException(src.label("ID"), rawId,
            "an integer from 0 to " + (peers.size() - 1) + " (or a host name ending in -<n>, as in a StatefulSet;"
                + " host name is '" + hostname + "')");
      }
      id = range(src.label("ID") + " (from host name " + hostname + ")", m.group(1), 0, peers.size() - 1,
          "an ordinal from 0 to " + (peers.size() - 1) + " (an index into PEERS)");
    } else {
      id = range(src.label("ID"), rawId, 0, peers.size() - 1,
          "an integer from 0 to " + (peers.size() - 1) + " (an index into PEERS)");
    }
    int port = intOr(src, "PORT", DEFAULT_PORT, 1, 65535, "a TCP port from 1 to 65535");
    Duration duration = seconds(src, "DURATION", DEFAULT_DURATION_S, 0, MAX_DURATION_S,
        "whole seconds from 0 (run until stopped) to " + MAX_DURATION_S);
    Duration startup = seconds(src, "STARTUP_TIMEOUT", DEFAULT_STARTUP_TIMEOUT_S, 1, 3600,
        "whole seconds from 1 to 3600");
    ModelConfig model = model(src, peers.size());
    Path logDir = logDir(src);
    String rawAfter = src.get("AFTER_RUN");
    NodeConfig.AfterRun after;
    if (blank(rawAfter)) {
      after = NodeConfig.AfterRun.EXIT;
    } else {
      after = switch (rawAfter) {
        case "exit" -> NodeConfig.AfterRun.EXIT;
        case "wait" -> NodeConfig.AfterRun.WAIT;
        default -> throw new ConfigException(src.label("AFTER_RUN"), rawAfter, "exit or wait");
      };
    }
    return new NodeConfig(id, peers, port, duration, model, logDir, startup, after, tls(src, port));
  }

  /** Configuration of {@code local}: MACHINES, BASE_PORT, DURATION, LOG_DIR, RATES and the model knobs. */
  public static LocalConfig local(Source src) {
    int machines = intOr(src, "MACHINES", DEFAULT_MACHINES, 2, MAX_MACHINES,
        "a number of machines from 2 to " + MAX_MACHINES);
    int basePort = intOr(src, "BASE_PORT", DEFAULT_BASE_PORT, 1, 65535 - machines + 1,
        "a TCP port from 1 to " + (65535 - machines + 1) + " (VM i listens on base port + i)");
    Duration duration = seconds(src, "DURATION", DEFAULT_DURATION_S, 0, MAX_DURATION_S,
        "whole seconds from 0 (run until stopped) to " + MAX_DURATION_S);
    ModelConfig model = model(src, machines);
    Path logDir = logDir(src);
    return new LocalConfig(machines, basePort, duration, model, logDir);
  }

  /** The model knobs: TICK_RATE, MIN_TICK_RATE, MAX_TICK_RATE, RATES, DIE_SIDES, SEED, QUEUE_CAPACITY, SEND_TIMEOUT_MS. */
  public static ModelConfig model(Source src, int machines) {
    String rateExpect = "ticks per second, a whole number from 1 to " + MAX_TICK_RATE;
    Integer tickRate = blank(src.get("TICK_RATE")) ? null
        : range(src.label("TICK_RATE"), src.get("TICK_RATE"), 1, MAX_TICK_RATE, rateExpect);
    int min = intOr(src, "MIN_TICK_RATE", ModelConfig.DEFAULT_MIN_TICK_RATE, 1, MAX_TICK_RATE, rateExpect);
    int max = intOr(src, "MAX_TICK_RATE", Math.max(min, ModelConfig.DEFAULT_MAX_TICK_RATE), 1, MAX_TICK_RATE,
        rateExpect);
    if (max < min) {
      throw new ConfigException(src.label("MAX_TICK_RATE"), src.get("MAX_TICK_RATE"),
          "a rate >= " + src.label("MIN_TICK_RATE") + " (" + min + ")");
    }
    List<Integer> rates = new ArrayList<>();
    String rawRates = src.get("RATES");
    if (!blank(rawRates)) {
      String expect = machines + " comma-separated tick rates (one per VM, 1 to " + MAX_TICK_RATE + ")";
      String[] parts = rawRates.trim().split(",", -1);
      if (parts.length != machines) {
        throw new ConfigException(src.label("RATES"), rawRates, expect);
      }
      for (String p : parts) {
        rates.add(range(src.label("RATES"), p, 1, MAX_TICK_RATE, expect));
      }
    }
    int sides = intOr(src, "DIE_SIDES", ModelConfig.DEFAULT_DIE_SIDES, machines, MAX_DIE_SIDES,
        "a number of die faces from N=" + machines + " (the number of machines) to " + MAX_DIE_SIDES);
    Long seed = null;
    String rawSeed = src.get("SEED");
    if (!blank(rawSeed)) {
      try {
        seed = Long.parseLong(rawSeed.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(src.label("SEED"), rawSeed, "a 64-bit integer");
      }
    }
    int capacity = intOr(src, "QUEUE_CAPACITY", ModelConfig.DEFAULT_QUEUE_CAPACITY, 1, MAX_QUEUE_CAPACITY,
        "a number of messages from 1 to " + MAX_QUEUE_CAPACITY);
    int sendTimeout = intOr(src, "SEND_TIMEOUT_MS", (int) ModelConfig.DEFAULT_SEND_TIMEOUT.toMillis(), 1, 600_000,
        "milliseconds from 1 to 600000");
    return new ModelConfig(tickRate, min, max, rates, sides, seed, capacity, Duration.ofMillis(sendTimeout));
  }

  /** TLS_CERT, TLS_KEY, TLS_CA: all three readable files, or none; HEALTH_PORT (default PORT + 1) with them. */
  public static TlsConfig tls(Source src, int port) {
    String[] keys = {"TLS_CERT", "TLS_KEY", "TLS_CA"};
    int set = 0;
    for (String k : keys) {
      set += blank(src.get(k)) ? 0 : 1;
    }
    if (set == 0) {
      return null;
    }
    Path[] files = new Path[3];
    for (int i = 0; i < 3; i++) {
      String raw = src.get(keys[i]);
      if (blank(raw)) {
        throw new ConfigException(src.label(keys[i]), raw,
            "a PEM file: TLS_CERT, TLS_KEY and TLS_CA go together (set all three, or none for plaintext)");
      }
      Path p = Path.of(raw.trim());
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new ConfigException(src.label(keys[i]), raw, "a readable PEM file");
      }
      files[i] = p;
    }
    int healthPort = intOr(src, "HEALTH_PORT", port < 65535 ? port + 1 : port - 1, 1, 65535,
        "a TCP port from 1 to 65535, other than PORT");
    if (healthPort == port) {
      throw new ConfigException(src.label("HEALTH_PORT"), "" + healthPort, "a TCP port other than PORT (" + port + ")");
    }
    return new TlsConfig(files[0], files[1], files[2], healthPort);
  }

  /** PEERS: comma-separated host:port of all VMs in id order. */
  public static List<HostPort> peers(Source src) {
    String raw = src.get("PEERS");
    String expect = "comma-separated host:port of all VMs in id order, at least 2 (e.g. vm0:50051,vm1:50051)";
    if (blank(raw)) {
      throw new ConfigException(src.label("PEERS"), raw, expect);
    }
    String[] parts = raw.trim().split(",", -1);
    if (parts.length < 2 || parts.length > MAX_MACHINES) {
      throw new ConfigException(src.label("PEERS"), raw, expect + ", at most " + MAX_MACHINES);
    }
    List<HostPort> peers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      String entry = parts[i];
      String where = "entry " + i + " '" + entry + "' ";
      Matcher m = PEER.matcher(entry);
      if (!m.matches()) {
        throw new ConfigException(src.label("PEERS"), raw, expect + "; " + where + "is not host:port");
      }
      String host = m.group(1) != null ? m.group(1) : m.group(2);
      if (m.group(2) != null && !HOST.matcher(host).matches()) {
        throw new ConfigException(src.label("PEERS"), raw, expect + "; " + where + "has a bad host name");
      }
      int port = Integer.parseInt(m.group(3));
      if (port < 1 || port > 65535) {
        throw new ConfigException(src.label("PEERS"), raw, expect + "; " + where + "has a port outside 1-65535");
      }
      HostPort hp = new HostPort(host.toLowerCase(java.util.Locale.ROOT), port);
      if (!seen.add(hp.toString())) {
        throw new ConfigException(src.label("PEERS"), raw, expect + "; " + where + "appears twice");
      }
      peers.add(hp);
    }
    return peers;
  }

  /** LOG_DIR: created if missing, and must be a writable directory. */
  public static Path logDir(Source src) {
    String raw = src.get("LOG_DIR");
    String value = blank(raw) ? DEFAULT_LOG_DIR : raw;
    String expect = "a writable directory";
    Path dir;
    try {
      dir = Path.of(value);
    } catch (InvalidPathException e) {
      throw new ConfigException(src.label("LOG_DIR"), value, expect);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new ConfigException(src.label("LOG_DIR"), value, expect + " (cannot create it: " + e + ")");
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new ConfigException(src.label("LOG_DIR"), value, expect);
    }
    return dir;
  }

  private static Duration seconds(Source src, String key, long dflt, long min, long max, String expected) {
    String raw = src.get(key);
    if (blank(raw)) {
      return Duration.ofSeconds(dflt);
    }
    return Duration.ofSeconds(longRange(src.label(key), raw, min, max, expected));
  }

  private static int intOr(Source src, String key, int dflt, int min, int max, String expected) {
    String raw = src.get(key);
    return blank(raw) ? dflt : range(src.label(key), raw, min, max, expected);
  }

  private static int range(String label, String raw, int min, int max, String expected) {
    return (int) longRange(label, raw, min, max, expected);
  }

  private static long longRange(String label, String raw, long min, long max, String expected) {
    long v;
    try {
      v = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException(label, raw, expected);
    }
    if (v < min || v > max) {
      throw new ConfigException(label, raw, expected);
    }
    return v;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
