package logicalclocks.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import logicalclocks.analysis.measure.Numbers;
import logicalclocks.analysis.render.Table;

/**
 * {@code bench --suite FILE}: every benchmark of BENCHMARKS.md, each {@code bench} run in a JVM of
 * its own (so one run's heap and RSS are not another's), and the document written from their JSON
 * results. Every conclusion is computed from the numbers, and printed in the negative when they do
 * not support it.
 */
public final class BenchSuite {
  private static final String JAR = "java -jar target/logical-clocks.jar";

  /**
   * The child runs and page measurements the suite makes, in order (load 6, throughput 1, scale 3,
   * simulator and analyzer 2, consistent cuts 4, page 3): the progress bar's total.
   */
  public static final int STEPS = 27;

  private final PrintWriter progress;
  private final java.util.function.Consumer<String> onStep;
  private final String mainClass;
  private final String liveSeconds;
  private final int basePort;
  private final StringBuilder doc = new StringBuilder();
  private final List<String> failures = new ArrayList<>();

  /**
   * @param duration each live run's length in seconds (null: 20)
   * @param basePort the live runs' base port (null: 52000)
   * @param mainClass the command line's main class, which each child JVM runs
   * @param onStep told what each step is as it begins ({@link #STEPS} of them), then {@code null}
   *     when the suite is over
   */
  public BenchSuite(
      PrintWriter progress,
      String duration,
      String basePort,
      String mainClass,
      java.util.function.Consumer<String> onStep) {
    this.progress = progress;
    this.onStep = onStep;
    this.mainClass = mainClass;
    this.liveSeconds = duration == null ? "20" : duration;
    this.basePort = basePort == null ? 52000 : Integer.parseInt(basePort);
  }

