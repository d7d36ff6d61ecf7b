package logicalclocks.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import logicalclocks.config.ConfigException;
import logicalclocks.config.Source;
import logicalclocks.log.EventLogFormat;

/**
 * What a campaign runs: settings MACHINES, TICK_RATE, DURATION, SEED, FAULTS, BASE_PORT, OUT and
 * JAR read from a {@link Source} (the {@code chaos} flags), each checked with an error naming the
 * flag, the value and what is expected.
 *
 * @param machines number of VMs (child JVMs)
 * @param tickRate fixed ticks/s of every VM
 * @param durationSeconds each VM's DURATION
 * @param seed the run's seed: the nodes' SEED and the fault schedule's
 * @param faults number of faults
 * @param basePort VM i listens on basePort + i
 * @param out the campaign's folder: {@code logs/} and each VM's stdout and stderr
 * @param jar the runnable jar the children run
 * @param snapshotEvery how often VM 0 takes a snapshot of the cluster, seconds (0: never)
 */
public record ChaosConfig(
    int machines,
    int tickRate,
    long durationSeconds,
    long seed,
    int faults,
    int basePort,
    Path out,
    Path jar,
    long snapshotEvery) {
  public static final int DEFAULT_MACHINES = 3;
  public static final int MAX_MACHINES = 10;
  public static final int DEFAULT_TICK_RATE = 100;
  public static final int MAX_TICK_RATE = 1000;
  public static final long DEFAULT_DURATION_S = 60;
  public static final long MIN_DURATION_S = 10;
  public static final long MAX_DURATION_S = 3600;
  public static final int DEFAULT_FAULTS = 5;
  public static final int DEFAULT_BASE_PORT = 52100;
  public static final String DEFAULT_OUT = "./chaos";

  /** By default VM 0 takes a snapshot every 2 s: each is checked against the logs with the rest. */
  public static final long DEFAULT_SNAPSHOT_EVERY_S = 2;

  /** Where the VMs' logs go. */
  public Path logDir() {
    return out.resolve("logs");
  }

  /**
   * Reads and checks the settings; {@code seed} and {@code jar} are used when SEED and JAR are
   * unset ({@code jar} may be null: then JAR is required).
   */
  public static ChaosConfig parse(Source src, long seed, Path jar) {
    int machines =
        (int)
            number(
                src,
                "MACHINES",
                DEFAULT_MACHINES,
                2,
                MAX_MACHINES,
                "a number of VMs from 2 to " + MAX_MACHINES + " (one JVM each)");
    int rate =
        (int)
            number(
                src,
                "TICK_RATE",
                DEFAULT_TICK_RATE,
                1,
                MAX_TICK_RATE,
                "ticks per second from 1 to " + MAX_TICK_RATE);
    long duration =
        number(
            src,
            "DURATION",
            DEFAULT_DURATION_S,
            MIN_DURATION_S,
            MAX_DURATION_S,
            "whole seconds from " + MIN_DURATION_S + " to " + MAX_DURATION_S);
    int max = Schedule.maxFaults(duration);
    int faults =
        (int)
            number(
                src,
                "FAULTS",
                DEFAULT_FAULTS,
                0,
                max,
                "a number of faults from 0 to "
                    + max
                    + " (at most one per "
                    + Schedule.SECONDS_PER_FAULT
                    + " s of the run's "
                    + duration
                    + " s)");
    long runSeed =
        blank(src.get("SEED"))
            ? seed
            : number(src, "SEED", 0, Long.MIN_VALUE, Long.MAX_VALUE, "an integer (64-bit)");
    int basePort =
        (int)
            number(
                src,
                "BASE_PORT",
                DEFAULT_BASE_PORT,
                1024,
                65535 - machines + 1,
                "a TCP port from 1024 to "
                    + (65535 - machines + 1)
                    + " (VM i listens on base port + i)");
    Path out = out(src);
    Path jarPath = jar(src, jar);
    long snapshotEvery =
        number(
            src,
            "SNAPSHOT_EVERY",
            DEFAULT_SNAPSHOT_EVERY_S,
            0,
            logicalclocks.config.ConfigParser.MAX_SNAPSHOT_EVERY_S,
            "whole seconds from 1 to "
                + logicalclocks.config.ConfigParser.MAX_SNAPSHOT_EVERY_S
                + " between snapshots (0: none)");
    checkPortsFree(src, basePort, machines);
    return new ChaosConfig(
        machines, rate, duration, runSeed, faults, basePort, out, jarPath, snapshotEvery);
  }

  /**
   * The jar this code runs from; when it runs from a build's classes folder (tests), the jar {@code
   * package} built beside it ({@code target/logical-clocks.jar}); null when neither exists.
   */
  public static Path runningJar() {
    try {
      var source = ChaosConfig.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
        return p;
      }
      Path built = p.getParent() == null ? null : p.getParent().resolve("logical-clocks.jar");
      return built != null && Files.isRegularFile(built) ? built : null;
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }

  private static Path out(Source src) {
    String raw = src.get("OUT");
    String value = blank(raw) ? DEFAULT_OUT : raw;
    String expect = "a folder the campaign may write, without the logs of an earlier run";
    Path dir = Path.of(value);
    Path logs = dir.resolve("logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(src.label("OUT"), value, expect + " (cannot create it: " + e + ")");
    }
    if (!Files.isWritable(logs)) {
      throw new ConfigException(src.label("OUT"), value, expect);
    }
    try (Stream<Path> files = Files.list(logs)) {
      var old =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> EventLogFormat.idOfFileName(n) >= 0)
              .sorted()
              .findFirst();
      if (old.isPresent()) {
        throw new ConfigException(
            src.label("OUT"),
            value,
            expect
                + " ("
                + logs.resolve(old.get())
                + " exists: the nodes would resume from it; choose another folder or delete it)");
      }
    } catch (IOException e) {
      throw new ConfigException(src.label("OUT"), value, expect + " (cannot list it: " + e + ")");
    }
    return dir;
  }

  private static Path jar(Source src, Path dflt) {
    String raw = src.get("JAR");
    String expect = "the runnable logical-clocks jar (build it with ./mvnw package -DskipTests)";
    if (blank(raw)) {
      if (dflt == null) {
        throw new ConfigException(src.label("JAR"), null, expect);
      }
      return dflt;
    }
    Path p = Path.of(raw);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException(src.label("JAR"), raw, expect);
    }
    return p.toAbsolutePath();
  }

  private static void checkPortsFree(Source src, int basePort, int machines) {
    for (int i = 0; i < machines; i++) {
      int port = basePort + i;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(port));
      } catch (IOException e) {
        throw new ConfigException(
            src.label("BASE_PORT"),
            "" + basePort,
            "a base port whose "
                + machines
                + " ports "
                + basePort
                + ".."
                + (basePort + machines - 1)
                + " are free (port "
                + port
                + " is in use; choose another --base-port)");
      }
    }
  }

  private static long number(
      Source src, String key, long dflt, long min, long max, String expected) {
    String raw = src.get(key);
    if (blank(raw)) {
      return dflt;
    }
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(src.label(key), raw, expected);
    }
    if (v < min || v > max) {
      throw new ConfigException(src.label(key), raw, expected);
    }
    return v;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
