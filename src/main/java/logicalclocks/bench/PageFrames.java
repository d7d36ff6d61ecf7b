package logicalclocks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.ModelConfig;
import logicalclocks.sim.Simulation;
import logicalclocks.ui.Feed;
import logicalclocks.ui.Replay;
import logicalclocks.ui.UiServer;

/**
 * {@code bench --page}: the live page's frame times in headless Chromium under load. A simulated
 * run of N VMs whose ticks add up to about {@code eventsPerSecond} is replayed at its own pace into
 * {@code serve}'s server; Chromium opens the page with {@code ?bench=SECONDS}, and the page posts
 * the intervals between its animation frames and the time each redraw took, measured after a 2 s
 * warm-up. A frame interval above 50 ms is a visible stutter; the row says how many.
 */
public final class PageFrames {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PageFrames() {}

  /** One row's numbers. */
  public record Row(
      int machines,
      int lanes,
      double eventsPerSecond,
      int frames,
      double frameP50,
      double frameP95,
      double frameP99,
      double frameMax,
      long framesOver50,
      double redrawP50,
      double redrawP95,
      int drawn,
      long skipped) {}

  /**
   * The scrub row: a big replay loaded whole into the page, then visited at evenly spaced places.
   */
  public record ScrubRow(
      long lines,
      double serverLoadSeconds,
      double pageLoadSeconds,
      int seeks,
      double seekP50,
      double seekMax,
      long firstCursor,
      long lastCursor,
      long end,
      double heapMb) {}