  /** One child run: its command (as a user types it) and its results. */
  private record Run(
      String command, int exit, Map<String, Object> r, double wallSeconds, String output) {
    double d(String key) {
      Object v = r.get(key);
      return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    long l(String key) {
      Object v = r.get(key);
      return v instanceof Number n ? n.longValue() : -1;
    }
  }

  /** A run's tick fidelity, with the tick slots its VMs missed when they missed any. */
  private static String fidelity(Run run) {
    long missed = run.l("missed");
    return Numbers.percentOneDecimal(run.d("tickFidelityMin"))
        + (missed > 0 ? " (" + missed + " missed)" : "");
  }

  private Run bench(List<String> jvm, String... args) throws IOException, InterruptedException {
    return bench(jvm, 0, args);
  }

  /** A child run whose exit status {@code expected} is its success (diff's 1: the runs differ). */
  private Run bench(List<String> jvm, int expected, String... args)
      throws IOException, InterruptedException {
    String shown =
        "java "
            + (jvm.isEmpty() ? "" : String.join(" ", jvm) + " ")
            + "-jar target/logical-clocks.jar "
            + String.join(" ", args);
    onStep.accept(shown);
    long started = System.nanoTime();
    Process p =
        logicalclocks.node.ChildJvm.main(mainClass, jvm, List.of(args), Map.of())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    double wall = (System.nanoTime() - started) / 1e9;
    Map<String, Object> r = Map.of();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = new ObjectMapper().readValue(line, Map.class);
        r = parsed;
      }
    }
    if (exit != expected) {
      // The error, not the last frame of its stack trace.
      String last =
          output
              .lines()
              .filter(l -> l.contains("Exception") || l.contains("Error") || l.startsWith("error"))
              .reduce((a, b) -> b)
              .or(() -> output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b))
              .orElse("(no output)");
      failures.add("`" + shown + "` exited with " + exit + ": " + last);
      progress.println("  exit " + exit + ": " + last);
    }
    return new Run(
        shown.replace("java -jar target/logical-clocks.jar", JAR), exit, r, wall, output);
  }

  private Run live(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("bench", "--json", "--seed", "7"));
    all.addAll(List.of("--duration", liveSeconds, "--base-port", "" + basePort));
    all.addAll(List.of(args));
    return bench(List.of(), all.toArray(String[]::new));
  }

  /** A {@code bench --sim} run (seed 7) in a JVM with {@code jvm} options. */
  private Run sim(List<String> jvm, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("bench", "--json", "--sim", "--seed", "7"));
    all.addAll(List.of(args));
    return bench(jvm, all.toArray(String[]::new));
  }

  /** Runs every benchmark and writes the document to {@code file}; returns the exit code (0). */
  public int write(Path file) throws IOException, InterruptedException {
    header();
    load();
    throughput();
    scale();
    simulatorAndAnalyzer();
    cuts();
    snapshots();
    replayAndDiff();
    page();
    if (!failures.isEmpty()) {
      doc.append("\n## Runs that failed\n\n");
      failures.forEach(f -> doc.append("- ").append(f).append('\n'));
    }
    Files.writeString(file, doc.toString());
    onStep.accept(null);
    progress.println("bench suite: wrote " + file);
    progress.flush();
    return 0;
  }

  private void header() throws IOException {
    doc.append("# Benchmarks\n\n")
        .append("Generated by `")
        .append(JAR)
        .append(" bench --suite BENCHMARKS.md")
        .append(liveSeconds.equals("20") ? "" : " --duration " + liveSeconds)
        .append("` on ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(". Do not edit: run it again.\n\n");
    doc.append("## Machine\n\n");
    String cpu =
        Files.lines(Path.of("/proc/cpuinfo"))
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown");
    long memKb =
        Files.lines(Path.of("/proc/meminfo"))
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
            .findFirst()
            .orElse(0L);
    doc.append(
        String.format(
            Locale.ROOT,
            "- %d CPU cores (%s), %.1f GiB memory, %s %s\n- Java %s (%s), default heap unless a"
                + " command says otherwise\n\n",
            Runtime.getRuntime().availableProcessors(),
            cpu,
            memKb / 1048576.0,
            System.getProperty("os.name"),
            System.getProperty("os.version"),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name")));
    Path jar = jar();
    if (jar != null) {
      doc.append(
          String.format(
              Locale.ROOT,
              "- The jar measured: `%s`, %.1f MiB (%,d bytes; every dependency shaded in)\n\n",
              jar.getFileName(),
              Files.size(jar) / 1048576.0,
              Files.size(jar)));
    }
    doc.append(
        """
        ## Method

        Each row is one `bench` run in a JVM of its own; the command that gives it is in the row's \
        last column (seed 7). Live runs are N VMs in one JVM over real gRPC on loopback, each \
        writing its full log (one line flushed per event) — the `local` mode. After each run, \
        `bench` reads the logs back and runs the same verifier as `analyze`: *unaccounted* counts \
        its violations (a message without exactly one fate is one). *Tick fidelity* is the worst \
        VM's observed rate (ticks − 1 over the time from its first to its last tick, from the log) \
        over its configured rate; a VM that could not run in time (a stall longer than its tick \
        period) skips the slots it missed rather than firing them late, so they lower its \
        fidelity, and *missed* in brackets counts them (all VMs). *Latency* is from SEND to the receiver's Ack (the message is in \
        its queue and journal), measured by the sender. *Heap* and *RSS* are the whole JVM's \
        maxima during the run, sampled every 200 ms (the analysis afterwards is measured apart). Benchmarks are not tests: CI runs `bench` only as a short \
        accounting check.

        """);
  }

  private void load() throws IOException, InterruptedException {
    doc.append("## Load: 3 VMs from 1 to 10,000 ticks/s\n\n");
    List<Run> runs = new ArrayList<>();
    for (int rate : new int[] {1, 10, 100, 1000, 3000, 10000}) {
      runs.add(live("--tick-rate", "" + rate));
    }
    Table t =
        table(
            List.of(
                "ticks/s",
                "sent",
                "received",
                "dropped (reason)",
                "queued at STOP",
                "late",
                "unaccounted",
                "tick fidelity",
                "delivered/s",
                "latency p50 / p99 ms",
                "heap max MiB",
                "RSS max MiB",
                "command"));
    for (Run run : runs) {
      t.row(
          ratesOf(run),
          "" + run.l("sent"),
          "" + run.l("received"),
          run.l("dropped") + " " + run.r().getOrDefault("dropReasons", Map.of()),
          "" + run.l("queuedAtStop"),
          "" + run.l("late"),
          "" + run.l("violations"),
          fidelity(run),
          Numbers.whole(run.d("deliveredPerSecond")),
          Numbers.two(run.d("latencyP50Ms")) + " / " + Numbers.two(run.d("latencyP99Ms")),
          Numbers.whole(run.d("heapMaxMiB")),
          Numbers.whole(run.d("rssMaxMiB")),
          "`" + run.command() + "`");
    }
    doc.append(t.markdown()).append('\n');
    long unaccounted = runs.stream().mapToLong(r -> r.l("violations")).sum();
    boolean allRan = runs.stream().allMatch(r -> r.exit() == 0 && !r.r().isEmpty());
    doc.append("- ")
        .append(
            allRan && unaccounted == 0
                ? "Every message ended in exactly one fate at every rate (the verifier found 0"
                    + " violations in "
                    + runs.size()
                    + " runs)."
                : "NOT every message was accounted for: "
                    + unaccounted
                    + " violation(s)"
                    + (allRan ? "" : ", and a run failed (below)")
                    + ".")
        .append('\n');
    Run worst =
        runs.stream()
            .filter(r -> !r.r().isEmpty())
            .min((a, b) -> Double.compare(a.d("tickFidelityMin"), b.d("tickFidelityMin")))
            .orElse(null);
    if (worst != null) {
      boolean kept = worst.d("tickFidelityMin") >= 0.99;
      doc.append("- Tick fidelity ")
          .append(kept ? "stayed within 1 %" : "did NOT stay within 1 %")
          .append(" at every rate: the worst was ")
          .append(Numbers.percentOneDecimal(worst.d("tickFidelityMin")))
          .append(" at ")
          .append(ratesOf(worst))
          .append(" ticks/s.\n");
    }
    Set2 memory = new Set2(runs.get(3), runs.get(runs.size() - 1));
    doc.append("- Memory: RSS max ")
        .append(Numbers.whole(memory.b().d("rssMaxMiB")))
        .append(" MiB at 10,000 ticks/s against ")
        .append(Numbers.whole(memory.a().d("rssMaxMiB")))
        .append(" MiB at 1,000; ")
        .append(
            memory.b().d("rssMaxMiB") <= 2 * memory.a().d("rssMaxMiB")
                ? "bounded: ten times the load takes less than twice the memory (what cannot go"
                    + " is shed, at most "
                    + logicalclocks.transport.GrpcTransport.WINDOW
                    + " messages in flight per peer)."
                : "NOT bounded the way the window should bound it: more than twice the memory.")
        .append("\n\n");
  }

  private record Set2(Run a, Run b) {}

  private static Table table(List<String> header) {
    return new Table(header.toArray(String[]::new));
  }

  private static String ratesOf(Run run) {
    Object rates = run.r().get("rates");
    if (rates instanceof List<?> l && !l.isEmpty()) {
      return l.stream().map(String::valueOf).distinct().collect(Collectors.joining(","));
    }
    return "?";
  }

  private void throughput() throws IOException, InterruptedException {
    doc.append("## Throughput against grpc-java's own benchmark\n\n");
    Run run =
        live("--tick-rate", "10000", "--die-sides", "3", "--baseline", "--baseline-seconds", "10");
    doc.append(
            "3 VMs at the highest rate (10,000 ticks/s) with a 3-sided die, so every tick that"
                + " receives nothing sends: the most messages the model can offer. The baseline,"
                + " measured in the same JVM before the run, is grpc-java's own qps benchmark in"
                + " the shape of its AsyncServer and AsyncClient --streaming_rpcs: "
                + QpsBaseline.describe()
                + ", its messages and method, Netty NIO and a ForkJoinPool executor on each side,"
                + " with this project's grpc (grpc-benchmarks itself is not served for it, so the"
                + " shape is reproduced: logicalclocks.bench.QpsBaseline). `")
        .append(run.command())
        .append("`\n\n");
    if (run.r().isEmpty()) {
      doc.append("The run failed (below): no ratio.\n\n");
      return;
    }
    Table t =
        table(
            List.of(
                "delivered/s",
                "grpc-java benchmark shape, messages/s",
                "ratio",
                "dropped (reason)",
                "unaccounted",
                "latency p50 / p99 ms"));
    t.row(
        Numbers.whole(run.d("deliveredPerSecond")),
        Numbers.whole(run.d("baselinePerSecond")),
        Numbers.two(run.d("ratioToBaseline")),
        run.l("dropped") + " " + run.r().getOrDefault("dropReasons", Map.of()),
        "" + run.l("violations"),
        Numbers.two(run.d("latencyP50Ms")) + " / " + Numbers.two(run.d("latencyP99Ms")));
    doc.append(t.markdown()).append('\n');
    doc.append("- The run delivered ")
        .append(
            run.d("ratioToBaseline") >= 0.5
                ? "at least half of what grpc-java's benchmark shape carries"
                : "LESS than half of what grpc-java's benchmark shape carries")
        .append(" (ratio ")
        .append(Numbers.two(run.d("ratioToBaseline")))
        .append("), with full logging and every message accounted for")
        .append(run.l("violations") == 0 ? "" : " — NOT: " + run.l("violations") + " violations")
        .append(".\n");
    double ceiling = run.d("modelCeilingPerSecond");
    if (!Double.isNaN(ceiling)) {
      double share = ceiling / run.d("baselinePerSecond");
      doc.append("- The model itself ")
          .append(share >= 0.5 ? "allows" : "does NOT allow")
          .append(" half of the baseline in this row: 3 VMs at 10,000 ticks/s with a 3-sided die")
          .append(" can receive at most ")
          .append(Numbers.whole(ceiling))
          .append(" messages/s (a tick receives when a message is queued, else sends 4/3 on")
          .append(" average), ")
          .append(Numbers.two(share))
          .append(" of the baseline; the run delivered ")
          .append(Numbers.percentOneDecimal(run.d("deliveredPerSecond") / ceiling))
          .append(" of that ceiling.\n");
    }
    doc.append('\n');
  }

  private void scale() throws IOException, InterruptedException {
    doc.append("## Hundreds of VMs\n\n");
    Run local =
        live(
            "--machines",
            "256",
            "--min-tick-rate",
            "1",
            "--max-tick-rate",
            "6",
            "--die-sides",
            "512");
    List<Run> sims = new ArrayList<>();
    for (boolean vc : new boolean[] {false, true}) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--machines",
                  "1000",
                  "--min-tick-rate",
                  "1",
                  "--max-tick-rate",
                  "6",
                  "--die-sides",
                  "2000",
                  "--duration",
                  "60"));
      if (!vc) {
        args.add("--no-vector-clocks");
      }
      sims.add(sim(List.of(), args.toArray(String[]::new)));
    }
    Table t =
        table(
            List.of(
                "run",
                "events",
                "unaccounted",
                "tick fidelity",
                "RSS max MiB (per VM)",
                "simulator s",
                "analyze s",
                "command"));
    t.row(
        "live, 256 VMs, " + liveSeconds + " s",
        "" + local.l("events"),
        "" + local.l("violations"),
        fidelity(local),
        Numbers.whole(local.d("rssMaxMiB")) + " (" + Numbers.two(local.d("rssMaxMiB") / 256) + ")",
        "",
        Numbers.two(local.d("analyzeSeconds")),
        "`" + local.command() + "`");
    for (int i = 0; i < sims.size(); i++) {
      Run s = sims.get(i);
      t.row(
          "simulation, 1,000 VMs, 60 s, " + (i == 0 ? "Lamport only" : "with vector clocks"),
          "" + s.l("events"),
          "" + s.l("violations"),
          fidelity(s),
          Numbers.whole(s.d("rssMaxMiB")) + " (" + Numbers.two(s.d("rssMaxMiB") / 1000) + ")",
          Numbers.two(s.d("simSeconds")),
          Numbers.two(s.d("analyzeSeconds")),
          "`" + s.command() + "`");
    }
    doc.append(t.markdown()).append('\n');
    boolean localOk =
        local.exit() == 0 && local.l("violations") == 0 && local.d("tickFidelityMin") >= 0.99;
    doc.append("- 256 VMs in one JVM at 1-6 ticks/s ")
        .append(
            localOk
                ? "kept every tick within 1 % and accounted for every message."
                : "did NOT both keep ticks within 1 % and account for every message.")
        .append('\n');
    doc.append("- 1,000 VMs in simulation ")
        .append(
            sims.stream().allMatch(s -> s.exit() == 0 && s.l("violations") == 0)
                ? "ran and verified, with and without vector clocks."
                : "did NOT run and verify cleanly in both forms.")
        .append(
            " A vector clock has an entry per VM, so with 1,000 VMs each line carries up to"
                + " 1,000 entries: ")
        .append(Numbers.one(sims.get(1).d("analyzeSeconds") / sims.get(0).d("analyzeSeconds")))
        .append(" times the analysis time of Lamport clocks alone (target: at most 3 times; ")
        .append(
            sims.get(1).d("analyzeSeconds") <= 3 * sims.get(0).d("analyzeSeconds")
                ? "met"
                : "NOT met")
        .append(
            "). The verifier keeps each VM's expected vector as an array it updates in place and"
                + " compares a line's vc as text against it, parsing it only when it differs.\n\n");
  }

  /** The lattice questions' speed: the targets of issue 31, each a whole command's wall time. */
  private void cuts() throws IOException, InterruptedException {
    doc.append("## Consistent cuts\n\n");
    Path big = Files.createTempDirectory("bench-cuts-big");
    Path usual = Files.createTempDirectory("bench-cuts-60s");
    sim(List.of(), "--tick-rate", "1000", "--duration", "34", "--log-dir", big.toString());
    sim(List.of(), "--duration", "60", "--log-dir", usual.toString());
    String conj = "queue[0] >= 1 && queue[1] >= 1 && queue[2] >= 1";
    Run possibly = bench(List.of(), "analyze", big.toString(), "--possibly", conj);
    Run count = bench(List.of(), "analyze", usual.toString(), "--count-cuts");
    Table t =
        table(List.of("question", "run", "answer", "wall s (JVM start included)", "target", "met"));
    row(
        t,
        "`--possibly` (conjunctive)",
        "3 VMs x 1,000 ticks/s x 34 s (~10^5 events)",
        possibly,
        2);
    row(t, "`--count-cuts`", "3 VMs, default rates, 60 s (simulated)", count, 1);
    doc.append(t.markdown()).append('\n');
    doc.append("- Commands: `")
        .append(possibly.command().replace(conj, "'" + conj + "'"))
        .append("` and `")
        .append(count.command())
        .append("`, on logs of `bench --sim --seed 7` with the run's flags and `--log-dir`.\n\n");
  }

  /**
   * Replay of a million events and diff of two million-event runs (the replay and an early fork:
   * the worst case for diff, which keeps every message from the first divergence on), each timed as
   * a user runs it, JVM start included; diff three times in a 256 MiB heap.
   */
  private void replayAndDiff() throws IOException, InterruptedException {
    doc.append("## Replay and diff\n\n");
    Path run = Files.createTempDirectory("bench-replay-run");
    Path again = Files.createTempDirectory("bench-replay-again");
    Path fork = Files.createTempDirectory("bench-replay-fork");
    sim(List.of(), "--tick-rate", "1000", "--duration", "334", "--log-dir", run.toString());
    Run replay = bench(List.of(), "replay", run.toString(), "--out", again.toString());
    Run forked =
        bench(
            List.of(),
            "replay",
            run.toString(),
            "--out",
            fork.toString(),
            "--fork",
            "1:10:pause=300");
    List<Run> diffs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      diffs.add(bench(List.of("-Xmx256m"), 1, "diff", again.toString(), fork.toString()));
    }
    long lines = 0;
    try {
      for (Path f : logicalclocks.log.EventLogReader.logFiles(run).values()) {
        try (var c = Files.lines(f)) {
          lines += c.count();
        }
      }
    } catch (logicalclocks.log.EventLogReader.BadLogException e) {
      lines = -1;
    }
    String reproduced =
        replay.output().lines().filter(l -> l.startsWith("replayed ")).findFirst().orElse("");
    java.util.function.UnaryOperator<String> dirs =
        c ->
            c.replace(run.toString(), "RUN")
                .replace(again.toString(), "OUT")
                .replace(fork.toString(), "FORK");
    Table t = table(List.of("step", "command", "wall s (JVM start included)", "target", "met"));
    t.row(
        "replay (" + Numbers.whole(lines) + " lines)",
        "`" + dirs.apply(replay.command()) + "`",
        String.format(Locale.ROOT, "%.2f", replay.wallSeconds()),
        "< 5 s",
        replay.exit() == 0 && replay.wallSeconds() < 5 ? "yes" : "NO");
    t.row(
        "fork at vm 1's 10th event",
        "`" + dirs.apply(forked.command()) + "`",
        String.format(Locale.ROOT, "%.2f", forked.wallSeconds()),
        "-",
        forked.exit() == 0 ? "(ran)" : "NO: exit " + forked.exit());
    double[] walls = diffs.stream().mapToDouble(Run::wallSeconds).sorted().toArray();
    boolean diffed = diffs.stream().allMatch(r -> r.exit() == 1); // 1: the runs differ
    t.row(
        "diff, 3 runs: median (all three)",
        "`" + dirs.apply(diffs.get(0).command()) + "`",
        String.format(
            Locale.ROOT, "%.2f (%.2f, %.2f, %.2f)", walls[1], walls[0], walls[1], walls[2]),
        "< 2 s in 256 MiB",
        diffed && walls[1] < 2 ? "yes" : "NO");
    doc.append(t.markdown()).append('\n');
    doc.append("- RUN: the logs of `")
        .append(JAR)
        .append(" bench --sim --seed 7 --tick-rate 1000 --duration 334 --log-dir RUN`. The replay ")
        .append(
            reproduced.isEmpty()
                ? "did NOT say it reproduced the run (exit " + replay.exit() + ")"
                : "said: " + reproduced.replaceAll(" -> .*", ""))
        .append(".\n");
    doc.append("- What a replay needs recorded besides the logs: 0 bytes per event, so recording")
        .append(" costs no tick rate (docs/replay.md says why the logs are enough; the live runs")
        .append(" above run with everything a replay reads).\n");
    doc.append("- diff keeps every message sent or received from the first divergence on; this")
        .append(" fork diverges at the 10th event, the most it can keep (heap capped with")
        .append(" `-Xmx256m`). One run of each on shared cores: the spread of the three diffs is")
        .append(" the noise.\n\n");
    for (Path p : List.of(run, again, fork)) {
      deleteTree(p);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var all = Files.walk(p)) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** What taking a snapshot every second costs a live run at 1,000 ticks/s per VM. */
  private void snapshots() throws IOException, InterruptedException {
    doc.append("## Snapshot overhead\n\n");
    Run without = live("--tick-rate", "1000");
    Run with = live("--tick-rate", "1000", "--snapshot-every", "1");
    Table t =
        table(
            List.of(
                "run",
                "events/s (all VMs)",
                "tick fidelity (min)",
                "snapshots complete / failed",
                "violations"));
    for (Run r : List.of(without, with)) {
      t.row(
          "`" + r.command() + "`",
          r.r().isEmpty() ? "(failed)" : Numbers.whole(r.d("events") / r.d("seconds")),
          r.r().isEmpty() ? "-" : Numbers.two(r.d("tickFidelityMin")),
          r.r().isEmpty() ? "-" : r.l("snapshotsComplete") + " / " + r.l("snapshotsFailed"),
          r.r().isEmpty() ? "-" : "" + r.l("violations"));
    }
    doc.append(t.markdown()).append('\n');
    if (!without.r().isEmpty() && !with.r().isEmpty()) {
      double a = without.d("events") / without.d("seconds");
      double b = with.d("events") / with.d("seconds");
      double change = (b - a) / a * 100;
      doc.append(
          String.format(
              Locale.ROOT,
              "- With a snapshot every second the VMs ticked %.1f %% %s than without (%s against"
                  + " %s events/s); %s\n\n",
              Math.abs(change),
              change >= 0 ? "more" : "fewer",
              Numbers.whole(b),
              Numbers.whole(a),
              "one pair of runs on shared cores, and the spread between two runs of one command is"
                  + " not measured here: read it as the overhead's size, not as a trend."));
    }
  }

  private static void row(Table t, String question, String run, Run r, double target) {
    String answer =
        r.output()
            .lines()
            .filter(l -> l.startsWith("possibly:") || l.startsWith("consistent cuts:"))
            .findFirst()
            .orElse("(none: exit " + r.exit() + ")");
    boolean ok = r.exit() == 0 && r.wallSeconds() < target;
    t.row(
        question,
        run,
        answer,
        String.format(java.util.Locale.ROOT, "%.2f", r.wallSeconds()),
        "< " + (int) target + " s",
        ok ? "yes" : "NO");
  }

  /** The live page's frame times in headless Chromium at 1,000 events/s (bench --page). */
  private void page() throws IOException, InterruptedException {
    doc.append("## The live page in Chromium\n\n");
    int seconds = 10;
    Table t =
        table(
            List.of(
                "VMs",
                "lanes",
                "events/s reaching the page",
                "frames",
                "frame interval p50 / p95 / p99 / max ms",
                "frames over 50 ms",
                "redraw p50 / p95 ms",
                "events drawn at the end"));
    List<PageFrames.Row> rows = new ArrayList<>();
    for (int n : List.of(3, 20, 256)) {
      onStep.accept("the live page at " + n + " VMs");
      try {
        PageFrames.Row r = PageFrames.measure(n, 1000, seconds);
        rows.add(r);
        t.row(
            r.machines(),
            r.lanes(),
            Numbers.whole(r.eventsPerSecond()),
            r.frames(),
            String.format(
                java.util.Locale.ROOT,
                "%.1f / %.1f / %.1f / %.1f",
                r.frameP50(),
                r.frameP95(),
                r.frameP99(),
                r.frameMax()),
            r.framesOver50()
                + " ("
                + Numbers.percentOneDecimal((double) r.framesOver50() / Math.max(1, r.frames()))
                + ")",
            String.format(java.util.Locale.ROOT, "%.1f / %.1f", r.redrawP50(), r.redrawP95()),
            r.drawn());
      } catch (IOException e) {
        failures.add("the live page at " + n + " VMs: " + e.getMessage());
      }
    }
    doc.append(
            "`java -jar target/logical-clocks.jar bench --page --duration "
                + seconds
                + "`: a simulated run of N VMs whose ticks add up to about 1,000 events/s is"
                + " replayed at its own pace into `serve`'s server; headless Chromium (software"
                + " rendering, `--disable-gpu`, 1600x1000) opens the page, which measures the"
                + " intervals between its animation frames and each redraw's time for "
                + seconds
                + " s after a 2 s warm-up. A frame interval over 50 ms is a visible stutter.\n\n")
        .append(t.markdown())
        .append('\n');
    for (PageFrames.Row r : rows) {
      boolean smooth = r.frameP95() <= 50;
      doc.append("- ")
          .append(r.machines())
          .append(" VMs: ")
          .append(
              smooth
                  ? "95 % of frames came within 50 ms (no visible freeze)"
                  : "95 % of frames did NOT come within 50 ms (p95 "
                      + String.format(java.util.Locale.ROOT, "%.0f", r.frameP95())
                      + " ms: it stutters)")
          .append("; the longest frame took ")
          .append(String.format(java.util.Locale.ROOT, "%.0f", r.frameMax()))
          .append(" ms.\n");
    }
    doc.append('\n');
  }

  private void simulatorAndAnalyzer() throws IOException, InterruptedException {
    doc.append("## Simulator and analyzer\n\n");
    Run big = sim(List.of(), "--tick-rate", "1000", "--duration", "600");
    Table t =
        table(
            List.of(
                "run",
                "lines",
                "simulator lines/s",
                "simulator heap max MiB",
                "parse floor lines/s",
                "analyze lines/s",
                "analyze / floor",
                "analyze heap max MiB",
                "command"));
    // The memory target: 10 M events analysed within a 128 MiB heap.
    Run tenMillion = sim(List.of("-Xmx128m"), "--tick-rate", "10000", "--duration", "334");
    for (Run r : List.of(big, tenMillion)) {
      boolean ok = r.exit() == 0 && !r.r().isEmpty();
      t.row(
          r == big ? "3 VMs x 1,000 ticks/s x 600 s" : "3 VMs x 10,000 ticks/s x 334 s, -Xmx128m",
          ok ? "" + r.l("lines") : "FAILED (exit " + r.exit() + ")",
          ok ? Numbers.whole(r.l("lines") / r.d("simSeconds")) : "",
          ok ? Numbers.whole(r.d("heapMaxMiB")) : "",
          ok ? Numbers.whole(r.d("parseFloorLinesPerSecond")) : "",
          ok ? Numbers.whole(r.d("analyzeLinesPerSecond")) : "",
          ok ? Numbers.percentOneDecimal(r.d("analyzeShareOfParseFloor")) : "",
          ok ? Numbers.whole(r.d("analyzeHeapMaxMiB")) : "",
          "`" + r.command() + "`");
    }
    doc.append(t.markdown()).append('\n');
    boolean fits = tenMillion.exit() == 0 && !tenMillion.r().isEmpty();
    doc.append("- The *parse floor* is the same files read and every line split into its key=value")
        .append(" pairs, nothing checked, in the same run just before the analysis (same reader,")
        .append(" files in the page cache for both).\n");
    doc.append("- 10 M events in a 128 MiB heap: ")
        .append(
            fits
                ? "simulated and analysed, "
                    + tenMillion.l("lines")
                    + " lines, analysis heap max "
                    + Numbers.whole(tenMillion.d("analyzeHeapMaxMiB"))
                    + " MiB (the heap in use, sampled every 200 ms: it includes garbage not yet"
                    + " collected)."
                : "FAILED (exit "
                    + tenMillion.exit()
                    + " after "
                    + Numbers.whole(tenMillion.wallSeconds())
                    + " s; the error is under Runs that failed).")
        .append('\n');
    double sim = big.l("lines") / big.d("simSeconds");
    double share =
        Math.min(
            big.d("analyzeShareOfParseFloor"), fits ? tenMillion.d("analyzeShareOfParseFloor") : 1);
    doc.append("- The simulator ")
        .append(sim >= 1e6 ? "reached" : "did NOT reach")
        .append(" 1 M events/s with logs written (")
        .append(Numbers.whole(sim))
        .append(" lines/s). `analyze` ")
        .append(share >= 0.5 ? "kept" : "did NOT keep")
        .append(" at least 50 % of the parse floor's speed in both runs (the lower: ")
        .append(Numbers.percentOneDecimal(share))
        .append("): it reads each log once, merged in Lamport order, and keeps state bounded by")
        .append(" the VMs and the messages not yet settled.\n\n");
  }

  /** The jar this suite runs from (its runs use the same class path), or null outside one. */
  static Path jar() {
    try {
      Path p =
          Path.of(BenchSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") && Files.isRegularFile(p) ? p : null;
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
