package logicalclocks.log;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import logicalclocks.event.EventLog;
import logicalclocks.event.LogEvent;

/**
 * Appends events to {@code <dir>/machine_<id>.log}, one line each: handed to the OS as written, in
 * one write call per line (a live VM: what it logged survives its crash), or buffered until {@link
 * #close} (a simulation, which writes its logs whole).
 */
public final class EventLogWriter implements EventLog, Closeable {
  private final Path path;
  private final OutputStream out;

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
    Files.createDirectories(dir);
    this.path = dir.resolve(EventLogFormat.fileName(vmId));
    // A line is encoded once and written with one write(2) on the file itself: no writer, encoder
    // or channel between it and the file, nothing of it held back in the process.
    FileOutputStream file = new FileOutputStream(path.toFile(), append);
    this.out = flushEachLine ? file : new BufferedOutputStream(file, 1 << 16);
  }

  public Path path() {
    return path;
  }

  @Override
  public synchronized void append(LogEvent event) {
    try {
      out.write((EventLogFormat.format(event) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
