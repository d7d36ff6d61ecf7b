package logicalclocks.analysis.cuts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --count-cuts}, {@code --possibly} and {@code --definitely} against brute force over every
 * cut of small simulated runs (3-4 VMs, at most 12 events each), for random predicates: the brute
 * force reads the logs itself, checks each cut's consistency message by message, evaluates each
 * predicate with its own code and decides definitely by reachability over all cuts.
 */
class LatticeTest {
  @TempDir Path tmp;

  /** A run as the brute force reads it: per VM its tick events' state and received senders. */
  record Brute(int n, int[] events, long[][][] state, List<List<int[]>> receives) {
    // state[vm][k] = {clock, queue, sent, received} after k events; receives[vm] = {k, from, s}

    boolean consistent(int[] e) {
      for (int j = 0; j < n; j++) {
        for (int[] rc : receives.get(j)) {
          if (rc[0] <= e[j] && rc[2] > e[rc[1]]) {
            return false;
          }
        }
      }
      return true;
    }

    long get(int var, int vm, int[] e) {
      return state[vm][e[vm]][var];
    }

    long inTransit(int[] e) {
      long t = 0;
      for (int i = 0; i < n; i++) {
        t += state[i][e[i]][2] - state[i][e[i]][3];
      }
      return t;
    }
  }

  static Brute brute(Path dir) throws Exception {
    var files = EventLogReader.readDir(dir);
    int n = files.size();
    int[] events = new int[n];
    long[][][] state = new long[n][][];
    List<List<int[]>> receives = new ArrayList<>();
    Map<String, int[]> sends = new HashMap<>();
    List<List<Object[]>> pending = new ArrayList<>();
    for (int vm = 0; vm < n; vm++) {
      List<long[]> st = new ArrayList<>();
      List<Object[]> rcv = new ArrayList<>();
      long sent = 0;
      long received = 0;
      long startClock = -1;
      for (EventLogReader.Line l : files.get(vm)) {
        LogEvent ev = l.event();
        if (ev.event() == EventType.START && startClock < 0) {
          startClock = ev.clock();
        }
        if (!ev.event().isTick()) {
          continue;
        }
        int k = st.size() + 1;
        if (ev.event() == EventType.SEND) {
          for (String id : ev.list("msg")) {
            sends.put(id, new int[] {vm, k});
            sent++;
          }
        } else if (ev.event() == EventType.RECEIVE) {
          received++;
          rcv.add(new Object[] {k, ev.get("msg")});
        }
        st.add(new long[] {ev.clock(), ev.queue(), sent, received});
      }
      st.add(0, new long[] {startClock, 0, 0, 0});
      events[vm] = st.size() - 1;
      state[vm] = st.toArray(long[][]::new);
      pending.add(rcv);
    }
    for (int vm = 0; vm < n; vm++) {
      List<int[]> r = new ArrayList<>();
      for (Object[] p : pending.get(vm)) {
        int[] s = sends.get((String) p[1]);
        r.add(new int[] {(Integer) p[0], s[0], s[1]});
      }
      receives.add(r);
    }
    return new Brute(n, events, state, receives);
  }

  /** Every cut of the product space, in no particular order. */
  static List<int[]> allCuts(int[] events) {
    List<int[]> out = new ArrayList<>();
    int[] e = new int[events.length];
    while (true) {
      out.add(e.clone());
      int i = 0;
      while (i < e.length && e[i] == events[i]) {
        e[i] = 0;
        i++;
      }
      if (i == e.length) {
        return out;
      }
      e[i]++;
    }
  }

