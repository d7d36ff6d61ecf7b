package logicalclocks.experiment;

import static logicalclocks.analysis.measure.Numbers.two;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.RunMetrics.VmMetrics;

/**
 * The notebook's check of the queue model: predicted unstable against observed growing, per VM and
 * run.
 */
final class QueueModelSection {
  private QueueModelSection() {}

  static String render(Results live) {
    StringBuilder md =
        new StringBuilder(
            "## The queue model against what happened\n\n"
                + "A VM is *predicted unstable* when its expected arrival rate reaches its tick rate; *observed growing*"
                + " when it ended with at least 5 queued and its queue rose over the second half of the run.\n\n"
                + "| variant | VM-runs | predicted unstable | observed growing | both | model right |\n|---|---|---|---|---|---|\n");
    int allRight = 0;
    int all = 0;
    List<String> misses = new ArrayList<>();
    List<Double> missedUtilization = new ArrayList<>();
    for (var e : live.variants().entrySet()) {
      int n = 0;
      int pred = 0;
      int obs = 0;
      int both = 0;
      int right = 0;
      for (Results.Run r : e.getValue()) {
        for (VmMetrics v : r.m().vms()) {
          boolean p = !v.model().predictedStable();
          boolean o = v.model().observedGrowing();
          n++;
          pred += p ? 1 : 0;
          obs += o ? 1 : 0;
          both += p && o ? 1 : 0;
          right += p == o ? 1 : 0;
          if (p != o) {
            missedUtilization.add(v.model().predictedUtilization());
            misses.add(
                String.format(
                    Locale.ROOT,
                    "%s run %d VM %d (rate %d among %s): predicted utilization %s, observed %s,"
                        + " queue at STOP %d",
                    e.getKey(),
                    r.index(),
                    v.vm(),
                    v.rate(),
                    r.m().vms().stream().map(x -> "" + x.rate()).collect(Collectors.joining("/")),
                    two(v.model().predictedUtilization()),
                    two(v.model().observedUtilization()),
                    v.queueAtStop()));
          }
        }
      }
      allRight += right;
      all += n;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d |%n",
              e.getKey(),
              n,
              pred,
              obs,
              both,
              right));
    }
    md.append(
        String.format(Locale.ROOT, "%nThe model called %d of %d VM-runs right.%n", allRight, all));
    if (!misses.isEmpty()) {
      md.append(' ').append(missesExplained(missedUtilization)).append("\n\n");
      misses.forEach(m -> md.append("- ").append(m).append('\n'));
    }
    return md.append("\n\n").toString();
  }

  /**
   * The edge of stability: a predicted utilization this close to 1 is too close to call in one run.
   */
  static final double EDGE = 0.15;

  /** Why the model missed, said only when every miss sat at the edge. */
  static String missesExplained(List<Double> predictedUtilization) {
    long far = predictedUtilization.stream().filter(u -> Math.abs(u - 1) > EDGE).count();
    return far == 0
        ? "Every miss sat near the edge (predicted utilization within "
            + two(EDGE)
            + " of 1, where one run is too"
            + " short to tell a slowly growing queue from a fluctuating one):"
        : far
            + " of the "
            + predictedUtilization.size()
            + " misses were NOT near the edge (predicted utilization"
            + " more than "
            + two(EDGE)
            + " from 1): the model is wrong there, not just unlucky:";
  }
}
