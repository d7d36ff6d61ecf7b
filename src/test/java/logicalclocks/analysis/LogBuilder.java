package logicalclocks.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;

/** Hand-built logs for analyzer tests: {@code vm(0).at(ms).send(clock, queue, "to", "1", ...)}. */
final class LogBuilder {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00.000Z");
  private final Map<Integer, List<String>> files = new TreeMap<>();

  LogBuilder line(int vm, long ms, EventType type, long clock, int queue, String... kv) {
    files
        .computeIfAbsent(vm, k -> new ArrayList<>())
        .add(
            EventLogFormat.format(
                new LogEvent(
                    T0.plusMillis(ms), vm, type, clock, queue, LogEvent.extras((Object[]) kv))));
    return this;
  }

  LogBuilder start(int vm, long ms, long clock, int rate, String peers) {
    return line(
        vm,
        ms,
        EventType.START,
        clock,
        0,
        "rate",
        "" + rate,
        "sides",
        "10",
        "seed",
        "1",
        "peers",
        peers);
  }

  SortedMap<Integer, List<EventLogReader.Line>> write(Path dir)
      throws IOException, EventLogReader.BadLogException {
    for (var e : files.entrySet()) {
      Files.write(dir.resolve(EventLogFormat.fileName(e.getKey())), e.getValue());
    }
    return EventLogReader.readDir(dir);
  }
}