  Path smallRun(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int machines = 3 + r.nextInt(2);
    Path logs = Files.createDirectories(tmp.resolve("run-" + seed));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder()
                .seed(seed)
                .machines(machines)
                .minTickRate(1)
                .maxTickRate(3)
                .dieSides(Math.max(machines, 4 + r.nextInt(4)))
                .build(),
            Duration.ofSeconds(4),
            seed,
            Duration.ofMillis(200 + r.nextInt(600))),
        logs);
    return logs;
  }

  /** A random predicate: its text for the parser and its meaning for the brute force. */
  record Pred(String text, ToLongFunction<int[]> eval, boolean bool) {}

  static Pred num(SplittableRandom r, Brute b, int depth) {
    int pick = r.nextInt(depth > 2 ? 3 : 5);
    if (pick == 0) {
      long v = r.nextInt(8);
      return new Pred(String.valueOf(v), e -> v, false);
    }
    if (pick == 1 || pick == 2) {
      String[] names = {"clock", "queue", "sent", "received"};
      int var = r.nextInt(4);
      int vm = r.nextInt(b.n());
      return new Pred(names[var] + "[" + vm + "]", e -> b.get(var, vm, e), false);
    }
    if (pick == 3) {
      return new Pred("in_transit", b::inTransit, false);
    }
    Pred x = num(r, b, depth + 1);
    Pred y = num(r, b, depth + 1);
    boolean plus = r.nextBoolean();
    return new Pred(
        "(" + x.text() + (plus ? " + " : " - ") + y.text() + ")",
        e ->
            plus
                ? x.eval().applyAsLong(e) + y.eval().applyAsLong(e)
                : x.eval().applyAsLong(e) - y.eval().applyAsLong(e),
        false);
  }

  static Pred cmp(SplittableRandom r, Brute b, int depth) {
    Pred x = num(r, b, depth + 1);
    Pred y = num(r, b, depth + 1);
    String[] ops = {"<", "<=", "==", "!=", ">=", ">"};
    int op = r.nextInt(ops.length);
    return new Pred(
        x.text() + " " + ops[op] + " " + y.text(),
        e -> {
          long a = x.eval().applyAsLong(e);
          long c = y.eval().applyAsLong(e);
          boolean v =
              switch (op) {
                case 0 -> a < c;
                case 1 -> a <= c;
                case 2 -> a == c;
                case 3 -> a != c;
                case 4 -> a >= c;
                default -> a > c;
              };
          return v ? 1 : 0;
        },
        true);
  }

  static Pred bool(SplittableRandom r, Brute b, int depth) {
    int pick = depth > 2 ? 0 : r.nextInt(4);
    if (pick == 0) {
      return cmp(r, b, depth);
    }
    if (pick == 1) {
      Pred x = bool(r, b, depth + 1);
      return new Pred("!(" + x.text() + ")", e -> x.eval().applyAsLong(e) == 0 ? 1 : 0, true);
    }
    Pred x = bool(r, b, depth + 1);
    Pred y = bool(r, b, depth + 1);
    boolean and = pick == 2;
    return new Pred(
        "(" + x.text() + (and ? " && " : " || ") + y.text() + ")",
        e -> {
          boolean p = x.eval().applyAsLong(e) != 0;
          boolean q = y.eval().applyAsLong(e) != 0;
          return (and ? p && q : p || q) ? 1 : 0;
        },
        true);
  }

  /** A conjunction of one-VM conditions (Garg-Waldecker's case). */
  static Pred conjunctive(SplittableRandom r, Brute b) {
    String[] names = {"clock", "queue", "sent", "received"};
    List<Pred> parts = new ArrayList<>();
    int k = 1 + r.nextInt(b.n());
    for (int c = 0; c < k; c++) {
      int vm = r.nextInt(b.n());
      int var = r.nextInt(4);
      long v = r.nextInt(var == 0 ? 20 : 4);
      boolean ge = r.nextBoolean();
      parts.add(
          new Pred(
              names[var] + "[" + vm + "] " + (ge ? ">=" : "<=") + " " + v,
              e -> (ge ? b.get(var, vm, e) >= v : b.get(var, vm, e) <= v) ? 1 : 0,
              true));
    }
    String text = String.join(" && ", parts.stream().map(Pred::text).toList());
    return new Pred(
        text, e -> parts.stream().allMatch(p -> p.eval().applyAsLong(e) != 0) ? 1 : 0, true);
  }

  @Test
  void countPossiblyAndDefinitelyAgreeWithBruteForce() throws Exception {
    int possiblyYes = 0;
    int possiblyNo = 0;
    int definitelyYes = 0;
    int definitelyNo = 0;
    int conjunctiveYes = 0;
    for (long seed = 1; seed <= 40; seed++) {
      Path logs = smallRun(seed);
      Brute b = brute(logs);
      for (int ev : b.events()) {
        assertThat(ev).as("a small run (seed %d)", seed).isBetween(1, 12);
      }
      CutRun run = CutRun.read(logs);
      List<int[]> cuts = allCuts(b.events());
      List<int[]> consistent = cuts.stream().filter(b::consistent).toList();
      for (int[] c : cuts) {
        assertThat(run.consistent(c))
            .as("cut consistency, seed %d", seed)
            .isEqualTo(b.consistent(c));
      }
      assertThat(Lattice.count(run, Lattice.COUNT_BOUND).cuts())
          .as("consistent cuts, seed %d", seed)
          .isEqualTo(BigInteger.valueOf(consistent.size()));
      SplittableRandom r = new SplittableRandom(seed * 31);
      for (int q = 0; q < 12; q++) {
        Pred p = q % 2 == 0 ? conjunctive(r, b) : bool(r, b, 0);
        Expr x = Expr.parse(p.text());
        x.check(b.n());
        boolean possibly = consistent.stream().anyMatch(c -> p.eval().applyAsLong(c) != 0);
        Lattice.Answer a = Lattice.possibly(run, x, Lattice.WALK_BOUND);
        assertThat(a.holds()).as("possibly %s (seed %d)", p.text(), seed).isEqualTo(possibly);
        if (possibly) {
          assertThat(b.consistent(a.cut())).as("the witness is consistent").isTrue();
          assertThat(p.eval().applyAsLong(a.cut()))
              .as("the predicate holds at the witness")
              .isOne();
          possiblyYes++;
          if (a.method().startsWith("conjunctive")) {
            conjunctiveYes++;
            // Garg-Waldecker's answer is the least cut where the conjunction holds.
            for (int[] c : consistent) {
              if (p.eval().applyAsLong(c) != 0) {
                for (int i = 0; i < c.length; i++) {
                  assertThat(a.cut()[i])
                      .as("the least witness of %s", p.text())
                      .isLessThanOrEqualTo(c[i]);
                }
              }
            }
          }
        } else {
          possiblyNo++;
        }
        boolean definitely = !avoidable(b, consistent, p);
        Lattice.Answer d = Lattice.definitely(run, x, Lattice.WALK_BOUND);
        assertThat(d.holds()).as("definitely %s (seed %d)", p.text(), seed).isEqualTo(definitely);
        if (!definitely) {
          int[] e = new int[b.n()];
          assertThat(p.eval().applyAsLong(e)).isZero();
          for (int step : d.path()) {
            e[step]++;
            assertThat(b.consistent(e)).as("each cut of the path is consistent").isTrue();
            assertThat(p.eval().applyAsLong(e)).as("the path avoids the predicate").isZero();
          }
          assertThat(e).as("the path ends at the final cut").isEqualTo(b.events());
          definitelyNo++;
        } else {
          definitelyYes++;
        }
      }
    }
    assertThat(List.of(possiblyYes, possiblyNo, definitelyYes, definitelyNo, conjunctiveYes))
        .as(
            "both answers of each question were met (possibly yes/no, definitely yes/no, conjunctive yes)")
        .allMatch(v -> v > 5);
  }

  /**
   * Whether a path of consistent cuts from none to all events avoids {@code p}, by DP over cuts.
   */
  static boolean avoidable(Brute b, List<int[]> consistent, Pred p) {
    List<int[]> byLevel = new ArrayList<>(consistent);
    byLevel.sort(java.util.Comparator.comparingInt(c -> java.util.Arrays.stream(c).sum()));
    java.util.Set<String> reach = new java.util.HashSet<>();
    for (int[] c : byLevel) {
      if (p.eval().applyAsLong(c) != 0) {
        continue;
      }
      boolean ok = java.util.Arrays.stream(c).sum() == 0;
      for (int i = 0; i < c.length && !ok; i++) {
        if (c[i] > 0) {
          int[] prev = c.clone();
          prev[i]--;
          ok = reach.contains(java.util.Arrays.toString(prev));
        }
      }
      if (ok) {
        reach.add(java.util.Arrays.toString(c));
      }
    }
    return reach.contains(java.util.Arrays.toString(b.events()));
  }

  @Test
  void aWalkPastItsBoundSaysUnknown() throws Exception {
    CutRun run = CutRun.read(smallRun(3));
    Lattice.Answer a = Lattice.possibly(run, Expr.parse("in_transit > 1000"), 5);
    assertThat(a.holds()).isNull();
    assertThat(Lattice.count(run, 2).complete()).isFalse();
  }

  @Test
  void arithmeticPast64BitsIsRefusedNotWrapped() throws Exception {
    CutRun run = CutRun.read(smallRun(4));
    Expr x = Expr.parse("clock[0] + 9223372036854775807 < 0");
    assertThatThrownBy(() -> Lattice.possibly(run, x, Lattice.WALK_BOUND))
        .isInstanceOf(Expr.Overflow.class)
        .hasMessageContaining("past 64-bit integers at the cut");
    assertThatThrownBy(
            () -> Lattice.definitely(run, Expr.parse("0 - 9223372036854775807 - 2 > 0"), 10))
        .isInstanceOf(Expr.Overflow.class);
  }

  @Test
  void deepNestingIsOneErrorNotAStackOverflow() {
    String parens = "(".repeat(5000) + "in_transit >= 2" + ")".repeat(5000);
    assertThatThrownBy(() -> Expr.parse(parens)).hasMessageContaining("nests deeper than 200");
    assertThatThrownBy(() -> Expr.parse("clock[0]" + "+1".repeat(5000) + " > 0"))
        .hasMessageContaining("nests deeper than 200");
    assertThatThrownBy(() -> Expr.parse("!".repeat(10000) + "clock[0] > 1"))
        .hasMessageContaining("nests deeper than 200");
    assertThatThrownBy(() -> Expr.parse("queue[2] >= \u0663")).hasMessageContaining("position 13");
  }

  @Test
  void logsThatNoRunCouldWriteAreRefused() throws Exception {
    Path logs = smallRun(5);
    Path f = logs.resolve("machine_1.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    int recv = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("event=RECEIVE")) {
        recv = i;
        break;
      }
    }
    assertThat(recv).isNotNegative();
    lines.add(recv + 1, lines.get(recv));
    Files.write(f, lines);
    assertThatThrownBy(() -> CutRun.read(logs)).hasMessageContaining("received twice");
  }

  @Test
  void badExpressionsNameThePosition() {
    assertThatThrownBy(() -> Expr.parse("clock[0] > > 3"))
        .hasMessageStartingWith("at position 12: expected a number");
    assertThatThrownBy(() -> Expr.parse("clok[0] > 3")).hasMessageStartingWith("at position 1:");
    assertThatThrownBy(() -> Expr.parse("clock[0] + 1")).hasMessageContaining("not a condition");
    assertThatThrownBy(() -> Expr.parse("(clock[0] > 1")).hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> Expr.parse("clock[0] > 1 && 3"))
        .hasMessageContaining("at position 17: && takes conditions");
    assertThatThrownBy(() -> Expr.parse("clock[0] > 1 extra")).hasMessageContaining("position 14");
    assertThatThrownBy(() -> Expr.parse("clock[9] > 1").check(3))
        .hasMessageContaining("clock[9] names no VM of this run (VMs 0 to 2)");
  }
}
