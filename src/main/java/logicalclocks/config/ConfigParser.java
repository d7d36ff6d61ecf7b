package logicalclocks.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates every setting, in one place, into records. Errors are {@link
 * ConfigException}s.
 */
public final class ConfigParser {
  public static final int DEFAULT_PORT = 50051;

  /** Where a node serves Prometheus' /metrics unless METRICS_PORT says otherwise (0: nowhere). */
  public static final int DEFAULT_METRICS_PORT = 9464;

  public static final int DEFAULT_BASE_PORT = 50050;
  public static final long DEFAULT_DURATION_S = 60;
  public static final long DEFAULT_STARTUP_TIMEOUT_S = 60;
  public static final String DEFAULT_LOG_DIR = "./logs";

  public static final long MAX_DURATION_S = 7L * 24 * 3600;

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");
  private static final Pattern RANGE = Pattern.compile("\\{(\\d{1,9})\\.\\.(\\d{1,9})}");
  private static final Pattern PEER =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");

  /**
   * Longest PEERS entry holding a range: a host name (at most 254 characters), ':', a port, with
   * the range's text in place of some of it.
   */
  static final int MAX_RANGE_ENTRY = 300;

  /**
   * Most characters PEERS' ranges may expand to, all together: 10,000 VMs of 20-character entries
   * (vm{0..9999}:50051 is 17), or 2,600 of a StatefulSet's 75-character DNS names. A 95-character
   * entry times {0..9999} cost some 16 MB to parse (110 MB under the fuzzer's hooks), and 300,000
   * characters still 67 MB under them, past the fuzz test's 64 MiB: both found by
   * ConfigParserFuzzTest in clean-clone CIs.
   */
  static final long MAX_EXPANDED_CHARS = 200_000;

  private static final Pattern ORDINAL = Pattern.compile(".*-(\\d{1,9})");

  private ConfigParser() {}

  /**
   * Configuration of {@code node}: ID, PEERS, PORT, DURATION, LOG_DIR, STARTUP_TIMEOUT and the
   * model knobs.
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
        throw new ConfigException(
            src.label("ID"),
            rawId,
            "an integer from 0 to "
                + (peers.size() - 1)
                + " (or a host name ending in -<n>, as in a StatefulSet;"
                + " host name is '"
                + hostname
                + "')");
      }
      id =
          range(
              src.label("ID") + " (from host name " + hostname + ")",
              m.group(1),
              0,
              peers.size() - 1,
              "an ordinal from 0 to " + (peers.size() - 1) + " (an index into PEERS)");
    } else {
      id =
          range(
              src.label("ID"),
              rawId,
              0,
              peers.size() - 1,
              "an integer from 0 to " + (peers.size() - 1) + " (an index into PEERS)");
    }
    int port = port(src);
    Duration duration = duration(src);
    Duration startup =
        seconds(
            src,
            "STARTUP_TIMEOUT",
            DEFAULT_STARTUP_TIMEOUT_S,
            1,
            3600,
            "whole seconds from 1 to 3600");
    String rawMachines = src.get("MACHINES");
    if (!blank(rawMachines) && !rawMachines.trim().equals(String.valueOf(peers.size()))) {
      // A node's machines are its PEERS; a MACHINES that says otherwise is not silently dropped.
      throw new ConfigException(
          src.label("MACHINES"),
          rawMachines,
          "unset, or " + peers.size() + ": the number of PEERS (a node's machines are its PEERS)");
    }
    ModelConfig model = model(src, peers.size(), id);
    // Writable is checked by the node itself, which waits for it (compose's logs-init opens the
    // bind-mounted directory while the VMs start).
    Path logDir = logDir(src, false);
    String rawAfter = src.get("AFTER_RUN");
    NodeConfig.AfterRun after;
    if (blank(rawAfter)) {
      after = NodeConfig.AfterRun.EXIT;
    } else {
      after =
          switch (rawAfter) {
            case "exit" -> NodeConfig.AfterRun.EXIT;
            case "wait" -> NodeConfig.AfterRun.WAIT;
            default -> throw new ConfigException(src.label("AFTER_RUN"), rawAfter, "exit or wait");
          };
    }
    TlsConfig tls = tls(src, port);
    int metricsPort =
        intOr(
            src,
            "METRICS_PORT",
            DEFAULT_METRICS_PORT,
            0,
            65535,
            "a TCP port from 1 to 65535 for Prometheus' /metrics, or 0 for none");
    if (metricsPort == port || (tls != null && metricsPort == tls.healthPort())) {
      throw new ConfigException(
          src.label("METRICS_PORT"),
          "" + metricsPort,
          "a TCP port other than PORT and HEALTH_PORT");
    }
    String rawHealthFile = src.get("HEALTH_FILE");
    Path healthFile;
    try {
      healthFile = blank(rawHealthFile) ? null : Path.of(rawHealthFile);
    } catch (InvalidPathException e) {
      throw new ConfigException(src.label("HEALTH_FILE"), rawHealthFile, "a file path");
    }
    return new NodeConfig(
        id,
        peers,
        port,
        duration,
        model,
        logDir,
        startup,
        after,
        tls,
        metricsPort,
        healthFile,
        reflection(src, tls != null),
        snapshotEvery(src));
  }

  /**
   * Configuration of {@code local}: MACHINES, BASE_PORT, DURATION, LOG_DIR, RATES and the model
   * knobs.
   */
  public static LocalConfig local(Source src) {
    ModelConfig model = model(src, null);
    int machines = model.machines();
    int basePort =
        intOr(
            src,
            "BASE_PORT",
            DEFAULT_BASE_PORT,
            1,
            65535 - machines + 1,
            "a TCP port from 1 to " + (65535 - machines + 1) + " (VM i listens on base port + i)");
    Duration duration = duration(src);
    Path logDir = logDir(src);
    return new LocalConfig(basePort, duration, model, logDir, snapshotEvery(src));
  }

