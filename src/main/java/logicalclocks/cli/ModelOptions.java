package logicalclocks.cli;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;
import logicalclocks.config.WeatherConfig;
import picocli.CommandLine.Option;

/**
 * The model's flags, declared once and mixed into {@code local}, {@code bench}, {@code experiment}
 * and {@code sweep}: the same names, types, defaults and help everywhere. Values stay as typed;
 * {@link ModelConfig.Builder} checks them and its errors name the flag.
 */
final class ModelOptions {
  /**
   * {@code --machines} alone, for commands that set the rest of the model themselves ({@code
   * sweep}).
   */
  static final class Machines {
    @Option(
        names = {"--machines", "--num_machines"},
        paramLabel = "N",
        description =
            "number of VMs, 2 to "
                + ModelConfig.MAX_MACHINES
                + " (default "
                + ModelConfig.DEFAULT_MACHINES
                + ", or one per --rates entry)")
    String machines;
  }

  /**
   * The network weather's flags alone, for commands that set the rest of the model themselves
   * ({@code sweep}).
   */
  static final class Weather {
    @Option(
        names = "--delay-ms",
        paramLabel = "MS",
        description =
            "network weather: fixed delay of every copy of a message, 0 to "
                + WeatherConfig.MAX_DELAY_MS
                + " (default 0)")
    String delayMs;

    @Option(
        names = "--jitter-ms",
        paramLabel = "MS",
        description = "network weather: extra delay per copy, uniform in [0, MS) (default 0)")
    String jitterMs;

    @Option(
        names = "--loss",
        paramLabel = "P",
        description =
            "network weather: probability 0..1 that a copy is lost (the sender retries) (default 0)")
    String loss;

    @Option(
        names = "--duplicate",
        paramLabel = "P",
        description = "network weather: probability 0..1 that a copy arrives twice (default 0)")
    String duplicate;

    @Option(
        names = "--reorder",
        paramLabel = "P",
        description =
            "network weather: probability 0..1 that a copy is held back jitter + "
                + WeatherConfig.REORDER_HOLD_MS
                + " ms so later ones overtake it (default 0)")
    String reorder;

    @Option(
        names = "--partition",
        paramLabel = "SPEC",
        description =
            "network weather, repeatable: 'at=10s,for=5s,vms=2' cuts VMs 2 (ids joined by +) off"
                + " from the rest from 10 s into the run for 5 s; or @FILE, one spec per line")
    java.util.List<String> partitions;

    /** The flags as typed, by the environment variable each stands for (unset flags absent). */
    void putValues(Map<String, String> v) {
      put(v, Field.NET_DELAY_MS, delayMs);
      put(v, Field.NET_JITTER_MS, jitterMs);
      put(v, Field.NET_LOSS, loss);
      put(v, Field.NET_DUPLICATE, duplicate);
      put(v, Field.NET_REORDER, reorder);
      put(v, Field.NET_PARTITION, partitions == null ? null : String.join(";", partitions));
    }
  }

  @picocli.CommandLine.Mixin Machines machines = new Machines();

  @Option(
      names = "--tick-rate",
      paramLabel = "RATE",
      description =
          "fixed ticks/s for every VM, 1 to "
              + ModelConfig.MAX_TICK_RATE
              + " (default: each VM picks one from --min-tick-rate..--max-tick-rate)")
  String tickRate;

  @Option(
      names = "--min-tick-rate",
      paramLabel = "RATE",
      description = "lowest picked rate (default " + ModelConfig.DEFAULT_MIN_TICK_RATE + ")")
  String minTickRate;

  @Option(
      names = "--max-tick-rate",
      paramLabel = "RATE",
      description = "highest picked rate (default " + ModelConfig.DEFAULT_MAX_TICK_RATE + ")")
  String maxTickRate;

  @Option(names = "--rates", paramLabel = "R0,R1,..", description = "fixed rate per VM, e.g. 3,5,2")
  String rates;

  @Option(
      names = "--die-sides",
      paramLabel = "SIDES",
      description = "faces of the die, >= N (default " + ModelConfig.DEFAULT_DIE_SIDES + ")")
  String dieSides;

  @Option(
      names = "--queue-capacity",
      paramLabel = "N",
      description =
          "most queued messages per VM (default " + ModelConfig.DEFAULT_QUEUE_CAPACITY + ")")
  String queueCapacity;

  @Option(
      names = "--send-timeout-ms",
      paramLabel = "MS",
      description =
          "deadline of one delivery (default " + ModelConfig.DEFAULT_SEND_TIMEOUT_MS + ")")
  String sendTimeoutMs;

  @Option(
      names = "--no-vector-clocks",
      description =
          "keep Lamport clocks only: no vector clock per VM and no vc key in the logs (for very large N)")
  boolean noVectorClocks;

  @Option(
      names = "--extra-clocks",
      paramLabel = "KIND,..",
      description =
          "clock kinds to keep besides the Lamport, vector and hybrid clocks (from a jar on the"
              + " class path that registers them)")
  String extraClocks;

