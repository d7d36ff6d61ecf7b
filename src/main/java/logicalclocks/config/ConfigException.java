package logicalclocks.config;

/**
 * A configuration value that cannot be used: names the variable (or flag), the value and what is
 * expected.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String name, String value, String expected) {
    super(
        name
            + "="
            + (value == null ? "(unset)" : "'" + value + "'")
            + " is invalid: expected "
            + expected);
  }
}