  /** Longest SNAPSHOT_EVERY, seconds. */
  public static final long MAX_SNAPSHOT_EVERY_S = 3600;

  /** SNAPSHOT_EVERY: whole seconds between snapshots, 0 (the default) = none. */
  private static Duration snapshotEvery(Source src) {
    return seconds(
        src,
        "SNAPSHOT_EVERY",
        0,
        0,
        MAX_SNAPSHOT_EVERY_S,
        "whole seconds from 1 to " + MAX_SNAPSHOT_EVERY_S + " between snapshots (0: none)");
  }

  /**
   * The live page's server: UI_BIND (an IP address or host name, default 127.0.0.1), UI_PORT
   * (default {@code dfltPort}), UI_MAX_CLIENTS, UI_BUFFER and REPLAY_SPEED.
   */
  public static UiConfig ui(Source src, int dfltPort) {
    String bind = src.get("UI_BIND");
    if (blank(bind)) {
      bind = UiConfig.DEFAULT_BIND;
    } else if (!HOST.matcher(bind).matches() && !bind.matches("[0-9A-Fa-f:.]{2,45}")) {
      throw new ConfigException(
          src.label("UI_BIND"), bind, "an IP address or host name to listen on (e.g. 127.0.0.1)");
    }
    int port =
        intOr(src, "UI_PORT", dfltPort, 0, 65535, "a TCP port from 0 to 65535 (0: any free one)");
    int clients =
        intOr(
            src,
            "UI_MAX_CLIENTS",
            UiConfig.DEFAULT_MAX_CLIENTS,
            1,
            1000,
            "a number of browsers from 1 to 1000");
    int buffer =
        intOr(
            src,
            "UI_BUFFER",
            UiConfig.DEFAULT_BUFFER,
            100,
            UiConfig.MAX_BUFFER,
            "a number of events from 100 to " + UiConfig.MAX_BUFFER);
    double speed = 1;
    String rawSpeed = src.get("REPLAY_SPEED");
    if (!blank(rawSpeed)) {
      String expected =
          "a pace from 0 to "
              + (long) UiConfig.MAX_SPEED
              + " times the run's (0: as fast as it reads)";
      try {
        speed = Double.parseDouble(rawSpeed);
      } catch (NumberFormatException e) {
        throw new ConfigException(src.label("REPLAY_SPEED"), rawSpeed, expected);
      }
      if (!(speed >= 0 && speed <= UiConfig.MAX_SPEED)) {
        throw new ConfigException(src.label("REPLAY_SPEED"), rawSpeed, expected);
      }
    }
    return new UiConfig(bind, port, clients, buffer, speed);
  }

