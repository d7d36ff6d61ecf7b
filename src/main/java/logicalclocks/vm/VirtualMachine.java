package logicalclocks.vm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.LamportClock;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.clock.SpecifiedClock;
import logicalclocks.clock.Stamps;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventLog;
import logicalclocks.event.EventType;
import logicalclocks.event.Extras;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;

/**
 * One virtual machine of the model: a Lamport clock, a die, an inbox, and the step taken on each
 * tick.
 *
 * <p>Single-threaded: {@link #start}, {@link #step}, {@link #stop} must be called from one thread
 * at a time (the VM's tick thread). Other threads only offer messages to the {@link Inbox}, report
 * send outcomes, and read {@link #stats()}. Time and randomness come in from outside, so a VM can
 * be driven step by step in a test or a simulation.
 */
public final class VirtualMachine {
  /**
   * What a VM is.
   *
   * @param id this VM's id
   * @param others the other VMs' ids, ascending
   * @param rate ticks per second (informational here: the caller schedules the ticks)
   * @param dieSides faces of the die
   * @param seed the run seed (logged in START)
   * @param kinds the clocks it keeps besides its Lamport clock ({@link ClockKinds#of}), each logged
   *     under its key on every tick line and carried by every message
   * @param run the run its log belongs to, written as {@link #RUN_ID_KEY} in START (null: none)
   */
  public record Setup(
      int id,
      List<Integer> others,
      int rate,
      int dieSides,
      long seed,
      List<ClockKind<?>> kinds,
      String run) {
    /** A VM that keeps a vector and a hybrid clock. */
    public Setup(int id, List<Integer> others, int rate, int dieSides, long seed) {
      this(id, others, rate, dieSides, seed, true);
    }

    /** A VM whose START names no run, keeping a hybrid clock and maybe a vector clock. */
    public Setup(
        int id, List<Integer> others, int rate, int dieSides, long seed, boolean vectorClocks) {
      this(id, others, rate, dieSides, seed, ClockKinds.of(vectorClocks, List.of()), null);
    }

    public Setup {
      others = List.copyOf(others);
      kinds = List.copyOf(kinds);
      if (dieSides < others.size() + 1) {
        throw new IllegalArgumentException(
            "die needs at least N=" + (others.size() + 1) + " sides");
      }
    }

    /** Whether it keeps a vector clock. */
    public boolean vectorClocks() {
      return kinds.contains(ClockKind.VECTOR);
    }
  }

  private record Drop(int to, long sequence, String msg, String reason) {}

  private final Setup setup;
  private final RandomGenerator die;
  private final Clock wallClock;
  private final Transport transport;
  private final EventLog log;
  private final Inbox inbox;
  private final LamportClock clock;

  /** Its other clocks' values, one per kind of its setup, in that order. */
  private final Object[] stamps;

  private final Queue<Drop> drops = new ConcurrentLinkedQueue<>();
  private final Map<String, Long> dropsByReason = new ConcurrentHashMap<>();
  private final long startSequence;
  private final Object pendingLock = new Object();
  private int pending;

  /**
   * Per recipient, the sequences sent whose fate is not settled here yet: not acknowledged, and no
   * DROP logged. The lowest is what the recipient may forget below ({@link Message#settledBelow}).
   */
  private final Map<Integer, java.util.TreeSet<Long>> unsettled = new java.util.HashMap<>();

  private volatile long sequence;
  private final boolean resumed;
  private boolean started;
  private volatile boolean stopped;

  /** Its snapshot colour: the id of the last snapshot it recorded its state for (0: none). */
  private volatile long snapshot;

  /** Its state at each snapshot's cut, by snapshot id (read by {@link Snapshots}). */
  private final Map<Long, Snapshots.Cut> cuts = new ConcurrentHashMap<>();

  private volatile long lastClock;
  private volatile int lastQueue;
  private volatile long events;
  private volatile long sends;
  private volatile long receives;
  private volatile long internals;
  private volatile long dropCount;
  private volatile int maxQueue;
  private volatile long maxJump;
  private volatile long missed;

