package logicalclocks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.Numbers;
import logicalclocks.analysis.RunMetrics;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.LocalConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader;
import logicalclocks.transport.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: a local run under load that prints numbers — throughput, drops by reason, heap and
 * RSS — and checks that every message is accounted for. E.g. a 1 tick/s VM flooded by two 500
 * ticks/s peers ({@code --rates 1,500,500 --queue-capacity 1000}), or a soak ({@code --tick-rate
 * 500 --duration 120}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Run VMs locally under load; print throughput, drops, heap and RSS; verify every message.")
final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin LocalCommand flags = new LocalCommand();

  @Override
  public Integer call() throws Exception {
    if (flags.logDir == null) {
      flags.logDir = Files.createTempDirectory("bench").toString();
    }
    LocalConfig config = ConfigParser.local(flags.source());
    PrintWriter out = spec.commandLine().getOut();
    var memory = ManagementFactory.getMemoryMXBean();
    AtomicLong maxHeap = new AtomicLong();
    AtomicLong maxRss = new AtomicLong();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sampler");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(
        () -> {
          maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          maxRss.accumulateAndGet(rssBytes(), Math::max);
        },
        0,
        200,
        TimeUnit.MILLISECONDS);
    long seed = config.model().seed() != null ? config.model().seed() : 1;
    long started = System.nanoTime();
    LocalCluster cluster = new LocalCluster(config, seed, Clock.systemUTC());
    cluster.start();
    cluster.awaitFinished();
    sampler.shutdownNow();
    // What the run holds on to at its end (queues, dedup ids), measured after a full GC.
    System.gc();
    long retained = memory.getHeapMemoryUsage().getUsed();
    cluster.stop("finished");
    double seconds = (System.nanoTime() - started) / 1e9;
    var logs = EventLogReader.readDir(Path.of(config.logDir().toString()));
    RunMetrics m = Analyzer.analyze(logs).metrics();
    Map<String, Long> dropReasons = new TreeMap<>();
    logs.values()
        .forEach(
            lines ->
                lines.stream()
                    .filter(l -> l.event().event() == EventType.DROP)
                    .forEach(l -> dropReasons.merge(l.event().get("reason"), 1L, Long::sum)));
    long events = m.vms().stream().mapToLong(RunMetrics.VmMetrics::ticks).sum();
    out.printf(
        Locale.ROOT,
        "bench: %d VMs, rates %s, %.1f s wall, queue capacity %d%n",
        config.machines(),
        m.vms().stream().map(v -> "" + v.rate()).toList(),
        seconds,
        config.model().queueCapacity());
    out.printf(
        Locale.ROOT,
        "events: %d (%.0f/s); messages: %d sent, %d received, %d dropped %s, %d queued at STOP"
            + ", %d late deliveries%n",
        events,
        events / seconds,
        m.messages(),
        m.received(),
        m.dropped(),
        dropReasons,
        m.queuedAtStop(),
        m.lateDeliveries());
    out.printf(
        Locale.ROOT,
        "queue max per VM: %s; final clocks: %s%n",
        m.vms().stream().map(v -> Numbers.whole(v.queue().max())).toList(),
        m.vms().stream().map(RunMetrics.VmMetrics::finalClock).toList());
    out.printf(
        Locale.ROOT,
        "memory: heap used max %.1f MiB, retained at the end (after GC) %.1f MiB, RSS max %.1f MiB"
            + " (whole JVM)%n",
        maxHeap.get() / 1048576.0,
        retained / 1048576.0,
        maxRss.get() / 1048576.0);
    out.printf(Locale.ROOT, "unaccounted or invalid: %d violation(s)%n", m.violations().size());
    m.violations().stream().limit(10).forEach(v -> out.println("  " + v));
    out.flush();
    return m.violations().isEmpty() ? 0 : Main.EXIT_FAILURE;
  }

  static long rssBytes() {
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
