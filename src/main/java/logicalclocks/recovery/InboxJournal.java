package logicalclocks.recovery;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.Stamps;
import logicalclocks.clock.VectorClock;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;

/**
 * A write-ahead journal of the messages a VM accepted: {@code <LOG_DIR>/machine_<id>.inbox}, each
 * record handed to the OS (one write(2), no fsync) before the sender gets its ack. After a crash,
 * the messages it holds that the event log never RECEIVEd are put back in the queue, and all of
 * them still count as taken, so an acknowledged message is neither lost nor taken twice.
 *
 * <p>Lines: a header {@code # logical-clocks inbox journal run=<run>} naming the run of the event
 * log it belongs to (the {@code runid} of that log's START lines); one line per accepted message,
 * {@code <sender> <sequence> <clock> <sent millis> <vector clock or -> <settled below> [<l>:<c>]}
 * (the last, the message's hybrid clock, when it carried one); and, after a compaction, {@code F
 * <sender> <floor>}: each sender's settled floor (see {@link Inbox}). Lines of the earlier format
 * ({@code <sender> <sequence> <clock> <sent millis> [<vector clock>]}, no header) are still read.
 *
 * <p>Opening it for appending cuts off a torn last record (the process was killed mid-write), so
 * the next record starts on a line of its own. It stays bounded: {@link #rewrite} replaces it,
 * atomically, with the messages still queued and the floors (the inbox calls it on restart and
 * whenever the journal has grown well past the queue; see {@link Inbox#compactJournal}).
 */
public final class InboxJournal implements Inbox.Journal, Closeable {
  /** The first line's start; the run follows {@code run=}. */
  static final String HEADER = "# logical-clocks inbox journal run=";

  /** The line written once the event log it belongs to has been created. */
  static final String LOG_CREATED = "# log created";

  private final Path path;
  private final String run;
  private boolean logCreated;
  private FileOutputStream out;

  /**
   * What a journal holds.
   *
   * @param logCreated whether its event log was created after it (if that log is then missing, it
   *     was deleted: the journal is stale)
   */
  public record Contents(
      String run, List<Message> messages, Map<Integer, Long> floors, boolean logCreated) {
    public static final Contents EMPTY = new Contents(null, List.of(), Map.of(), false);

    public boolean isEmpty() {
      return messages.isEmpty() && floors.isEmpty();
    }
  }

  /** A journal that names no run (as an earlier version wrote). */
  public InboxJournal(Path dir, int vmId) throws IOException {
    this(dir, vmId, null);
  }

  /**
   * Opens (or creates) the journal of the log whose run is {@code run} for appending; a new one
   * starts with its header.
   */
  public InboxJournal(Path dir, int vmId, String run) throws IOException {
    this.path = file(dir, vmId);
    this.run = run;
    if (Files.exists(path)) {
      LineFiles.trimTornLine(path);
    }
    boolean fresh = !Files.exists(path) || Files.size(path) == 0;
    this.logCreated = !fresh && contents(path).logCreated();
    this.out = open();
    if (fresh && run != null) {
      write(HEADER + run + "\n");
    }
  }

  /**
   * Records that the event log this journal belongs to now exists: from here on, a journal found
   * without it is one whose log was deleted, and is not replayed.
   */
  public synchronized void markLogCreated() {
    if (!logCreated) {
      logCreated = true;
      try {
        write(LOG_CREATED + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + path, e);
      }
    }
  }

  public static Path file(Path dir, int vmId) {
    return dir.resolve("machine_" + vmId + ".inbox");
  }

  private FileOutputStream open() throws IOException {
    return new FileOutputStream(path.toFile(), true);
  }

