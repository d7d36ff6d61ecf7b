package logicalclocks.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.clock.SpecifiedClock;
import logicalclocks.clock.VirtualClock;
import logicalclocks.config.ModelConfig;
import logicalclocks.event.EventLog;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.LogCursor;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.network.Retries;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.vm.DropReason;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;
import logicalclocks.vm.Transport;
import logicalclocks.vm.VirtualMachine;

/**
 * Re-executes a recorded run — from any driver: {@code local}, a node, compose, {@code chaos}, the
 * simulation — with the SAME {@link VirtualMachine} code, each VM fed the inputs its log recorded,
 * and checks that every line it writes is the recorded one, byte for byte.
 *
 * <p><b>Why the logs are enough.</b> A VM's step is a function of its state and four inputs: the
 * wall-clock reading ({@code ts}, which is also its hybrid clock's {@code pt}), the die roll
 * ({@code die=} on SEND and INTERNAL), whether its queue's head is a message and which (its inbox
 * is FIFO, so the heads are the RECEIVE lines in order), and what arrived when: the number of
 * messages that had entered its queue by each line is the receives so far plus that line's {@code
 * queue}. The rest is logged as it happens: a marker (SNAPSHOT), a send's fate (DROP with its
 * reason), skipped tick slots ({@code missed=}), a restart (START {@code resumed=true}, resumed
 * from the log written so far exactly as a node does, with {@link ResumePoint}). So nothing is
 * recorded besides the logs: 0 bytes per event. The content of each message comes from its sender's
 * re-executed SEND, so a receiver's RECEIVE reproduces only if its sender's SEND did.
 *
 * <p><b>Fork.</b> With a {@link Fork}, the run is replayed up to the forked VM's EVENT-th tick
 * event (and every other VM up to that instant, in host time), the change is applied there, and
 * from then on the run is simulated: dice from a stream seeded by the run's seed and the fork,
 * messages already on their way arrive when the recording says they did (or are dropped when it
 * says so), new ones after a seeded log-normal delay ({@link Simulation#delay}). Faults the
 * recording shows after the fork (kills, pauses) are not applied: the fork is a calm continuation.
 */
public final class Rerun {
  /** A recording that cannot be replayed as it is: the line and why. */
  public static final class Unreproducible extends Exception {
    public Unreproducible(String message) {
      super(message);
    }
  }

  /** What a fork changes at its event. */
  public sealed interface Change permits Die, Delay, Drop, Pause {}

  /** Another die roll. */
  public record Die(int roll) implements Change {}

  /** That SEND's messages held {@code ms} longer on the network. */
  public record Delay(long ms) implements Change {}

  /** That SEND's messages lost. */
  public record Drop() implements Change {}

  /** The VM paused for {@code ms} from that event on (its tick slots skipped). */
  public record Pause(long ms) implements Change {}

