package logicalclocks.cli;

import java.util.Map;

/** Flag values gathered for the one settings parser, each under its setting's name. */
final class FlagValues {
  private FlagValues() {}

  /**
   * Records that setting {@code var} is spelled {@code flag} on this command (for error lines), and
   * its value when the user gave one.
   */
  static void put(
      Map<String, String> values,
      Map<String, String> labels,
      String var,
      String value,
      String flag) {
    labels.put(var, flag);
    if (value != null) {
      values.put(var, value);
    }
  }
}
