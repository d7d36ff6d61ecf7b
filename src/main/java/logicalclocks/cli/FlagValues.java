package logicalclocks.cli;

import java.util.HashMap;
import java.util.Map;
import logicalclocks.config.Source;

/**
 * Flag values gathered for the one settings parser, each under its setting's name (as a node's or
 * container's environment names it), with the flag that spells it on this command for error lines.
 */
final class FlagValues {
  private final Map<String, String> values;
  private final Map<String, String> labels = new HashMap<>();

  /** Starts from {@code base} (e.g. the environment, or the model's flags already gathered). */
  FlagValues(Map<String, String> base) {
    this.values = new HashMap<>(base);
  }

  FlagValues() {
    this(Map.of());
  }

  /**
   * Records that setting {@code var} is spelled {@code flag} on this command, and its value when
   * the user gave one (a flag given wins over the base).
   */
  FlagValues put(String var, String value, String flag) {
    label(var, flag);
    if (value != null) {
      values.put(var, value);
    }
    return this;
  }

  /** Records only how setting {@code var} is spelled on this command. */
  FlagValues label(String var, String flag) {
    labels.put(var, flag);
    return this;
  }

  /** The settings, a setting with no flag here named by its own name. */
  Source source() {
    return Source.of(values, v -> labels.getOrDefault(v, v));
  }
}
