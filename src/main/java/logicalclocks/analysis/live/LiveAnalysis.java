package logicalclocks.analysis.live;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import logicalclocks.analysis.measure.Ledger;
import logicalclocks.analysis.stream.RunInfo;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader.Line;

/**
 * The verifier and the message ledger run incrementally on lines as a live cluster writes them (the
 * Events RPC, merged by {@link WatchModel}): the verdict so far, the message counts so far, and
 * once every log has ended the run's verdict, the same consumers and rules as {@code analyze}. A
 * line that does not parse is counted and shown, not fed. Not thread-safe: callers synchronize.
 */
public final class LiveAnalysis {
  private final Verifier verifier = new Verifier();
  private final Ledger ledger = new Ledger();
  private final int machines;
  private final Line[] last;
  private final long[] numbers;
  private final Path[] files;
  private long lines;
  private long unreadable;
  private String firstUnreadable;
  private boolean over;

  public LiveAnalysis(int machines) {
    this.machines = machines;
    this.last = new Line[machines];
    this.numbers = new long[machines];
    this.files =
        IntStream.range(0, machines)
            .mapToObj(i -> Path.of(EventLogFormat.fileName(i)))
            .toArray(Path[]::new);
    verifier.fates().listen(ledger);
    SortedMap<Integer, Long> first = new TreeMap<>();
    IntStream.range(0, machines).forEach(i -> first.put(i, 0L));
    verifier.begin(new RunInfo(new TreeSet<>(first.keySet()), 0, first, 0));
  }

  /**
   * VM {@code vm}'s next line (each VM's lines in order; the VMs' in any order: a RECEIVE read
   * before its SEND waits for it).
   */
  public void line(int vm, String text) {
    if (over || vm < 0 || vm >= machines) {
      return;
    }
    if (text.endsWith("\n")) {
      text =
          text.substring(0, text.length() - 1); // the Events RPC sends each line with its newline
    }
    LogEvent e;
    try {
      e = EventLogFormat.parse(text);
    } catch (LogFormatException bad) {
      unreadable(vm, bad.getMessage());
      return;
    }
    line(vm, e);
  }

  /** VM {@code vm}'s next line did not parse ({@code why}): counted, not fed. */
  public void unreadable(int vm, String why) {
    if (over || vm < 0 || vm >= machines) {
      return;
    }
    long number = ++numbers[vm];
    unreadable++;
    if (firstUnreadable == null) {
      firstUnreadable = EventLogFormat.fileName(vm) + ":" + number + ": " + why;
    }
  }

  /** VM {@code vm}'s next line, parsed by the caller (as {@link #line(int, String)}). */
  public void line(int vm, LogEvent e) {
    if (over || vm < 0 || vm >= machines) {
      return;
    }
    long number = ++numbers[vm];
    Line l = new Line(files[vm], (int) number, e);
    lines++;
    last[vm] = l;
    verifier.accept(vm, l);
  }

  /** Runs the end-of-run checks (messages without a fate, membership); call once, at the end. */
  public void end() {
    if (over) {
      return;
    }
    for (int vm = 0; vm < machines; vm++) {
      verifier.endOfLog(vm, last[vm]);
    }
    verifier.end();
    over = true;
  }

  /** Whether the run's verdict (after {@link #end}) is verified. */
  public boolean verified() {
    return over && verifier.violations().isEmpty() && unreadable == 0;
  }

  public int violations() {
    return verifier.violations().size();
  }

  /** The violations found so far, from the {@code from}-th on (in the order they were found). */
  public java.util.List<logicalclocks.analysis.verify.Violation> violationsFrom(int from) {
    java.util.List<logicalclocks.analysis.verify.Violation> all = verifier.violations();
    return from >= all.size()
        ? java.util.List.of()
        : java.util.List.copyOf(all.subList(from, all.size()));
  }

  /** The violations found from the {@code from}-th to before the {@code to}-th. */
  public java.util.List<logicalclocks.analysis.verify.Violation> violations(int from, int to) {
    java.util.List<logicalclocks.analysis.verify.Violation> all = verifier.violations();
    int end = Math.min(to, all.size());
    return from >= end ? java.util.List.of() : java.util.List.copyOf(all.subList(from, end));
  }

  /** Whether {@link #end} has run. */
  public boolean ended() {
    return over;
  }

  /** The counts so far: lines read, unreadable, and the message ledger's. */
  public java.util.Map<String, Long> counters() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    m.put("lines", lines);
    m.put("unreadable", unreadable);
    m.put("sent", ledger.sent());
    m.put("received", ledger.received());
    m.put("dropped", ledger.dropped());
    m.put("late", ledger.late());
    m.put("pending", (long) verifier.fates().pending());
    m.put("violations", (long) verifier.violations().size());
    return m;
  }

  /** One line: the verdict so far, or the run's once it has ended. */
  public String verdict() {
    String counts =
        String.format(
            Locale.ROOT,
            "%d lines, %d sent, %d received, %d dropped, %d late, %d not settled yet",
            lines,
            ledger.sent(),
            ledger.received(),
            ledger.dropped(),
            ledger.late(),
            verifier.fates().pending());
    String bad =
        unreadable == 0
            ? ""
            : String.format(
                Locale.ROOT, "; %d unreadable line(s), first %s", unreadable, firstUnreadable);
    if (!over) {
      return (verifier.violations().size() == 0
              ? "verdict so far: no violation"
              : "verdict so far: "
                  + verifier.violations().size()
                  + " violation(s), first "
                  + verifier.violations().get(0))
          + " ("
          + counts
          + ")"
          + bad;
    }
    return (verifier.violations().isEmpty() && unreadable == 0
            ? "verified: every clock rule holds and every message is accounted for"
            : verifier.violations().size() + " violation(s)")
        + " ("
        + counts
        + ")"
        + bad;
  }
}