  /**
   * The model knobs (MACHINES, TICK_RATE, MIN_TICK_RATE, MAX_TICK_RATE, RATES, DIE_SIDES, SEED,
   * QUEUE_CAPACITY, SEND_TIMEOUT_MS, VECTOR_CLOCKS, and the weather's NET_DELAY_MS, NET_JITTER_MS,
   * NET_LOSS, NET_DUPLICATE, NET_REORDER, NET_PARTITION) from {@code src}, checked by {@link
   * ModelConfig.Builder}. {@code machines}, when not null, is the number of VMs fixed elsewhere (a
   * node's PEERS) and MACHINES is not read.
   */
  public static ModelConfig model(Source src, Integer machines) {
    return model(src, machines, null);
  }

  /**
   * The model knobs for one node, VM {@code vm} (null: for every VM): its CLOCK_OFFSET_MS,
   * CLOCK_DRIFT_PPM and CLOCK_STEPS are its own.
   */
  static ModelConfig model(Source src, Integer machines, Integer vm) {
    ModelConfig.Builder b = ModelConfig.builder().labels(f -> src.label(f.name()));
    if (vm != null) {
      b.forVm(vm);
    }
    for (ModelConfig.Field f : ModelConfig.Field.values()) {
      b.set(f, src.get(f.name()));
    }
    if (machines != null) {
      b.machines(machines);
    }
    return b.build();
  }