  /**
   * Hands {@code text} to the OS in one write(2) on the file: nothing of it is held in the process
   * once this returns, so it survives a crash of this process (not of the machine: no fsync).
   */
  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code sender seq clock sent vc|- settledBelow [hlc|- [key=text ...] [snapshot=<colour>]]}: the
   * message's other clock kinds, if any, after its hybrid time, each under its log key.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  /** A journal record's snapshot colour token ({@code snapshot=<n>}; absent: colour 0). */
  static final String COLOUR = "snapshot=";

  private static String line(Message m) {
    StringBuilder others = new StringBuilder();
    for (int i = 0; i < m.stamps().kinds().size(); i++) {
      ClockKind k = m.stamps().kinds().get(i);
      Object v = m.stamps().value(i);
      if (v != null && k != ClockKind.VECTOR && k != ClockKind.HYBRID) {
        others.append(' ').append(k.key()).append('=').append(k.format(v));
      }
    }
    return m.sender()
        + " "
        + m.sequence()
        + " "
        + m.clock()
        + " "
        + m.sentMillis()
        + " "
        + (m.vector() == null ? "-" : m.vector().format())
        + " "
        + m.settledBelow()
        + (m.hlc() == null
            ? (others.length() == 0 && m.snapshot() == 0 ? "" : " -")
            : " " + m.hlc().format())
        + others
        + (m.snapshot() == 0 ? "" : " " + COLOUR + m.snapshot())
        + "\n";
  }

  @Override
  public synchronized void accepted(Message m) {
    try {
      write(line(m));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /**
   * Replaces the journal with its header, the floors and exactly {@code queued}: written beside it,
   * then moved over it atomically.
   */
  @Override
  public synchronized void rewrite(List<Message> queued, Map<Integer, Long> floors) {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      out.close();
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        if (run != null) {
          w.write(HEADER + run + "\n");
        }
        if (logCreated) {
          w.write(LOG_CREATED + "\n");
        }
        for (Map.Entry<Integer, Long> f : floors.entrySet()) {
          if (f.getValue() > 0) {
            w.write("F " + f.getKey() + " " + f.getValue() + "\n");
          }
        }
        for (Message m : queued) {
          w.write(line(m));
        }
      }
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out = open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compact " + path, e);
    }
  }

  /** The messages of a journal, in order (see {@link #contents}). */
  public static List<Message> read(Path file) throws IOException {
    return contents(file).messages();
  }

  /**
   * Everything a journal holds (a partial last line, from a crash mid-write, is ignored); {@link
   * Contents#EMPTY} when there is no file.
   */
  public static Contents contents(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Contents.EMPTY;
    }
    List<Message> out = new ArrayList<>();
    Map<Integer, Long> floors = new TreeMap<>();
    String run = null;
    boolean logCreated = false;
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return Contents.EMPTY;
    }
    for (String line : text.substring(0, end).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (line.startsWith(HEADER)) {
          run = line.substring(HEADER.length());
        } else if (line.equals(LOG_CREATED)) {
          logCreated = true;
        }
        continue;
      }
      String[] f = line.split(" ");
      try {
        if (f[0].equals("F") && f.length == 3) {
          floors.merge(Integer.parseInt(f[1]), Long.parseLong(f[2]), Math::max);
          continue;
        }
        if (f.length < 4 || (f.length > 7 && !f[7].contains("="))) {
          throw new IOException(file + ": malformed journal line '" + line + "'");
        }
        String vc = f.length >= 5 && !f[4].equals("-") ? f[4] : null;
        Map<ClockKind<?>, Object> stamps = new java.util.LinkedHashMap<>();
        if (f.length >= 7 && !f[6].equals("-")) {
          stamps.put(ClockKind.HYBRID, HybridTime.parse(f[6]));
        }
        if (vc != null) {
          stamps.put(ClockKind.VECTOR, VectorClock.parse(vc));
        }
        long colour = 0;
        for (int i = 7; i < f.length; i++) {
          if (f[i].startsWith(COLOUR)) {
            colour = Long.parseLong(f[i].substring(COLOUR.length()));
            if (colour < 0) {
              throw new IOException(file + ": malformed journal line '" + line + "'");
            }
            continue;
          }
          int eq = f[i].indexOf('=');
          ClockKind<?> k = eq <= 0 ? null : ClockKinds.keyed(f[i].substring(0, eq));
          if (k == null) {
            throw new IOException(file + ": malformed journal line '" + line + "'");
          }
          stamps.put(k, k.parse(f[i].substring(eq + 1)));
        }
        Message m =
            new Message(
                Integer.parseInt(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                f.length >= 6 ? Long.parseLong(f[5]) : 0,
                Stamps.of(stamps),
                colour);
        out.add(m);
        if (m.settledBelow() > 0) {
          floors.merge(m.sender(), m.settledBelow(), Math::max);
        }
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": malformed journal line '" + line + "'");
      }
    }
    return new Contents(run, out, floors, logCreated);
  }

  /**
   * The journal of VM {@code vmId} if it belongs to the log it sits beside, else {@link
   * Contents#EMPTY}: a journal whose log was deleted (it was created, or the journal is of the
   * earlier format, naming no run), or written for another run, or written without a run for a log
   * that has one, is moved aside to {@code machine_<id>.inbox.stale-<n>} with one warning, and
   * never replayed. A journal whose log was never created (the VM crashed before its first START)
   * is kept.
   *
   * @param logRun the run of the log's first START ({@code null} when it names none: an earlier
   *     version's log)
   * @param logExists whether the event log exists (an empty one is the log a journal was opened for
   *     before its first line: the journal is kept)
   * @param logHasLines whether the event log holds at least one line
   */
  public static Contents adopt(
      Path dir,
      int vmId,
      String logRun,
      boolean logExists,
      boolean logHasLines,
      Consumer<String> warn)
      throws IOException {
    Path file = file(dir, vmId);
    Contents c = contents(file);
    if (!Files.exists(file)) {
      return Contents.EMPTY;
    }
    String why = null;
    if (!logExists && (c.logCreated() || c.run() == null && !c.isEmpty())) {
      why = "its event log is missing";
    } else if (logHasLines && c.run() != null && !c.run().equals(logRun)) {
      why =
          "it belongs to run "
              + c.run()
              + ", the log to "
              + (logRun == null ? "a run without an id" : "run " + logRun);
    } else if (logHasLines && c.run() == null && logRun != null && !c.isEmpty()) {
      why = "it names no run while the log belongs to run " + logRun;
    }
    if (why == null) {
      return c;
    }
    Path aside = null;
    for (int n = 1; aside == null || Files.exists(aside); n++) {
      aside = file.resolveSibling(file.getFileName() + ".stale-" + n);
    }
    Files.move(file, aside);
    warn.accept(
        file
            + " was moved aside to "
            + aside.getFileName()
            + " and will not be replayed: "
            + why
            + " ("
            + c.messages().size()
            + " message(s) in it)");
    return Contents.EMPTY;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
