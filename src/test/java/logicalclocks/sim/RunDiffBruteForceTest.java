package logicalclocks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import logicalclocks.analysis.diff.RunDiff;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunDiff} against a brute-force comparison that reads both runs whole, on 1,000 random
 * pairs of small runs: two seeds, a run and its fork, a run and a copy with one line edited.
 */
class RunDiffBruteForceTest {
  @TempDir Path tmp;

  @Test
  void agreesWithBruteForceOnAThousandRandomPairs() throws Exception {
    SplittableRandom random = new SplittableRandom(2026);
    int differing = 0;
    for (int pair = 0; pair < 1000; pair++) {
      Path a = tmp.resolve("a" + pair);
      Path b = tmp.resolve("b" + pair);
      long seed = random.nextLong(1, 1_000_000);
      ModelConfig model =
          ModelConfig.builder().machines(3).tickRate(random.nextInt(5, 40)).seed(seed).build();
      Files.createDirectories(a);
      Simulation.run(
          new Simulation.Config(model, Duration.ofSeconds(2), seed, Duration.ofMillis(5)), a);
      switch (pair % 3) {
        case 0 -> {
          Files.createDirectories(b);
          long other = random.nextInt(4) == 0 ? seed : seed + 1;
          Simulation.run(
              new Simulation.Config(model, Duration.ofSeconds(2), other, Duration.ofMillis(5)), b);
        }
        case 1 -> {
          int vm = random.nextInt(3);
          long events = ticks(a, vm);
          Rerun.fork(
              a,
              b,
              new Rerun.Fork(
                  vm, random.nextLong(1, events + 1), new Rerun.Pause(random.nextInt(50, 400))),
              Duration.ofMillis(5));
        }
        default -> {
          Files.createDirectories(b);
          for (Path f : EventLogReader.logFiles(a).values()) {
            Files.copy(f, b.resolve(f.getFileName()));
          }
          Path f = b.resolve(EventLogFormat.fileName(random.nextInt(3)));
          List<String> lines = new ArrayList<>(Files.readAllLines(f));
          int i = random.nextInt(1, lines.size() - 1);
          switch (random.nextInt(3)) {
            case 0 -> lines.set(i, lines.get(i).replaceFirst("queue=(\\d+)", "queue=9$1"));
            case 1 -> lines.remove(i); // every line after it shifts
            default -> lines.add(i + 1, lines.remove(i)); // two lines swapped
          }
          Files.write(f, lines);
        }
      }
      RunDiff.Result fast = RunDiff.compare(a, b);
      Brute slow = brute(a, b);
      assertThat(fast.vms().stream().map(v -> List.of(v.vm(), v.line(), v.event())).toList())
          .as("pair %d", pair)
          .isEqualTo(slow.vms);
      assertThat(fast.firstMessage()).as("pair %d", pair).isEqualTo(slow.first);
      differing += fast.identical() ? 0 : 1;
    }
    assertThat(differing).as("most pairs differ somewhere").isGreaterThan(500);
  }

  record Brute(List<List<Object>> vms, RunDiff.Message first) {}

  private static long ticks(Path dir, int vm) throws Exception {
    return Files.readAllLines(dir.resolve(EventLogFormat.fileName(vm))).stream()
        .filter(l -> EventLogFormat.parse(l).event().isTick())
        .count();
  }

  /** Everything read whole; every message's SEND and RECEIVE looked up in both runs. */
  static Brute brute(Path a, Path b) throws Exception {
    var la = EventLogReader.readDir(a);
    var lb = EventLogReader.readDir(b);
    TreeSet<Integer> ids = new TreeSet<>(la.keySet());
    ids.addAll(lb.keySet());
    List<List<Object>> vms = new ArrayList<>();
    for (int id : ids) {
      List<String> x = Files.readAllLines(a.resolve(EventLogFormat.fileName(id)));
      List<String> y = Files.readAllLines(b.resolve(EventLogFormat.fileName(id)));
      long line = 0;
      long event = 0;
      long ticks = 0;
      for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
        String p = i < x.size() ? x.get(i).substring(x.get(i).indexOf(' ') + 1) : null;
        String q = i < y.size() ? y.get(i).substring(y.get(i).indexOf(' ') + 1) : null;
        if (p == null || !p.equals(q)) {
          line = i + 1;
          event = ticks + 1;
          break;
        }
        if (EventLogFormat.parse(x.get(i)).event().isTick()) {
          ticks++;
        }
      }
      vms.add(List.of(id, line, event));
    }
    Map<String, RunDiff.At[]> msgs = new HashMap<>();
    for (int run = 0; run < 2; run++) {
      for (int id : ids) {
        long ticks = 0;
        for (String text :
            Files.readAllLines((run == 0 ? a : b).resolve(EventLogFormat.fileName(id)))) {
          LogEvent e = EventLogFormat.parse(text);
          String body = text.substring(text.indexOf(' ') + 1);
          long event = e.event().isTick() ? ++ticks : ticks + 1;
          if (e.event() == EventType.SEND) {
            for (String m : e.list("msg")) {
              msgs.computeIfAbsent(m, k -> new RunDiff.At[4])[run * 2] =
                  new RunDiff.At(e.vm(), event, body, e.clock());
            }
          } else if (e.event() == EventType.RECEIVE) {
            msgs.computeIfAbsent(e.get("msg"), k -> new RunDiff.At[4])[run * 2 + 1] =
                new RunDiff.At(e.vm(), event, body, e.clock());
          }
        }
      }
    }
    RunDiff.Message first = null;
    long best = Long.MAX_VALUE;
    for (var m : msgs.entrySet()) {
      RunDiff.At[] x = m.getValue();
      long c = Long.MAX_VALUE;
      boolean any = false;
      for (int k = 0; k < 2; k++) {
        RunDiff.At p = x[k];
        RunDiff.At q = x[k + 2];
        boolean same = p == null ? q == null : p.equals(q);
        if (!same) {
          any = true;
          if (p != null) {
            c = Math.min(c, p.clock());
          }
          if (q != null) {
            c = Math.min(c, q.clock());
          }
        }
      }
      if (any && (first == null || c < best || (c == best && order(m.getKey(), first.msg())))) {
        first = new RunDiff.Message(m.getKey(), x[0], x[1], x[2], x[3]);
        best = c;
      }
    }
    return new Brute(vms, first);
  }

  private static boolean order(String x, String y) {
    String[] p = x.split("-");
    String[] q = y.split("-");
    long ps = Long.parseLong(p[0]);
    long qs = Long.parseLong(q[0]);
    return ps != qs ? ps < qs : Long.parseLong(p[1]) < Long.parseLong(q[1]);
  }
}
