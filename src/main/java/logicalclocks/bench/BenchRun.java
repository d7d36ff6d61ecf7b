package logicalclocks.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.Numbers;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.config.LocalConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader;
import logicalclocks.node.LocalCluster;
import logicalclocks.node.Node;
import logicalclocks.sim.Simulation;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One {@code bench} run: a run under load that prints numbers — throughput, drops by reason, tick
 * fidelity, delivery latency, heap and RSS — and counts the verifier's violations (a message
 * without exactly one fate is one). Live by default; {@link Options#sim} times the simulator and
 * the analyzer instead; with {@link Options#baselineSeconds} above 0 it first measures grpc-java's
 * own qps benchmark shape ({@link QpsBaseline}) in this JVM and prints the run's ratio to it.
 */
public final class BenchRun {
  private BenchRun() {}

  /** Warm-up of the baseline before it is counted. */
  static final Duration BASELINE_WARM_UP = Duration.ofSeconds(2);

  /**
   * What to run.
   *
   * @param sim simulate instead of running live
   * @param baselineSeconds seconds of the baseline measurement (0: none)
   * @param json also print the results as one JSON line
   */
  public record Options(boolean sim, int baselineSeconds, boolean json) {}

  /**
   * Runs {@code config} and prints its numbers to {@code out}.
   *
   * @return the verifier's violations (0: every message accounted for)
   */
  public static int run(LocalConfig config, Options options, PrintWriter out)
      throws IOException, InterruptedException, EventLogReader.BadLogException {
    Double baseline = null;
    if (options.baselineSeconds() > 0) {
      QpsBaseline.Result b =
          QpsBaseline.measure(BASELINE_WARM_UP, Duration.ofSeconds(options.baselineSeconds()));
      out.printf(
          Locale.ROOT,
          "baseline: %s, in this JVM on loopback: %.0f messages/s (%d responses in %.1f s after"
              + " a %d s warm-up)%n",
          QpsBaseline.describe(),
          b.messagesPerSecond(),
          b.counted(),
          b.seconds(),
          BASELINE_WARM_UP.toSeconds());
      baseline = b.messagesPerSecond();
    }
    Sampler sampler = new Sampler();
    long seed = config.model().seed() != null ? config.model().seed() : 1;
    long started = System.nanoTime();
    Histogram latency = new ConcurrentHistogram(3_600_000_000L, 2);
    double simSeconds = 0;
    long retained;
    long[] snapshots = {0, 0}; // complete, failed (a live run's --snapshot-every)
    if (options.sim()) {
      Simulation.run(
          new Simulation.Config(config.model(), config.duration(), seed, Simulation.DEFAULT_DELAY),
          config.logDir());
      simSeconds = (System.nanoTime() - started) / 1e9;
      retained = sampler.retained();
    } else {
      LocalCluster cluster = new LocalCluster(config, seed, Clock.systemUTC());
      for (Node n : cluster.nodes()) {
        n.onDelivered(latency::recordValue);
      }
      cluster.start();
      cluster.awaitFinished();
      retained = sampler.retained();
      cluster.stop("finished");
      snapshots[0] = cluster.snapshotsComplete();
      snapshots[1] = cluster.snapshotsFailed().size();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    // The run's memory, apart from the analysis below.
    long[] runMemory = sampler.takeMaxima();
    // The parse floor first (it also brings the files into the page cache for both), then the
    // analysis: one streaming pass, counting the lines and the DROPs' reasons as it goes.
    ParseFloor floor = ParseFloor.of(config.logDir());
    sampler.takeMaxima();
    Map<String, Long> dropReasons = new TreeMap<>();
    long[] lineCount = new long[1];
    long analyzeStarted = System.nanoTime();
    RunMetrics m =
        Analyzer.analyze(
                config.logDir(),
                new Analyzer.Outputs(
                    List.of(),
                    List.of(),
                    List.of(
                        (EventConsumer)
                            (vm, l) -> {
                              lineCount[0]++;
                              if (l.event().event() == EventType.DROP) {
                                dropReasons.merge(l.event().get("reason"), 1L, Long::sum);
                              }
                            })))
            .metrics();
    double analyzeSeconds = (System.nanoTime() - analyzeStarted) / 1e9;
    long lines = lineCount[0];
    long[] analyzeMemory = sampler.takeMaxima();
    sampler.stop();
    long events = m.vms().stream().mapToLong(RunMetrics.VmMetrics::ticks).sum();
    double runSeconds = config.duration().toMillis() / 1000.0;
    double fidelity =
        m.vms().stream()
            .mapToDouble(v -> v.rate() == 0 ? 1 : v.observedRate() / v.rate())
            .min()
            .orElse(1);
    double delivered = m.received() / runSeconds;
    // Slots a VM skipped because it could not run in time (TickLoop): they lower the fidelity
    // instead of being fired late in a burst.
    long missed = m.vms().stream().mapToLong(RunMetrics.VmMetrics::missedTicks).sum();
    long missedWorst =
        m.vms().stream().mapToLong(RunMetrics.VmMetrics::missedTicks).max().orElse(0);

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("engine", options.sim() ? "sim" : "live");
    r.put("machines", config.machines());
    r.put("rates", m.vms().stream().map(RunMetrics.VmMetrics::rate).toList());
    r.put("dieSides", config.model().dieSides());
    r.put("seconds", runSeconds);
    r.put("wallSeconds", seconds);
    r.put("events", events);
    r.put("lines", lines);
    r.put("sent", m.messages());
    r.put("received", m.received());
    r.put("dropped", m.dropped());
    r.put("dropReasons", dropReasons);
    r.put("queuedAtStop", m.queuedAtStop());
    r.put("late", m.lateDeliveries());
    r.put("violations", m.violations().size());
    r.put("snapshotsComplete", snapshots[0]);
    r.put("snapshotsFailed", snapshots[1]);
    r.put("tickFidelityMin", fidelity);
    r.put("missed", missed);
    r.put("missedMaxVm", missedWorst);
    r.put("deliveredPerSecond", delivered);
    r.put("heapMaxMiB", runMemory[0] / 1048576.0);
    r.put("retainedMiB", retained / 1048576.0);
    r.put("rssMaxMiB", runMemory[1] / 1048576.0);
    r.put("analyzeHeapMaxMiB", analyzeMemory[0] / 1048576.0);
    r.put("analyzeSeconds", analyzeSeconds);
    r.put("analyzeLinesPerSecond", lines / Math.max(1e-9, analyzeSeconds));
    r.put("parseFloorLinesPerSecond", floor.linesPerSecond());
    r.put(
        "analyzeShareOfParseFloor",
        lines / Math.max(1e-9, analyzeSeconds) / floor.linesPerSecond());
    if (options.sim()) {
      r.put("simSeconds", simSeconds);
    } else if (latency.getTotalCount() > 0) {
      r.put("latencyP50Ms", latency.getValueAtPercentile(50) / 1000.0);
      r.put("latencyP90Ms", latency.getValueAtPercentile(90) / 1000.0);
      r.put("latencyP99Ms", latency.getValueAtPercentile(99) / 1000.0);
      r.put("latencyMaxMs", latency.getMaxValue() / 1000.0);
    }
    Double ceiling =
        modelCeiling(
            m.vms().stream().map(RunMetrics.VmMetrics::rate).toList(), config.model().dieSides());
    if (ceiling != null) {
      r.put("modelCeilingPerSecond", ceiling);
    }
    if (baseline != null) {
      r.put("baselinePerSecond", baseline);
      r.put("ratioToBaseline", delivered / baseline);
    }

    out.printf(
        Locale.ROOT,
        "bench (%s): %d VMs, rates %s, die %d, %.1f s wall, queue capacity %d%n",
        options.sim() ? "simulation" : "live",
        config.machines(),
        config.machines() <= 8 ? r.get("rates") : "(" + config.machines() + " VMs)",
        config.model().dieSides(),
        seconds,
        config.model().queueCapacity());
    out.printf(
        Locale.ROOT,
        "events: %d (%.0f/s of run time); messages: %d sent, %d received, %d dropped %s, %d queued"
            + " at STOP, %d late deliveries%n",
        events,
        events / runSeconds,
        m.messages(),
        m.received(),
        m.dropped(),
        dropReasons,
        m.queuedAtStop(),
        m.lateDeliveries());
    out.printf(
        Locale.ROOT,
        "delivered: %.0f messages/s; tick fidelity (observed / configured rate, worst VM): %.2f %%;"
            + " tick slots missed (skipped: a VM could not run in time): %d of %d (worst VM %d)%n",
        delivered,
        100 * fidelity,
        missed,
        events + missed,
        missedWorst);
    if (r.containsKey("latencyP50Ms")) {
      out.printf(
          Locale.ROOT,
          "latency SEND -> enqueued at the receiver (Ack back), ms: p50 %.2f, p90 %.2f, p99 %.2f,"
              + " max %.1f%n",
          r.get("latencyP50Ms"),
          r.get("latencyP90Ms"),
          r.get("latencyP99Ms"),
          r.get("latencyMaxMs"));
    }
    if (config.machines() <= 8) {
      out.printf(
          Locale.ROOT,
          "queue max per VM: %s; final clocks: %s%n",
          m.vms().stream().map(v -> Numbers.whole(v.queue().max())).toList(),
          m.vms().stream().map(RunMetrics.VmMetrics::finalClock).toList());
    }
    out.printf(
        Locale.ROOT,
        "memory of the run: heap used max %.1f MiB, retained at its end (after GC) %.1f MiB, RSS max"
            + " %.1f MiB (whole JVM; %.2f MiB RSS per VM); analysis afterwards: heap max %.1f MiB%n",
        r.get("heapMaxMiB"),
        r.get("retainedMiB"),
        r.get("rssMaxMiB"),
        (double) r.get("rssMaxMiB") / config.machines(),
        r.get("analyzeHeapMaxMiB"));
    if (options.sim()) {
      out.printf(
          Locale.ROOT,
          "simulator: %d lines in %.2f s = %.0f lines/s (logs written)%n",
          lines,
          simSeconds,
          lines / simSeconds);
    }
    out.printf(
        Locale.ROOT,
        "analyze: %d lines in %.2f s = %.0f lines/s, one pass; the parse floor (read and split"
            + " every line, nothing checked) %.0f lines/s: analyze runs at %.0f %% of it (target"
            + " 50 %%: %s)%n",
        lines,
        analyzeSeconds,
        lines / analyzeSeconds,
        floor.linesPerSecond(),
        100 * lines / analyzeSeconds / floor.linesPerSecond(),
        lines / analyzeSeconds >= 0.5 * floor.linesPerSecond() ? "met" : "NOT met");
    if (baseline != null) {
      out.printf(
          Locale.ROOT,
          "baseline: grpc-java's benchmark shape, %.0f messages/s; this run delivered %.0f/s ="
              + " %.2f of it (%s half)%n",
          baseline,
          delivered,
          delivered / baseline,
          delivered / baseline >= 0.5 ? "at least" : "LESS than");
      if (ceiling != null) {
        out.printf(
            Locale.ROOT,
            "model ceiling: with these rates and die no run can deliver more than %.0f/s (every"
                + " message received, none dropped) = %.2f of the baseline%n",
            ceiling,
            ceiling / baseline);
      }
    }
    out.printf(Locale.ROOT, "unaccounted or invalid: %d violation(s)%n", m.violations().size());
    m.violations().stream().limit(10).forEach(v -> out.println("  " + v));
    if (options.json()) {
      out.println(new ObjectMapper().writeValueAsString(r));
    }
    out.flush();
    return m.violations().size();
  }

  /**
   * The most RECEIVEs per second the model allows when every VM ticks at the same rate {@code r}: a
   * tick RECEIVEs when a message is queued, else rolls the die, and a roll sends {@code e} =
   * 2(N-1)/sides messages on average (outcomes 1..N-1 one each, outcome N one to each of the N-1
   * others). Messages received can be at most messages sent, so per VM R &lt;= e S with R + S = r:
   * R &lt;= r e / (1 + e), N R in all. Null when the rates differ (no such closed form here).
   */
  static Double modelCeiling(List<Integer> rates, int dieSides) {
    if (rates.isEmpty() || rates.stream().distinct().count() != 1) {
      return null;
    }
    int n = rates.size();
    double e = 2.0 * (n - 1) / dieSides;
    return n * rates.get(0) * e / (1 + e);
  }

  /** Samples the heap and the RSS every 200 ms, keeping the maxima. */
  private static final class Sampler {
    final AtomicLong maxHeap = new AtomicLong();
    final AtomicLong maxRss = new AtomicLong();
    private final ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sampler");
              t.setDaemon(true);
              return t;
            });
    private final java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    Sampler() {
      thread.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void sample() {
      maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      maxRss.accumulateAndGet(rssBytes(), Math::max);
    }

    /** The maxima since the last call (heap, RSS), sampled once more now; starts afresh. */
    long[] takeMaxima() {
      sample();
      return new long[] {maxHeap.getAndSet(0), maxRss.getAndSet(0)};
    }

    /** What the run holds on to now (queues, dedup ids), measured after a full GC. */
    long retained() {
      sample();
      System.gc();
      return memory.getHeapMemoryUsage().getUsed();
    }

    void stop() {
      sample();
      thread.shutdownNow();
    }
  }

  /** This process's resident set size, from /proc (0 when it cannot be read). */
  public static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
