package logicalclocks.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;

/**
 * Reads a VM's log while it is being written: complete lines only (a line without its newline is
 * still being written, or was cut off by a kill).
 */
final class LogTail {
  private static final int TAIL_BYTES = 16 * 1024;

  private LogTail() {}

  /** Bytes of the file up to and including its last newline (0 when it does not exist). */
  static long completeLength(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(file);
    int i = bytes.length - 1;
    while (i >= 0 && bytes[i] != '\n') {
      i--;
    }
    return i + 1;
  }

  /** The complete lines from byte {@code offset} (a line start) on. */
  static List<LogEvent> since(Path file, long offset) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.min(offset, f.length());
      byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      return parse(new String(bytes, StandardCharsets.UTF_8), true);
    }
  }

  /** The last complete line, if any. */
  static Optional<LogEvent> last(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, f.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      List<LogEvent> events = parse(new String(bytes, StandardCharsets.UTF_8), from == 0);
      return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }
  }

  /** Whether the last complete line is {@code STOP reason=finished}. */
  static boolean finished(Path file) throws IOException {
    return last(file)
        .filter(
            e ->
                e.event() == logicalclocks.event.EventType.STOP
                    && "finished".equals(e.get("reason")))
        .isPresent();
  }

  private static List<LogEvent> parse(String text, boolean startsAtLine) {
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return List.of();
    }
    int begin = startsAtLine ? 0 : text.indexOf('\n') + 1;
    List<LogEvent> out = new ArrayList<>();
    if (begin > end) {
      return out;
    }
    for (String line : text.substring(begin, end).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      try {
        out.add(EventLogFormat.parse(line));
      } catch (LogFormatException e) {
        // Not a line of the format (yet): the verifier reports it at the end.
      }
    }
    return out;
  }
}