  /** Tick slots skipped since the last tick line: written as {@link #MISSED_KEY} on the next. */
  private long missedPending;

  public VirtualMachine(
      Setup setup,
      RandomGenerator die,
      Clock wallClock,
      Transport transport,
      EventLog log,
      Inbox inbox) {
    this(setup, die, wallClock, transport, log, inbox, 0, 0, Stamps.NONE, false);
  }

  /**
   * A VM whose clocks and message sequence resume from earlier values (a restart); its START says
   * {@code resumed=true} when either is above zero.
   */
  public VirtualMachine(
      Setup setup,
      RandomGenerator die,
      Clock wallClock,
      Transport transport,
      EventLog log,
      Inbox inbox,
      long startClock,
      long startSequence,
      VectorClock startVector) {
    this(
        setup,
        die,
        wallClock,
        transport,
        log,
        inbox,
        startClock,
        startSequence,
        Stamps.of(java.util.Map.of(ClockKind.VECTOR, startVector)),
        startClock > 0 || startSequence > 0);
  }

  /**
   * A VM whose clocks and message sequence resume from earlier values (a restart).
   *
   * @param start its other clocks at the restart (the last values its log holds; a kind it keeps
   *     that {@code start} lacks starts at its zero; one it does not keep is ignored)
   * @param resumed whether its log already holds lines (its START then says {@code resumed=true},
   *     even when the run before it crashed before its first tick)
   */
  public VirtualMachine(
      Setup setup,
      RandomGenerator die,
      Clock wallClock,
      Transport transport,
      EventLog log,
      Inbox inbox,
      long startClock,
      long startSequence,
      Stamps start,
      boolean resumed) {
    this.setup = setup;
    this.die = die;
    this.wallClock = wallClock;
    this.transport = transport;
    this.log = log;
    this.inbox = inbox;
    this.clock = new LamportClock(startClock);
    this.stamps = new Object[setup.kinds().size()];
    for (int i = 0; i < stamps.length; i++) {
      ClockKind<?> k = setup.kinds().get(i);
      Object v = start.get(k);
      stamps[i] = v != null ? v : k.zero();
    }
    this.sequence = startSequence;
    this.startSequence = startSequence;
    this.lastClock = startClock;
    this.resumed = resumed;
  }

  public int id() {
    return setup.id();
  }

  public Setup setup() {
    return setup;
  }

  public Inbox inbox() {
    return inbox;
  }

  /**
   * Whether this VM's clock is at its bound ({@link LamportClock#MAX}): it can take no further
   * step, and its driver must stop it; its STOP then says {@code reason=clock-limit}.
   */
  public boolean atClockLimit() {
    return clock.atLimit();
  }

  public boolean isStopped() {
    return stopped;
  }

  /** Logs START. Call once, before the first step. */
  public void start() {
    if (started) {
      throw new IllegalStateException("VM " + id() + " already started");
    }
    started = true;
    Extras extra =
        Extras.of(
            "rate",
            setup.rate(),
            "sides",
            setup.dieSides(),
            "seed",
            setup.seed(),
            "peers",
            setup.others().isEmpty() ? "" : new LogValues.Ids(setup.others()));
    PhysicalClock.Spec physical =
        wallClock instanceof SpecifiedClock p ? p.spec() : PhysicalClock.Spec.EXACT;
    extra.putRaw(OFFSET_KEY, physical.offsetMs());
    extra.putRaw(DRIFT_KEY, physical.driftPpm());
    if (!physical.steps().isEmpty()) {
      extra.put(
          STEPS_KEY,
          physical.steps().stream()
              .map(st -> st.atMs() + ":" + st.byMs())
              .collect(Collectors.joining(";")));
    }
    if (resumed) {
      extra.put("resumed", "true");
    }
    if (setup.run() != null) {
      extra.put(RUN_ID_KEY, setup.run());
    }
    emit(EventType.START, inbox.size(), extra, false, wallClock.instant());
  }

