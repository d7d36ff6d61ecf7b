package logicalclocks.cli;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;
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

  /** The flag each field is set by. */
  static final Map<Field, String> FLAGS =
      new EnumMap<>(
          Map.of(
              Field.MACHINES,
              "--machines",
              Field.TICK_RATE,
              "--tick-rate",
              Field.MIN_TICK_RATE,
              "--min-tick-rate",
              Field.MAX_TICK_RATE,
              "--max-tick-rate",
              Field.RATES,
              "--rates",
              Field.DIE_SIDES,
              "--die-sides",
              Field.SEED,
              "--seed",
              Field.QUEUE_CAPACITY,
              "--queue-capacity",
              Field.SEND_TIMEOUT_MS,
              "--send-timeout-ms",
              Field.VECTOR_CLOCKS,
              "--no-vector-clocks"));

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
    return v;
  }

  /** Whether any flag describing the model itself was given (not only --no-vector-clocks). */
  boolean anySet() {
    return values().keySet().stream().anyMatch(k -> !k.equals(Field.VECTOR_CLOCKS.name()));
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
