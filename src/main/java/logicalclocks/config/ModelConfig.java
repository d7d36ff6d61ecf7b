package logicalclocks.config;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The model's knobs, shared by every way of running.
 *
 * @param tickRate fixed ticks/s for every VM, or null to pick one per VM
 * @param minTickRate lowest rate picked (inclusive)
 * @param maxTickRate highest rate picked (inclusive)
 * @param rates fixed rate per VM id (local mode and experiments), or empty
 * @param dieSides faces of the die
 * @param seed run seed, or null for a fresh random one
 * @param queueCapacity most messages a VM's queue holds
 * @param sendTimeout deadline for delivering one message
 */
public record ModelConfig(
    Integer tickRate,
    int minTickRate,
    int maxTickRate,
    List<Integer> rates,
    int dieSides,
    Long seed,
    int queueCapacity,
    Duration sendTimeout) {

  public static final int DEFAULT_MIN_TICK_RATE = 1;
  public static final int DEFAULT_MAX_TICK_RATE = 6;
  public static final int DEFAULT_DIE_SIDES = 10;
  public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(2);

  public ModelConfig {
    rates = List.copyOf(rates);
  }

  /** The defaults: rates 1..6 picked at random, a 10-sided die. */
  public static ModelConfig defaults() {
    return new ModelConfig(null, DEFAULT_MIN_TICK_RATE, DEFAULT_MAX_TICK_RATE, List.of(), DEFAULT_DIE_SIDES, null,
        DEFAULT_QUEUE_CAPACITY, DEFAULT_SEND_TIMEOUT);
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

  public ModelConfig withSeed(Long newSeed) {
    return new ModelConfig(tickRate, minTickRate, maxTickRate, rates, dieSides, newSeed, queueCapacity,
        sendTimeout);
  }
}
