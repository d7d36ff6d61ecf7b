package logicalclocks.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a restarted VM picks up from its own log: the last logical clock and the last message sequence it
 * used, so its clock never goes back and its message ids stay unique. A partial last line (the process was
 * killed mid-write) is cut off first.
 *
 * @param clock last logged clock (0 for a new log)
 * @param sequence highest sequence in this VM's own message ids (0 for a new log)
 * @param lines complete lines already in the log
 * @param finished whether the log ends with a STOP of a run that finished its DURATION
 */
public record ResumePoint(long clock, long sequence, int lines, boolean finished) {
  public static final ResumePoint FRESH = new ResumePoint(0, 0, 0, false);

  /** Reads {@code file}, trimming a trailing partial line in place. Fails on a malformed complete line. */
  public static ResumePoint of(Path file, int vmId) throws IOException, EventLogReader.BadLogException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return FRESH;
    }
    trimPartialLine(file);
    if (Files.size(file) == 0) {
      return FRESH;
    }
    List<EventLogReader.Line> lines = EventLogReader.read(file);
    long clock = 0;
    long seq = 0;
    String prefix = vmId + "-";
    for (EventLogReader.Line l : lines) {
      clock = l.event().clock();
      if (l.event().event() == EventType.SEND) {
        for (String msg : l.event().list("msg")) {
          if (msg.startsWith(prefix)) {
            seq = Math.max(seq, Long.parseLong(msg.substring(prefix.length())));
          }
        }
      }
    }
    LogEvent last = lines.isEmpty() ? null : lines.get(lines.size() - 1).event();
    boolean finished = last != null && last.event() == EventType.STOP && "finished".equals(last.get("reason"));
    return new ResumePoint(clock, seq, lines.size(), finished);
  }

  private static void trimPartialLine(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long len = raf.length();
      long pos = len - 1;
      while (pos >= 0) {
        raf.seek(pos);
        if (raf.read() == '\n') {
          break;
        }
        pos--;
      }
      if (pos + 1 < len) {
        raf.setLength(pos + 1);
      }
    }
  }
}