  @Option(
      names = "--clock-offsets",
      paramLabel = "MS,MS,..",
      description =
          "each VM's physical clock offset in ms, one per VM, e.g. 0,400,-300 (default: exact,"
              + " or drawn from --clock-skew-ms)")
  String clockOffsets;

  @Option(
      names = "--clock-drift-ppm",
      paramLabel = "PPM,PPM,..",
      description = "each VM's clock drift in parts per million, one per VM, e.g. 0,100,-50")
  String clockDriftPpm;

  @Option(
      names = "--clock-skew-ms",
      paramLabel = "S",
      description =
          "draw each VM's clock offset (seeded) uniformly from [-S, S] ms, when --clock-offsets"
              + " is not given")
  String clockSkewMs;

  @Option(
      names = "--clock-steps",
      paramLabel = "VM@AT:BY,..",
      description =
          "step VM's clock by BY ms once AT (20s or 20000ms) has passed since its start, e.g."
              + " 1@20s:-500 (an NTP correction)")
  String clockSteps;

  @picocli.CommandLine.Mixin Weather weather = new Weather();

  /** The flag each field is set by. */
  static final Map<Field, String> FLAGS =
      new EnumMap<>(
          Map.ofEntries(
              Map.entry(Field.MACHINES, "--machines"),
              Map.entry(Field.TICK_RATE, "--tick-rate"),
              Map.entry(Field.MIN_TICK_RATE, "--min-tick-rate"),
              Map.entry(Field.MAX_TICK_RATE, "--max-tick-rate"),
              Map.entry(Field.RATES, "--rates"),
              Map.entry(Field.DIE_SIDES, "--die-sides"),
              Map.entry(Field.SEED, "--seed"),
              Map.entry(Field.QUEUE_CAPACITY, "--queue-capacity"),
              Map.entry(Field.SEND_TIMEOUT_MS, "--send-timeout-ms"),
              Map.entry(Field.VECTOR_CLOCKS, "--no-vector-clocks"),
              Map.entry(Field.CLOCK_OFFSET_MS, "--clock-offsets"),
              Map.entry(Field.CLOCK_DRIFT_PPM, "--clock-drift-ppm"),
              Map.entry(Field.CLOCK_SKEW_MS, "--clock-skew-ms"),
              Map.entry(Field.CLOCK_STEPS, "--clock-steps"),
              Map.entry(Field.NET_DELAY_MS, "--delay-ms"),
              Map.entry(Field.NET_JITTER_MS, "--jitter-ms"),
              Map.entry(Field.NET_LOSS, "--loss"),
              Map.entry(Field.NET_DUPLICATE, "--duplicate"),
              Map.entry(Field.NET_REORDER, "--reorder"),
              Map.entry(Field.NET_PARTITION, "--partition"),
              Map.entry(Field.EXTRA_CLOCKS, "--extra-clocks")));

  /** The flags as typed, by the environment variable each stands for (unset flags absent). */
  Map<String, String> values() {
    Map<String, String> v = new HashMap<>();
    put(v, Field.MACHINES, machines.machines);
    put(v, Field.TICK_RATE, tickRate);
    put(v, Field.MIN_TICK_RATE, minTickRate);
    put(v, Field.MAX_TICK_RATE, maxTickRate);
    put(v, Field.RATES, rates);
    put(v, Field.DIE_SIDES, dieSides);
    put(v, Field.QUEUE_CAPACITY, queueCapacity);
    put(v, Field.SEND_TIMEOUT_MS, sendTimeoutMs);
    put(v, Field.VECTOR_CLOCKS, noVectorClocks ? "false" : null);
    put(v, Field.CLOCK_OFFSET_MS, clockOffsets);
    put(v, Field.CLOCK_DRIFT_PPM, clockDriftPpm);
    put(v, Field.CLOCK_SKEW_MS, clockSkewMs);
    put(v, Field.CLOCK_STEPS, clockSteps);
    put(v, Field.EXTRA_CLOCKS, extraClocks);
    weather.putValues(v);
    return v;
  }

  /**
   * Whether any flag describing the model itself was given (not only --no-vector-clocks or the
   * weather).
   */
  boolean anySet() {
    return values().keySet().stream()
        .anyMatch(
            k ->
                !k.equals(Field.VECTOR_CLOCKS.name())
                    && !ModelConfig.WEATHER_FIELDS.contains(Field.valueOf(k)));
  }

  /** The weather the flags give (calm when none is set); errors name the flags. */
  logicalclocks.config.WeatherConfig weather() {
    return builder().build().weather();
  }

  /** A builder fed with the flags as typed; errors name the flags. */
  ModelConfig.Builder builder() {
    ModelConfig.Builder b = ModelConfig.builder().labels(FLAGS::get);
    values().forEach((k, v) -> b.set(Field.valueOf(k), v));
    return b;
  }

  private static void put(Map<String, String> m, Field f, String value) {
    if (value != null) {
      m.put(f.name(), value);
    }
  }
}