  /**
   * Loads a simulated run of about {@code lines} lines (3 VMs at 1,000 ticks/s) into {@code serve
   * --replay}'s feed and the page, then scrubs it end to end: {@code seeks} places evenly along the
   * scrub bar, each drawn (the diagram, the bar, the gauges at the position).
   */
  public static ScrubRow scrub(int lines, int seeks) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("page-scrub");
    int seconds = Math.max(1, lines / 3000);
    ModelConfig model = ModelConfig.builder().machines(3).tickRate(1000).seed(7L).build();
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(seconds), 7, Simulation.DEFAULT_DELAY),
        dir);
    long t0 = System.nanoTime();
    Feed feed = new Feed(3, logicalclocks.config.UiConfig.MAX_BUFFER, "scrub bench", "replay", 0);
    Replay.of(Replay.logs(dir), feed, 0).run();
    double serverLoad = (System.nanoTime() - t0) / 1e9;
    Path profile = Files.createTempDirectory("page-scrub-chromium");
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 2, null).start()) {
      Process chromium =
          new ProcessBuilder(
                  CHROMIUM.toString(),
                  "--headless=new",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--enable-precise-memory-info",
                  "--user-data-dir=" + profile,
                  "--window-size=1600,1000",
                  "--remote-debugging-port=0",
                  "http://127.0.0.1:" + server.port() + "/?scrub=" + seeks)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("chromium.out").toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      try {
        while (server.frames().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(200); // polling a measurement's end, not synchronising a test
        }
      } finally {
        chromium.destroy();
        if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
          chromium.destroyForcibly();
        }
      }
      if (server.frames().isEmpty()) {
        throw new IOException("the page posted no scrub within 300 s");
      }
      JsonNode r = JSON.readTree(server.frames().get(0));
      double[] times = numbers(r.get("seeks"));
      JsonNode cursors = r.get("cursors");
      return new ScrubRow(
          r.get("lines").asLong(),
          serverLoad,
          r.get("loadMs").asDouble() / 1000,
          times.length,
          pct(times, 50),
          times.length == 0 ? 0 : times[times.length - 1],
          cursors.get(0).asLong(),
          cursors.get(cursors.size() - 1).asLong(),
          r.get("end").asLong(),
          r.get("heap").isNull() ? -1 : r.get("heap").asDouble() / 1e6);
    }
  }

  /** Measures the page at each of {@code machines} VMs; prints a table (and JSON lines). */
  public static int run(
      List<Integer> machines, int eventsPerSecond, int seconds, boolean json, PrintWriter out)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      out.println("bench --page needs Chromium at " + CHROMIUM + " (Debian's chromium package)");
      return 1;
    }
    out.printf(
        Locale.ROOT,
        "%-5s %5s %9s %7s %8s %8s %8s %8s %8s %9s %9s %6s%n",
        "VMs",
        "lanes",
        "events/s",
        "frames",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        ">50 ms",
        "redraw50",
        "redraw95",
        "drawn");
    for (int n : machines) {
      Row r = measure(n, eventsPerSecond, seconds);
      out.printf(
          Locale.ROOT,
          "%-5d %5d %9.0f %7d %8.1f %8.1f %8.1f %8.1f %8d %9.2f %9.2f %6d%n",
          r.machines(),
          r.lanes(),
          r.eventsPerSecond(),
          r.frames(),
          r.frameP50(),
          r.frameP95(),
          r.frameP99(),
          r.frameMax(),
          r.framesOver50(),
          r.redrawP50(),
          r.redrawP95(),
          r.drawn());
      if (json) {
        out.println(JSON.writeValueAsString(r)); // a record: its components as fields
      }
      out.flush();
    }
    ScrubRow s = scrub(1_000_000, 20);
    out.printf(
        Locale.ROOT,
        "scrub: a replay of %,d lines: read by serve in %.1f s, loaded by the page in %.1f s;"
            + " %d places from its start (position %d) to its end (%d of %d), each drawn in"
            + " p50 %.0f ms, max %.0f ms; page heap %.0f MB%n",
        s.lines(),
        s.serverLoadSeconds(),
        s.pageLoadSeconds(),
        s.seeks(),
        s.firstCursor(),
        s.lastCursor(),
        s.end(),
        s.seekP50(),
        s.seekMax(),
        s.heapMb());
    if (json) {
      out.println(JSON.writeValueAsString(s));
    }
    out.flush();
    return s.lastCursor() == s.end() && s.firstCursor() == 0 ? 0 : 1;
  }

  /** One row: {@code n} VMs at about {@code eventsPerSecond} in all, {@code seconds} measured. */
  public static Row measure(int n, int eventsPerSecond, int seconds)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("page-bench");
    int rate = Math.max(1, Math.round((float) eventsPerSecond / n));
    ModelConfig model =
        ModelConfig.builder()
            .machines(n)
            .tickRate(rate)
            .dieSides(Math.max(10, n + 7))
            .seed(7L)
            .build();
    Simulation.run(
        new Simulation.Config(model, Duration.ofSeconds(seconds + 10), 7, Simulation.DEFAULT_DELAY),
        dir);
    Feed feed = new Feed(n, 50_000, n + " simulated VMs (bench)", "live");
    Replay replay = Replay.of(Replay.logs(dir), feed, 1);
    Path profile = Files.createTempDirectory("page-bench-chromium");
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 2, null).start()) {
      Thread t = new Thread(replay, "bench-replay");
      t.setDaemon(true);
      t.start();
      Process chromium =
          new ProcessBuilder(
                  CHROMIUM.toString(),
                  "--headless=new",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--user-data-dir=" + profile,
                  "--window-size=1600,1000",
                  "--remote-debugging-port=0",
                  "http://127.0.0.1:" + server.port() + "/?bench=" + seconds)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("chromium.out").toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60);
      try {
        while (server.frames().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(200); // polling a measurement's end, not synchronising a test
        }
      } finally {
        chromium.destroy();
        if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
          chromium.destroyForcibly();
        }
        replay.stop();
      }
      if (server.frames().isEmpty()) {
        throw new IOException("the page posted no frame times within " + (seconds + 60) + " s");
      }
      JsonNode r = JSON.readTree(server.frames().get(0));
      double[] frames = numbers(r.get("frames"));
      double[] redraws = numbers(r.get("syncs"));
      return new Row(
          n,
          r.get("lanes").asInt(),
          eventsIn(r, seconds),
          frames.length,
          pct(frames, 50),
          pct(frames, 95),
          pct(frames, 99),
          frames.length == 0 ? 0 : frames[frames.length - 1],
          Arrays.stream(frames).filter(f -> f > 50).count(),
          pct(redraws, 50),
          pct(redraws, 95),
          r.get("drawn").asInt(),
          r.get("skipped").asLong());
    }
  }

  /** Events per second that reached the page while it was measured. */
  private static double eventsIn(JsonNode r, int seconds) {
    JsonNode a = r.get("seqAtStart");
    long start = a == null ? 0 : a.asLong();
    return (r.get("lastSeq").asLong() - start) / (double) seconds;
  }

  private static double[] numbers(JsonNode a) {
    List<Double> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asDouble()));
    double[] d = out.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(d);
    return d;
  }

  private static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
