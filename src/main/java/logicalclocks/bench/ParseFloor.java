package logicalclocks.bench;

import java.io.IOException;
import java.nio.file.Path;
import logicalclocks.log.EventLogReader;
import logicalclocks.log.EventLogReader.BadLogException;
import logicalclocks.log.LogCursor;

/**
 * The parse floor: the speed of merely reading a run's logs, each line decoded from UTF-8 and split
 * into its key=value pairs (as strings), nothing checked and nothing kept. The analysis reads the
 * same way (the same cursor) and does everything else on top, so its speed over this floor is the
 * share of the reading speed the analysis keeps.
 *
 * @param lines lines read
 * @param pairs key=value pairs split out (so the work cannot be skipped)
 * @param seconds wall time
 */
public record ParseFloor(long lines, long pairs, double seconds) {
  public double linesPerSecond() {
    return lines / Math.max(1e-9, seconds);
  }

  public static ParseFloor of(Path dir) throws IOException, BadLogException {
    Iterable<Path> files = EventLogReader.logFiles(dir).values();
    long started = System.nanoTime();
    long lines = 0;
    long pairs = 0;
    long chars = 0;
    for (Path f : files) {
      try (LogCursor c = LogCursor.open(f)) {
        String line;
        while ((line = c.nextText()) != null) {
          lines++;
          int i = 0;
          int n = line.length();
          while (i < n) {
            int eq = line.indexOf('=', i);
            if (eq < 0) {
              break;
            }
            int end = line.indexOf(' ', eq);
            end = end < 0 ? n : end;
            String key = line.substring(i, eq);
            String value = line.substring(eq + 1, end);
            chars += key.length() + value.length();
            pairs++;
            i = end + 1;
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new ParseFloor(lines, pairs + (chars < 0 ? 1 : 0), seconds);
  }
}
