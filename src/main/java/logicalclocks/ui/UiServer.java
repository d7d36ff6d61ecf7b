package logicalclocks.ui;

import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code serve}'s HTTP server (Javalin on Jetty): the page and its assets from the jar ({@code
 * /logicalclocks/ui}), {@code /events} (Server-Sent Events: a {@code hello}, then every {@value
 * #PERIOD_MS} ms a {@code batch} of the events since the last one with the gauges and the verdict
 * so far), {@code /api/state} (the gauges and verdict as JSON), {@code /logs/NAME} (a log file of
 * the replayed directory, nothing else) and {@code /api/frames} (the page's frame times, for {@code
 * bench}). At most {@code maxClients} browsers follow at once: one more is told why and closed.
 */
public final class UiServer implements AutoCloseable {
  static final long PERIOD_MS = 100;

  /** Events one batch carries at most (20,000 events/s): beyond, the page is told how many. */
  static final int MAX_BATCH = 2000;

  /**
   * Events of the buffer a browser that joins is sent per batch: the buffer in chunks (200,000 in a
   * second), not as one string of the whole (170 MB for a 256-VM run with vector clocks).
   */
  static final int CATCH_UP_BATCH = 20_000;

  /** Frame reports kept (the first is what {@code bench --page} reads): a flood is not kept. */
  static final int MAX_FRAMES = 16;

  /**
   * A browser whose last batch has not left for this long (it does not read: a frozen tab, a client
   * that never reads) is closed, freeing its place.
   */
  static final long STALLED_MS = 15_000;

  private static final Pattern LOG_NAME = Pattern.compile("machine_\\d{1,6}\\.log");

