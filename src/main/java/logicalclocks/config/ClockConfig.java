package logicalclocks.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The VMs' physical clocks: how far each is off and how fast it drifts, and steps at given times.
 * Checked by {@link ModelConfig.Builder} (flags {@code --clock-offsets}, {@code --clock-drift-ppm},
 * {@code --clock-skew-ms}, {@code --clock-steps}; a node's {@code CLOCK_OFFSET_MS}, {@code
 * CLOCK_DRIFT_PPM}, {@code CLOCK_STEPS}).
 *
 * @param offsetsMs each VM's offset in ms, by id (empty: drawn from {@code skewMs}, or none)
 * @param driftPpm each VM's drift in parts per million, by id (empty: none)
 * @param skewMs when no offsets are given, each VM's offset is drawn (seeded) uniformly from
 *     [-skewMs, skewMs]; 0 for none
 * @param steps steps of given VMs' clocks
 */
public record ClockConfig(
    List<Long> offsetsMs, List<Long> driftPpm, long skewMs, List<Step> steps) {
  /** Every VM reads the host's clock as it is. */
  public static final ClockConfig NONE = new ClockConfig(List.of(), List.of(), 0, List.of());

  /** Largest offset, skew or step, in ms: a week. */
  public static final long MAX_OFFSET_MS = 7L * 24 * 3600 * 1000;

  /** Largest drift: 100,000 ppm (10 %; a quartz clock is within about 100). */
  public static final long MAX_DRIFT_PPM = 100_000;

  /** Most steps in one run. */
  public static final int MAX_STEPS = 1_000;

  /**
   * VM {@code vm}'s clock is stepped by {@code byMs} once {@code atMs} have passed since it
   * started.
   */
  public record Step(int vm, long atMs, long byMs) {}

  public ClockConfig {
    offsetsMs = List.copyOf(offsetsMs);
    driftPpm = List.copyOf(driftPpm);
    steps = List.copyOf(steps);
  }

  /** Whether every clock is exact (nothing configured). */
  public boolean calm() {
    return offsetsMs.stream().allMatch(o -> o == 0)
        && driftPpm.stream().allMatch(d -> d == 0)
        && skewMs == 0
        && steps.isEmpty();
  }

  /** VM {@code vm}'s configured offset, or null when it is drawn from the skew (or none). */
  public Long offsetOf(int vm) {
    return offsetsMs.isEmpty() ? null : offsetsMs.get(vm);
  }

  public long driftOf(int vm) {
    return driftPpm.isEmpty() ? 0 : driftPpm.get(vm);
  }

  public List<Step> stepsOf(int vm) {
    return steps.stream().filter(s -> s.vm() == vm).toList();
  }

  /** Raw values as typed, checked against a run of {@code machines} VMs. */
  static ClockConfig parse(
      int machines, Integer singleVm, Raw offsets, Raw drift, Raw skew, Raw stepSpec) {
    List<Long> off = perVm(machines, singleVm, offsets, MAX_OFFSET_MS, "ms");
    List<Long> dr = perVm(machines, singleVm, drift, MAX_DRIFT_PPM, "ppm");
    long sk = 0;
    if (skew.value() != null) {
      sk = number(skew, skew.value().trim(), 0, MAX_OFFSET_MS, skewExpect());
      if (!off.isEmpty() && sk > 0) {
        throw skew.invalid(
            "0 when offsets are given (" + offsets.label() + "): give one or the other");
      }
    }
    List<Step> steps = steps(machines, singleVm, stepSpec);
    return new ClockConfig(off, dr, sk, steps);
  }

  /** A value as typed and how the user spelled its name. */
  record Raw(String label, String value) {
    ConfigException invalid(String expected) {
      return new ConfigException(label, value, expected);
    }
  }

  private static String skewExpect() {
    return "a spread in ms from 0 to " + MAX_OFFSET_MS + " (offsets drawn from [-S, S])";
  }

  private static List<Long> perVm(int machines, Integer singleVm, Raw raw, long max, String unit) {
    if (raw.value() == null) {
      return List.of();
    }
    String one = "a whole number of " + unit + " from -" + max + " to " + max;
    if (singleVm != null) {
      long v = number(raw, raw.value().trim(), -max, max, one + " (this VM's)");
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < machines; i++) {
        out.add(i == singleVm ? v : 0L);
      }
      return out;
    }
    String expect = machines + " comma-separated values (one per VM), each " + one;
    String[] parts = raw.value().trim().split(",", -1);
    if (parts.length != machines) {
      throw raw.invalid(expect);
    }
    List<Long> out = new ArrayList<>();
    for (String p : parts) {
      out.add(number(raw, p.trim(), -max, max, expect));
    }
    return out;
  }

  private static List<Step> steps(int machines, Integer singleVm, Raw raw) {
    if (raw.value() == null) {
      return List.of();
    }
    String form =
        singleVm != null
            ? "steps AT:BY separated by commas, AT a time since the VM's start (20s or 20000ms), BY"
                + " ms to add (e.g. 20s:-500,40s:+200)"
            : "steps VM@AT:BY separated by commas, VM an id from 0 to "
                + (machines - 1)
                + ", AT a time since the VM's start (20s or 20000ms), BY ms to add (e.g."
                + " 1@20s:-500,2@40s:+200)";
    String[] parts = raw.value().trim().split(",", -1);
    if (parts.length > MAX_STEPS) {
      throw raw.invalid("at most " + MAX_STEPS + " " + form);
    }
    List<Step> out = new ArrayList<>();
    for (String part : parts) {
      String p = part.trim();
      int vm;
      if (singleVm != null) {
        vm = singleVm;
      } else {
        int atSign = p.indexOf('@');
        if (atSign <= 0) {
          throw raw.invalid(form);
        }
        vm = (int) number(raw, p.substring(0, atSign), 0, machines - 1, form);
        p = p.substring(atSign + 1);
      }
      int colon = p.indexOf(':');
      if (colon <= 0) {
        throw raw.invalid(form);
      }
      String at = p.substring(0, colon).trim();
      long atMs;
      if (at.endsWith("ms")) {
        atMs = number(raw, at.substring(0, at.length() - 2), 0, MAX_OFFSET_MS, form);
      } else if (at.endsWith("s")) {
        atMs = 1000 * number(raw, at.substring(0, at.length() - 1), 0, MAX_OFFSET_MS / 1000, form);
      } else {
        throw raw.invalid(form);
      }
      String by = p.substring(colon + 1).trim();
      if (by.startsWith("+")) {
        by = by.substring(1);
        if (by.startsWith("-") || by.startsWith("+")) {
          throw raw.invalid(form);
        }
      }
      if (by.endsWith("ms")) {
        by = by.substring(0, by.length() - 2);
      }
      out.add(new Step(vm, atMs, number(raw, by, -MAX_OFFSET_MS, MAX_OFFSET_MS, form)));
    }
    return out;
  }

  private static long number(Raw raw, String text, long min, long max, String expected) {
    if (!text.matches("-?[0-9]{1,18}")) {
      throw raw.invalid(expected);
    }
    long v = Long.parseLong(text);
    if (v < min || v > max) {
      throw raw.invalid(expected);
    }
    return v;
  }
}
