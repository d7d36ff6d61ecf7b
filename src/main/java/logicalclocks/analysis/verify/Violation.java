package logicalclocks.analysis.verify;

/** A broken rule, with the file:line where it shows. */
public record Violation(String where, String rule, String message) {
  @Override
  public String toString() {
    return where + ": [" + rule + "] " + message;
  }
}
