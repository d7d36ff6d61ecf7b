package logicalclocks.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;

/**
 * A fault campaign, in the spirit of Jepsen's nemesis: N real {@code node} processes (child JVMs)
 * on loopback, a seeded {@link Schedule} of faults applied to them one after the other (SIGKILL,
 * SIGSTOP/SIGCONT, SIGTERM; a restart runs the same command on the same LOG_DIR, so the node
 * resumes from its log), then, once every VM has finished its run, the project's verifier on the
 * logs, each violation with the fault nearest to it in time. Every wait is bounded; the children
 * are killed whatever happens (a shutdown hook covers the JVM's exit).
 */
public final class Campaign {
  /** STARTUP_TIMEOUT given to the children: how long a (re)started VM waits for its peers. */
  public static final long CHILD_STARTUP_TIMEOUT_S = 30;

  /** Heap of each child JVM. */
  public static final String CHILD_HEAP = "-Xmx512m";

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(CHILD_STARTUP_TIMEOUT_S + 30);

  /** Printed verdicts. */
  public static final String VERIFIED = "VERIFIED";

  public static final String VIOLATIONS = "VIOLATIONS";

  /** Most violations printed one by one (all are counted by rule and by nearest fault). */
  static final int MAX_LISTED = 50;

  /**
   * What happened.
   *
   * @param exitCode 0 verified, 1 violations, a campaign incident or unreadable logs
   * @param schedule the planned faults
   * @param applied the faults applied, with their times
   * @param skipped faults not applied (their VM had finished its run, or had exited)
   * @param pids every pid each VM ran as, in order (one more per restart)
   * @param resumedStarts per VM, its log's START lines with {@code resumed=true}
   * @param violations the verifier's findings (empty when the logs could not be read)
   * @param incidents what went wrong with the campaign itself (a child that exited by itself, a
   *     wait that timed out, unreadable logs)
   */
  public record Result(
      int exitCode,
      String verdict,
      List<Fault> schedule,
      List<Attribution.Applied> applied,
      List<Fault> skipped,
      Map<Integer, List<Long>> pids,
      Map<Integer, Long> resumedStarts,
      List<Violation> violations,
      List<String> incidents) {}

  private final ChaosConfig config;
  private final PrintWriter out;
  private final List<Fault> schedule;
  private final List<Child> children = new ArrayList<>();
  private final List<Attribution.Applied> applied = new ArrayList<>();
  private final List<Fault> skipped = new ArrayList<>();
  private final List<String> incidents = new ArrayList<>();
  private final Instant launched = Instant.now();
  private Instant t0;

  public Campaign(ChaosConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
    this.schedule =
        Schedule.generate(
            config.seed(), config.machines(), config.durationSeconds(), config.faults());
  }

  public List<Fault> schedule() {
    return schedule;
  }

  /** One VM's process, started again on the same command for a restart. */
  private final class Child {
    final int id;
    final ProcessBuilder command;
    final List<Long> pids = new ArrayList<>();
    Process process;

    /** Whether the campaign itself stopped it (so its exit is not an incident). */
    boolean down;

    boolean exitReported;

    Child(int id) {
      this.id = id;
      // the project's one way to start a JVM: nothing of this shell's TLS_*, PEERS, ... leaks in
      Map<String, String> env = new java.util.HashMap<>();
      env.put("ID", "" + id);
      env.put(
          "PEERS",
          "127.0.0.1:{"
              + config.basePort()
              + ".."
              + (config.basePort() + config.machines() - 1)
              + "}");
      env.put("PORT", "" + (config.basePort() + id));
      env.put("TICK_RATE", "" + config.tickRate());
      env.put("DURATION", "" + config.durationSeconds());
      env.put("SEED", "" + config.seed());
      env.put("LOG_DIR", config.logDir().toAbsolutePath().toString());
      env.put("AFTER_RUN", "wait");
      env.put("METRICS_PORT", "0");
      env.put("STARTUP_TIMEOUT", "" + CHILD_STARTUP_TIMEOUT_S);
      env.put("SNAPSHOT_EVERY", "" + config.snapshotEvery()); // VM 0 takes them, the rest take part
      command =
          logicalclocks.node.ChildJvm.jar(
              config.jar(),
              List.of("-XX:+ExitOnOutOfMemoryError", CHILD_HEAP),
              List.of("node"),
              env);
      Path dir = config.out().toAbsolutePath();
      command
          .directory(dir.toFile())
          .redirectInput(Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(Redirect.appendTo(dir.resolve("node_" + id + ".out").toFile()))
          .redirectError(Redirect.appendTo(dir.resolve("node_" + id + ".err").toFile()));
    }

    Path log() {
      return config.logDir().resolve(EventLogFormat.fileName(id));
    }

    void start() throws IOException {
      process = command.start();
      pids.add(process.pid());
      down = false;
      exitReported = false;
    }

    boolean alive() {
      return process != null && process.isAlive();
    }

    /** Whether its log's last complete line is STOP reason=finished. */
    boolean finished() {
      try {
        return LogTail.finished(log());
      } catch (IOException e) {
        return false;
      }
    }

    /** Finished its run, or gone (then an incident says why). */
    boolean done() {
      return finished() || !alive();
    }

    /** SIGKILL; waits for the exit. */
    int kill() throws InterruptedException {
      down = true;
      process.destroyForcibly();
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        incident("VM " + id + " (pid " + process.pid() + ") still alive after SIGKILL");
        return -1;
      }
      return process.exitValue();
    }

