package logicalclocks.cli;

import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.experiment.Variant;
import picocli.CommandLine.Option;

/**
 * How long each run of a study lasts and its first seed: declared once for {@code experiment} and
 * {@code sweep}.
 */
final class StudyOptions {
  static final long DEFAULT_SEED = 2026;

  @Option(
      names = "--duration",
      defaultValue = "" + ConfigParser.DEFAULT_DURATION_S,
      description = "seconds per run (default ${DEFAULT-VALUE})")
  int duration;

  @Option(
      names = "--seed",
      defaultValue = "" + DEFAULT_SEED,
      description = "seed of run 1; run i uses seed + i - 1 (default ${DEFAULT-VALUE})")
  long seed;

  /** The duration, checked. */
  int duration() {
    if (duration < 1 || duration > Variant.MAX_DURATION_S) {
      throw new ConfigException(
          "--duration", "" + duration, "whole seconds from 1 to " + Variant.MAX_DURATION_S);
    }
    return duration;
  }
}
