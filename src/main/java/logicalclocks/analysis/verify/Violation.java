package logicalclocks.analysis.verify;

/**
 * A broken rule, with where it shows: the file and line ({@code where}, as people read it) and the
 * same as data, its VM and line number, for whoever marks it (the live page, the fault campaign's
 * attribution), so nobody parses {@code where} back.
 *
 * @param vm the VM whose log holds the line, or -1 when it names no VM's log
 * @param line the line's number in that log (from 1), or 0 when it names no line
 */
public record Violation(String where, String rule, String message, int vm, long line) {
  @Override
  public String toString() {
    return where + ": [" + rule + "] " + message;
  }
}
