package logicalclocks.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;

/** Reads event logs back. Malformed input fails with a message naming the file and line. */
public final class EventLogReader {
  private EventLogReader() {}

  /** A parsed line and where it came from. */
  public record Line(Path file, int number, LogEvent event) {
    public String where() {
      return file.getFileName() + ":" + number;
    }
  }

  /** A file or line that cannot be read as an event log. */
  public static final class BadLogException extends Exception {
    public BadLogException(String message) {
      super(message);
    }
  }

  public static List<Line> read(Path file) throws BadLogException {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new BadLogException(file + ": not UTF-8 text (binary file?)");
    } catch (IOException e) {
      throw new BadLogException(file + ": cannot read: " + e.getMessage());
    }
    if (text.isEmpty()) {
      throw new BadLogException(file + ": empty file (no START line)");
    }
    List<Line> lines = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    if (!text.endsWith("\n")) {
      // Every line is written with its newline in one flush; a last line without one was cut off
      // mid-write.
      throw new BadLogException(
          file
              + ":"
              + raw.length
              + ": truncated: the last line has no newline (the writer"
              + " was killed mid-line?)");
    }
    int count = raw.length - 1;
    for (int i = 0; i < count; i++) {
      if (raw[i].isEmpty()) {
        throw new BadLogException(file + ":" + (i + 1) + ": empty line");
      }
      try {
        lines.add(new Line(file, i + 1, EventLogFormat.parse(raw[i])));
      } catch (LogFormatException e) {
        throw new BadLogException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    return lines;
  }

  /**
   * The first line of {@code file}, parsed, or null when the file is empty or its first line is.
   * Reads that line only.
   */
  public static LogEvent first(Path file) throws BadLogException {
    try (java.io.BufferedReader r =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      String line = r.readLine();
      if (line == null || line.isEmpty()) {
        return null;
      }
      try {
        return EventLogFormat.parse(line);
      } catch (LogFormatException e) {
        throw new BadLogException(file + ":1: " + e.getMessage());
      }
    } catch (CharacterCodingException e) {
      throw new BadLogException(file + ": not UTF-8 text (binary file?)");
    } catch (IOException e) {
      throw new BadLogException(file + ": cannot read: " + e.getMessage());
    }
  }

  /**
   * The last line of {@code file}, parsed, or null when it cannot be read that way (no complete
   * last line, or one that does not parse: reading the file in order reports it). Reads the tail.
   */
  public static LogEvent last(Path file) {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      int n = (int) Math.min(size, 1 << 16);
      ByteBuffer buf = ByteBuffer.allocate(n);
      ch.read(buf, size - n);
      byte[] b = buf.array();
      if (n == 0 || b[n - 1] != '\n') {
        return null;
      }
      int start = n - 2;
      while (start >= 0 && b[start] != '\n') {
        start--;
      }
      if (start < 0 && size > n) {
        return null; // a last line longer than the tail read
      }
      return EventLogFormat.parse(
          new String(b, start + 1, n - 1 - (start + 1), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What {@link #forEach} calls with each line. */
  @FunctionalInterface
  public interface LineConsumer {
    void accept(Line line) throws BadLogException;
  }

  /**
   * Reads {@code file} line by line, in bounded memory, calling {@code each} with every parsed
   * line; the same checks and messages as {@link #read}. Returns the number of lines.
   */
  public static int forEach(Path file, LineConsumer each) throws BadLogException {
    try (LogCursor cursor = LogCursor.open(file)) {
      Line l;
      while ((l = cursor.next()) != null) {
        each.accept(l);
      }
      return cursor.lines();
    }
  }

  /** Every {@code machine_<id>.log} of a directory, by VM id; fails when there is none. */
  public static TreeMap<Integer, Path> logFiles(Path dir) throws BadLogException {
    if (!Files.isDirectory(dir)) {
      throw new BadLogException(
          dir
              + (Files.exists(dir) ? ": not a directory" : ": no such directory")
              + " (expected a run's log directory, holding its machine_<id>.log files)");
    }
    TreeMap<Integer, Path> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.sorted().toList()) {
        int id = EventLogFormat.idOfFileName(f.getFileName().toString());
        if (id >= 0) {
          files.put(id, f);
        }
      }
    } catch (IOException e) {
      throw new BadLogException(dir + ": cannot list: " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new BadLogException(dir + ": no machine_<id>.log files");
    }
    return files;
  }

  /** Reads every {@code machine_<id>.log} in a directory, keyed by VM id. */
  public static TreeMap<Integer, List<Line>> readDir(Path dir) throws BadLogException {
    TreeMap<Integer, List<Line>> logs = new TreeMap<>();
    for (var f : logFiles(dir).entrySet()) {
      logs.put(f.getKey(), read(f.getValue()));
    }
    return logs;
  }
}
