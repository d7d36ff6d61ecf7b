package logicalclocks.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import logicalclocks.event.LogEvent;

/**
 * Encodes an event as the writer does ({@link LineEncoder}: the bytes {@link EventLogWriter} would
 * write) and says whether they are a given line's, without making a string of them: what a replay
 * checks on every line it writes. Not thread-safe.
 */
public final class LineMatcher {
  private final LineEncoder encoder = new LineEncoder(256);

  /**
   * Encodes {@code e}'s line (its newline included), replacing the one before.
   *
   * @throws IllegalArgumentException when the event cannot be written
   */
  public void encode(LogEvent e) {
    encoder.reset();
    try {
      encoder.encode(e);
    } catch (CharacterCodingException bad) {
      throw new IllegalArgumentException("a value is not valid UTF-16: " + bad.getMessage());
    }
  }

  /** Whether the encoded line is {@code text} (a line as read, without its newline). */
  public boolean matches(String text) {
    byte[] b = encoder.array();
    int n = encoder.length() - 1; // its newline
    if (n != text.length()) {
      return n > text.length() && text().equals(text); // a non-ASCII line: more bytes than chars
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c > 127) {
        return text().equals(text);
      }
      if (b[i] != (byte) c) {
        return false;
      }
    }
    return true;
  }

  /** The encoded line, without its newline. */
  public String text() {
    return new String(encoder.array(), 0, encoder.length() - 1, StandardCharsets.UTF_8);
  }

  /** Writes the encoded line and its newline. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(encoder.array(), 0, encoder.length());
  }
}
