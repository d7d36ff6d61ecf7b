package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.stream.Fates;
import logicalclocks.analysis.stream.RunInfo;
import logicalclocks.clock.HybridTime;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.vm.VirtualMachine;

/**
 * What the VMs' physical clocks did, read from the raw timestamps as each VM wrote them: each VM's
 * declared offset and drift, how far its hybrid clock ran ahead of its own physical time ({@code l
 * - pt}, the paper bounds it by the clocks' offset) and its largest counter {@code c}, how often
 * its wall clock went backwards between lines (a clock stepped back), and the messages RECEIVEd
 * before their SEND by the wall clocks ("time travel"). Its series (each VM's {@code l - pt} and
 * Lamport clock minus its own events, over host time) are thinned to at most {@link #CAP} points a
 * VM.
 */
public final class PhysicalTime implements EventConsumer, Fates.Listener {
  /** Points kept per VM for the chart: every one up to this many, then every 2nd, 4th, ... */
  static final int CAP = 2_000;

  private static final class Vm {
    long offsetMs;
    long driftPpm;
    List<logicalclocks.clock.PhysicalClock.Step> steps = List.of();
    long hybridLines;
    long maxAhead = Long.MIN_VALUE;
    long maxCounter;
    long maxLamportAhead;
    long ticks;
    long lastTs = Long.MIN_VALUE;
    long stepsBack;
    long largestBack;
    long firstT = Long.MIN_VALUE;
    long lastT;
    int stride = 1;
    long seen;
    final List<long[]> points = new ArrayList<>();
  }

  private final Map<Integer, Vm> vms = new TreeMap<>();
  private RunInfo run;
  private long received;
  private long timeTravel;
  private long largestTravel;

  @Override
  public void begin(RunInfo info) {
    run = info;
    info.logs().forEach(id -> vms.put(id, new Vm()));
  }

  @Override
  public void accept(int vm, Line line) {
    LogEvent e = line.event();
    Vm v = vms.get(vm);
    long ts = e.ts().toEpochMilli();
    if (v.lastTs != Long.MIN_VALUE && ts < v.lastTs) {
      v.stepsBack++;
      v.largestBack = Math.max(v.largestBack, v.lastTs - ts);
    }
    v.lastTs = ts;
    long t = run.tMs(vm, e);
    if (v.firstT == Long.MIN_VALUE) {
      v.firstT = t;
    }
    v.lastT = t;
    if (e.event() == EventType.START) {
      // as every reader of it: a wrong declaration is read as none (the verifier names it)
      logicalclocks.clock.PhysicalClock.Spec spec = VirtualMachine.declaredClockOf(e).specOrExact();
      v.offsetMs = spec.offsetMs();
      v.driftPpm = spec.driftPpm();
      v.steps = spec.steps();
      return;
    }
    if (!e.event().isTick()) {
      return;
    }
    v.ticks++;
    v.maxLamportAhead = Math.max(v.maxLamportAhead, e.clock() - v.ticks);
    HybridTime h;
    try {
      h = VirtualMachine.hlcOf(e);
    } catch (LogFormatException bad) {
      return; // the verifier reports it
    }
    if (h == null) {
      return;
    }
    v.hybridLines++;
    long ahead = h.l() - ts;
    v.maxAhead = Math.max(v.maxAhead, ahead);
    v.maxCounter = Math.max(v.maxCounter, h.c());
    if (v.seen++ % v.stride == 0) {
      v.points.add(new long[] {t, ahead, e.clock() - v.ticks});
      if (v.points.size() >= 2 * CAP) {
        List<long[]> half = new ArrayList<>(CAP);
        for (int i = 0; i < v.points.size(); i += 2) {
          half.add(v.points.get(i));
        }
        v.points.clear();
        v.points.addAll(half);
        v.stride *= 2;
      }
    }
  }

