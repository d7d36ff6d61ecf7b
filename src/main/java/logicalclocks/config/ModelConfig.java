package logicalclocks.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The model's knobs, shared by every way of running. Built only through {@link #builder()}, which
 * holds every rule of the model in one place (like MicroRaft's {@code RaftConfig} builder):
 * environment variables, flags, plan files, sweeps and code all feed it raw values and get either a
 * valid model or a {@link ConfigException} naming the field as the user spelled it, the value as
 * typed and the expected form.
 *
 * @param machines number of VMs
 * @param tickRate fixed ticks/s for every VM, or null to pick one per VM
 * @param minTickRate lowest rate picked (inclusive)
 * @param maxTickRate highest rate picked (inclusive)
 * @param rates fixed rate per VM id, or empty
 * @param dieSides faces of the die
 * @param seed run seed, or null for a fresh random one
 * @param queueCapacity most messages a VM's queue holds
 * @param sendTimeout deadline for delivering one message
 * @param vectorClocks whether each VM also keeps a vector clock (the {@code vc} key of tick lines)
 * @param clocks the VMs' physical clocks: offsets, drift, steps ({@link ClockConfig#NONE}: exact)
 */
public record ModelConfig(
    int machines,
    Integer tickRate,
    int minTickRate,
    int maxTickRate,
    List<Integer> rates,
    int dieSides,
    Long seed,
    int queueCapacity,
    Duration sendTimeout,
    boolean vectorClocks,
    ClockConfig clocks) {

  public static final int DEFAULT_MACHINES = 3;
  public static final int DEFAULT_MIN_TICK_RATE = 1;
  public static final int DEFAULT_MAX_TICK_RATE = 6;
  public static final int DEFAULT_DIE_SIDES = 10;
  public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  public static final int DEFAULT_SEND_TIMEOUT_MS = 2000;
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofMillis(DEFAULT_SEND_TIMEOUT_MS);

  /** Upper bounds that keep a run meaningful (and its numbers far from overflow). */
  public static final int MAX_TICK_RATE = 10_000;

  /**
   * Most VMs in a run: far beyond what one machine ticks in real time (about 1,000 at 1-6 ticks/s,
   * see BENCHMARKS.md), so the limit is the machine, not this number.
   */
  public static final int MAX_MACHINES = 10_000;

  public static final int MAX_DIE_SIDES = 1_000_000;
  public static final int MAX_QUEUE_CAPACITY = 10_000_000;
  public static final int MAX_SEND_TIMEOUT_MS = 600_000;

  /**
   * The model's fields, by the environment variable that sets each (flags and plan keys map onto
   * these).
   */
  public enum Field {
    MACHINES,
    TICK_RATE,
    MIN_TICK_RATE,
    MAX_TICK_RATE,
    RATES,
    DIE_SIDES,
    SEED,
    QUEUE_CAPACITY,
    SEND_TIMEOUT_MS,
    VECTOR_CLOCKS,
    CLOCK_OFFSET_MS,
    CLOCK_DRIFT_PPM,
    CLOCK_SKEW_MS,
    CLOCK_STEPS
  }

  public ModelConfig {
    rates = List.copyOf(rates);
  }

  /** The defaults: 3 VMs (or one per fixed rate), rates 1..6 picked at random, a 10-sided die. */
  public static ModelConfig defaults() {
    return builder().build();
  }

  /** A builder with every field at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** VM {@code id}'s tick rate; a picked rate draws from {@code random} (the VM's own stream). */
  public int rateFor(int id, RandomGenerator random) {
    if (!rates.isEmpty()) {
      return rates.get(id);
    }
    if (tickRate != null) {
      return tickRate;
    }
    return random.nextInt(minTickRate, maxTickRate + 1);
  }

  /** "1..6", "5" or "3,5,2". */
  public String ratesLabel() {
    if (!rates.isEmpty()) {
      return rates.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return tickRate != null ? "" + tickRate : minTickRate + ".." + maxTickRate;
  }

  /** Probability that a roll is an internal event. */
  public double internalProbability() {
    return Math.max(0, dieSides - machines) / (double) dieSides;
  }

  public ModelConfig withVectorClocks(boolean on) {
    return new ModelConfig(
        machines,
        tickRate,
        minTickRate,
        maxTickRate,
        rates,
        dieSides,
        seed,
        queueCapacity,
        sendTimeout,
        on,
        clocks);
  }

  public ModelConfig withSeed(Long newSeed) {
    return new ModelConfig(
        machines,
        tickRate,
        minTickRate,
        maxTickRate,
        rates,
        dieSides,
        newSeed,
        queueCapacity,
        sendTimeout,
        vectorClocks,
        clocks);
  }

  /** The same model with these physical clocks. */
  public ModelConfig withClocks(ClockConfig newClocks) {
    return new ModelConfig(
        machines,
        tickRate,
        minTickRate,
        maxTickRate,
        rates,
        dieSides,
        seed,
        queueCapacity,
        sendTimeout,
        vectorClocks,
        newClocks);
  }

  /**
   * Collects raw values (as the user typed them, or typed by code) and checks them all in {@link
   * #build()}. A field left unset (null or blank) takes its default.
   */
  public static final class Builder {
    private final Map<Field, String> raw = new EnumMap<>(Field.class);
    private Function<Field, String> label = Field::name;
    private Integer singleVm;

    private Builder() {}

    /**
     * For one node: CLOCK_OFFSET_MS, CLOCK_DRIFT_PPM and CLOCK_STEPS then hold VM {@code id}'s own
     * values (one offset, one drift, steps without a VM id), not one per VM.
     */
    public Builder forVm(int id) {
      this.singleVm = id;
      return this;
    }

    /** How the user spells each field in error messages (default: its environment variable). */
    public Builder labels(Function<Field, String> labels) {
      this.label = labels;
      return this;
    }

    /** A raw value as typed (null or blank = default). */
    public Builder set(Field field, String value) {
      if (value == null || value.isBlank()) {
        raw.remove(field);
      } else {
        raw.put(field, value);
      }
      return this;
    }

    public Builder machines(int n) {
      return set(Field.MACHINES, "" + n);
    }

    public Builder tickRate(Integer rate) {
      return set(Field.TICK_RATE, rate == null ? null : "" + rate);
    }

    public Builder minTickRate(int rate) {
      return set(Field.MIN_TICK_RATE, "" + rate);
    }

    public Builder maxTickRate(int rate) {
      return set(Field.MAX_TICK_RATE, "" + rate);
    }

    public Builder rates(List<Integer> rates) {
      return set(Field.RATES, rates.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    public Builder dieSides(int sides) {
      return set(Field.DIE_SIDES, "" + sides);
    }

    public Builder seed(Long seed) {
      return set(Field.SEED, seed == null ? null : "" + seed);
    }

    public Builder queueCapacity(int capacity) {
      return set(Field.QUEUE_CAPACITY, "" + capacity);
    }

    public Builder sendTimeout(Duration timeout) {
      return set(Field.SEND_TIMEOUT_MS, "" + timeout.toMillis());
    }

    public Builder vectorClocks(boolean on) {
      return set(Field.VECTOR_CLOCKS, "" + on);
    }

    /**
     * The number of VMs these values give (checked), for callers that derive other fields from it.
     */
    public int machines() {
      // Fixed rates alone say how many VMs there are.
      int implied =
          raw.containsKey(Field.RATES)
              ? raw.get(Field.RATES).split(",", -1).length
              : DEFAULT_MACHINES;
      return integer(
          Field.MACHINES,
          Math.max(2, Math.min(implied, MAX_MACHINES)),
          2,
          MAX_MACHINES,
          "a number of machines from 2 to " + MAX_MACHINES);
    }

    /** A valid model, or a {@link ConfigException} for the first field that is wrong. */
    public ModelConfig build() {
      int machines = machines();
      String rateExpect = "ticks per second, a whole number from 1 to " + MAX_TICK_RATE;
      Integer tickRate =
          raw.containsKey(Field.TICK_RATE)
              ? integer(Field.TICK_RATE, 0, 1, MAX_TICK_RATE, rateExpect)
              : null;
      int min = integer(Field.MIN_TICK_RATE, DEFAULT_MIN_TICK_RATE, 1, MAX_TICK_RATE, rateExpect);
      int max =
          integer(
              Field.MAX_TICK_RATE,
              Math.max(min, DEFAULT_MAX_TICK_RATE),
              1,
              MAX_TICK_RATE,
              rateExpect);
      if (max < min) {
        throw invalid(
            Field.MAX_TICK_RATE,
            "a rate >= " + label.apply(Field.MIN_TICK_RATE) + " (" + min + ")");
      }
      List<Integer> rates = new ArrayList<>();
      if (raw.containsKey(Field.RATES)) {
        String expect =
            machines + " comma-separated tick rates (one per VM, 1 to " + MAX_TICK_RATE + ")";
        String[] parts = raw.get(Field.RATES).trim().split(",", -1);
        if (parts.length != machines) {
          throw invalid(Field.RATES, expect);
        }
        for (String p : parts) {
          rates.add((int) parse(Field.RATES, p, 1, MAX_TICK_RATE, expect));
        }
      }
      int sides =
          integer(
              Field.DIE_SIDES,
              DEFAULT_DIE_SIDES,
              machines,
              MAX_DIE_SIDES,
              "a number of die faces from N="
                  + machines
                  + " (the number of machines) to "
                  + MAX_DIE_SIDES);
      Long seed =
          raw.containsKey(Field.SEED)
              ? parse(
                  Field.SEED,
                  raw.get(Field.SEED).trim(),
                  Long.MIN_VALUE,
                  Long.MAX_VALUE,
                  "a 64-bit integer")
              : null;
      int capacity =
          integer(
              Field.QUEUE_CAPACITY,
              DEFAULT_QUEUE_CAPACITY,
              1,
              MAX_QUEUE_CAPACITY,
              "a number of messages from 1 to " + MAX_QUEUE_CAPACITY);
      int sendTimeout =
          integer(
              Field.SEND_TIMEOUT_MS,
              DEFAULT_SEND_TIMEOUT_MS,
              1,
              MAX_SEND_TIMEOUT_MS,
              "milliseconds from 1 to " + MAX_SEND_TIMEOUT_MS);
      return new ModelConfig(
          machines,
          tickRate,
          min,
          max,
          rates,
          sides,
          seed,
          capacity,
          Duration.ofMillis(sendTimeout),
          vectorClocks(),
          ClockConfig.parse(
              machines,
              singleVm,
              raw(Field.CLOCK_OFFSET_MS),
              raw(Field.CLOCK_DRIFT_PPM),
              raw(Field.CLOCK_SKEW_MS),
              raw(Field.CLOCK_STEPS)));
    }

    private ClockConfig.Raw raw(Field field) {
      return new ClockConfig.Raw(label.apply(field), raw.get(field));
    }

    private boolean vectorClocks() {
      String value = raw.get(Field.VECTOR_CLOCKS);
      if (value == null) {
        return true;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw invalid(Field.VECTOR_CLOCKS, "true or false");
      };
    }

    private int integer(Field field, int dflt, int min, int max, String expected) {
      String value = raw.get(field);
      return value == null ? dflt : (int) parse(field, value, min, max, expected);
    }

    private long parse(Field field, String value, long min, long max, String expected) {
      long v;
      try {
        v = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw invalid(field, expected);
      }
      if (v < min || v > max) {
        throw invalid(field, expected);
      }
      return v;
    }

    private ConfigException invalid(Field field, String expected) {
      return new ConfigException(label.apply(field), raw.get(field), expected);
    }
  }
}