  /**
   * TLS_CERT, TLS_KEY, TLS_CA: all three readable files, or none; HEALTH_PORT (default PORT + 1)
   * with them.
   */
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
        throw new ConfigException(
            src.label(keys[i]),
            raw,
            "a PEM file: TLS_CERT, TLS_KEY and TLS_CA go together (set all three, or none for plaintext)");
      }
      Path p;
      try {
        p = Path.of(raw.trim());
      } catch (InvalidPathException e) {
        throw new ConfigException(src.label(keys[i]), raw, "a readable PEM file");
      }
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new ConfigException(src.label(keys[i]), raw, "a readable PEM file");
      }
      files[i] = p;
    }
    return new TlsConfig(files[0], files[1], files[2], healthPort(src, port));
  }

  /**
   * GRPC_REFLECTION: whether a VM's gRPC server answers server reflection ({@code grpcurl list}):
   * {@code true} or {@code false}; unset, on in plaintext and off under mutual TLS (where it would
   * describe the services to any client holding a certificate of the CA).
   */
  public static boolean reflection(Source src, boolean tls) {
    String raw = src.get("GRPC_REFLECTION");
    if (blank(raw)) {
      return !tls;
    }
    return switch (raw.strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(src.label("GRPC_REFLECTION"), raw, "true or false");
    };
  }

  /** The levels LOG_LEVEL may name (logback's; any case). */
  public static final List<String> LOG_LEVELS =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /**
   * LOG_LEVEL, the console log's level: one of {@link #LOG_LEVELS} in any case, INFO when unset
   * (logback itself reads the variable, and would take a misspelt level as DEBUG).
   */
  public static String logLevel(Source src) {
    String raw = src.get("LOG_LEVEL");
    if (blank(raw)) {
      return "INFO";
    }
    String level = raw.strip().toUpperCase(java.util.Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new ConfigException(
          src.label("LOG_LEVEL"), raw, "one of " + String.join(", ", LOG_LEVELS) + " (any case)");
    }
    return level;
  }

  /**
   * Where {@code health} asks this host's VM, read like {@code node} reads it: PORT, or with mutual
   * TLS (TLS_CERT set) the plaintext HEALTH_PORT.
   */
  public static int probePort(Source src) {
    int port = port(src);
    return blank(src.get("TLS_CERT")) ? port : healthPort(src, port);
  }

  private static int port(Source src) {
    return intOr(src, "PORT", DEFAULT_PORT, 1, 65535, "a TCP port from 1 to 65535");
  }

  /** HEALTH_PORT: default PORT + 1, never PORT. */
  private static int healthPort(Source src, int port) {
    int healthPort =
        intOr(
            src,
            "HEALTH_PORT",
            port < 65535 ? port + 1 : port - 1,
            1,
            65535,
            "a TCP port from 1 to 65535, other than PORT");
    if (healthPort == port) {
      throw new ConfigException(
          src.label("HEALTH_PORT"), "" + healthPort, "a TCP port other than PORT (" + port + ")");
    }
    return healthPort;
  }

  /**
   * PEERS: comma-separated host:port of all VMs in id order. An entry may hold one range {@code
   * {a..b}} (inclusive, a <= b), which stands for one entry per number in order: {@code
   * logical-clocks-{0..9}.logical-clocks:50051} is ten VMs, {@code 127.0.0.1:{50051..50053}} three.
   */
  public static List<HostPort> peers(Source src) {
    String raw = src.get("PEERS");
    String expect =
        "comma-separated host:port of all VMs in id order, at least 2 (e.g. vm0:50051,vm1:50051,"
            + " or a range: vm{0..2}:50051)";
    if (blank(raw)) {
      throw new ConfigException(src.label("PEERS"), raw, expect);
    }
    List<String> expanded = new ArrayList<>();
    long expandedChars = 0;
    for (String entry : raw.trim().split(",", -1)) {
      Matcher r = RANGE.matcher(entry);
      if (!r.find()) {
        expanded.add(entry);
        continue;
      }
      if (entry.length() > MAX_RANGE_ENTRY) {
        // Refused before it is copied once per number: no host:port is this long.
        throw new ConfigException(
            src.label("PEERS"),
            raw,
            expect + "; an entry with a range is at most " + MAX_RANGE_ENTRY + " characters");
      }
      long from;
      long to;
      try {
        from = Long.parseLong(r.group(1));
        to = Long.parseLong(r.group(2));
      } catch (NumberFormatException e) {
        from = 1;
        to = 0;
      }
      if (from > to
          || to - from + 1 > ModelConfig.MAX_MACHINES
          || RANGE.matcher(entry).results().count() > 1) {
        throw new ConfigException(
            src.label("PEERS"),
            raw,
            expect
                + "; the range in '"
                + entry
                + "' must be one {a..b} with a <= b and at most "
                + ModelConfig.MAX_MACHINES
                + " numbers");
      }
      expandedChars += (to - from + 1) * entry.length();
      if (expandedChars > MAX_EXPANDED_CHARS) {
        throw new ConfigException(
            src.label("PEERS"),
            raw,
            expect
                + "; its ranges expand to at most "
                + MAX_EXPANDED_CHARS
                + " characters in all (shorter host names, or fewer VMs)");
      }
      for (long k = from; k <= to; k++) {
        expanded.add(entry.substring(0, r.start()) + k + entry.substring(r.end()));
      }
      if (expanded.size() > ModelConfig.MAX_MACHINES) {
        break;
      }
    }
    String[] parts = expanded.toArray(String[]::new);
    if (parts.length < 2 || parts.length > ModelConfig.MAX_MACHINES) {
      throw new ConfigException(
          src.label("PEERS"), raw, expect + ", at most " + ModelConfig.MAX_MACHINES);
    }
    List<HostPort> peers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      String entry = parts[i];
      String where = "entry " + i + " '" + entry + "' ";
      Matcher m = PEER.matcher(entry);
      if (!m.matches()) {
        throw new ConfigException(
            src.label("PEERS"), raw, expect + "; " + where + "is not host:port");
      }
      String host = m.group(1) != null ? m.group(1) : m.group(2);
      if (m.group(2) != null && !HOST.matcher(host).matches()) {
        throw new ConfigException(
            src.label("PEERS"), raw, expect + "; " + where + "has a bad host name");
      }
      int port = Integer.parseInt(m.group(3));
      if (port < 1 || port > 65535) {
        throw new ConfigException(
            src.label("PEERS"), raw, expect + "; " + where + "has a port outside 1-65535");
      }
      HostPort hp = new HostPort(host.toLowerCase(Locale.ROOT), port);
      if (!seen.add(hp.toString())) {
        throw new ConfigException(src.label("PEERS"), raw, expect + "; " + where + "appears twice");
      }
      peers.add(hp);
    }
    return peers;
  }

  /** LOG_DIR: created if missing, and must be a writable directory. */
  public static Path logDir(Source src) {
    return logDir(src, true);
  }

  /**
   * LOG_DIR: created if missing; a directory, and writable by this process when {@code writable}.
   */
  static Path logDir(Source src, boolean writable) {
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
      throw new ConfigException(
          src.label("LOG_DIR"), value, expect + " (cannot create it: " + e + ")");
    }
    if (!Files.isDirectory(dir) || (writable && !Files.isWritable(dir))) {
      throw new ConfigException(src.label("LOG_DIR"), value, expect);
    }
    return dir;
  }

  /** DURATION: whole seconds, 0 = until stopped. */
  private static Duration duration(Source src) {
    return seconds(
        src,
        "DURATION",
        DEFAULT_DURATION_S,
        0,
        MAX_DURATION_S,
        "whole seconds from 0 (run until stopped) to " + MAX_DURATION_S);
  }

  private static Duration seconds(
      Source src, String key, long dflt, long min, long max, String expected) {
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