    void signal(String sig) throws IOException, InterruptedException {
      Process kill =
          new ProcessBuilder("kill", "-" + sig, "" + process.pid())
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        incident("kill -" + sig + " " + process.pid() + " (VM " + id + ") failed");
      }
    }
  }

  /** Runs the campaign and prints as it goes; the exit status is in the result. */
  public Result run() throws IOException, InterruptedException {
    out.printf(
        Locale.ROOT,
        "chaos: %d VMs (child JVMs) at %d ticks/s for %d s, seed %d, %d faults; 127.0.0.1:%d..%d;"
            + " out %s%n",
        config.machines(),
        config.tickRate(),
        config.durationSeconds(),
        config.seed(),
        schedule.size(),
        config.basePort(),
        config.basePort() + config.machines() - 1,
        config.out());
    out.println("schedule (offsets from the moment every VM has logged START):");
    schedule.forEach(f -> out.println("  " + f));
    out.flush();
    for (int i = 0; i < config.machines(); i++) {
      children.add(new Child(i));
    }
    Thread hook = new Thread(this::killAll, "chaos-kill-children");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      drive();
    } finally {
      killAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs anyway
      }
    }
    return verdict();
  }

  private void drive() throws IOException, InterruptedException {
    for (Child c : children) {
      c.start();
    }
    out.printf(
        "started %d VMs: pids %s%n",
        children.size(), children.stream().map(c -> "" + c.process.pid()).toList());
    out.flush();
    boolean started =
        await(
            "every VM to log START",
            START_TIMEOUT,
            () -> children.stream().allMatch(c -> hasStart(c, 0)));
    if (!started) {
      return;
    }
    t0 = Instant.now();
    out.printf(
        Locale.ROOT,
        "every VM logged START %.1f s after launch; t = +0.0 s%n",
        Duration.between(launched, t0).toMillis() / 1000.0);
    out.flush();
    for (Fault f : schedule) {
      Instant due = t0.plusMillis(f.atMillis());
      await(null, Duration.between(Instant.now(), due), () -> false); // until it is due
      apply(f);
    }
    Duration left =
        Duration.between(Instant.now(), t0.plusSeconds(config.durationSeconds()))
            .plus(START_TIMEOUT);
    if (left.isNegative()) {
      left = START_TIMEOUT;
    }
    if (await("every VM to finish its run", left, () -> children.stream().allMatch(Child::done))) {
      say("every VM finished its run (STOP reason=finished)" + exitedNote());
    }
    say("stopping the VMs (SIGTERM)");
    for (Child c : children) {
      if (c.alive()) {
        c.down = true;
        c.process.destroy();
      }
    }
    for (Child c : children) {
      if (c.process != null && !c.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        incident(
            "VM " + c.id + " did not exit within " + EXIT_TIMEOUT.toSeconds() + " s of SIGTERM");
        c.process.destroyForcibly();
      }
    }
  }

  private String exitedNote() {
    List<Integer> gone = children.stream().filter(c -> !c.finished()).map(c -> c.id).toList();
    return gone.isEmpty() ? "" : ", except VMs " + gone + " (exited without finishing)";
  }

  private void apply(Fault f) throws IOException, InterruptedException {
    Child c = children.get(f.vm());
    String name = "#" + f.number() + " " + f.kind().id() + " vm " + f.vm();
    if (c.finished() || !c.alive()) {
      skipped.add(f);
      say(
          name
              + ": skipped (planned at "
              + offset(t0.plusMillis(f.atMillis()))
              + "): the VM "
              + (c.finished() ? "had already finished its run" : "is not running"));
      return;
    }
    long pid = c.process.pid();
    Instant at;
    switch (f.kind()) {
      case PAUSE -> {
        c.signal("STOP");
        at = Instant.now();
        say(name + ": SIGSTOP pid " + pid);
        Thread.sleep(f.holdMillis());
        c.signal("CONT");
        Instant until = Instant.now();
        applied.add(new Attribution.Applied(f, at, until));
        say(name + ": SIGCONT pid " + pid + " after " + seconds(at, until));
      }
      case TERM -> {
        c.down = true;
        at = Instant.now();
        c.process.destroy();
        say(name + ": SIGTERM pid " + pid);
        int status;
        if (c.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          status = c.process.exitValue();
        } else {
          incident(name + ": pid " + pid + " did not exit within 30 s of SIGTERM; SIGKILL");
          status = c.kill();
        }
        say(name + ": pid " + pid + " exited with status " + status);
        restart(c, f, at, name);
      }
      case KILL, KILL_LATER, KILL_AFTER_RUN -> {
        c.down = true;
        at = Instant.now();
        int status = c.kill();
        say(name + ": SIGKILL pid " + pid + " (exit status " + status + ")");
        if (f.kind() == FaultKind.KILL_LATER) {
          Thread.sleep(f.holdMillis());
        } else if (f.kind() == FaultKind.KILL_AFTER_RUN) {
          say(name + ": down until the other VMs have finished their run");
          Duration left =
              Duration.between(Instant.now(), t0.plusSeconds(config.durationSeconds()))
                  .plus(START_TIMEOUT);
          await(
              "the VMs other than " + f.vm() + " to finish",
              left.isNegative() ? START_TIMEOUT : left,
              () -> children.stream().filter(o -> o != c).allMatch(Child::done));
        }
        restart(c, f, at, name);
      }
      default -> throw new IllegalStateException(f.kind().toString());
    }
  }

  /**
   * Starts the VM again on the same command and waits for its new START; the fault lasts until that
   * START (or, when none comes, until the restart).
   */
  private void restart(Child c, Fault f, Instant at, String name)
      throws IOException, InterruptedException {
    long offset = LogTail.completeLength(c.log());
    boolean over = c.finished(); // e.g. a SIGTERM that came as its run ended
    c.start();
    Instant restarted = Instant.now();
    say(name + ": restarted as pid " + c.process.pid() + " after " + seconds(at, restarted));
    Instant until = restarted;
    if (over) {
      // AFTER_RUN=wait: a VM restarted onto a finished log idles and logs nothing more.
      say(name + ": its run had already finished; restarted idle (no new START expected)");
      applied.add(new Attribution.Applied(f, at, until));
      return;
    }
    if (await(
            "VM " + c.id + " to log its new START",
            START_TIMEOUT,
            () -> hasStart(c, offset) || !c.alive())
        && hasStart(c, offset)) {
      LogEvent start =
          LogTail.since(c.log(), offset).stream()
              .filter(e -> e.event() == EventType.START)
              .findFirst()
              .orElseThrow();
      until = start.ts().isAfter(until) ? start.ts() : until;
      say(
          name
              + ": START"
              + ("true".equals(start.get("resumed")) ? " resumed=true" : " (not resumed!)")
              + " clock="
              + start.clock()
              + ", "
              + seconds(at, start.ts())
              + " after the fault");
    } else if (!c.alive()) {
      say(name + ": the restarted VM exited without logging START");
    }
    applied.add(new Attribution.Applied(f, at, until));
  }

  private boolean hasStart(Child c, long offset) {
    try {
      return LogTail.since(c.log(), offset).stream().anyMatch(e -> e.event() == EventType.START);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Polls {@code done} until it holds or {@code timeout} passes (an incident then, unless {@code
   * what} is null: a plain wait), reporting every child that exits without the campaign stopping
   * it.
   */
  private boolean await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      for (Child c : children) {
        if (!c.down && !c.exitReported && c.process != null && !c.process.isAlive()) {
          c.exitReported = true;
          incident(
              "VM "
                  + c.id
                  + " (pid "
                  + c.process.pid()
                  + ") exited by itself with status "
                  + c.process.exitValue()
                  + "; see "
                  + config.out().resolve("node_" + c.id + ".err"));
        }
      }
      if (done.getAsBoolean()) {
        return true;
      }
      long now = System.nanoTime();
      if (now >= deadline) {
        if (what != null) {
          incident("gave up waiting for " + what + " after " + timeout.toSeconds() + " s");
        }
        return false;
      }
      Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - now) / 1_000_000)));
    }
  }

  private void incident(String what) {
    incidents.add(what);
    say("INCIDENT: " + what);
  }

  private void say(String line) {
    // The campaign's progress: when, of the run's length, each step happened.
    out.println(
        (t0 == null ? "" : offset(Instant.now()) + " of " + config.durationSeconds() + " s  ")
            + line);
    out.flush();
  }

  private String offset(Instant when) {
    return String.format(Locale.ROOT, "%+7.1f s", Duration.between(t0, when).toMillis() / 1000.0);
  }

  private static String seconds(Instant from, Instant to) {
    return String.format(Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
  }

  /** Kills every child still alive (SIGCONT first is not needed: SIGKILL ends a stopped one). */
  private void killAll() {
    for (Child c : children) {
      if (c.process != null && c.process.isAlive()) {
        c.down = true;
        c.process.destroyForcibly();
      }
    }
    for (Child c : children) {
      if (c.process != null) {
        try {
          c.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** What became of VM 0's snapshots (their records were checked with the logs). */
  private void snapshots(logicalclocks.log.SnapshotFiles.Tally tally) {
    out.printf(
        Locale.ROOT,
        "snapshots: %d taken by VM 0, %d complete, %d failed%s%n",
        tally.records(),
        tally.complete(),
        tally.failed().size(),
        tally.failed().isEmpty() ? "" : " (" + String.join("; ", tally.failed()) + ")");
  }

  private Result verdict() {
    Map<Integer, List<Long>> pids = new TreeMap<>();
    children.forEach(c -> pids.put(c.id, List.copyOf(c.pids)));
    Map<Integer, Long> resumed = new TreeMap<>();
    RunMetrics m;
    logicalclocks.log.SnapshotFiles.Tally tally;
    try {
      Analyzer.Result analysed =
          Analyzer.analyze(
              config.logDir(),
              new Analyzer.Outputs(
                  List.of(),
                  List.of(),
                  List.of(
                      (EventConsumer)
                          (vm, l) -> {
                            resumed.putIfAbsent(vm, 0L);
                            if (l.event().event() == EventType.START
                                && "true".equals(l.event().get("resumed"))) {
                              resumed.merge(vm, 1L, Long::sum);
                            }
                          })));
      m = analysed.metrics();
      tally = analysed.snapshots();
    } catch (EventLogReader.BadLogException e) {
      incident("the logs cannot be read: " + e.getMessage());
      out.println("verdict: UNREADABLE LOGS");
      out.flush();
      return new Result(
          1, "UNREADABLE", schedule, applied, skipped, pids, Map.of(), List.of(), incidents);
    }
    List<Violation> violations = m.violations();
    long events = m.vms().stream().mapToLong(RunMetrics.VmMetrics::ticks).sum();
    // a paused VM skips the tick slots of its pause (missed=), it does not catch them up
    long missed = m.vms().stream().mapToLong(RunMetrics.VmMetrics::missedTicks).sum();
    String verdict = violations.isEmpty() ? VERIFIED : VIOLATIONS;
    out.printf(
        Locale.ROOT,
        "verdict: %s%s%n",
        verdict,
        violations.isEmpty()
            ? ": every clock rule holds and every message has exactly one fate"
            : ": " + violations.size() + " violation(s)");
    out.printf(
        Locale.ROOT,
        "faults: %d applied, %d skipped; restarts: %d (START resumed=true lines: %d); events: %d"
            + " (tick slots missed, skipped while paused or stalled: %d); messages: %d sent, %d received, %d dropped, %d queued at STOP, %d late;"
            + " violations: %d; incidents: %d%n",
        applied.size(),
        skipped.size(),
        pids.values().stream().mapToInt(p -> p.size() - 1).sum(),
        resumed.values().stream().mapToLong(Long::longValue).sum(),
        events,
        missed,
        m.messages(),
        m.received(),
        m.dropped(),
        m.queuedAtStop(),
        m.lateDeliveries(),
        violations.size(),
        incidents.size());
    snapshots(tally);
    if (!violations.isEmpty()) {
      // Only to attribute violations: the lines they name, read back (the verdict read them once).
      SortedMap<Integer, List<EventLogReader.Line>> logs;
      try {
        logs = EventLogReader.readDir(config.logDir());
      } catch (EventLogReader.BadLogException e) {
        logs = new TreeMap<>();
      }
      Map<String, Long> byRule =
          violations.stream()
              .collect(Collectors.groupingBy(Violation::rule, TreeMap::new, Collectors.counting()));
      out.println("violations by rule: " + byRule);
      Map<String, Long> byFault = new LinkedHashMap<>();
      int listed = 0;
      for (Violation v : violations) {
        Optional<Instant> ts = violationTime(logs, v);
        Optional<Attribution.Nearest> near = ts.flatMap(t -> Attribution.nearest(applied, t));
        String key =
            near.map(
                    n -> "#" + n.applied().fault().number() + " " + n.applied().fault().kind().id())
                .orElse("none");
        byFault.merge(key, 1L, Long::sum);
        if (listed++ < MAX_LISTED) {
          out.println("  " + v);
          out.println("      nearest fault: " + describe(ts, near));
        }
      }
      if (violations.size() > MAX_LISTED) {
        out.println("  ... and " + (violations.size() - MAX_LISTED) + " more");
      }
      out.println("violations by nearest fault: " + byFault);
    }
    if (!incidents.isEmpty()) {
      out.println("campaign incidents: " + incidents.size());
      incidents.forEach(i -> out.println("  " + i));
    }
    out.flush();
    int exit = violations.isEmpty() && incidents.isEmpty() ? 0 : 1;
    return new Result(
        exit, verdict, schedule, applied, skipped, pids, resumed, violations, incidents);
  }

  private String describe(Optional<Instant> ts, Optional<Attribution.Nearest> near) {
    if (ts.isEmpty()) {
      return "(the violation names no line, so no time)";
    }
    if (near.isEmpty()) {
      return "(no fault was applied)";
    }
    Attribution.Nearest n = near.get();
    Fault f = n.applied().fault();
    String line = t0 == null ? ts.get().toString() : offset(ts.get()).trim();
    return String.format(
        Locale.ROOT,
        "#%d %s vm %d at %s (the violation shows at %s: %s%s)",
        f.number(),
        f.kind().id(),
        f.vm(),
        t0 == null ? n.applied().at().toString() : span(n.applied()),
        line,
        n.distance().isZero()
            ? ""
            : String.format(Locale.ROOT, "%.2f s ", n.distance().toMillis() / 1000.0),
        n.relation());
  }

  /** {@code +17.7 s}, or {@code +17.7..+21.4 s} for a fault that lasted. */
  private String span(Attribution.Applied a) {
    String from = offset(a.at()).trim();
    if (Duration.between(a.at(), a.until()).toMillis() < 100) {
      return from;
    }
    return from.substring(0, from.length() - 2) + ".." + offset(a.until()).trim();
  }

  private static final java.util.regex.Pattern LINE_REF =
      java.util.regex.Pattern.compile("machine_\\d+\\.log:\\d+");

  /**
   * When a violation showed: the latest wall time of the lines it names, its own (its VM and line)
   * and any its message cites (a RECEIVE's violation cites the DROP that came after it, e.g. {@code
   * 0-446 already DROP at machine_0.log:2427}: read from the message's text, the one place it is);
   * empty when it names no line.
   */
  static Optional<Instant> violationTime(
      SortedMap<Integer, List<EventLogReader.Line>> logs, Violation v) {
    Optional<Instant> latest = lineTime(logs, v.vm(), v.line());
    var m = LINE_REF.matcher(v.message());
    while (m.find()) {
      Optional<Instant> t = lineTime(logs, m.group());
      if (t.isPresent() && (latest.isEmpty() || t.get().isAfter(latest.get()))) {
        latest = t;
      }
    }
    return latest;
  }

  /** The wall time of the line a violation names ({@code machine_<id>.log:<n>}). */
  static Optional<Instant> lineTime(
      SortedMap<Integer, List<EventLogReader.Line>> logs, String where) {
    int colon = where.lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    int id = EventLogFormat.idOfFileName(where.substring(0, colon));
    int number;
    try {
      number = Integer.parseInt(where.substring(colon + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return lineTime(logs, id, number);
  }

  /** The wall time of VM {@code vm}'s line {@code number}, empty when there is none. */
  static Optional<Instant> lineTime(
      SortedMap<Integer, List<EventLogReader.Line>> logs, int vm, long number) {
    List<EventLogReader.Line> lines = logs.get(vm);
    if (lines == null || number < 1 || number > lines.size()) {
      return Optional.empty();
    }
    return Optional.of(lines.get((int) number - 1).event().ts());
  }
}
