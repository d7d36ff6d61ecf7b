package logicalclocks.log;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import logicalclocks.event.EventLog;
import logicalclocks.event.LogEvent;

/**
 * Appends events to {@code <dir>/machine_<id>.log}, one line each, in UTF-8: flushed as written (a
 * live VM: each line is handed to the OS, in one write, before {@link #append} returns, so what it
 * logged survives its crash), or buffered (a simulation, which writes its logs whole: lines are
 * written in blocks of about {@value #BLOCK} bytes, the rest at {@link #close}; nothing crashes
 * mid-run, and a failed run's logs are not used).
 *
 * <p>Lines are encoded straight to bytes ({@link LineEncoder}): the same bytes as {@link
 * EventLogFormat#format} and a newline.
 */
public final class EventLogWriter implements EventLog, Closeable {
  /** A buffered writer writes once it holds this many bytes. */
  static final int BLOCK = 1 << 15;

  private final Path path;
  private final OutputStream out;
  private final boolean flushEachLine;
  private final LineEncoder line;
  private boolean closed;

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
    this.line = new LineEncoder(flushEachLine ? 256 : 8192);
    Files.createDirectories(dir);
    this.path = dir.resolve(EventLogFormat.fileName(vmId));
    // One write(2) on the file itself per line (live) or block (simulation): no writer, encoder or
    // channel between the encoded bytes and the file.
    this.out = new FileOutputStream(path.toFile(), append);
  }

  public Path path() {
    return path;
  }

  /**
   * A log that encodes each line as a writer does and keeps nothing (a VM's rehearsal before its
   * START: {@link logicalclocks.vm.Assembly#rehearse}).
   */
  public static logicalclocks.event.EventLog discarding() {
    LineEncoder encoder = new LineEncoder(256);
    return e -> {
      try {
        encoder.encode(e);
      } catch (java.nio.charset.CharacterCodingException bad) {
        throw new UncheckedIOException(bad);
      }
      encoder.reset();
    };
  }

  @Override
  public synchronized void append(LogEvent event) {
    try {
      if (closed) {
        throw new IOException("the log is closed");
      }
      line.encode(event);
      if (flushEachLine || line.length() >= BLOCK) {
        writeOut();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  private void writeOut() throws IOException {
    int n = line.length();
    line.reset();
    out.write(line.array(), 0, n);
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      if (line.length() > 0) {
        writeOut();
      }
    }
  }
}
