package logicalclocks.experiment;

import java.util.List;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.ModelConfig;

/**
 * One configuration of an experiment, run {@code runs} times with seeds {@code seed, seed+1, ...}.
 *
 * @param name short name (a folder name)
 * @param description what it varies, for the tables
 * @param machines number of VMs
 * @param rates fixed rate per VM, or empty to pick from minRate..maxRate
 * @param minRate lowest picked rate
 * @param maxRate highest picked rate
 * @param dieSides faces of the die
 * @param runs how many runs
 * @param durationSeconds length of each run
 * @param seed seed of the first run
 */
public record Variant(String name, String description, int machines, List<Integer> rates, int minRate, int maxRate,
    int dieSides, int runs, int durationSeconds, long seed) {

  public Variant {
    rates = List.copyOf(rates);
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("variant name '" + name + "' must be letters, digits, . _ -");
    }
    if (machines < 2 || machines > ConfigParser.MAX_MACHINES) {
      throw new IllegalArgumentException("variant " + name + ": machines must be 2.." + ConfigParser.MAX_MACHINES);
    }
    if (!rates.isEmpty() && rates.size() != machines) {
      throw new IllegalArgumentException("variant " + name + ": rates needs one rate per machine (" + machines + ")");
    }
    if (minRate < 1 || maxRate < minRate || maxRate > ConfigParser.MAX_TICK_RATE
        || rates.stream().anyMatch(r -> r < 1 || r > ConfigParser.MAX_TICK_RATE)) {
      throw new IllegalArgumentException("variant " + name + ": rates must be 1.." + ConfigParser.MAX_TICK_RATE
          + " with min <= max");
    }
    if (dieSides < machines) {
      throw new IllegalArgumentException("variant " + name + ": die sides must be >= machines (" + machines + ")");
    }
    if (runs < 1 || durationSeconds < 1) {
      throw new IllegalArgumentException("variant " + name + ": runs and duration must be >= 1");
    }
  }

  public ModelConfig model(long runSeed) {
    return new ModelConfig(null, minRate, maxRate, rates, dieSides, runSeed, ModelConfig.DEFAULT_QUEUE_CAPACITY,
        ModelConfig.DEFAULT_SEND_TIMEOUT);
  }

  /** "1..6" or "3,5,2". */
  public String ratesLabel() {
    return rates.isEmpty() ? minRate + ".." + maxRate : String.join(",", rates.stream().map(String::valueOf).toList());
  }

  /** Probability that a roll is an internal event. */
  public double internalProbability() {
    return Math.max(0, dieSides - machines) / (double) dieSides;
  }

  /**
   * The assignment's study: baseline, smaller rate variation, fewer internal events, and both; and equal rates,
   * where only the machines' phases and the network set them apart.
   */
  public static List<Variant> assignment(int runs, int duration, long seed) {
    return List.of(
        new Variant("baseline", "rates 1..6, 10-sided die (P internal 0.7)", 3, List.of(), 1, 6, 10, runs, duration, seed),
        new Variant("equal-rates", "fixed rates 3,3,3, 10-sided die", 3, List.of(3, 3, 3), 1, 6, 10, runs, duration,
            seed),
        new Variant("small-rate-variation", "rates 3..4, 10-sided die", 3, List.of(), 3, 4, 10, runs, duration, seed),
        new Variant("fewer-internal", "rates 1..6, 4-sided die (P internal 0.25)", 3, List.of(), 1, 6, 4, runs, duration,
            seed),
        new Variant("both", "rates 3..4, 4-sided die", 3, List.of(), 3, 4, 4, runs, duration, seed));
  }

  /** The claims plan's long run: does the slow machine's queue keep growing over ten times the duration? */
  public static final String SLOW_LONG = "slow-1-among-4-long";

  /**
   * Configurations behind claims other implementations make; the slow machine's once more, run once for ten
   * times the duration.
   */
  public static List<Variant> claims(int runs, int duration, long seed) {
    return List.of(
        new Variant("fixed-3-5-2", "fixed rates 3,5,2, 10-sided die", 3, List.of(3, 5, 2), 1, 6, 10, runs, duration,
            seed),
        new Variant("slow-1-among-4", "fixed rates 1,4,4, 10-sided die", 3, List.of(1, 4, 4), 1, 6, 10, runs, duration,
            seed),
        new Variant(SLOW_LONG, "fixed rates 1,4,4, 10-sided die, one run of 10 x the duration", 3, List.of(1, 4, 4),
            1, 6, 10, 1, 10 * duration, seed));
  }
}
