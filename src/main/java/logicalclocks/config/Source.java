package logicalclocks.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Where settings come from: environment variables, or command-line flags mapped onto the same
 * names. Every setting is known by its environment variable name; {@link #label} is what an error
 * message calls it.
 */
public interface Source {
  /** The raw value, or null when unset. */
  String get(String variable);

  /** How the user spells this setting (the variable itself, or its flag). */
  String label(String variable);

  static Source env(Map<String, String> env) {
    return of(env, Function.identity());
  }

  static Source of(Map<String, String> values, Function<String, String> label) {
    return new Source() {
      @Override
      public String get(String variable) {
        return values.get(variable);
      }

      @Override
      public String label(String variable) {
        return label.apply(variable);
      }
    };
  }
}
