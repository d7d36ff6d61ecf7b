package logicalclocks.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on stderr, one home for every command that has one (experiment, sweep,
 * analyze): a bar, done of total, the time so far and the time left at the pace so far. On a
 * terminal it is redrawn in place; otherwise (a pipe, CI, a file) it is plain lines: one per step,
 * or for continuous work (bytes read) at most one every {@link #PLAIN_EVERY_NANOS}.
 */
final class Progress {
  /** Fewest nanoseconds between two plain lines of continuous work. */
  static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

  private final PrintWriter err;
  private final String label;
  private final double total;
  private final boolean interactive;
  private final DoubleFunction<String> units;
  private final LongSupplier nanos;
  private final long started;
  private long lastPlain = Long.MIN_VALUE;

  /**
   * @param units how an amount is written ("3/12" for runs, "312/1,204 MB" for bytes)
   * @param nanos the clock (tests pass their own)
   */
  Progress(
      PrintWriter err,
      String label,
      double total,
      boolean interactive,
      DoubleFunction<String> units,
      LongSupplier nanos) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.interactive = interactive;
    this.units = units;
    this.nanos = nanos;
    this.started = nanos.getAsLong();
  }

  /** Whether stderr is a terminal (redraw in place) as far as the JVM can tell. */
  static boolean terminal() {
    return System.console() != null;
  }

  /** Runs: "3/12". */
  static DoubleFunction<String> count(double total) {
    return d -> String.format(Locale.ROOT, "%d/%d", (long) d, (long) total);
  }

  /** Bytes: "312/1,204 MB". */
  static DoubleFunction<String> megabytes(double total) {
    return d -> String.format(Locale.ROOT, "%,.0f/%,.0f MB", d / 1e6, total / 1e6);
  }

  /** The line for {@code done} of the total at {@code now}. */
  String line(double done, String what, long now) {
    double seconds = (now - started) / 1e9;
    double fraction = total <= 0 ? 1 : Math.min(1, done / total);
    int width = 30;
    int filled = (int) Math.round(fraction * width);
    String left =
        done <= 0 || fraction >= 1
            ? ""
            : String.format(Locale.ROOT, ", about %s left", time(seconds * (total - done) / done));
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %s (%.0f %%), %s%s%s",
        label,
        "#".repeat(filled),
        "-".repeat(width - filled),
        units.apply(done),
        fraction * 100,
        time(seconds),
        left,
        what == null ? "" : "  " + what);
  }

  static String time(double seconds) {
    long s = Math.round(seconds);
    return s < 60
        ? s + " s"
        : s < 3600
            ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
            : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** A step of counted work (a run begins, or ends): a line each time. */
  synchronized void step(double done, String what) {
    String l = line(done, what, nanos.getAsLong());
    err.print(interactive ? "\r" + l + "\033[K" : l + "\n");
    err.flush();
  }

  /** Continuous work (bytes read): redrawn on a terminal, a plain line at most every 5 s. */
  synchronized void tick(double done) {
    long now = nanos.getAsLong();
    if (interactive) {
      err.print("\r" + line(done, null, now) + "\033[K");
      err.flush();
    } else if (now - lastPlain >= PLAIN_EVERY_NANOS || lastPlain == Long.MIN_VALUE) {
      lastPlain = now;
      err.println(line(done, null, now));
      err.flush();
    }
  }

  /** The work is over: the bar's line ends (a terminal) and nothing more is drawn. */
  synchronized void end(double done) {
    String l = line(done, "done", nanos.getAsLong());
    err.print(interactive ? "\r" + l + "\033[K\n" : l + "\n");
    err.flush();
  }
}