  /**
   * One tick: log any drops reported since the last tick, then take one message off the queue and
   * RECEIVE it, or else roll the die and SEND or do an INTERNAL event.
   *
   * @return the tick's event (RECEIVE, SEND or INTERNAL)
   */
  public LogEvent step() {
    if (!started || stopped) {
      throw new IllegalStateException("VM " + id() + " is not running");
    }
    if (clock.atLimit()) {
      throw new IllegalStateException("VM " + id() + " has reached the clock bound; stop it");
    }
    drainDrops();
    Instant now = wallClock.instant(); // after the DROPs: the tick's line is not before theirs
    long pt = now.toEpochMilli();
    long announced = inbox.seen();
    if (announced > snapshot) {
      cut(announced, now);
    }
    Message m = inbox.poll();
    if (m != null && m.snapshot() > snapshot) {
      cut(m.snapshot(), now); // a message sent after its sender's cut: this VM's cut comes first
    }
    if (m != null) {
      clock.receive(m.clock());
      advance(m.stamps(), pt);
      receives++;
      LogEvent received =
          emit(
              EventType.RECEIVE,
              inbox.size(),
              Extras.of(
                  "from",
                  m.sender(),
                  "msg",
                  new LogValues.MessageIds(m.sender(), m.sequence(), 1),
                  "sent",
                  m.clock()),
              true,
              now);
      inbox.compactJournal(); // after the RECEIVE is logged: the journal may forget the message now
      return received;
    }
    int roll = die.nextInt(1, setup.dieSides() + 1);
    List<Integer> to = DieRule.recipients(roll, setup.others());
    clock.tick();
    advance(null, pt);
    if (to.isEmpty()) {
      internals++;
      return emit(EventType.INTERNAL, inbox.size(), Extras.of("die", roll), true, now);
    }
    List<Message> out = new ArrayList<>(to.size());
    long first = sequence + 1;
    Stamps carried = stamps();
    for (int ignored : to) {
      out.add(new Message(id(), ++sequence, clock.time(), pt, 0, carried, snapshot));
    }
    sends++;
    LogEvent sent =
        emit(
            EventType.SEND,
            inbox.size(),
            Extras.of(
                "to",
                new LogValues.Ids(to),
                "msg",
                new LogValues.MessageIds(id(), first, to.size()),
                "die",
                roll),
            true,
            now);
    for (int i = 0; i < to.size(); i++) {
      dispatch(to.get(i), out.get(i), false);
    }
    return sent;
  }

  /** The key of a SNAPSHOT line's snapshot id. */
  public static final String SNAPSHOT_KEY = "snap";

  /**
   * Records this VM's state for snapshot {@code id} between two ticks: its events and clock so far,
   * the messages in its queue sent inside the cut, and, from now on, its inbox records those sent
   * inside the cut that arrive after it. Logs SNAPSHOT; every message it sends from now on has
   * colour {@code id}. A VM that missed snapshots (it was paused through them) records only the
   * latest: the ones before it fail for want of its state.
   */
  private void cut(long id, Instant at) {
    List<String> queued = inbox.cut(id);
    snapshot = id;
    cuts.put(id, new Snapshots.Cut(id(), eventsBefore + events, clock.time(), queued, sequence));
    emit(EventType.SNAPSHOT, inbox.size(), Extras.of(SNAPSHOT_KEY, id), false, at);
  }

  /**
   * The snapshot id a SNAPSHOT line names ({@link #SNAPSHOT_KEY}); the one reader of the key.
   *
   * @throws LogFormatException when it is absent or not a positive integer written as a VM writes
   *     it
   */
  public static long snapshotOf(LogEvent e) {
    return positive(e, SNAPSHOT_KEY);
  }

  /** Its snapshot colour: the id of the last snapshot it recorded its state for (0: none). */
  public long snapshotColour() {
    return snapshot;
  }

  /**
   * A restarted VM's colour (the last snapshot its log recorded its state for) and the tick events
   * its log holds. Call before {@link #start}. Its state for a snapshot up to that colour was in
   * the process that ended: asked for it, it says so.
   */
  public void resumeSnapshots(long colour, long eventsBefore) {
    if (started) {
      throw new IllegalStateException("VM " + id() + " already started");
    }
    snapshot = colour;
    resumedColour = colour;
    this.eventsBefore = eventsBefore;
  }

