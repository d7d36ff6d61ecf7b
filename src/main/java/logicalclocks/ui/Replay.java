package logicalclocks.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import logicalclocks.analysis.live.WatchModel;
import logicalclocks.analysis.stream.HostTime;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;

/**
 * A finished run's logs ({@code machine_<id>.log} in one directory) fed to a {@link Feed} in the
 * order they happened: by host time (each VM's {@code ts} read back through its START's declared
 * clock, so a skewed VM's lines fall where the host saw them), then Lamport clock, VM id and line.
 * Wall order puts a restarted VM's START where it restarted, after the others' lines of the time it
 * was down (Lamport order put it among lines seconds earlier). Each VM's lines stay in their log's
 * order. Paced at {@code speed} times the run's own pace (0: as fast as it reads, what {@code serve
 * --replay} does: the page plays it at its own speed); a pause longer than {@value
 * #LONGEST_WAIT_MS} ms of the run is shortened to that. Each file is read as a stream. A line that
 * does not parse is fed in its place, at its VM's latest time (the page shows it as an error).
 */
public final class Replay implements Runnable {
  static final long LONGEST_WAIT_MS = 2000;

  /** A line longer than this (in characters) is cut and shown as unreadable. */
  static final int MAX_LINE = 1 << 20;

  private static final Pattern NAME = Pattern.compile("machine_(\\d{1,6})\\.log");

  private final SortedMap<Integer, Path> files;
  private final Feed feed;
  private final double speed;
  private volatile boolean stopped;
  private volatile boolean done;

  private record Head(
      int vm, long n, long host, long clock, String text, LogEvent event, String bad) {}

  private Replay(SortedMap<Integer, Path> files, Feed feed, double speed) {
    this.files = files;
    this.feed = feed;
    this.speed = speed;
  }

