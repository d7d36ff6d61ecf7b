package logicalclocks.analysis.stream;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.vm.VirtualMachine;

/**
 * Each VM's log timestamps taken back to the host's time: a VM whose START declares its physical
 * clock's offset, drift and steps ({@code offset_ms}, {@code drift_ppm}, {@code steps}) wrote its
 * {@code ts} on that clock; the measures that compare times across VMs (rates, delays, the charts'
 * axis, drift) read them through this inverse, so a VM three minutes ahead does not stretch the run
 * by three minutes. The clock rules and the physical-time measures read the raw {@code ts}, as the
 * VMs wrote them. A log that declares nothing (an exact clock, or a clock skewed from outside, as
 * by {@code faketime}) is read as it is.
 */
public final class HostTime {
  /** One START's declared clock: its origin (the START's raw ts) and what it adds. */
  private record Declared(long originRaw, long offset, long ppm, long[] stepAt, long[] stepBy) {
    long host(long raw) {
      long elapsedRaw = raw - originRaw;
      long e = elapsedRaw;
      for (int i = 0; i < 2; i++) { // the steps due depend on the host elapsed: settle it
        e = Math.round((elapsedRaw - stepsDue(e)) / (1 + ppm / 1e6));
      }
      return originRaw - offset + e;
    }

    long stepsDue(long elapsed) {
      long sum = 0;
      for (int i = 0; i < stepAt.length && stepAt[i] <= elapsed; i++) {
        sum += stepBy[i];
      }
      return sum;
    }
  }

  private final Map<Integer, Declared> declared = new HashMap<>();

  /** Takes VM {@code vm}'s line; a START's declared clock applies from it on. */
  public void line(int vm, LogEvent e) {
    if (e.event() == EventType.START) {
      Declared d = declaredBy(e);
      if (d == null) {
        declared.remove(vm);
      } else {
        declared.put(vm, d);
      }
    }
  }

  /** VM {@code vm}'s raw Unix ms {@code rawMs} in host time. */
  public long ms(int vm, long rawMs) {
    Declared d = declared.get(vm);
    return d == null ? rawMs : d.host(rawMs);
  }

  /** {@code raw}, written by a VM whose (first) START was {@code start}, in host time. */
  public static Instant of(LogEvent start, Instant raw) {
    Declared d = start == null ? null : declaredBy(start);
    return d == null || raw == null ? raw : Instant.ofEpochMilli(d.host(raw.toEpochMilli()));
  }

  /**
   * What a START declares, or null for an exact clock, a line that declares nothing, or one whose
   * declaration is wrong (the verifier's fields rule names it; like it, this reads it as absent).
   */
  private static Declared declaredBy(LogEvent start) {
    if (start.event() != EventType.START) {
      return null;
    }
    logicalclocks.clock.PhysicalClock.Spec spec = VirtualMachine.declaredClockOf(start).spec();
    if (spec == null || spec.exact()) {
      return null;
    }
    long[] at =
        spec.steps().stream().mapToLong(logicalclocks.clock.PhysicalClock.Step::atMs).toArray();
    long[] by =
        spec.steps().stream().mapToLong(logicalclocks.clock.PhysicalClock.Step::byMs).toArray();
    return new Declared(start.ts().toEpochMilli(), spec.offsetMs(), spec.driftPpm(), at, by);
  }
}
