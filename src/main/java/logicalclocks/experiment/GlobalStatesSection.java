package logicalclocks.experiment;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import logicalclocks.analysis.cuts.CutRun;
import logicalclocks.analysis.cuts.Lattice;
import logicalclocks.analysis.cuts.SnapshotTimes;
import logicalclocks.analysis.render.Table;

/**
 * The notebook's section on global states, from the live runs' logs: per variant, how many
 * consistent cuts its runs have (the states the system could have been "in"), and how often a
 * snapshot the run took recorded a state the system was never in at one wall-clock instant; each
 * said in the negative when the runs do not show it.
 */
final class GlobalStatesSection {
  private GlobalStatesSection() {}

  static String render(Results live) throws Exception {
    StringBuilder md =
        new StringBuilder(
            "## Global states: cuts and snapshots\n\n"
                + "A consistent cut is a state the system could have been in: each VM after some of"
                + " its events, no message received before it was sent. Per variant, the consistent"
                + " cuts of its runs (`analyze --count-cuts`), and, of the snapshots the runs took"
                + " while they ran (VM 0 initiating every "
                + Experiment.SNAPSHOT_EVERY.toSeconds()
                + " s), how many recorded a state the VMs were never in at one wall-clock instant"
                + " (each VM's state held from its last event inside the cut to its first outside;"
                + " the states overlap in time, or not):\n\n");
    Table t =
        new Table(
            "variant",
            "runs",
            "consistent cuts (fewest .. most)",
            "snapshots complete",
            "never at one instant",
            "widest gap (ms)");
    int complete = 0;
    int never = 0;
    int taken = 0;
    int withLogs = 0;
    long broken = 0; // violations of the snapshot rules, over the runs
    for (var e : live.variants().entrySet()) {
      BigInteger lo = null;
      BigInteger hi = null;
      int notCounted = 0;
      int c = 0;
      int n = 0;
      long gap = 0;
      for (Results.Run r : e.getValue()) {
        if (r.logs() == null) {
          continue;
        }
        withLogs++;
        broken += r.m().violations().stream().filter(v -> v.rule().startsWith("snapshot-")).count();
        Lattice.Count count = Lattice.count(CutRun.read(r.logs()), Lattice.COUNT_BOUND);
        if (count.complete()) {
          lo = lo == null || count.cuts().compareTo(lo) < 0 ? count.cuts() : lo;
          hi = hi == null || count.cuts().compareTo(hi) > 0 ? count.cuts() : hi;
        } else {
          notCounted++;
        }
        SnapshotTimes.Study s = SnapshotTimes.of(r.logs());
        taken += s.snapshots();
        c += s.complete();
        n += s.neverAtOneInstant();
        gap = Math.max(gap, s.widestGapMs());
      }
      complete += c;
      never += n;
      List<String> cuts = new ArrayList<>();
      if (lo != null) {
        cuts.add(String.format(Locale.ROOT, "%,d .. %,d", lo, hi));
      }
      if (notCounted > 0) {
        cuts.add(notCounted + " not counted (past the bound)");
      }
      t.row(
          e.getKey(),
          "" + e.getValue().size(),
          String.join("; ", cuts),
          "" + c,
          c == 0 ? "-" : String.format(Locale.ROOT, "%d (%.0f %%)", n, 100.0 * n / c),
          n == 0 ? "-" : "" + gap);
    }
    if (withLogs == 0) {
      return "";
    }
    md.append(t.markdown()).append('\n');
    if (complete == 0) {
      md.append(
          taken == 0
              ? "None of these runs took a snapshot, so this notebook says nothing of snapshots'"
                  + " instants.\n\n"
              : "None of the "
                  + taken
                  + " snapshots these runs took completed, so this notebook says nothing of their"
                  + " instants.\n\n");
    } else if (never == 0) {
      md.append(
          "Every one of the "
              + complete
              + " complete snapshots recorded a state the VMs were all in at one wall-clock"
              + " instant: these runs do not show a snapshot's state that never held at once.\n\n");
    } else {
      md.append(
          String.format(
              Locale.ROOT,
              "%d of the %d complete snapshots (%.0f %%) recorded a state the VMs were never all in"
                  + " at one wall-clock instant, %s\n\n",
              never,
              complete,
              100.0 * never / complete,
              broken == 0
                  ? "and every one of them is a consistent cut (the verifier checked each against"
                      + " the logs): a snapshot gives a state the system could have been in, not"
                      + " one it was in at a moment."
                  : "but the verifier found "
                      + broken
                      + " violation(s) of the snapshot rules in these runs: those snapshots are not"
                      + " shown to be consistent cuts."));
    }
    return md.toString();
  }
}
