package logicalclocks.recovery;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.clock.VectorClock;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.Message;

/**
 * A write-ahead journal of the messages a VM accepted: {@code <LOG_DIR>/machine_<id>.inbox}, one
 * line per message ({@code <sender> <sequence> <clock> <sent millis> [<vector clock>]}), written
 * and flushed before the sender gets its ack. After a crash, the messages it holds that the event
 * log never RECEIVEd are put back in the queue, and all of them still count as seen, so an
 * acknowledged message is neither lost nor taken twice.
 *
 * <p>Opening it for appending cuts off a torn last record (the process was killed mid-write), so
 * the next record starts on a line of its own. It stays bounded: {@link #rewrite} replaces it,
 * atomically, with the messages still queued (the inbox calls it on restart and whenever the
 * journal has grown well past the queue; see {@link Inbox#compactJournal}).
 */
public final class InboxJournal implements Inbox.Journal, Closeable {
  private final Path path;
  private BufferedWriter out;

  public InboxJournal(Path dir, int vmId) throws IOException {
    this.path = file(dir, vmId);
    if (Files.exists(path)) {
      LineFiles.trimTornLine(path);
    }
    this.out = open();
  }

  public static Path file(Path dir, int vmId) {
    return dir.resolve("machine_" + vmId + ".inbox");
  }

  private BufferedWriter open() throws IOException {
    return Files.newBufferedWriter(
        path,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  private static String line(Message m) {
    return m.sender()
        + " "
        + m.sequence()
        + " "
        + m.clock()
        + " "
        + m.sentMillis()
        + (m.vector() == null ? "" : " " + m.vector().format())
        + "\n";
  }

  @Override
  public void accepted(Message m) {
    try {
      out.write(line(m));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /**
   * Replaces the journal with exactly {@code queued}: written beside it, then moved over it
   * atomically.
   */
  @Override
  public void rewrite(List<Message> queued) {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      out.close();
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
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

  /**
   * Every complete line of a journal, in order (a partial last line, from a crash mid-write, is
   * ignored).
   */
  public static List<Message> read(Path file) throws IOException {
    List<Message> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return out;
    }
    for (String line : text.substring(0, end).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(" ");
      if (f.length != 4 && f.length != 5) {
        throw new IOException(file + ": malformed journal line '" + line + "'");
      }
      try {
        out.add(
            new Message(
                Integer.parseInt(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                f.length == 5 ? VectorClock.parse(f[4]) : null));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": malformed journal line '" + line + "'");
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