  private final Feed feed;
  private final int maxClients;
  private final String host;
  private final int port;
  private final Path logDir;
  private final Javalin app;
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final List<String> frames = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService pusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ui-push");
            t.setDaemon(true);
            return t;
          });

  /**
   * Each browser's batch is written by one of these, never by the pusher: a browser that does not
   * read blocks only its own writer, not the others' batches (nor the VMs' feed).
   */
  private final ExecutorService senders =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "ui-send");
            t.setDaemon(true);
            return t;
          });

  private static final class Client {
    final SseClient sse;
    long after;
    boolean sent;

    /** The violations it was sent. */
    int violations;

    /** Still being sent the buffer as it was when it joined (oldest first). */
    boolean catchingUp = true;

    /** When its batch in flight began to be written (ns), 0 when none is. */
    volatile long sending;

    Client(SseClient sse) {
      this.sse = sse;
    }
  }

  /**
   * @param logDir the replayed directory ({@code /logs/NAME} serves its files), or null
   */
  public UiServer(Feed feed, String host, int port, int maxClients, Path logDir) {
    this.feed = feed;
    this.host = host;
    this.port = port;
    this.maxClients = maxClients;
    this.logDir = logDir;
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jetty.host = host;
              config.jetty.port = port;
              config.staticFiles.add("/logicalclocks/ui", Location.CLASSPATH);
              config.routes.sse("/events", this::join);
              config.routes.get(
                  "/api/state", ctx -> ctx.contentType("application/json").result(feed.state()));
              config.routes.get(
                  "/logs/{name}",
                  ctx -> {
                    Path file = logFile(ctx.pathParam("name"));
                    if (file == null) {
                      ctx.status(404)
                          .result(
                              "no such log here: only machine_<id>.log files of the replayed directory are served\n");
                    } else {
                      ctx.contentType("text/plain; charset=utf-8")
                          .result(Files.newInputStream(file));
                    }
                  });
              config.routes.get(
                  "/api/predicate",
                  ctx -> {
                    var a = predicate(ctx.queryParam("expr"), ctx.queryParam("cut"));
                    ctx.status(a.status()).contentType("application/json").result(a.json());
                  });
              config.routes.post(
                  "/api/fork",
                  ctx -> {
                    var a =
                        fork(
                            ctx.queryParam("vm"),
                            ctx.queryParam("event"),
                            ctx.queryParam("line"),
                            ctx.queryParam("change"));
                    ctx.status(a.status()).contentType("application/json").result(a.json());
                  });
              config.routes.get(
                  "/forks/{id}/diff.html",
                  ctx -> {
                    Path page = forkPage(ctx.pathParam("id"));
                    if (page == null) {
                      ctx.status(404).result("no such fork here\n");
                    } else {
                      ctx.contentType("text/html; charset=utf-8")
                          .result(Files.newInputStream(page));
                    }
                  });
              config.routes.post(
                  "/api/frames",
                  ctx -> {
                    String body = ctx.body();
                    if (body.length() <= 1_000_000 && frames.size() < MAX_FRAMES) {
                      frames.add(body);
                    }
                    ctx.status(204);
                  });
            });
  }

  /** Forks made from this page, by number (from 1): each one's folder (its logs, its diff page). */
  private final java.util.List<Path> forks = new java.util.ArrayList<>();

  /** Most forks one server makes (each keeps its logs in a temporary folder until it exits). */
  static final int MAX_FORKS = 50;

  /**
   * Forks the replayed run at {@code vm}'s tick event {@code event} with {@code change} ({@link
   * logicalclocks.sim.Rerun}), compares it with the run ({@link
   * logicalclocks.analysis.diff.RunDiff}) and writes the comparison's page: {@code {"fork": n,
   * "page": "/forks/n/diff.html", "diff": "<diff's text>", "logs": "<folder>"}}, or {@code
   * {"error": "..."}} with 400 for a bad request, 404 when no finished run is replayed here, 422
   * when the run cannot be replayed.
   */
  synchronized PredicateAnswer fork(String vm, String event, String line, String change) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    if (logDir == null) {
      o.put(
          "error",
          "a fork is made from a finished run's logs: open its replay (serve --replay DIR)");
      return new PredicateAnswer(404, o.toString());
    }
    if (forks.size() >= MAX_FORKS) {
      o.put("error", "this server made " + MAX_FORKS + " forks already: restart it for more");
      return new PredicateAnswer(400, o.toString());
    }
    logicalclocks.sim.Rerun.Fork f;
    try {
      if (event == null && line != null) {
        event = Long.toString(tickAt(vm, line));
      }
    } catch (IllegalArgumentException bad) {
      o.put("error", bad.getMessage());
      return new PredicateAnswer(400, o.toString());
    }
    try {
      f = logicalclocks.sim.Rerun.Fork.parse(vm + ":" + event + ":" + change);
    } catch (IllegalArgumentException bad) {
      o.put("error", "this fork needs " + bad.getMessage());
      return new PredicateAnswer(400, o.toString());
    }
    try {
      Path dir = Files.createTempDirectory("logical-clocks-fork-");
      dir.toFile().deleteOnExit();
      logicalclocks.sim.Rerun.fork(
          logDir,
          dir,
          f,
          java.time.Duration.ofMillis(logicalclocks.sim.Simulation.DEFAULT_DELAY_MS));
      var diff = logicalclocks.analysis.diff.RunDiff.compare(logDir, dir);
      Path page = dir.resolve("diff.html");
      Files.writeString(
          page,
          logicalclocks.analysis.diff.DiffPage.html(diff, logDir, dir),
          java.nio.charset.StandardCharsets.UTF_8);
      if (forks.isEmpty()) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteForks, "ui-forks"));
      }
      forks.add(dir);
      int n = forks.size();
      o.put("fork", n);
      o.put("spec", f.toString());
      o.put("page", "/forks/" + n + "/diff.html");
      o.put("logs", dir.toString());
      o.put("diff", logicalclocks.analysis.diff.RunDiff.text(diff, logDir.toString(), "fork " + f));
      return new PredicateAnswer(200, o.toString());
    } catch (IllegalArgumentException bad) {
      o.put("error", "this fork needs " + bad.getMessage());
      return new PredicateAnswer(400, o.toString());
    } catch (logicalclocks.sim.Rerun.Unreproducible
        | logicalclocks.analysis.diff.RunDiff.BadRun
        | java.io.IOException e) {
      o.put("error", "the run cannot be forked: " + e.getMessage());
      return new PredicateAnswer(422, o.toString());
    }
  }

  /**
   * The tick event (from 1) that line {@code line} of VM {@code vm}'s log is.
   *
   * @throws IllegalArgumentException when there is no such line, or it is not a SEND, RECEIVE or
   *     INTERNAL
   */
  private long tickAt(String vm, String line) {
    int id;
    long n;
    try {
      id = Integer.parseInt(vm);
      n = Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "vm and line must be whole numbers, got vm '" + vm + "', line '" + line + "'");
    }
    Path f = logDir.resolve(logicalclocks.log.EventLogFormat.fileName(id));
    long ticks = 0;
    try (var c = logicalclocks.log.LogCursor.open(f)) {
      String text;
      while ((text = c.nextText()) != null) {
        var e = logicalclocks.log.EventLogFormat.parse(text);
        if (e.event().isTick()) {
          ticks++;
        }
        if (c.lines() == n) {
          if (!e.event().isTick()) {
            throw new IllegalArgumentException(
                "vm"
                    + id
                    + " line "
                    + n
                    + " is a "
                    + e.event()
                    + ": a fork changes a SEND, RECEIVE or INTERNAL");
          }
          return ticks;
        }
      }
    } catch (logicalclocks.log.EventLogReader.BadLogException
        | logicalclocks.event.LogFormatException e) {
      throw new IllegalArgumentException("vm" + id + "'s log cannot be read: " + e.getMessage());
    }
    throw new IllegalArgumentException("vm" + id + "'s log has no line " + n);
  }

  /** Deletes the forks' folders (on close, and when the JVM exits: Ctrl-C on serve). */
  private synchronized void deleteForks() {
    for (Path dir : forks) {
      try (var all = Files.walk(dir)) {
        for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      } catch (java.io.IOException | java.io.UncheckedIOException gone) {
        // already gone, or not ours to delete: nothing to do
      }
    }
  }

  private synchronized Path forkPage(String id) {
    try {
      int n = Integer.parseInt(id);
      return n >= 1 && n <= forks.size() ? forks.get(n - 1).resolve("diff.html") : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An answer of {@code /api/predicate}: its HTTP status and its JSON. */
  record PredicateAnswer(int status, String json) {}

  private logicalclocks.analysis.cuts.CutRun cuts;

  /** Longest predicate asked (the page refuses longer ones before asking: a URL's bound). */
  static final int MAX_PREDICATE = 2_000;

  /**
   * Asks a predicate of the replayed run ({@link logicalclocks.analysis.cuts.Question}): {@code
   * {"possibly": true|false|null, "witness": "0:3,1:5"|null, "definitely": ..., "at": ...,
   * "consistent": ...}}, or {@code {"error": "..."}} with 400 for a bad expression and 404 when no
   * finished run is replayed here.
   */
  synchronized PredicateAnswer predicate(String expr, String cut) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    if (logDir == null) {
      o.put(
          "error",
          "predicates are asked of a finished run's logs: open its replay (serve --replay DIR)");
      return new PredicateAnswer(404, o.toString());
    }
    if (expr == null || expr.isBlank() || expr.length() > MAX_PREDICATE) {
      o.put(
          "error",
          expr == null || expr.isBlank()
              ? "type a predicate, e.g. queue[0] >= 1 && queue[1] >= 1"
              : "a predicate of at most " + MAX_PREDICATE + " characters, got " + expr.length());
      return new PredicateAnswer(400, o.toString());
    }
    try {
      if (cuts == null) {
        cuts = logicalclocks.analysis.cuts.CutRun.read(logDir);
      }
      int[] at = null;
      if (cut != null && !cut.isEmpty()) {
        at = cutOf(cut, cuts);
        if (at == null) {
          o.put(
              "error",
              "cut '"
                  + (cut.length() > 80 ? cut.substring(0, 80) + "..." : cut)
                  + "' is not one of this run: expected 0:<events>,1:<events>,... for VMs 0.."
                  + (cuts.machines() - 1)
                  + ", each at most that VM's events");
          return new PredicateAnswer(400, o.toString());
        }
      }
      var q = logicalclocks.analysis.cuts.Question.ask(cuts, expr, at);
      put(o, "possibly", q.possibly());
      if (q.witness() == null) {
        o.putNull("witness");
      } else {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < q.witness().length; i++) {
          w.append(i == 0 ? "" : ",").append(i).append(':').append(q.witness()[i]);
        }
        o.put("witness", w.toString());
      }
      put(o, "definitely", q.definitely());
      put(o, "at", q.atCut());
      put(o, "consistent", q.consistent());
      return new PredicateAnswer(200, o.toString());
    } catch (logicalclocks.analysis.cuts.Expr.BadExpr
        | logicalclocks.analysis.cuts.Expr.Overflow e) {
      o.put("error", e.getMessage());
      return new PredicateAnswer(400, o.toString());
    } catch (logicalclocks.log.EventLogReader.BadLogException e) {
      o.put("error", "the replayed logs cannot be read as cuts: " + e.getMessage());
      return new PredicateAnswer(400, o.toString());
    }
  }

  /** A cut written {@code 0:a,1:b,...} naming every VM of {@code r} in order, in range; or null. */
  private static int[] cutOf(String text, logicalclocks.analysis.cuts.CutRun r) {
    String[] parts = text.split(",", -1);
    if (parts.length != r.machines()) {
      return null;
    }
    int[] at = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].matches("[0-9]{1,9}:[0-9]{1,9}")) {
        return null;
      }
      String[] kv = parts[i].split(":");
      if (Integer.parseInt(kv[0]) != i) {
        return null;
      }
      at[i] = Integer.parseInt(kv[1]);
      if (at[i] > r.events(i)) {
        return null;
      }
    }
    return at;
  }

  private static void put(com.fasterxml.jackson.databind.node.ObjectNode o, String k, Boolean v) {
    if (v == null) {
      o.putNull(k);
    } else {
      o.put(k, v.booleanValue());
    }
  }

  /** The file {@code name} of the replayed directory, or null when that is not one of its logs. */
  Path logFile(String name) throws IOException {
    if (logDir == null || name == null || !LOG_NAME.matcher(name).matches()) {
      return null;
    }
    Path dir = logDir.toRealPath();
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Path real = file.toRealPath();
    return real.getParent().equals(dir) ? real : null;
  }

  private void join(SseClient sse) {
    if (clients.size() >= maxClients) {
      sse.sendEvent(
          "refused",
          "this server already has "
              + clients.size()
              + " browser(s) following it, its limit (serve --max-clients "
              + maxClients
              + "); close one, or start serve with a larger --max-clients");
      sse.close();
      return;
    }
    Client c = new Client(sse);
    sse.onClose(() -> clients.remove(c));
    sse.sendEvent("hello", feed.hello(maxClients));
    clients.add(c);
    sse.keepAlive();
  }

  /**
   * Listens, and pushes batches every 100 ms. A port in use fails here before Jetty is asked (which
   * would log an ERROR of its own ahead of the caller's one-line error).
   */
  public UiServer start() {
    if (port != 0) {
      try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new java.net.InetSocketAddress(host, port));
      } catch (IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
    app.start();
    pusher.scheduleWithFixedDelay(this::push, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  private long pushes;

  private void push() {
    try {
      feed.endIfOver();
    } catch (RuntimeException e) {
      // the verdict's end checks are retried on the next push
    }
    boolean beat = ++pushes % 10 == 0; // the state at least once a second
    long now = System.nanoTime();
    for (Client c : clients) {
      if (c.sse.terminated()) {
        clients.remove(c);
        continue;
      }
      long since = c.sending;
      if (since != 0) {
        // still writing its last batch: it gets the events since then once that has left
        if (now - since > STALLED_MS * 1_000_000) {
          clients.remove(c);
          senders.execute(c.sse::close);
        }
        continue;
      }
      if (c.sent && c.after == feed.seq() && !beat) {
        continue;
      }
      Feed.Batch b =
          c.catchingUp
              ? feed.batch(c.after, CATCH_UP_BATCH, true, c.violations)
              : feed.batch(c.after, MAX_BATCH, false, c.violations);
      c.catchingUp = c.catchingUp && b.seq() < feed.seq();
      c.after = b.seq();
      c.violations = b.violations();
      c.sent = true;
      c.sending = now;
      senders.execute(
          () -> {
            try {
              c.sse.sendEvent("batch", b.json());
            } catch (RuntimeException e) {
              clients.remove(c); // gone mid-send
            } finally {
              c.sending = 0;
            }
          });
    }
  }

  public int port() {
    return app.port();
  }

  /** Browsers following now. */
  public int clients() {
    return clients.size();
  }

  /** What pages posted to {@code /api/frames}. */
  public List<String> frames() {
    return List.copyOf(frames);
  }

  @Override
  public void close() {
    deleteForks();
    pusher.shutdownNow();
    for (Client c : clients) {
      c.sse.close();
    }
    senders.shutdownNow();
    app.stop();
  }
}
