package logicalclocks.analysis.cuts;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Questions about the lattice of a finished run's consistent cuts: how many there are, whether a
 * predicate possibly held (some consistent cut satisfies it) and whether it definitely held (every
 * path of consistent cuts from the initial to the final one passes through one that satisfies it).
 *
 * <p>Counting enumerates the cuts of every VM but the one with most events, whose consistent values
 * then form one interval: work is the product of the other VMs' events, not of all. Conjunctive
 * predicates (an {@code &&} of conditions each on one VM's variables) are decided for {@code
 * possibly} by Garg and Waldecker's algorithm (advance a VM whose state another's depends past, to
 * its next state where its condition holds), in time linear in the events. Other predicates, and
 * {@code definitely}, walk the lattice level by level (Cooper and Marzullo) up to a bound of cuts,
 * and say so when they stop there.
 */
public final class Lattice {
  /** Cuts a walk visits at most, unless told otherwise. */
  public static final long WALK_BOUND = 1_000_000;

  /** Partial cuts a count enumerates at most, unless told otherwise. */
  public static final long COUNT_BOUND = 50_000_000;

  private Lattice() {}

  /**
   * How many consistent cuts.
   *
   * @param cuts the number when {@code complete}; else null
   * @param work partial cuts enumerated
   */
  public record Count(BigInteger cuts, boolean complete, long work) {}

  /**
   * An answer.
   *
   * @param holds yes, no, or null when the walk stopped at its bound first
   * @param cut the witness of {@code possibly: yes}; null otherwise
   * @param path for {@code definitely: no}, the VM of each step of a path from the initial cut to
   *     the final one on which the predicate never holds; null otherwise
   * @param visited cuts looked at
   * @param method how it was decided
   */
  public record Answer(Boolean holds, int[] cut, int[] path, long visited, String method) {}

  /** Counts the consistent cuts, enumerating at most {@code bound} partial cuts. */
  public static Count count(CutRun r, long bound) {
    int n = r.n;
    int d = 0;
    for (int i = 1; i < n; i++) {
      if (r.events[i] > r.events[d]) {
        d = i;
      }
    }
    int[] rest = new int[n - 1];
    for (int i = 0, k = 0; i < n; i++) {
      if (i != d) {
        rest[k++] = i;
      }
    }
    // hi[j][e]: the most events of VM d inside a cut where VM j has e, as far as j's side goes.
    int[][] hi = new int[n][];
    for (int j : rest) {
      hi[j] = new int[r.events[j] + 1];
      int[] needDj = r.need[d][j];
      int k = 0;
      for (int e = 0; e <= r.events[j]; e++) {
        while (k < r.events[d] && needDj[k + 1] <= e) {
          k++;
        }
        hi[j][e] = k;
      }
    }
    Counter c = new Counter(bound);
    int[] e = new int[n];
    enumerate(r, d, rest, 0, e, hi, c);
    return new Count(c.complete ? c.total() : null, c.complete, c.work);
  }

  private static final class Counter {
    final long bound;
    long work;
    long sum;
    BigInteger big = BigInteger.ZERO;
    boolean complete = true;

    Counter(long bound) {
      this.bound = bound;
    }

    void add(long v) {
      long s = sum + v;
      if (((sum ^ s) & (v ^ s)) < 0) { // overflow: carry into the big part
        big = big.add(BigInteger.valueOf(sum)).add(BigInteger.valueOf(v));
        sum = 0;
      } else {
        sum = s;
      }
    }

    BigInteger total() {
      return big.add(BigInteger.valueOf(sum));
    }
  }

  private static void enumerate(
      CutRun r, int d, int[] rest, int depth, int[] e, int[][] hi, Counter c) {
    if (!c.complete) {
      return;
    }
    if (depth == rest.length) {
      int lo = 0;
      int top = r.events[d];
      for (int j : rest) {
        lo = Math.max(lo, r.need[j][d][e[j]]);
        top = Math.min(top, hi[j][e[j]]);
      }
      if (top >= lo) {
        c.add(top - lo + 1);
      }
      return;
    }
    int j = rest[depth];
    for (int v = 0; v <= r.events[j]; v++) {
      if (++c.work > c.bound) {
        c.complete = false;
        return;
      }
      e[j] = v;
      boolean ok = true;
      for (int k = 0; k < depth && ok; k++) {
        int i = rest[k];
        ok = r.need[j][i][v] <= e[i];
      }
      if (!ok) {
        // VM j's first v events received from beyond what is fixed: more of j only needs more.
        break;
      }
      boolean needsMore = false;
      for (int k = 0; k < depth && !needsMore; k++) {
        int i = rest[k];
        needsMore = r.need[i][j][e[i]] > v;
      }
      if (needsMore) {
        continue; // a fixed VM received from past j's v-th event: take more of j
      }
      enumerate(r, d, rest, depth + 1, e, hi, c);
    }
    e[j] = 0;
  }

  /** Whether {@code x} possibly held: some consistent cut where it is true. */
  public static Answer possibly(CutRun r, Expr x, long bound) {
    List<Expr> conj = x.conjuncts();
    if (conj.stream().noneMatch(Expr::global) && conj.stream().allMatch(c -> vms(c).size() <= 1)) {
      return conjunctive(r, conj);
    }
    return walk(r, x, bound, false);
  }

