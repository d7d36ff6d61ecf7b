package logicalclocks.log;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.EventLogReader.Line;

/**
 * One log read line by line on demand, in bounded memory (one line at a time): the pull side of
 * {@link EventLogReader#forEach}, with the same checks and messages as {@link EventLogReader#read}.
 * A k-way merge of several logs pulls from one cursor per log.
 */
public final class LogCursor implements AutoCloseable {
  private final Path file;
  private final Reader in;
  private final char[] buf = new char[1 << 16];
  private final StringBuilder line = new StringBuilder(256);
  private int pos;
  private int len;
  private int number;
  private boolean eof;

  private final java.util.concurrent.atomic.LongAdder read;

  private LogCursor(Path file, Reader in, java.util.concurrent.atomic.LongAdder read) {
    this.file = file;
    this.in = in;
    this.read = read;
  }

  /** Opens {@code file}; fails when it cannot be opened. */
  public static LogCursor open(Path file) throws BadLogException {
    return open(file, null);
  }

  /**
   * Opens {@code file}, adding to {@code read} (when not null) the characters read from it as it
   * reads them: a log is ASCII, so they are its bytes (a command's progress).
   */
  public static LogCursor open(Path file, java.util.concurrent.atomic.LongAdder read)
      throws BadLogException {
    try {
      return new LogCursor(
          file,
          new InputStreamReader(
              Files.newInputStream(file),
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)),
          read);
    } catch (IOException e) {
      throw new BadLogException(file + ": cannot read: " + e.getMessage());
    }
  }

  public Path file() {
    return file;
  }

  /** Lines returned so far. */
  public int lines() {
    return number;
  }

  /** The next line, parsed, or null at the end of the file. */
  public Line next() throws BadLogException {
    String text = nextText();
    if (text == null) {
      return null;
    }
    try {
      return new Line(file, number, EventLogFormat.parse(text));
    } catch (LogFormatException bad) {
      throw new BadLogException(file + ":" + number + ": " + bad.getMessage());
    }
  }

  /**
   * The next line's text, unparsed, or null at the end of the file: the same file checks (UTF-8, no
   * empty line, a newline at the end, not empty) without the event checks.
   */
  public String nextText() throws BadLogException {
    if (eof) {
      return null;
    }
    try {
      while (true) {
        if (pos == len) {
          len = in.read(buf);
          pos = 0;
          if (read != null && len > 0) {
            read.add(len);
          }
          if (len <= 0) {
            eof = true;
            len = 0;
            if (line.length() > 0) {
              throw new BadLogException(
                  file
                      + ":"
                      + (number + 1)
                      + ": truncated: the last line has no newline (the writer"
                      + " was killed mid-line?)");
            }
            if (number == 0) {
              throw new BadLogException(file + ": empty file (no START line)");
            }
            return null;
          }
        }
        int from = pos;
        while (pos < len && buf[pos] != '\n') {
          pos++;
        }
        if (pos < len) {
          number++;
          String text;
          if (line.length() == 0) {
            text = new String(buf, from, pos - from);
          } else {
            line.append(buf, from, pos - from);
            text = line.toString();
            line.setLength(0);
          }
          pos++;
          if (text.isEmpty()) {
            throw new BadLogException(file + ":" + number + ": empty line");
          }
          return text;
        }
        line.append(buf, from, pos - from);
      }
    } catch (CharacterCodingException e) {
      throw new BadLogException(file + ": not UTF-8 text (binary file?)");
    } catch (IOException e) {
      throw new BadLogException(file + ": cannot read: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // read-only
    }
  }
}