  @Override
  public void outcome(Fates.Sent s, Fates.Outcome outcome, Line receive) {
    if (receive == null || s == null) {
      return;
    }
    received++;
    long gap = s.line().event().ts().toEpochMilli() - receive.event().ts().toEpochMilli();
    if (gap > 0) {
      timeTravel++;
      largestTravel = Math.max(largestTravel, gap);
    }
  }

  /** What was measured; null when no VM's log carries a hybrid clock or declares a clock. */
  public PhysicalMetrics metrics(Causality causality) {
    boolean any =
        vms.values().stream()
            .anyMatch(
                v -> v.hybridLines > 0 || v.offsetMs != 0 || v.driftPpm != 0 || !v.steps.isEmpty());
    if (!any) {
      return null;
    }
    List<PhysicalMetrics.VmClock> out = new ArrayList<>();
    long maxAhead = Long.MIN_VALUE;
    long maxCounter = 0;
    for (var e : vms.entrySet()) {
      Vm v = e.getValue();
      boolean hybrid = v.hybridLines > 0;
      out.add(
          new PhysicalMetrics.VmClock(
              e.getKey(),
              v.offsetMs,
              v.driftPpm,
              v.steps.isEmpty()
                  ? null
                  : v.steps.stream()
                      .map(st -> st.atMs() + ":" + st.byMs())
                      .collect(java.util.stream.Collectors.joining(";")),
              hybrid,
              hybrid ? v.maxAhead : 0,
              hybrid ? v.maxCounter : 0,
              v.stepsBack,
              v.largestBack,
              v.maxLamportAhead));
      if (hybrid) {
        maxAhead = Math.max(maxAhead, v.maxAhead);
        maxCounter = Math.max(maxCounter, v.maxCounter);
      }
    }
    long lowest = Long.MAX_VALUE;
    long highest = Long.MIN_VALUE;
    for (Vm v : vms.values()) {
      long[] range = declaredRange(v);
      lowest = Math.min(lowest, range[0]);
      highest = Math.max(highest, range[1]);
    }
    long offsets = vms.isEmpty() ? 0 : highest - lowest;
    return new PhysicalMetrics(
        out,
        maxAhead == Long.MIN_VALUE ? 0 : maxAhead,
        maxCounter,
        offsets,
        received,
        timeTravel,
        largestTravel,
        causality == null ? -1 : causality.causal(),
        causality == null ? -1 : causality.wallReversed(),
        causality == null ? -1 : causality.lamportReversed(),
        causality == null ? -1 : causality.hybridCompared(),
        causality == null ? -1 : causality.hybridReversed());
  }

  /** Per VM, its chart points {@code {t ms (host time), l - pt ms, Lamport clock - own events}}. */
  public Map<Integer, List<long[]>> series() {
    Map<Integer, List<long[]>> out = new TreeMap<>();
    vms.forEach((id, v) -> out.put(id, List.copyOf(v.points)));
    return out;
  }

  /**
   * The lowest and highest amount a VM's declared clock added to host time over its run: its
   * offset, its drift over the run's length, and its steps as they came.
   */
  private static long[] declaredRange(Vm v) {
    long length = v.firstT == Long.MIN_VALUE ? 0 : Math.max(0, v.lastT - v.firstT);
    long driftEnd = Math.floorDiv(length * v.driftPpm, 1_000_000L);
    long low = Math.min(v.offsetMs, v.offsetMs + driftEnd);
    long high = Math.max(v.offsetMs, v.offsetMs + driftEnd);
    if (!v.steps.isEmpty()) {
      long sum = 0;
      for (logicalclocks.clock.PhysicalClock.Step step : v.steps) {
        long at = step.atMs();
        sum += step.byMs();
        if (at > length) {
          break;
        }
        long drift = Math.floorDiv(Math.min(at, length) * v.driftPpm, 1_000_000L);
        long end = v.offsetMs + sum + driftEnd;
        low = Math.min(low, Math.min(v.offsetMs + sum + drift, end));
        high = Math.max(high, Math.max(v.offsetMs + sum + drift, end));
      }
    }
    return new long[] {low, high};
  }
}