  /** Whether {@code x} definitely held: every path of consistent cuts passes where it is true. */
  public static Answer definitely(CutRun r, Expr x, long bound) {
    return walk(r, x, bound, true);
  }

  private static Set<Integer> vms(Expr x) {
    Set<Integer> s = new HashSet<>();
    x.vms(s);
    return s;
  }

  /** Garg and Waldecker's weak conjunctive predicate detection: the least cut, or none. */
  private static Answer conjunctive(CutRun r, List<Expr> conj) {
    int n = r.n;
    int[] probe = new int[n];
    List<List<Expr>> local = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      local.add(new ArrayList<>());
    }
    for (Expr c : conj) {
      Set<Integer> v = vms(c);
      if (v.isEmpty()) {
        if (c.value(r, probe) == 0) {
          return new Answer(false, null, null, 0, "conjunctive (a constant condition is false)");
        }
      } else {
        local.get(v.iterator().next()).add(c);
      }
    }
    // next[i][k]: VM i's first state from k on where its conditions hold (events[i] + 1: none).
    int[][] next = new int[n][];
    long visited = 0;
    for (int i = 0; i < n; i++) {
      int e = r.events[i];
      next[i] = new int[e + 2];
      next[i][e + 1] = e + 1;
      int[] at = new int[n];
      for (int k = e; k >= 0; k--) {
        at[i] = k;
        boolean ok = true;
        for (Expr c : local.get(i)) {
          if (c.value(r, at) == 0) {
            ok = false;
            break;
          }
        }
        visited++;
        next[i][k] = ok ? k : next[i][k + 1];
      }
    }
    int[] cut = new int[n];
    for (int i = 0; i < n; i++) {
      cut[i] = next[i][0];
      if (cut[i] > r.events[i]) {
        return new Answer(false, null, null, visited, "conjunctive (Garg-Waldecker)");
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          int needed = r.need[j][i][cut[j]];
          if (needed > cut[i]) {
            cut[i] = next[i][needed];
            changed = true;
            if (cut[i] > r.events[i]) {
              return new Answer(false, null, null, visited, "conjunctive (Garg-Waldecker)");
            }
          }
        }
      }
    }
    return new Answer(true, cut, null, visited, "conjunctive (Garg-Waldecker)");
  }

  private record Cut(int[] e) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Cut c && Arrays.equals(e, c.e);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(e);
    }
  }

  /**
   * Walks the lattice level by level from the initial cut. For {@code possibly}: every consistent
   * cut, until one satisfies {@code x}. For {@code definitely}: only cuts where {@code x} is false,
   * until the final cut is reached (then no, and the path) or none is left (yes).
   */
  private static Answer walk(CutRun r, Expr x, long bound, boolean definitely) {
    int n = r.n;
    String method =
        "lattice walk (Cooper-Marzullo), at most " + bound + (bound == 1 ? " cut" : " cuts");
    int[] bottom = new int[n];
    boolean atBottom = x.value(r, bottom) != 0;
    if (!definitely && atBottom) {
      return new Answer(true, bottom, null, 1, method);
    }
    if (definitely && atBottom) {
      return new Answer(true, null, null, 1, method);
    }
    if (definitely && Arrays.equals(bottom, r.events)) {
      return new Answer(false, null, new int[0], 1, method); // no events: the one cut is the path
    }
    Map<Cut, Integer> parent = definitely ? new HashMap<>() : null; // the VM stepped to reach it
    List<Cut> level = new ArrayList<>(List.of(new Cut(bottom)));
    if (parent != null) {
      parent.put(level.get(0), -1);
    }
    long visited = 1;
    int[] top = r.events.clone();
    while (!level.isEmpty()) {
      Set<Cut> seen = new HashSet<>();
      List<Cut> nextLevel = new ArrayList<>();
      for (Cut c : level) {
        for (int i = 0; i < n; i++) {
          if (c.e[i] >= r.events[i]) {
            continue;
          }
          int[] e = c.e.clone();
          e[i]++;
          boolean ok = true;
          for (int j = 0; j < n && ok; j++) {
            ok = r.need[i][j][e[i]] <= e[j];
          }
          if (!ok) {
            continue;
          }
          Cut s = new Cut(e);
          if (!seen.add(s)) {
            continue;
          }
          if (++visited > bound) {
            return new Answer(null, null, null, visited - 1, method);
          }
          boolean holds = x.value(r, e) != 0;
          if (!definitely) {
            if (holds) {
              return new Answer(true, e, null, visited, method);
            }
            nextLevel.add(s);
          } else if (!holds) {
            parent.put(s, i);
            if (Arrays.equals(e, top)) {
              return new Answer(false, null, path(parent, s), visited, method);
            }
            nextLevel.add(s);
          }
        }
      }
      level = nextLevel;
    }
    return new Answer(!definitely ? false : true, null, null, visited, method);
  }

  private static int[] path(Map<Cut, Integer> parent, Cut end) {
    ArrayDeque<Integer> steps = new ArrayDeque<>();
    int[] e = end.e.clone();
    while (true) {
      int vm = parent.get(new Cut(e));
      if (vm < 0) {
        break;
      }
      steps.addFirst(vm);
      e[vm]--;
    }
    return steps.stream().mapToInt(Integer::intValue).toArray();
  }
}