  /**
   * The run's logs in {@code dir}, by VM id; an error names the directory when it has none. A log
   * that is a link to a file outside {@code dir} is listed (its VM is shown failed) but never read.
   */
  public static SortedMap<Integer, Path> logs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory (expected a run's log directory)");
    }
    SortedMap<Integer, Path> found = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(
          p -> {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches() && Files.isRegularFile(p)) {
              found.put(Integer.parseInt(m.group(1)), p);
            }
          });
    }
    if (found.isEmpty()) {
      throw new IOException(dir + " has no machine_<id>.log files");
    }
    if (found.lastKey() >= ModelConfig.MAX_MACHINES) {
      throw new IOException(
          found.get(found.lastKey()).getFileName()
              + " names VM "
              + found.lastKey()
              + ", beyond the largest run ("
              + ModelConfig.MAX_MACHINES
              + " VMs, ids 0 to "
              + (ModelConfig.MAX_MACHINES - 1)
              + ")");
    }
    return found;
  }

  /**
   * Whether {@code p} is a file of its own directory (a symbolic link to one elsewhere is not: its
   * lines would reach every browser, as {@code /logs/NAME} refuses to serve it).
   */
  private static boolean inside(Path p) {
    try {
      return p.toRealPath().getParent().equals(p.toAbsolutePath().getParent().toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /** A replay of {@code files} (from {@link #logs}) into {@code feed}. */
  public static Replay of(SortedMap<Integer, Path> files, Feed feed, double speed) {
    return new Replay(files, feed, speed);
  }

  public void stop() {
    stopped = true;
  }

  /** Whether every line has been fed. */
  public boolean done() {
    return done;
  }

  @Override
  public void run() {
    int machines = feed.machines();
    LineReader[] in = new LineReader[machines];
    long[] numbers = new long[machines];
    long[] clocks = new long[machines];
    long[] hosts = new long[machines];
    java.util.Arrays.fill(hosts, Long.MIN_VALUE);
    String[] lastStop = new String[machines];
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.comparingLong(Head::host)
                .thenComparingLong(Head::clock)
                .thenComparingInt(Head::vm)
                .thenComparingLong(Head::n));
    HostTime host = new HostTime();
    try {
      for (int vm = 0; vm < machines; vm++) {
        Path p = files.get(vm);
        if (p == null) {
          feed.state(
              vm,
              WatchModel.State.ABSENT,
              "no " + EventLogFormat.fileName(vm) + " in the directory");
          continue;
        }
        if (!inside(p)) {
          feed.state(
              vm,
              WatchModel.State.FAILED,
              p.getFileName() + " links to a file outside the directory: not replayed");
          continue;
        }
        try {
          in[vm] = new LineReader(Files.newInputStream(p), MAX_LINE);
          next(in[vm], vm, numbers, clocks, hosts, host, heads);
        } catch (IOException e) {
          fail(vm, in, e);
        }
      }
      long firstHost = Long.MIN_VALUE;
      long latest = Long.MIN_VALUE;
      long paced = 0; // run ms already waited for
      long started = System.nanoTime();
      while (!heads.isEmpty() && !stopped) {
        Head h = heads.poll();
        long hostMs = h.host() == Long.MIN_VALUE ? System.currentTimeMillis() : h.host();
        if (h.event() != null) {
          if (h.event().event() == EventType.STOP) {
            lastStop[h.vm()] = h.event().get("reason");
          } else if (h.event().event() == EventType.START) {
            lastStop[h.vm()] = null;
          }
          if (firstHost == Long.MIN_VALUE) {
            firstHost = latest = hostMs;
          }
          if (speed > 0 && hostMs > latest) {
            paced += Math.min(hostMs - latest, LONGEST_WAIT_MS);
            latest = hostMs;
            long due = started + (long) (paced / speed * 1_000_000);
            for (long wait; (wait = due - System.nanoTime()) > 0 && !stopped; ) {
              LockSupport.parkNanos(Math.min(wait, 50_000_000L));
            }
          }
        }
        feed.line(h.vm(), h.text(), h.event(), h.bad(), hostMs);
        try {
          next(in[h.vm()], h.vm(), numbers, clocks, hosts, host, heads);
        } catch (IOException e) {
          fail(h.vm(), in, e);
        }
      }
      for (int vm = 0; vm < machines && !stopped; vm++) {
        if (in[vm] != null) {
          WatchModel.State end =
              lastStop[vm] == null
                      || WatchModel.State.FAILED != WatchModel.stateAfterStop(lastStop[vm])
                  ? WatchModel.State.FINISHED
                  : WatchModel.State.FAILED;
          feed.state(
              vm,
              end,
              lastStop[vm] == null ? "its log ends without a STOP" : "reason=" + lastStop[vm]);
        }
      }
      feed.endIfOver();
      done = true;
    } finally {
      for (LineReader r : in) {
        if (r != null) {
          try {
            r.close();
          } catch (IOException ignored) {
            // read only
          }
        }
      }
    }
  }

  /** VM {@code vm}'s log could not be read on: shown failed, with why; its other lines stay. */
  private void fail(int vm, LineReader[] in, IOException e) {
    if (in[vm] != null) {
      try {
        in[vm].close();
      } catch (IOException ignored) {
        // read only
      }
      in[vm] = null;
    }
    feed.state(vm, WatchModel.State.FAILED, "its log could not be read: " + e);
  }

  /**
   * VM {@code vm}'s next line into {@code heads}, keyed by its host time ({@code host} takes each
   * VM's lines in its log's order, so a START's declared clock applies to the lines after it); a
   * line that does not parse, or goes back in host time (a clock stepped back), takes its VM's
   * latest host time, so each VM's lines stay in order.
   */
  private static void next(
      LineReader r,
      int vm,
      long[] numbers,
      long[] clocks,
      long[] hosts,
      HostTime host,
      PriorityQueue<Head> heads)
      throws IOException {
    String line = r.readLine();
    if (line == null) {
      return;
    }
    if (r.cut()) {
      line =
          "line longer than "
              + MAX_LINE
              + " characters, cut: "
              + line.substring(0, Math.min(line.length(), 2000));
    }
    long n = ++numbers[vm];
    LogEvent e = null;
    String bad = null;
    try {
      e = EventLogFormat.parse(line);
      clocks[vm] = Math.max(clocks[vm], e.clock());
      host.line(vm, e);
      hosts[vm] = Math.max(hosts[vm], host.ms(vm, e.ts().toEpochMilli()));
    } catch (RuntimeException unreadable) {
      bad = String.valueOf(unreadable.getMessage()); // fed in its place, at its VM's latest time
    }
    heads.add(new Head(vm, n, hosts[vm], e == null ? clocks[vm] : e.clock(), line, e, bad));
  }
}