  /**
   * A fork: VM {@code vm}'s {@code event}-th tick event (SEND, RECEIVE, INTERNAL; from 1, counted
   * over its whole log, restarts included) happens with {@code change}.
   */
  public record Fork(int vm, long event, Change change) {
    /**
     * Parses {@code VM:EVENT:CHANGE} ({@code die=K}, {@code delay=MS}, {@code drop}, {@code
     * pause=MS}).
     *
     * @throws IllegalArgumentException naming what is wrong and the expected form
     */
    public static Fork parse(String text) {
      String form =
          "VM:EVENT:CHANGE with CHANGE one of die=K, delay=MS, drop, pause=MS (e.g. 1:40:die=3)";
      String[] p = text.split(":", 3);
      if (p.length != 3) {
        throw new IllegalArgumentException(form);
      }
      int vm;
      long event;
      try {
        vm = Integer.parseInt(p[0]);
        event = Long.parseLong(p[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(form);
      }
      if (vm < 0 || event < 1) {
        throw new IllegalArgumentException(form + ", VM 0 or more and EVENT 1 or more");
      }
      String c = p[2];
      Change change;
      try {
        if (c.equals("drop")) {
          change = new Drop();
        } else if (c.startsWith("die=")) {
          int k = Integer.parseInt(c.substring(4));
          if (k < 1) {
            throw new IllegalArgumentException("die=K with K of 1 or more");
          }
          change = new Die(k);
        } else if (c.startsWith("delay=")) {
          long ms = Long.parseLong(c.substring(6));
          if (ms < 1 || ms > 3_600_000) {
            throw new IllegalArgumentException("delay=MS with MS from 1 to 3600000");
          }
          change = new Delay(ms);
        } else if (c.startsWith("pause=")) {
          long ms = Long.parseLong(c.substring(6));
          if (ms < 1 || ms > 3_600_000) {
            throw new IllegalArgumentException("pause=MS with MS from 1 to 3600000");
          }
          change = new Pause(ms);
        } else {
          throw new IllegalArgumentException(form);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(form);
      }
      return new Fork(vm, event, change);
    }

    @Override
    public String toString() {
      String c;
      if (change instanceof Die d) {
        c = "die=" + d.roll();
      } else if (change instanceof Delay d) {
        c = "delay=" + d.ms();
      } else if (change instanceof Pause d) {
        c = "pause=" + d.ms();
      } else {
        c = "drop";
      }
      return vm + ":" + event + ":" + c;
    }
  }

  /**
   * What a rerun did.
   *
   * @param vms the VMs replayed
   * @param lines lines written
   * @param replayed lines reproduced from the recording (all of them, without a fork)
   * @param torn VMs whose recording ended in a line cut off mid-write (not replayed), with where
   */
  public record Result(int vms, long lines, long replayed, List<String> torn) {}

  /** Replays {@code in} into {@code out}; every line must come out as recorded. */
  public static Result replay(Path in, Path out) throws IOException, Unreproducible {
    return new Rerun(in, out, null, Simulation.DEFAULT_DELAY).execute();
  }

  /**
   * Replays {@code in} up to {@code fork}'s event, applies its change and simulates on, into {@code
   * out}; {@code delay} is the median network delay of the messages sent after the fork.
   */
  public static Result fork(Path in, Path out, Fork fork, Duration delay)
      throws IOException, Unreproducible {
    return new Rerun(in, out, fork, delay).execute();
  }

  // ---------------------------------------------------------------------------------------------

  private final Path in;
  private final Path out;
  private final Fork fork;
  private final long medianNanos;
  private final TreeMap<Integer, Lane> lanes = new TreeMap<>();

  /** Messages sent and not yet in their receiver's queue, by key ({@link #key}). */
  private final Map<Long, Message> sent = new HashMap<>();

  /** The latest outcome registered for each message not yet settled here, by key. */
  private final Map<Long, Transport.Outcome> outcomes = new HashMap<>();

  /** Recipient of each unsettled message, by key. */
  private final Map<Long, Integer> recipients = new HashMap<>();

  private long written;

  /** The snapshot ids of the SNAPSHOT lines written. */
  private final java.util.TreeSet<Long> snapshotsLogged = new java.util.TreeSet<>();

  private long reproduced;
  private boolean simulating;

  private Rerun(Path in, Path out, Fork fork, Duration delay) {
    this.in = in;
    this.out = out;
    this.fork = fork;
    this.medianNanos = delay.toNanos();
  }

  static long key(int sender, long sequence) {
    return ((long) sender << 40) | sequence;
  }

  static long key(String id) {
    int dash = id.indexOf('-');
    if (dash <= 0) {
      throw new LogFormatException("not a message id: '" + id + "'");
    }
    try {
      return key(Integer.parseInt(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new LogFormatException("not a message id: '" + id + "'");
    }
  }

  private static String idOf(long key) {
    return (key >>> 40) + "-" + (key & ((1L << 40) - 1));
  }

  private Result execute() throws IOException, Unreproducible {
    TreeMap<Integer, Path> files;
    try {
      files = EventLogReader.logFiles(in);
    } catch (EventLogReader.BadLogException e) {
      throw new Unreproducible(e.getMessage());
    }
    if (files.isEmpty()) {
      throw new Unreproducible(in + ": no machine_<id>.log files");
    }
    if (fork != null && !files.containsKey(fork.vm())) {
      throw new IllegalArgumentException("a VM of the run, one of " + files.keySet());
    }
    Files.createDirectories(out);
    try (var old = Files.list(out)) {
      for (Path p : old.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("machine_") && name.endsWith(".log")) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<Integer, Path> f : files.entrySet()) {
      lanes.put(f.getKey(), new Lane(f.getKey(), f.getValue()));
    }
    List<String> torn = new ArrayList<>();
    try {
      prepassAll();
      if (fork != null) {
        lanes.get(fork.vm()).locateFork();
      }
      try {
        replayAll();
        if (fork != null) {
          simulate();
        }
      } catch (Mismatch | IllegalStateException | IllegalArgumentException bad) {
        throw new Unreproducible(bad.getMessage());
      }
      for (Lane l : lanes.values()) {
        l.finish();
        if (l.tornAt != null) {
          torn.add(l.tornAt);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      for (Lane l : lanes.values()) {
        l.close();
      }
    }
    if (fork == null) {
      SnapshotFiles.clear(out);
      for (Path record : SnapshotFiles.files(in).values()) {
        Path to = out.resolve(in.relativize(record));
        Files.createDirectories(to.getParent());
        Files.copy(record, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } else {
      // a fork re-executes the VMs' events, not the snapshots' exchanges: each snapshot its logs
      // began is recorded as failed, naming the original record
      SnapshotFiles.clear(out);
      for (long id : snapshotsLogged) {
        SnapshotFiles.write(
            out,
            new logicalclocks.vm.Snapshots.Record(
                id,
                false,
                "not taken again in a fork (replay --fork re-executes the VMs' events, not the"
                    + " snapshots' exchanges); the original run's record: "
                    + SnapshotFiles.path(in, id),
                List.of()));
      }
    }
    return new Result(lanes.size(), written, reproduced, torn);
  }

  /** Each lane's pre-pass, side by side (they read one log each). */
  private void prepassAll() throws Unreproducible, IOException {
    List<java.util.concurrent.CompletableFuture<Void>> runs = new ArrayList<>();
    // its own threads: the common pool has one worker on two cores
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(1, Math.min(lanes.size(), Runtime.getRuntime().availableProcessors())),
            r -> {
              Thread t = new Thread(r, "replay-prepass");
              t.setDaemon(true);
              return t;
            });
    for (Lane l : lanes.values()) {
      runs.add(
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  l.prepass();
                } catch (Unreproducible | IOException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              },
              pool));
    }
    pool.shutdown();
    for (var r : runs) {
      try {
        r.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof Unreproducible u) {
          throw u;
        }
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
    }
  }

  /** Advances every lane as far as the recording lets it; fails when none can move. */
  private void replayAll() throws Unreproducible, IOException {
    while (true) {
      boolean moved = false;
      boolean open = false;
      for (Lane l : lanes.values()) {
        while (l.advance()) {
          moved = true;
        }
        open |= !l.held();
      }
      if (!open) {
        return;
      }
      if (!moved) {
        if (fork != null) {
          return; // the rest is simulated: a lane waiting for the fork's messages goes on there
        }
        StringBuilder why = new StringBuilder();
        for (Lane l : lanes.values()) {
          if (!l.held()) {
            why.append(why.isEmpty() ? "" : "; ").append(l.waiting());
          }
        }
        throw new Unreproducible("no VM can go on: " + why);
      }
    }
  }

  /** A growing array of longs. */
  private static final class LongList {
    long[] values = new long[1024];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  // ---- one VM ---------------------------------------------------------------------------------

  /** A recorded line: its text, parsed, and where it is. */
  private static final class Rec {
    final String text;
    final int number;
    final EventType type;
    final Instant ts;
    final int queue;
    final int vm;
    private LogEvent event;

    /**
     * A recorded line: a tick line read on the fast path (its type, ts, queue and vm; the rest is
     * compared byte for byte with the replayed line), any other parsed in full.
     */
    Rec(String text, int number, Path file) throws Unreproducible {
      this.text = text;
      this.number = number;
      EventType t = null;
      Instant at = null;
      int q = -1;
      int v = -1;
      try {
        String name = EventLogFormat.plainValue(text, "event");
        t = name == null ? null : EventType.valueOf(name);
        at = EventLogFormat.plainTs(text);
        q = Integer.parseInt(EventLogFormat.plainValue(text, "queue"));
        v = Integer.parseInt(EventLogFormat.plainValue(text, "vm"));
      } catch (RuntimeException notPlain) {
        t = null;
      }
      if (t == null || at == null || !t.isTick() || q < 0 || v < 0) {
        try {
          event = EventLogFormat.parse(text);
        } catch (LogFormatException e) {
          throw new Unreproducible(file + ":" + number + ": " + e.getMessage());
        }
        t = event.event();
        at = event.ts();
        q = event.queue();
        v = event.vm();
      }
      this.type = t;
      this.ts = at;
      this.queue = q;
      this.vm = v;
    }

    /** The line parsed in full (a tick line's on first use). */
    LogEvent event() {
      if (event == null) {
        event = EventLogFormat.parse(text);
      }
      return event;
    }

    String plain(String key) {
      return EventLogFormat.plainValue(text, key);
    }
  }

  private final class Lane implements EventLog {
    final int id;
    final Path file;
    final ArrayDeque<Rec> ahead = new ArrayDeque<>();
    String tornAt;

    /** Arrival order: the keys of the messages entering its queue, in order. */
    long[] arrivals = new long[64];

    /** Host time (ms) by which each arrival had happened, per the recording. */
    long[] arrivalMs = new long[64];

    int arrivalCount;

    /** Messages this VM's log says it dropped: key -> host ms of the DROP line. */
    final Map<Long, Long> dropped = new HashMap<>();

    /** Their reasons. */
    final Map<Long, String> dropReasons = new HashMap<>();

    List<ClockKind<?>> kinds = List.of();
    PhysicalClock.Spec spec = PhysicalClock.Spec.EXACT;
    long firstStartTs;
    boolean started;

    int delivered;
    long receives;
    long ticks;

    /** After a fork: each line's host time, as the prepass estimated it. */
    final LongList lineHost = new LongList();

    /** Steps of its clock seen so far in its log (their sum, ms), and the next one to look for. */
    long stepsSeen;

    int nextStep;
    long previousTs = Long.MIN_VALUE;

    /** How long before its START its clock was made, as its first step shows (-1: not shown). */
    long clockMadeBefore = -1;

    /** Its clock's spec with its steps where its log shows them (a fork's clock goes on so). */
    PhysicalClock.Spec specAsLogged() {
      if (clockMadeBefore <= 0) {
        return spec;
      }
      List<PhysicalClock.Step> steps = new ArrayList<>();
      for (PhysicalClock.Step st : spec.steps()) {
        steps.add(new PhysicalClock.Step(Math.max(0, st.atMs() - clockMadeBefore), st.byMs()));
      }
      return new PhysicalClock.Spec(spec.offsetMs(), spec.driftPpm(), steps);
    }

    /** After a fork: messages that reached this VM before its START. */
    final List<Message> early = new ArrayList<>();

    /** Where its replayed lines go (machine_<id>.log in the output folder). */
    java.io.OutputStream writer;

    final logicalclocks.log.LineMatcher matcher = new logicalclocks.log.LineMatcher();

    Path outFile() {
      return out.resolve(EventLogFormat.fileName(id));
    }

    VirtualMachine vm;
    Inbox inbox;
    final ReplayClock clock = new ReplayClock();
    final ReplayDie die = new ReplayDie();
    long tickAfter; // arrivals to deliver in the die's window (SEND/INTERNAL)
    Unreproducible failure;

    /** The fork: the tick number at which this lane leaves the recording (Long.MAX: never). */
    long forkTick = Long.MAX_VALUE;

    /** The fork's instant in host ms (for every lane). */
    long forkHostMs = Long.MAX_VALUE;

    boolean leftRecording;

    /** Host time of its last recorded line: after a fork, it STOPs then (or once all is done). */
    long endHostMs;

    String endReason = "finished";

    Lane(int id, Path file) {
      this.id = id;
      this.file = file;
    }

    // -- the pre-pass: arrival order, drops, clock kinds, the declared clock

    void prepass() throws Unreproducible, IOException {
      long r = 0;
      LongList received = new LongList();
      LongList receivedMs = new LongList();
      long arrivedCount = 0;
      long[] lastStopQueued = null;
      long lastStopMs = 0;
      boolean sawTick = false;
      long lastHost = Long.MIN_VALUE;
      try (LogCursor c = open(file)) {
        while (true) {
          String text;
          try {
            text = c.nextText();
          } catch (EventLogReader.BadLogException e) {
            if (e.getMessage().contains("truncated")) {
              break; // the last line was cut off by a kill: replay what is whole
            }
            throw new Unreproducible(e.getMessage());
          }
          if (text == null) {
            break;
          }
          Rec e = new Rec(text, c.lines(), file);
          if (e.vm != id) {
            throw new Unreproducible(where(c.lines()) + ": vm=" + e.vm + " in the log of vm " + id);
          }
          if (e.type == EventType.START && !started) {
            started = true;
            firstStartTs = e.ts.toEpochMilli();
            VirtualMachine.DeclaredClock d = VirtualMachine.declaredClockOf(e.event());
            if (d.spec() == null) {
              throw new Unreproducible(where(c.lines()) + ": " + d.error());
            }
            spec = d.spec();
          }
          if (!started) {
            throw new Unreproducible(where(c.lines()) + ": the log does not begin with START");
          }
          // never back within a log
          long host = Math.max(lastHost, hostOf(e));
          lastHost = host;
          if (fork != null) {
            lineHost.add(host);
          }
          if (e.type.isTick() && !sawTick) {
            sawTick = true;
            List<ClockKind<?>> k = new ArrayList<>();
            for (String name : e.event().extra().keySet()) {
              ClockKind<?> kind = ClockKinds.keyed(name);
              if (kind != null) {
                k.add(kind);
              }
            }
            kinds = List.copyOf(k);
          }
          lastStopQueued = null;
          endReason = "finished";
          switch (e.type) {
            case RECEIVE -> {
              String msg = e.plain("msg");
              if (msg == null) {
                throw new Unreproducible(where(c.lines()) + ": a RECEIVE without msg=");
              }
              received.add(key(msg));
              r++;
            }
            case DROP -> {
              dropped.put(key(e.event().get("msg")), host);
              dropReasons.put(key(e.event().get("msg")), e.event().get("reason"));
            }
            case STOP -> {
              LogEvent stop = e.event();
              List<String> q = stop.get("queued") == null ? List.of() : stop.list("queued");
              lastStopQueued = q.stream().mapToLong(Rerun::key).toArray();
              lastStopMs = host;
              endReason = stop.get("reason");
            }
            default -> {}
          }
          long arrived = r + e.queue;
          if (fork != null) {
            recordForFork(e, host, receivedMs.size, arrived);
          }
          while (receivedMs.size < arrived) {
            receivedMs.add(host);
          }
          arrivedCount = Math.max(arrivedCount, arrived);
          endHostMs = host;
        }
      } catch (LogFormatException e) {
        throw new Unreproducible(e.getMessage());
      }
      if (!started) {
        throw new Unreproducible(file + ": empty file (no START line)");
      }
      if (lastStopQueued != null) {
        for (long k : lastStopQueued) {
          received.add(k);
        }
      }
      arrivalCount = received.size;
      arrivals = received.values;
      arrivalMs = new long[arrivalCount];
      for (int i = 0; i < arrivalCount; i++) {
        arrivalMs[i] = i < receivedMs.size ? receivedMs.values[i] : lastStopMs;
      }
      reader = new Thread(this::readAhead, "replay-read-" + id);
      reader.setDaemon(true);
      reader.start();
    }

    /** Batches of recorded lines read and sorted ahead, then an {@link End}. */
    final java.util.concurrent.BlockingQueue<Object> batches =
        new java.util.concurrent.ArrayBlockingQueue<>(8);

    Thread reader;
    boolean ended;

    /** The end of the recording: where a cut-off line is, or what stopped the reading. */
    record End(String tornAt, Unreproducible error) {}

    /** The reader thread: lines parsed on the fast path, 2,048 at a time. */
    void readAhead() {
      Object last;
      try (LogCursor c = open(file)) {
        List<Rec> batch = new ArrayList<>(2048);
        String torn = null;
        while (true) {
          String text;
          try {
            text = c.nextText();
          } catch (EventLogReader.BadLogException e) {
            torn = file + ":" + (c.lines() + 1);
            break;
          }
          if (text == null) {
            break;
          }
          batch.add(new Rec(text, c.lines(), file));
          if (batch.size() == 2048) {
            batches.put(batch);
            batch = new ArrayList<>(2048);
          }
        }
        if (!batch.isEmpty()) {
          batches.put(batch);
        }
        last = new End(torn, null);
      } catch (Unreproducible e) {
        last = new End(null, e);
      } catch (InterruptedException e) {
        return; // the replay is over
      }
      try {
        batches.put(last);
      } catch (InterruptedException e) {
        // the replay is over
      }
    }

    LogCursor open(Path f) throws Unreproducible {
      try {
        return LogCursor.open(f);
      } catch (EventLogReader.BadLogException e) {
        throw new Unreproducible(e.getMessage());
      }
    }

    // -- what a fork keeps of the recording after its event: each VM's tick times, skipped slots
    // and die rolls, and each message's time on the network (or its drop)

    /** Host time (ms) of each recorded tick line, in order. */
    final LongList tickMs = new LongList();

    /** Skipped slots before a recorded tick line, by its index. */
    final Map<Integer, Long> tickMissed = new HashMap<>();

    /** The recorded die rolls, in order. */
    final LongList rolls = new LongList();

    /** Host time (ms) each of its messages was sent, by key. */
    final Map<Long, Long> sendMs = new HashMap<>();

    /**
     * Whether each arrival (by index) came before its line's poll (false: in the die's window of a
     * SEND or INTERNAL, after the poll found the queue empty).
     */
    final java.util.BitSet arrivedAfterPoll = new java.util.BitSet();

    void recordForFork(Rec e, long host, int arrivedBefore, long arrivedNow) throws Unreproducible {
      if (e.type.isTick()) {
        if (e.text.contains(" " + VirtualMachine.MISSED_KEY + "=")) {
          tickMissed.put(tickMs.size, VirtualMachine.missedOf(e.event()));
        }
        tickMs.add(host);
      }
      if (e.type == EventType.SEND || e.type == EventType.INTERNAL) {
        String d = e.plain("die");
        try {
          rolls.add(d == null ? -1 : Integer.parseInt(d));
        } catch (NumberFormatException bad) {
          rolls.add(-1);
        }
        if (e.type == EventType.SEND) {
          String msgs = e.plain("msg");
          if (msgs != null) {
            for (String m : msgs.split(",")) {
              sendMs.put(key(m), host);
            }
          }
        }
        arrivedAfterPoll.set(arrivedBefore, (int) Math.max(arrivedBefore, arrivedNow));
      }
    }

    /** Arrival index by message key, made when a fork first asks. */
    Map<Long, Integer> arrivalIndex;

    int arrivalOf(long k) {
      if (arrivalIndex == null) {
        arrivalIndex = new HashMap<>();
        for (int i = 0; i < arrivalCount; i++) {
          arrivalIndex.putIfAbsent(arrivals[i], i);
        }
      }
      Integer i = arrivalIndex.get(k);
      return i == null ? -1 : i;
    }

    /**
     * The host time of line {@code e} of this VM's log (read in order): its {@code ts} with the
     * declared offset and drift undone, and each declared step undone from the line where the log
     * shows it — the clock going back, or jumping ahead by the step — since a step counts from when
     * the clock was made, before START, so its declared time is only a bound (within 2 s before
     * it); a step the log does not show is undone from its declared time.
     */
    long hostOf(Rec e) {
      long ts = e.ts.toEpochMilli();
      long elapsed = ts - firstStartTs;
      List<PhysicalClock.Step> steps = spec.steps();
      while (nextStep < steps.size()) {
        PhysicalClock.Step s = steps.get(nextStep);
        long gap = previousTs == Long.MIN_VALUE ? 0 : ts - previousTs;
        boolean shows = s.byMs() < 0 ? gap < 0 : s.byMs() > 0 && gap >= s.byMs();
        boolean near = elapsed - Math.min(0, s.byMs()) >= s.atMs() - 2000;
        boolean late = elapsed - Math.min(0, s.byMs()) > s.atMs() + 200;
        if ((shows && near) || late) {
          stepsSeen += s.byMs();
          nextStep++;
          if (shows && near && clockMadeBefore < 0) {
            // the clock was made this long before START: its steps come that much earlier
            long hostNow =
                ts
                    - spec.offsetMs()
                    - Math.floorDiv(elapsed * spec.driftPpm(), 1_000_000L)
                    - stepsSeen;
            clockMadeBefore = Math.max(0, s.atMs() - (hostNow - (firstStartTs - spec.offsetMs())));
          }
        } else {
          break;
        }
      }
      previousTs = ts;
      long adj = spec.offsetMs() + Math.floorDiv(elapsed * spec.driftPpm(), 1_000_000L) + stepsSeen;
      return ts - adj;
    }

    String where(int line) {
      return file + ":" + line;
    }

    LogEvent parse(String text, int line) throws Unreproducible {
      try {
        return EventLogFormat.parse(text);
      } catch (LogFormatException e) {
        throw new Unreproducible(where(line) + ": " + e.getMessage());
      }
    }

    /** The k-th recorded line ahead (0: the next), or null past the end. */
    Rec peek(int k) throws Unreproducible {
      while (ahead.size() <= k && !ended) {
        Object next;
        try {
          next = batches.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Unreproducible("interrupted");
        }
        if (next instanceof End end) {
          ended = true;
          tornAt = end.tornAt();
          if (end.error() != null) {
            throw end.error();
          }
        } else {
          @SuppressWarnings("unchecked")
          List<Rec> batch = (List<Rec>) next;
          ahead.addAll(batch);
        }
      }
      if (ahead.size() <= k) {
        return null;
      }
      int i = 0;
      for (Rec r : ahead) {
        if (i++ == k) {
          return r;
        }
      }
      return null;
    }

    void closeCursor() {
      if (reader != null) {
        reader.interrupt();
      }
    }

    /** Arrivals by line {@code r}, given {@code receivesBefore} receives before it. */
    long arrivedBy(Rec r, long receivesBefore) {
      return receivesBefore + (r.type == EventType.RECEIVE ? 1 : 0) + r.queue;
    }

    /** Whether the recording is done with this lane (or it left it at the fork). */
    boolean held() throws Unreproducible {
      return leftRecording || peek(0) == null;
    }

    String waiting() throws Unreproducible {
      Rec r = peek(0);
      if (failure != null) {
        return failure.getMessage();
      }
      String msg = delivered < arrivalCount ? idOf(arrivals[delivered]) : "?";
      int sender = delivered < arrivalCount ? (int) (arrivals[delivered] >>> 40) : -1;
      return "vm "
          + id
          + " waits at "
          + where(r.number)
          + " for message "
          + msg
          + (sender >= 0 && !lanes.containsKey(sender)
              ? ", from vm "
                  + sender
                  + ", whose log ("
                  + EventLogFormat.fileName(sender)
                  + ") is not in "
                  + in
              : ", which no SEND replayed so far sent (vm "
                  + sender
                  + "'s log ends before it, or is another run's)");
    }

    /** Whether arrivals up to {@code upTo} can be delivered now. */
    boolean available(long upTo, Rec at) throws Unreproducible {
      if (upTo > arrivalCount) {
        throw new Unreproducible(
            where(at.number)
                + ": its queue holds a message the log never names (it arrived after the"
                + " last line that takes one, and no STOP lists it): the recording cannot say"
                + " which message it was");
      }
      for (int i = delivered; i < upTo; i++) {
        if (!sent.containsKey(arrivals[i])) {
          return false;
        }
      }
      return true;
    }

    void deliver(long upTo) {
      while (delivered < upTo) {
        long k = arrivals[delivered++];
        Message m = sent.remove(k);
        Inbox.Offer o = inbox.offer(m);
        if (o != Inbox.Offer.ACCEPTED) {
          throw new IllegalStateException("message " + m.id() + " offered again: " + o);
        }
        settleDelivered(k);
      }
    }

    /**
     * One step of the recording (a START, DROP, STOP, or a step's SNAPSHOT lines and tick line),
     * when every message it needs was sent; false when it cannot move now.
     */
    boolean advance() throws Unreproducible, IOException {
      if (leftRecording) {
        return false;
      }
      Rec r = peek(0);
      if (r == null) {
        return false;
      }
      long host = fork == null ? 0 : lineHost.values[r.number - 1]; // as the prepass found it
      if (fork != null && !simulating) {
        if (fork.vm() == id ? ticks + 1 >= forkTick && firstTickAhead() : host > forkHostMs) {
          leave(r);
          return false;
        }
      }
      LogEvent e = r.type.isTick() ? null : r.event();
      switch (r.type) {
        case START -> {
          long a = arrivedBy(r, receives);
          if (!available(a, r)) {
            return false;
          }
          startIncarnation(r, a);
        }
        case DROP -> {
          long a = arrivedBy(r, receives);
          if (!available(a, r)) {
            return false;
          }
          deliver(a);
          long k = key(e.get("msg"));
          Transport.Outcome o = outcomes.remove(k);
          if (o == null) {
            throw new Unreproducible(
                where(r.number)
                    + ": DROP of message "
                    + e.get("msg")
                    + ", which this VM has no send of under way");
          }
          recipients.remove(k);
          o.dropped(e.get("reason"));
          vm.drainDrops();
        }
        case STOP -> {
          long a = arrivedBy(r, receives);
          if (!available(a, r)) {
            return false;
          }
          deliver(a);
          long missed = missedOf(r);
          if (missed > 0) {
            vm.skipTicks(missed);
          }
          vm.stop(e.get("reason") == null ? "finished" : e.get("reason"));
        }
        case SNAPSHOT, SEND, RECEIVE, INTERNAL -> {
          int k = 0;
          while (peek(k) != null && peek(k).type == EventType.SNAPSHOT) {
            k++;
          }
          Rec tick = peek(k);
          if (tick == null || !tick.type.isTick()) {
            throw new Unreproducible(
                where(r.number)
                    + ": a SNAPSHOT line not followed by its step's SEND, RECEIVE or INTERNAL");
          }
          long a = arrivedBy(tick, receives);
          if (!available(a, tick)) {
            return false;
          }
          // before the step's poll: what had arrived by its SNAPSHOT line, or by its RECEIVE; a
          // SEND or INTERNAL polled an empty queue (what arrived in its step comes in the die's)
          if (r.type == EventType.SNAPSHOT || r.type == EventType.RECEIVE) {
            deliver(arrivedBy(r, receives));
          }
          if (r.type == EventType.SNAPSHOT) {
            vm.inbox().announce(VirtualMachine.snapshotOf(r.event()));
          }
          long missed = missedOf(tick);
          if (missed > 0) {
            vm.skipTicks(missed);
          }
          tickAfter = a;
          die.next = -1;
          if (tick.type != EventType.RECEIVE) {
            String d = tick.plain("die");
            try {
              die.next = d == null ? -1 : Integer.parseInt(d);
            } catch (NumberFormatException bad) {
              throw new Unreproducible(where(tick.number) + ": die=" + d + " is not a roll");
            }
          }
          vm.step();
        }
      }
      if (failure != null) {
        throw failure;
      }
      return true;
    }

    /** Whether the next line begins a step (its SNAPSHOT lines, if any, or its tick line). */
    boolean firstTickAhead() throws Unreproducible {
      EventType t = peek(0).type;
      return t == EventType.SNAPSHOT || t.isTick();
    }

    /**
     * The lane leaves the recording before line {@code r}: the rest is simulated. The forked VM's
     * markers logged in its fork step came before it: they are announced.
     */
    void leave(Rec r) throws Unreproducible {
      leftRecording = true;
      if (id != fork.vm() || vm == null) {
        return;
      }
      int k = 0;
      while (peek(k) != null && peek(k).type == EventType.SNAPSHOT) {
        vm.inbox().announce(VirtualMachine.snapshotOf(peek(k).event()));
        k++;
      }
    }

    long missedOf(Rec r) throws Unreproducible {
      try {
        return r.text.contains(" " + VirtualMachine.MISSED_KEY + "=")
            ? VirtualMachine.missedOf(r.event())
            : 0;
      } catch (LogFormatException e) {
        throw new Unreproducible(where(r.number) + ": " + e.getMessage());
      }
    }

    void startIncarnation(Rec r, long arrived) throws IOException, Unreproducible {
      LogEvent e = r.event();
      List<Message> queued = new ArrayList<>();
      if (vm != null) {
        queued.addAll(vm.inbox().close()); // its journal kept its queue for the restart
        writer.close();
      }
      String peers = e.get("peers");
      List<Integer> others = new ArrayList<>();
      if (peers != null && !peers.isEmpty()) {
        for (String p : peers.split(",")) {
          others.add(Integer.parseInt(p));
        }
      }
      VirtualMachine.Setup setup;
      try {
        setup =
            new VirtualMachine.Setup(
                id,
                others,
                (int) e.longValue("rate"),
                (int) e.longValue("sides"),
                e.longValue("seed"),
                kinds,
                e.get(VirtualMachine.RUN_ID_KEY));
      } catch (RuntimeException bad) {
        throw new Unreproducible(where(r.number) + ": " + bad.getMessage());
      }
      boolean resumed = "true".equals(e.get("resumed"));
      if (simulating) {
        queued.addAll(early); // what reached it before its START (after the fork)
        early.clear();
      }
      writer =
          new java.io.BufferedOutputStream(
              new java.io.FileOutputStream(outFile().toFile(), resumed), 1 << 16);
      inbox = new Inbox(Integer.MAX_VALUE);
      for (Message m : queued) {
        inbox.offer(m);
      }
      deliver(arrived);
      if (!resumed && vm != null) {
        throw new Unreproducible(
            where(r.number) + ": a second START that does not say resumed=true");
      }
      ResumePoint from = ResumePoint.FRESH;
      if (resumed) {
        try {
          // as a node resumes: from its log as written so far (this replay's, the same lines)
          from = ResumePoint.of(outFile(), id, Duration.ofDays(3650));
        } catch (EventLogReader.BadLogException bad) {
          throw new Unreproducible(where(r.number) + ": " + bad.getMessage());
        }
      }
      vm = from.vm(new logicalclocks.vm.Assembly(setup, die, clock), transport, this, inbox);
      vm.start();
      for (ResumePoint.Resend s : from.resend()) {
        vm.resend(s.to(), s.message());
      }
    }

    void locateFork() throws Unreproducible, IOException {
      // the fork's host time: that of the forked VM's EVENT-th tick line, found in a scan
      long n = 0;
      try (LogCursor c = LogCursor.open(file)) {
        String text;
        while ((text = nextWhole(c)) != null) {
          LogEvent e = parse(text, c.lines());
          if (e.event().isTick() && ++n == fork.event()) {
            long at = tickMs.values[(int) n - 1]; // as the prepass has it
            checkChange(e, c.lines());
            for (Lane l : lanes.values()) {
              l.forkHostMs = at;
            }
            forkTick = fork.event();
            return;
          }
        }
      } catch (EventLogReader.BadLogException e) {
        throw new Unreproducible(e.getMessage());
      }
      throw new IllegalArgumentException(
          "an EVENT from 1 to " + n + ": vm " + id + "'s tick events (SEND, RECEIVE, INTERNAL)");
    }

    void checkChange(LogEvent e, int line) {
      if (fork.change() instanceof Die d) {
        {
          if (e.event() == EventType.RECEIVE) {
            throw new IllegalArgumentException(
                "a SEND or INTERNAL for die=K (a die rolled): event "
                    + fork.event()
                    + " of vm "
                    + id
                    + " is a RECEIVE ("
                    + where(line)
                    + ")");
          }
          int sides = 0;
          try {
            sides = (int) EventLogReader.first(file).longValue("sides");
          } catch (EventLogReader.BadLogException | RuntimeException ignored) {
            sides = Integer.MAX_VALUE;
          }
          if (d.roll() > sides) {
            throw new IllegalArgumentException(
                "die=K with K from 1 to the die's " + sides + " sides");
          }
        }
      } else if (!(fork.change() instanceof Pause)) {
        requireSend(e, line);
      }
    }

    void requireSend(LogEvent e, int line) {
      if (e.event() != EventType.SEND) {
        throw new IllegalArgumentException(
            "a SEND for "
                + (fork.change() instanceof Drop ? "drop" : "delay=MS")
                + " (it changes a SEND's messages): event "
                + fork.event()
                + " of vm "
                + id
                + " is "
                + (e.event() == EventType.INTERNAL ? "an " : "a ")
                + e.event()
                + " ("
                + where(line)
                + ")");
      }
    }

    String nextWhole(LogCursor c) throws EventLogReader.BadLogException {
      try {
        return c.nextText();
      } catch (EventLogReader.BadLogException e) {
        if (e.getMessage().contains("truncated")) {
          return null;
        }
        throw e;
      }
    }

    // -- the log: every line written is checked against the recording

    @Override
    public void append(LogEvent e) {
      matcher.encode(e);
      try {
        matcher.writeTo(writer);
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
      written++;
      if (e.event().isTick()) {
        ticks++;
      }
      if (e.event() == EventType.RECEIVE) {
        receives++;
      }
      if (e.event() == EventType.SNAPSHOT) {
        snapshotsLogged.add(VirtualMachine.snapshotOf(e));
      }
      if (leftRecording) {
        return;
      }
      Rec r = ahead.pollFirst();
      if (r == null || !matcher.matches(r.text)) {
        throw new Mismatch(
            (r == null ? file + ": past its last line" : where(r.number))
                + (r == null ? "" : ": " + differences(matcher.text(), r.text))
                + "\n  replayed "
                + matcher.text()
                + (r == null ? "" : "\n  recorded " + r.text));
      }
      reproduced++;
      Rec next = ahead.peekFirst();
      if (next != null && next.type == EventType.RECEIVE && e.event() == EventType.SNAPSHOT) {
        deliver(tickAfter);
      }
    }

    void close() {
      closeCursor();
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException ignored) {
          // reported by finish when it matters
        }
      }
    }

    void finish() throws Unreproducible, IOException {
      if (fork == null && peek(0) != null) {
        throw new Unreproducible(waiting());
      }
      if (writer != null) {
        writer.close();
      }
    }

    // -- its clock and die

    /** Reads the recorded time of the line about to be written; after the fork, simulated time. */
    final class ReplayClock extends Clock implements SpecifiedClock {
      Clock simulated;

      @Override
      public PhysicalClock.Spec spec() {
        return spec;
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        if (simulated != null) {
          return simulated.instant();
        }
        Rec r = ahead.peekFirst();
        if (r == null) {
          throw new IllegalStateException("vm " + id + " reads its clock past its recording");
        }
        return r.ts;
      }
    }

    /** Returns the recorded roll, delivering what arrived in the roll's window first. */
    final class ReplayDie implements RandomGenerator {
      int next = -1;
      RandomGenerator simulated;
      int forced = -1;

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("a replayed die only rolls nextInt(1, sides + 1)");
      }

      /** Rolls made so far (the index of the next recorded roll). */
      int used;

      @Override
      public int nextInt(int origin, int bound) {
        if (simulated != null) {
          int recorded = used < rolls.size ? (int) rolls.values[used] : -1;
          used++;
          if (forced > 0) {
            int k = forced; // in place of the recorded roll
            forced = -1;
            return k;
          }
          // the same die as recorded, roll for roll; past its recording, a seeded one
          return recorded >= origin && recorded < bound
              ? recorded
              : simulated.nextInt(origin, bound);
        }
        used++;
        deliver(tickAfter);
        int k = next;
        next = -1;
        if (k < origin || k >= bound) {
          Rec r = ahead.peekFirst();
          throw new Mismatch(
              (r == null ? file.toString() : where(r.number))
                  + ": the VM rolled its die, and the recorded line has "
                  + (k < 0 ? "no die roll" : "die=" + k + ", outside 1.." + (bound - 1)));
        }
        return k;
      }
    }
  }

  /** Which keys two lines disagree on: the why of a line not reproduced. */
  static String differences(String replayed, String recorded) {
    Map<String, String> a = fields(replayed);
    Map<String, String> b = fields(recorded);
    List<String> keys = new ArrayList<>();
    for (String k : a.keySet()) {
      if (!a.get(k).equals(b.get(k))) {
        keys.add(k);
      }
    }
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        keys.add(k);
      }
    }
    String why =
        keys.isEmpty()
            ? "the line is written otherwise (the same keys and values in another form)"
            : "the re-executed VM writes other " + String.join(", ", keys) + " than the log";
    boolean receive = "RECEIVE".equals(a.get("event"));
    if (receive != "RECEIVE".equals(b.get("event"))) {
      why +=
          " (it "
              + (receive ? "found a message in its queue" : "found its queue empty")
              + ": the queue= of the lines before says what had arrived, so a wrong one shows here)";
    }
    return why;
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String kv : line.split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return out;
  }

  /** A replayed line that is not the recorded one. */
  private static final class Mismatch extends RuntimeException {
    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  // ---- the transport between the lanes -----------------------------------------------------

  private final Transport transport =
      new Transport() {
        @Override
        public void send(int to, Message message, Outcome outcome) {
          long k = key(message.sender(), message.sequence());
          outcomes.put(k, outcome);
          recipients.put(k, to);
          if (simulating) {
            simulatedSend(to, message, outcome, k);
          } else {
            sent.put(k, message);
          }
        }

        @Override
        public void resend(int to, Message message, Outcome outcome) {
          long k = key(message.sender(), message.sequence());
          if (outcomes.containsKey(k) || sent.containsKey(k)) {
            outcomes.put(k, outcome);
            recipients.put(k, to);
          }
        }
      };

  /** Its receiver took it: its sender learns so, unless its log says it dropped it. */
  private void settleDelivered(long k) {
    Lane sender = lanes.get((int) (k >>> 40));
    if (sender != null && sender.dropped.containsKey(k)) {
      return; // its DROP line reports it (an Ack lost: the receiver took it, the sender gave up)
    }
    Transport.Outcome o = outcomes.remove(k);
    recipients.remove(k);
    if (o != null) {
      o.delivered();
    }
  }

  // ---- after a fork: the simulation --------------------------------------------------------

  private final Agenda agenda = new Agenda();
  private long now;
  private final VirtualClock host = new VirtualClock(Instant.EPOCH);
  private RandomGenerator network;

  private void at(long nanos, Runnable action) {
    agenda.at(nanos, action);
  }

  /**
   * Recorded arrivals at one instant come in their recorded order: their key is their arrival
   * index, above every counter's (those at one instant share a receiver's line, hence a receiver).
   */
  private static final long ARRIVAL_ORDER = 1L << 62;

  private void simulatedSend(int to, Message message, Transport.Outcome outcome, long k) {
    long extra = 0;
    if (forkSend != null && forkSend == message.sender() && forkSendTicks) {
      if (fork.change() instanceof Drop) {
        at(
            now + giveUpNanos(lanes.get(message.sender())),
            () -> {
              if (outcomes.remove(k) != null) {
                recipients.remove(k);
                outcome.dropped(DropReason.DEADLINE.word());
              }
            });
        return;
      }
      if (fork.change() instanceof Delay d) {
        extra = d.ms() * 1_000_000L;
      }
    }
    deliverAsRecorded(now, to, message, k, extra);
  }

  /**
   * A message sent at {@code sentNanos} arrives as its namesake (same id, same receiver) did in the
   * recording — after the same time on the network, before or after its receiver's tick as then —
   * or is dropped after the same time with the same reason; one the recording has not, after a
   * seeded log-normal delay. {@code extra}: a fork's delay.
   */
  private void deliverAsRecorded(long sentNanos, int to, Message message, long k, long extra) {
    Lane s = lanes.get(message.sender());
    Lane r = lanes.get(to);
    Long sentMs = s == null ? null : s.sendMs.get(k);
    int i = r == null || sentMs == null ? -1 : r.arrivalOf(k);
    long base = Math.max(now, sentNanos);
    if (i >= 0) {
      long onWire = Math.max(0, r.arrivalMs[i] - sentMs) * 1_000_000L;
      long at = sentNanos + onWire + extra + (r.arrivedAfterPoll.get(i) ? 1 : -1);
      offerAt(Math.max(base + 1, at), ARRIVAL_ORDER + i, to, message, k);
    }
    Long dropMs = s == null || sentMs == null ? null : s.dropped.get(k);
    if (dropMs != null) {
      Transport.Outcome o = outcomes.get(k);
      at(
          Math.max(base + 1, sentNanos + Math.max(0, dropMs - sentMs) * 1_000_000L + extra),
          () -> {
            if (o != null && outcomes.get(k) == o) {
              outcomes.remove(k);
              recipients.remove(k);
              o.dropped(s.dropReasons.get(k));
            }
          });
    }
    if (i >= 0 || dropMs != null) {
      return;
    }
    offerAt(base + extra + Simulation.delay(medianNanos, network), to, message, k);
  }

  /**
   * How long the forked VM's sender took to give a message up in the recording: the median of its
   * DROPs as {@code deadline} after their SEND (the send timeout is not in the logs); the live
   * default's give-up time when it gave none up.
   */
  private long giveUpNanos(Lane sender) {
    List<Long> waits = new ArrayList<>();
    for (Map.Entry<Long, Long> d : sender.dropped.entrySet()) {
      Long sent = sender.sendMs.get(d.getKey());
      if (sent != null && DropReason.DEADLINE.word().equals(sender.dropReasons.get(d.getKey()))) {
        waits.add(Math.max(0, d.getValue() - sent));
      }
    }
    if (waits.isEmpty()) {
      return Retries.giveUpAfter(ModelConfig.DEFAULT_SEND_TIMEOUT).toNanos();
    }
    java.util.Collections.sort(waits);
    return waits.get(waits.size() / 2) * 1_000_000L;
  }

  private Integer forkSend;
  private boolean forkSendTicks;

  private void offerAt(long atNanos, int to, Message message, long k) {
    offerAt(atNanos, agenda.nextKey(), to, message, k);
  }

  private void offerAt(long atNanos, long key, int to, Message message, long k) {
    agenda.at(
        atNanos,
        key,
        () -> {
          Lane l = lanes.get(to);
          if (l == null) {
            return;
          }
          Inbox.Offer o;
          if (l.vm == null) {
            l.early.add(message); // its server took it before its START: queued at START
            o = Inbox.Offer.ACCEPTED;
          } else {
            o = l.inbox.offer(message);
          }
          Transport.Outcome out = outcomes.get(k);
          Lane from = lanes.get(message.sender());
          if (out == null || (from != null && from.dropped.containsKey(k))) {
            return; // settled already, or its sender drops it as recorded (its Ack lost)
          }
          switch (o) {
            case ACCEPTED, DUPLICATE -> {
              outcomes.remove(k);
              recipients.remove(k);
              out.delivered();
            }
            case CLOSED -> {
              outcomes.remove(k);
              recipients.remove(k);
              out.dropped(DropReason.STOPPED.word());
            }
            default -> {
              outcomes.remove(k);
              recipients.remove(k);
              out.dropped(DropReason.BACKPRESSURE.word());
            }
          }
        });
  }

  private void simulate() {
    simulating = true;
    Lane forked = lanes.get(fork.vm());
    long t = forked.forkHostMs * 1_000_000L;
    long seed = forked.vm == null ? 0 : forked.vm.setup().seed();
    network = new SplittableRandom(seed ^ 0x5eed_f0f4L ^ fork.toString().hashCode());
    host.set(Instant.ofEpochMilli(forked.forkHostMs));
    // every lane's clock and die from here on
    for (Lane l : lanes.values()) {
      l.leftRecording = true;
      if (l.vm != null && l.vm.isStopped()) {
        continue;
      }
      // the VM's own clock over simulated host time, from its first START's host time on
      l.clock.simulated =
          PhysicalClock.of(host, l.specAsLogged(), l.firstStartTs - l.spec.offsetMs());
      l.die.simulated = new SplittableRandom(seed * 31 + l.id ^ fork.toString().hashCode());
    }
    // messages under way at the fork: when the recording has them arrive, or dropped
    for (Map.Entry<Long, Message> m : new ArrayList<>(sent.entrySet())) {
      long k = m.getKey();
      Integer to = recipients.get(k);
      if (to != null) {
        Lane s = lanes.get((int) (k >>> 40));
        Long at = s.sendMs.get(k);
        deliverAsRecorded(at == null ? t : at * 1_000_000L, to, m.getValue(), k, 0);
      }
    }
    sent.clear();
    // sends made before the fork and dropped after it, as recorded
    for (Lane l : lanes.values()) {
      for (Map.Entry<Long, Long> d : l.dropped.entrySet()) {
        long k = d.getKey();
        if (outcomes.containsKey(k) && d.getValue() * 1_000_000L >= t) {
          Transport.Outcome o = outcomes.get(k);
          at(
              d.getValue() * 1_000_000L,
              () -> {
                if (outcomes.get(k) == o) {
                  outcomes.remove(k);
                  recipients.remove(k);
                  o.dropped(l.dropReasons.get(k));
                }
              });
        }
      }
    }
    // each VM ticks at its recorded tick times, with its recorded skipped slots, to its end
    for (Lane l : lanes.values()) {
      if (l.vm != null && l.vm.isStopped()) {
        continue;
      }
      if (l.vm == null) { // the recording starts it after the fork
        at(
            Math.max(t, l.lineHost.values[0] * 1_000_000L),
            () -> {
              try {
                l.startIncarnation(l.peek(0), l.delivered);
              } catch (IOException | Unreproducible e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
              scheduleTick(l, 0, 0);
            });
      } else {
        // from where it left the recording (the forked VM: its fork event, or earlier if it
        // waited there for a message); the change comes at the fork event's index
        scheduleTick(l, (int) l.ticks, 0);
      }
    }
    agenda.drain(
        at -> {
          now = at;
          Instant h = Instant.ofEpochMilli(Math.floorDiv(now, 1_000_000L));
          if (!h.isBefore(host.instant())) {
            host.set(h);
          }
        });
    // as a run ends: the ticks are over and every message has its fate (the network drained);
    // then each VM stops, at its recorded end or later
    List<Lane> ends = new ArrayList<>(lanes.values());
    ends.sort(java.util.Comparator.comparingLong(l -> l.endHostMs));
    for (Lane l : ends) {
      if (l.vm != null && !l.vm.isStopped()) {
        Instant end = Instant.ofEpochMilli(l.endHostMs);
        if (end.isAfter(host.instant())) {
          host.set(end);
        }
        l.vm.stop(l.endReason == null ? "finished" : l.endReason);
      }
    }
  }

  /**
   * Lane {@code l}'s tick number {@code index} (from 0) at its recorded host time, with its
   * recorded skipped slots (and {@code skipped} more: a fork's pause) reported first; then the
   * next. Past its recorded ticks it ticks no more (its STOP comes at its recorded end).
   */
  private void scheduleTick(Lane l, int tick, long skippedBefore) {
    int index = tick;
    long skipped = skippedBefore;
    if (l.id == fork.vm() && index == fork.event() - 1 && forkSend == null) {
      // the fork's event: the change applies to this tick (a pause: to the ticks it skips)
      if (fork.change() instanceof Pause p) {
        long resume = (l.tickMs.values[index] + p.ms()) * 1_000_000L;
        while (index < l.tickMs.size && l.tickMs.values[index] * 1_000_000L < resume) {
          skipped += 1 + l.tickMissed.getOrDefault(index, 0L);
          index++;
        }
      }
      l.die.forced = fork.change() instanceof Die d ? d.roll() : -1;
      forkSend = l.id;
    }
    int at0 = index;
    long skip0 = skipped;
    if (index >= l.tickMs.size) {
      if (skipped > 0) {
        l.vm.skipTicks(skipped); // on its STOP
      }
      return;
    }
    long at = Math.max(now, l.tickMs.values[at0] * 1_000_000L);
    at(
        at,
        () -> {
          if (l.vm.isStopped() || l.vm.atClockLimit()) {
            return;
          }
          long missed = skip0 + l.tickMissed.getOrDefault(at0, 0L);
          if (missed > 0) {
            l.vm.skipTicks(missed);
          }
          forkSendTicks = forkSend != null && forkSend == l.id && !forkDone;
          l.vm.step();
          if (forkSendTicks) {
            forkDone = true;
            forkSendTicks = false;
          }
          scheduleTick(l, at0 + 1, 0);
        });
  }

  private boolean forkDone;
}