  private long resumedColour;

  /** Tick events its log held before this process (a restart): a cut counts them too. */
  private long eventsBefore;

  /**
   * Its part of snapshot {@code id} so far ({@link Snapshots.Member#state}); with {@code finish},
   * its channels too, and it stops recording them and forgets the snapshot. Thread-safe.
   */
  public Snapshots.State snapshotState(long id, boolean finish) {
    Snapshots.Cut c = cuts.get(id);
    if (c == null) {
      String lost =
          id <= resumedColour
              ? "lost its state: it restarted after recording it (the record was in the process"
                  + " that ended)"
              : null;
      if (finish) {
        inbox.endRecording(id);
      }
      return new Snapshots.State(null, false, Map.of(), lost, null);
    }
    boolean settled = settledInside(c);
    if (!finish) {
      return new Snapshots.State(c, settled, Map.of(), null, null);
    }
    Map<Integer, List<String>> channels = inbox.endRecording(id);
    cuts.remove(id);
    return new Snapshots.State(c, settled, channels, null, null);
  }

  /**
   * Whether every message it sent inside cut {@code c} is settled here (acknowledged: its receiver
   * took it; or its DROP logged): no more of them will reach a queue.
   */
  private boolean settledInside(Snapshots.Cut c) {
    synchronized (pendingLock) {
      for (java.util.TreeSet<Long> open : unsettled.values()) {
        if (!open.isEmpty() && open.first() <= c.lastSequence()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Each of its other clocks ticks (a local event or a SEND: {@code message} null) or takes in a
   * RECEIVEd message's values, at physical time {@code pt}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void advance(Stamps message, long pt) {
    for (int i = 0; i < stamps.length; i++) {
      ClockKind k = setup.kinds().get(i);
      stamps[i] =
          message == null
              ? k.tick(stamps[i], id(), pt)
              : k.receive(stamps[i], message.get(k), id(), pt);
    }
  }

  /** Its other clocks' values now. */
  public Stamps stamps() {
    java.util.Map<ClockKind<?>, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < stamps.length; i++) {
      m.put(setup.kinds().get(i), stamps[i]);
    }
    return Stamps.of(m);
  }

  /**
   * Says that {@code n} of this VM's tick slots were skipped (their time had passed by a whole
   * period when its driver got to run: a paused process, a stall): its next tick line carries
   * {@code missed=<n>} (summed with any other skips since the last tick line), or its STOP when no
   * tick follows. A driver that never misses (the simulation) never calls it, and no line carries
   * the key.
   */
  public void skipTicks(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("skipped ticks must be positive, got " + n);
    }
    missedPending += n;
    missed += n;
  }

  /**
   * Sends again a message logged as SENT before a crash whose fate is unknown (same id, same
   * clock): the receiver takes it once, acknowledging a copy it already has as a duplicate. Logs
   * nothing unless it is dropped.
   */
  public void resend(int to, Message m) {
    dispatch(to, m, true);
  }

  private void dispatch(int to, Message m, boolean again) {
    long floor;
    synchronized (pendingLock) {
      pending++;
      java.util.TreeSet<Long> open = unsettled.computeIfAbsent(to, k -> new java.util.TreeSet<>());
      open.add(m.sequence());
      floor = open.first();
    }
    Transport.Outcome outcome =
        new Transport.Outcome() {
          @Override
          public void delivered() {
            synchronized (pendingLock) {
              unsettled.get(to).remove(m.sequence());
            }
            settle();
          }

          @Override
          public void dropped(String reason) {
            // unsettled until its DROP is logged (drainDrops)
            drops.add(new Drop(to, m.sequence(), m.id(), reason));
            settle();
          }
        };
    Message out = m.withSettledBelow(floor);
    if (again) {
      transport.resend(to, out, outcome);
    } else {
      transport.send(to, out, outcome);
    }
  }

  private void settle() {
    synchronized (pendingLock) {
      pending--;
      pendingLock.notifyAll();
    }
  }

  /**
   * The lowest sequence sent to {@code to} whose fate is not settled here (not acknowledged, no
   * DROP logged), or the next sequence when there is none.
   */
  public long settledBelow(int to) {
    synchronized (pendingLock) {
      java.util.TreeSet<Long> open = unsettled.get(to);
      return open == null || open.isEmpty() ? sequence + 1 : open.first();
    }
  }

  /**
   * Logs a DROP line for each undelivered message reported since the last call. Clock unchanged.
   */
  public void drainDrops() {
    Drop d;
    while ((d = drops.poll()) != null) {
      dropCount++;
      dropsByReason.merge(d.reason(), 1L, Long::sum);
      emit(
          EventType.DROP,
          inbox.size(),
          Extras.of("to", d.to(), "msg", d.msg(), "reason", d.reason()),
          false,
          wallClock.instant());
      synchronized (pendingLock) {
        unsettled.get(d.to()).remove(d.sequence());
      }
    }
  }

  /** Messages sent whose outcome is not known yet. */
  public int pendingSends() {
    synchronized (pendingLock) {
      return pending;
    }
  }

  /**
   * Waits until every sent message is delivered or dropped; false when {@code timeout} passed
   * first.
   */
  public boolean awaitSends(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (pendingLock) {
      while (pending > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        pendingLock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * The START key naming the run a log belongs to (the same on every START of one log; its inbox
   * journal names it too). Not {@code run}: JSONL export labels a variant's runs with that key.
   */
  public static final String RUN_ID_KEY = "runid";

  /** The key of a tick line's hybrid logical clock, {@code <l>:<c>}. */
  public static final String HLC_KEY = "hlc";

  /** START's key: the VM's physical clock offset, ms. */
  public static final String OFFSET_KEY = "offset_ms";

  /** START's key: the VM's physical clock drift, ppm. */
  public static final String DRIFT_KEY = "drift_ppm";

  /** START's key: the VM's clock steps, {@code <at ms>:<by ms>;...} (absent when none). */
  public static final String STEPS_KEY = "steps";

  /**
   * What a START says of its VM's physical clock ({@link #OFFSET_KEY}, {@link #DRIFT_KEY}, {@link
   * #STEPS_KEY}): its spec, or, when one of them is not as a VM writes it or is out of bounds, why
   * (and no spec). Absent keys declare nothing (an exact clock, or one skewed from outside).
   *
   * @param spec the declared clock, or null when {@code error} says why there is none
   * @param error the first thing wrong, naming the key, its bounds and what was written; or null
   */
  public record DeclaredClock(PhysicalClock.Spec spec, String error) {
    /** The spec, or an exact clock when the START's declaration is wrong. */
    public PhysicalClock.Spec specOrExact() {
      return spec == null ? PhysicalClock.Spec.EXACT : spec;
    }
  }

  /**
   * A START's declared physical clock; the one reader of its keys, with one set of bounds (offset
   * and steps within {@link logicalclocks.config.ClockConfig#MAX_OFFSET_MS}, drift within {@link
   * logicalclocks.config.ClockConfig#MAX_DRIFT_PPM}, at most {@link
   * logicalclocks.config.ClockConfig#MAX_STEPS} steps, their times from 0 and ascending; integers
   * written plainly). Every consumer (the verifier, host time, the physical-time measures, a
   * restart's resume point) reads a START through it.
   */
  public static DeclaredClock declaredClockOf(LogEvent start) {
    long max = logicalclocks.config.ClockConfig.MAX_OFFSET_MS;
    long maxPpm = logicalclocks.config.ClockConfig.MAX_DRIFT_PPM;
    String o = start.get(OFFSET_KEY);
    String d = start.get(DRIFT_KEY);
    String st = start.get(STEPS_KEY);
    long offset = o == null ? 0 : plain(o, -max, max);
    if (offset == Long.MIN_VALUE) {
      return bad(
          OFFSET_KEY + " must be an integer from " + -max + " to " + max + ", got '" + o + "'");
    }
    long drift = d == null ? 0 : plain(d, -maxPpm, maxPpm);
    if (drift == Long.MIN_VALUE) {
      return bad(
          DRIFT_KEY
              + " must be an integer from "
              + -maxPpm
              + " to "
              + maxPpm
              + ", got '"
              + d
              + "'");
    }
    List<PhysicalClock.Step> steps = new ArrayList<>();
    if (st != null) {
      String[] parts = st.split(";", -1);
      boolean ok = parts.length <= logicalclocks.config.ClockConfig.MAX_STEPS;
      long lastAt = 0;
      for (int i = 0; ok && i < parts.length; i++) {
        int colon = parts[i].indexOf(':');
        long at = colon < 0 ? Long.MIN_VALUE : plain(parts[i].substring(0, colon), 0, max);
        long by = colon < 0 ? Long.MIN_VALUE : plain(parts[i].substring(colon + 1), -max, max);
        ok = at != Long.MIN_VALUE && by != Long.MIN_VALUE && at >= lastAt;
        lastAt = at;
        steps.add(new PhysicalClock.Step(at, by));
      }
      if (!ok) {
        return bad(
            STEPS_KEY
                + " must be <at ms>:<by ms> separated by ';', at ascending from 0, each at most a"
                + " week, at most "
                + logicalclocks.config.ClockConfig.MAX_STEPS
                + ", got '"
                + (st.length() > 200 ? st.substring(0, 200) + "..." : st)
                + "'");
      }
    }
    return new DeclaredClock(new PhysicalClock.Spec(offset, drift, steps), null);
  }

  private static DeclaredClock bad(String why) {
    return new DeclaredClock(null, why);
  }

  /** {@code s} as an integer in [min, max] written plainly (ASCII, optional '-'), else MIN. */
  private static long plain(String s, long min, long max) {
    int n = s.length();
    int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    if (n == i || n - i > 18 || (n - i > 1 && s.charAt(i) == '0') || s.equals("-0")) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (int k = i; k < n; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
      v = v * 10 + (c - '0');
    }
    v = i == 1 ? -v : v;
    return v < min || v > max ? Long.MIN_VALUE : v;
  }

  /**
   * The hybrid time a logged line carries, or null when it has none; the one reader of {@link
   * #HLC_KEY}.
   *
   * @throws LogFormatException when its value is not {@code <l>:<c>}
   */
  public static HybridTime hlcOf(LogEvent e) {
    return valueOf(e, ClockKind.HYBRID);
  }

  /**
   * The value of clock kind {@code kind} a logged line carries, or null when it has none; the one
   * reader of each kind's key (decoded once per line).
   *
   * @throws LogFormatException when its value is not one of the kind's
   */
  public static <T> T valueOf(LogEvent e, ClockKind<T> kind) {
    return valueOf(e, kind.key(), kind.type(), kind::parse);
  }

  /**
   * A key's value parsed, or null when absent; a value that does not parse is a format error. A
   * line's value is parsed once ({@link Extras#decoded}): every later reader gets the same object.
   */
  private static <T> T valueOf(
      LogEvent e, String key, Class<T> type, java.util.function.Function<String, T> parse) {
    try {
      if (e.extra() instanceof Extras x) {
        return x.decoded(key, type, parse);
      }
      String text = e.get(key);
      return text == null ? null : parse.apply(text);
    } catch (IllegalArgumentException bad) {
      throw new LogFormatException(key + ": " + bad.getMessage());
    }
  }

  /** The VM's hybrid clock now (its zero when it keeps none). */
  public HybridTime hlc() {
    HybridTime h = valueNow(ClockKind.HYBRID);
    return h == null ? HybridTime.ZERO : h;
  }

  private <T> T valueNow(ClockKind<T> kind) {
    int i = setup.kinds().indexOf(kind);
    return i < 0 ? null : kind.type().cast(stamps[i]);
  }

  /**
   * The key of the tick slots skipped just before a line: on the first tick line after them, or on
   * STOP when no tick follows them; a positive integer, absent when none were skipped.
   */
  public static final String MISSED_KEY = "missed";

  /**
   * The tick slots a logged line says were skipped before it ({@link #MISSED_KEY}), 0 when it says
   * none; the one reader of the key.
   *
   * @throws LogFormatException when its value is not a positive integer written as a VM writes it
   */
  public static long missedOf(LogEvent e) {
    return e.get(MISSED_KEY) == null ? 0 : positive(e, MISSED_KEY);
  }

  /**
   * Key {@code key} of a line as a positive integer written as a VM writes it.
   *
   * @throws LogFormatException when it is absent or written otherwise
   */
  private static long positive(LogEvent e, String key) {
    String text = e.get(key);
    long n = text == null ? -1 : canonical(text);
    if (n <= 0) {
      throw new LogFormatException(
          key
              + " must be a positive integer (ASCII digits, no sign, no leading zero), got "
              + (text == null ? "none" : "'" + text + "'"));
    }
    return n;
  }

  private static long canonical(String s) {
    int n = s.length();
    if (n == 0 || n > 18 || (n > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The key of a tick line's vector clock. */
  public static final String VECTOR_KEY = "vc";

  /**
   * The vector clock a logged line carries, or null when it has none; the one reader of {@link
   * #VECTOR_KEY}.
   *
   * @throws LogFormatException when its value is not a vector clock
   */
  public static VectorClock vectorOf(LogEvent e) {
    return valueOf(e, ClockKind.VECTOR);
  }

  /** The VM's vector clock, or null when it keeps none. */
  public VectorClock vector() {
    return valueNow(ClockKind.VECTOR);
  }

  /** The STOP reason of a VM whose clock reached its bound. */
  public static final String CLOCK_LIMIT = "clock-limit";

  /**
   * Ends the run: the inbox refuses further messages, drops reported so far are logged, and STOP is
   * logged with the queue length and the ids of the messages left in the queue ({@code queued},
   * oldest first; absent when the queue is empty). Call after ticking has stopped and, ideally,
   * after {@link #awaitSends}.
   *
   * @param reason why the run ended; replaced by {@link #CLOCK_LIMIT} when the clock reached its
   *     bound
   */
  public LogEvent stop(String reason) {
    if (stopped) {
      throw new IllegalStateException("VM " + id() + " already stopped");
    }
    List<Message> queued = inbox.close();
    drainDrops();
    stopped = true;
    Extras extra = Extras.of("reason", clock.atLimit() ? CLOCK_LIMIT : reason);
    if (!queued.isEmpty()) {
      extra.put("queued", queued.stream().map(Message::id).collect(Collectors.joining(",")));
    }
    return emit(EventType.STOP, queued.size(), extra, false, wallClock.instant());
  }

  /** DROPs logged by this VM (since it started in this process), by reason. */
  public Map<String, Long> dropsByReason() {
    return Map.copyOf(dropsByReason);
  }

  /** Messages this VM sent since it started in this process (a broadcast counts one per peer). */
  public long messagesSent() {
    return sequence - startSequence;
  }

  public VmStats stats() {
    return new VmStats(
        id(),
        setup.rate(),
        lastClock,
        lastQueue,
        events,
        sends,
        receives,
        internals,
        dropCount,
        maxQueue,
        maxJump,
        missed);
  }

  /**
   * Logs one line at wall time {@code at} (read once per tick: the same reading is the hybrid
   * clock's {@code pt} and the line's {@code ts}); a tick line ({@code stamped}) carries each of
   * its other clocks under its key.
   */
  private LogEvent emit(EventType type, int queue, Extras extra, boolean stamped, Instant at) {
    long now = clock.time();
    if (missedPending > 0 && (type.isTick() || type == EventType.STOP)) {
      extra.put(MISSED_KEY, Long.toString(missedPending));
      missedPending = 0;
    }
    if (stamped) {
      for (int i = 0; i < stamps.length; i++) {
        extra.putRaw(setup.kinds().get(i).key(), LogValues.of(setup.kinds().get(i), stamps[i]));
      }
    }
    LogEvent e = new LogEvent(LogEvent.truncate(at), id(), type, now, queue, extra);
    log.append(e);
    if (type.isTick()) {
      events++;
      maxJump = Math.max(maxJump, now - lastClock);
    }
    lastClock = now;
    lastQueue = queue;
    maxQueue = Math.max(maxQueue, queue);
    return e;
  }
}
