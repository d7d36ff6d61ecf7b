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
 * @param weather the network's weather ({@link WeatherConfig#NONE}: calm)
 * @param extraClocks the clock kinds the VMs keep besides the Lamport, vector and hybrid clocks, by
 *     name ({@code EXTRA_CLOCKS}; {@link logicalclocks.clock.ClockKinds})
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
    ClockConfig clocks,
    WeatherConfig weather,
    List<String> extraClocks) {

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

  /** Largest {@code @file} of partition specs read. */
  static final long MAX_PARTITION_FILE_BYTES = 1 << 20;

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
    CLOCK_STEPS,
    NET_DELAY_MS,
    NET_JITTER_MS,
    NET_LOSS,
    NET_DUPLICATE,
    NET_REORDER,
    NET_PARTITION,
    EXTRA_CLOCKS
  }

  /** The weather's fields. */
  public static final java.util.Set<Field> WEATHER_FIELDS =
      java.util.EnumSet.range(Field.NET_DELAY_MS, Field.NET_PARTITION);

  public ModelConfig {
    rates = List.copyOf(rates);
    extraClocks = List.copyOf(extraClocks);
  }

  /** The clock kinds each VM keeps besides its Lamport clock, in the order a line writes them. */
  public List<logicalclocks.clock.ClockKind<?>> clockKinds() {
    return logicalclocks.clock.ClockKinds.of(vectorClocks, extraClocks);
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

  /**
   * A builder holding this model's values, so a copy with one field changed is checked again as a
   * whole ({@link Builder#build}): weather or clocks naming a VM beyond another machine count fail
   * there, as typed.
   */
  public Builder toBuilder() {
    Builder b =
        builder()
            .machines(machines)
            .tickRate(tickRate)
            .minTickRate(minTickRate)
            .maxTickRate(maxTickRate)
            .dieSides(dieSides)
            .seed(seed)
            .queueCapacity(queueCapacity)
            .sendTimeout(sendTimeout)
            .vectorClocks(vectorClocks)
            .clocks(clocks)
            .weather(weather)
            .extraClocks(extraClocks);
    if (!rates.isEmpty()) {
      b.rates(rates);
    }
    return b;
  }

  public ModelConfig withVectorClocks(boolean on) {
    return toBuilder().vectorClocks(on).build();
  }

  public ModelConfig withSeed(Long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  public ModelConfig withClocks(ClockConfig newClocks) {
    return toBuilder().clocks(newClocks).build();
  }

  public ModelConfig withWeather(WeatherConfig newWeather) {
    return toBuilder().weather(newWeather).build();
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

    /** Clock kinds to keep besides the Lamport, vector and hybrid clocks, by name. */
    public Builder extraClocks(List<String> names) {
      return set(Field.EXTRA_CLOCKS, names.isEmpty() ? null : String.join(",", names));
    }

    public Builder vectorClocks(boolean on) {
      return set(Field.VECTOR_CLOCKS, "" + on);
    }

    /** Every clock field from {@code c} (checked again in {@link #build()}). */
    public Builder clocks(ClockConfig c) {
      set(
          Field.CLOCK_OFFSET_MS,
          c.offsetsMs().isEmpty()
              ? null
              : c.offsetsMs().stream().map(String::valueOf).collect(Collectors.joining(",")));
      set(
          Field.CLOCK_DRIFT_PPM,
          c.driftPpm().isEmpty()
              ? null
              : c.driftPpm().stream().map(String::valueOf).collect(Collectors.joining(",")));
      set(Field.CLOCK_SKEW_MS, c.skewMs() == 0 ? null : "" + c.skewMs());
      return set(
          Field.CLOCK_STEPS,
          c.steps().isEmpty()
              ? null
              : c.steps().stream()
                  .map(
                      st ->
                          (singleVm == null ? st.vm() + "@" : "")
                              + st.atMs()
                              + "ms:"
                              + (st.byMs() >= 0 ? "+" : "")
                              + st.byMs())
                  .collect(Collectors.joining(",")));
    }

    /** Every weather field from {@code w} (checked again in {@link #build()}). */
    public Builder weather(WeatherConfig w) {
      set(Field.NET_DELAY_MS, w.delayMs() == 0 ? null : "" + w.delayMs());
      set(Field.NET_JITTER_MS, w.jitterMs() == 0 ? null : "" + w.jitterMs());
      set(Field.NET_LOSS, w.loss() == 0 ? null : "" + w.loss());
      set(Field.NET_DUPLICATE, w.duplicate() == 0 ? null : "" + w.duplicate());
      set(Field.NET_REORDER, w.reorder() == 0 ? null : "" + w.reorder());
      return set(
          Field.NET_PARTITION,
          w.partitions().stream()
              .map(WeatherConfig.Partition::spec)
              .collect(Collectors.joining(";")));
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
      if (!raw.containsKey(Field.DIE_SIDES) && machines > DEFAULT_DIE_SIDES) {
        // the default die has fewer faces than there are machines: say so, naming the flag
        throw new ConfigException(
            label.apply(Field.DIE_SIDES),
            DEFAULT_DIE_SIDES + " (the default)",
            "a number of die faces from N="
                + machines
                + " (the number of machines) to "
                + MAX_DIE_SIDES
                + ": give it with "
                + machines
                + " machines");
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
              raw(Field.CLOCK_STEPS)),
          weather(machines),
          extraClocks());
    }

    /** The extra clock kinds named, each one the registry knows, each once. */
    private List<String> extraClocks() {
      String text = raw.get(Field.EXTRA_CLOCKS);
      if (text == null) {
        return List.of();
      }
      List<String> known =
          logicalclocks.clock.ClockKinds.extra().stream()
              .map(logicalclocks.clock.ClockKind::name)
              .toList();
      String expect =
          known.isEmpty()
              ? "nothing: no clock kind besides the Lamport, vector and hybrid clocks is on the class"
                  + " path"
              : "clock kinds separated by commas, each one of " + String.join(", ", known);
      List<String> out = new ArrayList<>();
      for (String n : text.trim().split(",", -1)) {
        String name = n.trim();
        if (!known.contains(name) || out.contains(name)) {
          throw invalid(Field.EXTRA_CLOCKS, expect);
        }
        out.add(name);
      }
      return out;
    }

    private ClockConfig.Raw raw(Field field) {
      return new ClockConfig.Raw(label.apply(field), raw.get(field));
    }

    /** The network's weather: every NET_* field, checked; calm when none is set. */
    private WeatherConfig weather(int machines) {
      if (WEATHER_FIELDS.stream().noneMatch(raw::containsKey)) {
        return WeatherConfig.NONE;
      }
      String ms = "milliseconds from 0 to " + WeatherConfig.MAX_DELAY_MS;
      int delay = integer(Field.NET_DELAY_MS, 0, 0, WeatherConfig.MAX_DELAY_MS, ms);
      int jitter = integer(Field.NET_JITTER_MS, 0, 0, WeatherConfig.MAX_DELAY_MS, ms);
      WeatherConfig w =
          new WeatherConfig(
              delay,
              jitter,
              probability(Field.NET_LOSS),
              probability(Field.NET_DUPLICATE),
              probability(Field.NET_REORDER),
              partitions(machines));
      return w.calm() ? WeatherConfig.NONE : w;
    }

    private double probability(Field field) {
      String value = raw.get(field);
      if (value == null) {
        return 0;
      }
      double p;
      try {
        p = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw invalid(field, "a probability from 0 to 1, e.g. 0.05");
      }
      if (!(p >= 0 && p <= 1)) {
        throw invalid(field, "a probability from 0 to 1, e.g. 0.05");
      }
      return p;
    }

    private List<WeatherConfig.Partition> partitions(int machines) {
      String value = raw.get(Field.NET_PARTITION);
      if (value == null) {
        return List.of();
      }
      String expect =
          "partitions 'at=<time>,for=<time>,vms=<id>[+<id>...]' separated by ';', or '@<file>' with"
              + " one per line (time: 500ms, 10s or 2m from the run's start; ids from 0 to "
              + (machines - 1)
              + ", not every VM)";
      List<String> specs = new ArrayList<>();
      for (String item : value.split(";")) {
        String t = item.trim();
        if (t.startsWith("@")) {
          List<String> lines;
          try {
            java.nio.file.Path file = java.nio.file.Path.of(t.substring(1));
            if (!java.nio.file.Files.isRegularFile(file)
                || java.nio.file.Files.size(file) > MAX_PARTITION_FILE_BYTES) {
              throw new java.io.IOException("not a regular file of at most 1 MiB");
            }
            lines = java.nio.file.Files.readAllLines(file);
          } catch (java.io.IOException
              | java.nio.file.InvalidPathException
              | java.io.UncheckedIOException e) {
            throw invalid(
                Field.NET_PARTITION,
                expect + "; cannot read '" + t.substring(1) + "' (a text file of at most 1 MiB)");
          }
          for (String line : lines) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
              specs.addAll(List.of(l.split(";")));
            }
          }
        } else if (!t.isEmpty()) {
          specs.add(t);
        }
      }
      specs.replaceAll(String::trim);
      specs.removeIf(String::isEmpty);
      if (specs.size() > WeatherConfig.MAX_PARTITIONS) {
        throw invalid(
            Field.NET_PARTITION, expect + "; at most " + WeatherConfig.MAX_PARTITIONS + " of them");
      }
      List<WeatherConfig.Partition> out = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        String spec = specs.get(i);
        String why = null;
        Long at = null;
        Long length = null;
        java.util.SortedSet<Integer> vms = null;
        for (String part : spec.split(",", -1)) {
          int eq = part.indexOf('=');
          String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
          String v = eq < 0 ? "" : part.substring(eq + 1).trim();
          switch (key) {
            case "at" -> at = millis(v);
            case "for" -> length = millis(v);
            case "vms" -> vms = ids(v, machines);
            default -> why = "unknown key '" + key + "'";
          }
          if (why != null) {
            break;
          }
        }
        if (why == null) {
          if (at == null || at > WeatherConfig.MAX_PARTITION_MS) {
            why = "at= is missing or not a time up to 7 days";
          } else if (length == null || length < 1 || length > WeatherConfig.MAX_PARTITION_MS) {
            why = "for= is missing or not a time from 1ms up to 7 days";
          } else if (vms == null) {
            why = "vms= is missing or not ids from 0 to " + (machines - 1) + ", not every VM";
          }
        }
        if (why != null) {
          throw invalid(
              Field.NET_PARTITION, expect + "; entry " + (i + 1) + " '" + spec + "': " + why);
        }
        out.add(new WeatherConfig.Partition(at, length, vms));
      }
      return out;
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m} (or a bare number of seconds) in ms; null if bad. */
    private static Long millis(String v) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m)?").matcher(v);
      if (!m.matches()) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      long scale = unit.equals("ms") ? 1 : unit.equals("s") ? 1000 : 60_000;
      return n > WeatherConfig.MAX_PARTITION_MS ? WeatherConfig.MAX_PARTITION_MS + 1 : n * scale;
    }

    /** {@code 0+2} as ids, or null when not ids of this run (or every VM). */
    private static java.util.SortedSet<Integer> ids(String v, int machines) {
      java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
      for (String id : v.split("\\+", -1)) {
        if (!id.trim().matches("\\d{1,9}")) {
          return null;
        }
        out.add(Integer.parseInt(id.trim()));
      }
      return WeatherConfig.validIds(out, machines) ? out : null;
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
