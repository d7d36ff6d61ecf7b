package logicalclocks.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A replayed log's lines, whatever the file holds: bytes that are not UTF-8 become U+FFFD (the line
 * then does not parse and is shown as unreadable), and a line longer than {@code max} characters
 * keeps its first {@code max} and is marked {@link #cut()}: the rest, up to its newline, is read
 * and dropped, so memory stays bounded by {@code max} whatever the file (a 100 MB line without a
 * newline, {@code /dev/zero}).
 */
final class LineReader implements AutoCloseable {
  private final Reader in;
  private final int max;
  private final char[] buf = new char[8192];
  private int pos;
  private int len;
  private boolean cut;

  LineReader(InputStream in, int max) {
    this.in =
        new InputStreamReader(
            in,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    this.max = max;
  }

  /** The next line without its newline (or {@code \r\n}), null at the end of the file. */
  String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    cut = false;
    boolean any = false;
    while (true) {
      if (pos == len) {
        len = in.read(buf);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return any ? strip(line) : null;
        }
      }
      any = true;
      int start = pos;
      while (pos < len && buf[pos] != '\n') {
        pos++;
      }
      int room = max - line.length();
      int n = pos - start;
      if (n > room) {
        cut = true;
        n = Math.max(room, 0);
      }
      line.append(buf, start, n);
      if (pos < len) {
        pos++; // the newline
        return strip(line);
      }
    }
  }

  /** Whether the last line read was longer than {@code max} (and cut). */
  boolean cut() {
    return cut;
  }

  private static String strip(StringBuilder line) {
    int n = line.length();
    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
