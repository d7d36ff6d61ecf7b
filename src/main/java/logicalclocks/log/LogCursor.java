package logicalclocks.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
 *
 * <p>It reads bytes: a line of ASCII (every line a VM writes) becomes its string as it is; any
 * other line is decoded as strict UTF-8, so a file that is not UTF-8 is refused as before.
 */
public final class LogCursor implements AutoCloseable {
  private final Path file;
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];

  /** The start of a line that spans two reads. */
  private byte[] carry = new byte[256];

  private int carried;
  private boolean carriedAscii = true;
  private int pos;
  private int len;
  private int number;
  private boolean eof;

  private final java.util.concurrent.atomic.LongAdder read;

  private LogCursor(Path file, InputStream in, java.util.concurrent.atomic.LongAdder read) {
    this.file = file;
    this.in = in;
    this.read = read;
  }

  /** Opens {@code file}; fails when it cannot be opened. */
  public static LogCursor open(Path file) throws BadLogException {
    return open(file, null);
  }

  /**
   * Opens {@code file}, adding to {@code read} (when not null) the bytes read from it as it reads
   * them (a command's progress).
   */
  public static LogCursor open(Path file, java.util.concurrent.atomic.LongAdder read)
      throws BadLogException {
    try {
      return new LogCursor(file, Files.newInputStream(file), read);
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
    Bytes b = nextBytes();
    return b == null ? null : b.text();
  }

  /**
   * A line's bytes, as read: {@code array[from, from + length)}, without its newline; valid until
   * the cursor reads again. Checked as {@link #nextText} checks a line (UTF-8, not empty).
   */
  public static final class Bytes {
    public byte[] array;
    public int from;
    public int length;

    /** Whether every byte is ASCII (then a byte is a character). */
    public boolean ascii;

    /** The line as a string. */
    public String text() {
      try {
        return ascii ? LogCursor.ascii(array, from, length) : utf8(array, from, length);
      } catch (CharacterCodingException e) {
        throw new IllegalStateException("checked when read", e);
      }
    }
  }

  private final Bytes view = new Bytes();

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The next line's bytes (a view valid until the next read: nothing is copied for a line inside
   * one read buffer), or null at the end of the file; the same checks as {@link #nextText}.
   */
  public Bytes nextBytes() throws BadLogException {
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
            if (carried > 0) {
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
        long high = 0;
        // eight bytes at a time: where the newline is, and whether a byte before it is not ASCII
        while (pos + 8 <= len) {
          long w = (long) LONGS.get(buf, pos);
          long x = w ^ NEWLINES;
          long found = (x - ONES) & ~x & HIGH_BITS;
          if (found != 0) {
            long lowest = found & -found;
            high |= w & (lowest - 1);
            pos += Long.numberOfTrailingZeros(lowest) >>> 3;
            break;
          }
          high |= w;
          pos += 8;
        }
        while (pos < len && buf[pos] != '\n') {
          high |= buf[pos] & 0xff;
          pos++;
        }
        boolean ascii = (high & HIGH_BITS) == 0;
        if (pos < len) {
          number++;
          if (carried == 0) {
            view.array = buf;
            view.from = from;
            view.length = pos - from;
            view.ascii = ascii;
          } else {
            keep(from);
            view.array = carry;
            view.from = 0;
            view.length = carried;
            view.ascii = carriedAscii && ascii;
            carried = 0;
            carriedAscii = true;
          }
          pos++;
          if (view.length == 0) {
            throw new BadLogException(file + ":" + number + ": empty line");
          }
          if (!view.ascii) {
            utf8(view.array, view.from, view.length); // throws when it is not UTF-8
          }
          return view;
        }
        keep(from);
        carriedAscii &= ascii;
      }
    } catch (CharacterCodingException e) {
      throw new BadLogException(file + ": not UTF-8 text (binary file?)");
    } catch (IOException e) {
      throw new BadLogException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Keeps {@code buf[from, pos)} as part of a line that spans reads. */
  private void keep(int from) {
    int n = pos - from;
    if (carried + n > carry.length) {
      carry = java.util.Arrays.copyOf(carry, Math.max(carry.length * 2, carried + n));
    }
    System.arraycopy(buf, from, carry, carried, n);
    carried += n;
  }

  @SuppressWarnings("deprecation") // the fastest way to make a string of ASCII bytes as they are
  private static String ascii(byte[] b, int from, int n) {
    return new String(b, 0, from, n);
  }

  private static String utf8(byte[] b, int from, int n) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b, from, n))
        .toString();
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
