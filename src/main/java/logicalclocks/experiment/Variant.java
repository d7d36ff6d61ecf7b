package logicalclocks.experiment;

import java.util.List;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ModelConfig;

/**
 * One configuration of an experiment, run {@code runs} times with seeds {@code seed, seed+1, ...}.
 *
 * @param name short name (a folder name)
 * @param description what it varies, for the tables
 * @param model the model (already checked by {@link ModelConfig.Builder}); its seed is set per run
 * @param runs how many runs
 * @param durationSeconds length of each run
 * @param seed seed of the first run
 */
public record Variant(
    String name, String description, ModelConfig model, int runs, int durationSeconds, long seed) {
  public static final int MAX_RUNS = 1000;
  public static final int MAX_DURATION_S = 24 * 3600;

  public Variant {
    if (!name.matches("[A-Za-z0-9._-]+") || name.equals(".") || name.equals("..")) {
      throw new ConfigException(
          "variant name", name, "letters, digits, . _ - but not . or .. (it names a folder)");
    }
    if (runs < 1 || runs > MAX_RUNS) {
      throw new ConfigException(
          "variant " + name + ": runs", "" + runs, "a number of runs from 1 to " + MAX_RUNS);
    }
    if (durationSeconds < 1 || durationSeconds > MAX_DURATION_S) {
      throw new ConfigException(
          "variant " + name + ": duration",
          "" + durationSeconds,
          "whole seconds from 1 to " + MAX_DURATION_S);
    }
  }

  /** The model of the run with seed {@code runSeed}. */
  public ModelConfig model(long runSeed) {
    return model.withSeed(runSeed);
  }

  /** The same variant with vector clocks on or off. */
  public Variant withVectorClocks(boolean on) {
    return new Variant(name, description, model.withVectorClocks(on), runs, durationSeconds, seed);
  }

  /** The same variant under network weather {@code w} (named in its description). */
  public Variant withWeather(logicalclocks.config.WeatherConfig w) {
    return new Variant(
        name,
        w.calm() ? description : description + ", " + w.label(),
        model.withWeather(w),
        runs,
        durationSeconds,
        seed);
  }

  public int machines() {
    return model.machines();
  }

  public int dieSides() {
    return model.dieSides();
  }

  /** "1..6" or "3,5,2". */
  public String ratesLabel() {
    return model.ratesLabel();
  }

  /** Probability that a roll is an internal event. */
  public double internalProbability() {
    return model.internalProbability();
  }

  private static Variant picked(
      String name,
      String description,
      int min,
      int max,
      int sides,
      int runs,
      int duration,
      long seed) {
    return new Variant(
        name,
        description,
        ModelConfig.builder().minTickRate(min).maxTickRate(max).dieSides(sides).build(),
        runs,
        duration,
        seed);
  }

  private static Variant fixed(
      String name, String description, List<Integer> rates, int runs, int duration, long seed) {
    return new Variant(
        name, description, ModelConfig.builder().rates(rates).build(), runs, duration, seed);
  }

  /**
   * The assignment's study: baseline, smaller rate variation, fewer internal events, and both; and
   * equal rates, where only the machines' phases and the network set them apart.
   */
  public static List<Variant> assignment(int runs, int duration, long seed) {
    int min = ModelConfig.DEFAULT_MIN_TICK_RATE;
    int max = ModelConfig.DEFAULT_MAX_TICK_RATE;
    int sides = ModelConfig.DEFAULT_DIE_SIDES;
    return List.of(
        picked(
            "baseline",
            "rates 1..6, 10-sided die (P internal 0.7)",
            min,
            max,
            sides,
            runs,
            duration,
            seed),
        fixed(
            "equal-rates",
            "fixed rates 3,3,3, 10-sided die",
            List.of(3, 3, 3),
            runs,
            duration,
            seed),
        picked(
            "small-rate-variation", "rates 3..4, 10-sided die", 3, 4, sides, runs, duration, seed),
        picked(
            "fewer-internal",
            "rates 1..6, 4-sided die (P internal 0.25)",
            min,
            max,
            4,
            runs,
            duration,
            seed),
        picked("both", "rates 3..4, 4-sided die", 3, 4, 4, runs, duration, seed));
  }

  /**
   * The claims plan's long run: does the slow machine's queue keep growing over ten times the
   * duration?
   */
  public static final String SLOW_LONG = "slow-1-among-4-long";

  /**
   * Configurations behind claims other implementations make; the slow machine's once more, run once
   * for ten times the duration.
   */
  public static List<Variant> claims(int runs, int duration, long seed) {
    return List.of(
        fixed(
            "fixed-3-5-2",
            "fixed rates 3,5,2, 10-sided die",
            List.of(3, 5, 2),
            runs,
            duration,
            seed),
        fixed(
            "slow-1-among-4",
            "fixed rates 1,4,4, 10-sided die",
            List.of(1, 4, 4),
            runs,
            duration,
            seed),
        fixed(
            SLOW_LONG,
            "fixed rates 1,4,4, 10-sided die, one run of 10 x the duration",
            List.of(1, 4, 4),
            1,
            10 * duration,
            seed));
  }
}
