package logicalclocks.log;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import logicalclocks.event.EventLog;
import logicalclocks.event.LogEvent;

/**
 * Appends events to {@code <dir>/machine_<id>.log}, one line each: flushed as written (a live VM:
 * what it logged survives its crash), or buffered until {@link #close} (a simulation, which writes
 * its logs whole).
 */
public final class EventLogWriter implements EventLog, Closeable {
  private final Path path;
  private final BufferedWriter out;
  private final boolean flushEachLine;

  /** Appends to VM {@code vmId}'s log in {@code dir}, creating it if needed. */
  public EventLogWriter(Path dir, int vmId) throws IOException {
    this(dir, vmId, true);
  }

  /**
   * @param append false to start the log afresh (truncating an earlier run's)
   */
  public EventLogWriter(Path dir, int vmId, boolean append) throws IOException {
    this(dir, vmId, append, true);
  }

  /**
   * @param append false to start the log afresh (truncating an earlier run's)
   * @param flushEachLine true to hand every line to the OS as it is logged
   */
  public EventLogWriter(Path dir, int vmId, boolean append, boolean flushEachLine)
      throws IOException {
    this.flushEachLine = flushEachLine;
    Files.createDirectories(dir);
    this.path = dir.resolve(EventLogFormat.fileName(vmId));
    this.out =
        Files.newBufferedWriter(
            path,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
  }

  public Path path() {
    return path;
  }

  @Override
  public synchronized void append(LogEvent event) {
    try {
      out.write(EventLogFormat.format(event));
      out.write('\n');
      if (flushEachLine) {
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
