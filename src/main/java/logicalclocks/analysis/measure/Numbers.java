package logicalclocks.analysis.measure;

import java.util.Locale;

/** How every report, table and notebook writes a number: one place, always Locale.ROOT. */
public final class Numbers {
  private Numbers() {}

  /** Two decimals: 1.40. */
  public static String two(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** One decimal: 1.4. */
  public static String one(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Rounded to a whole number: 1. */
  public static String whole(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /** A whole number as such, anything else with two decimals: 18, 1.40. */
  public static String compact(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? whole(v) : two(v);
  }

  /** A fraction as a percentage: 0.25 is "25 %". */
  public static String percent(double fraction) {
    return whole(fraction * 100) + " %";
  }

  /** A fraction as a percentage with one decimal: 0.2534 is "25.3 %". */
  public static String percentOneDecimal(double fraction) {
    return one(fraction * 100) + " %";
  }
}
