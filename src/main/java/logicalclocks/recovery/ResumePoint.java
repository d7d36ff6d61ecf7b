package logicalclocks.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.Message;
import logicalclocks.vm.VirtualMachine;

/**
 * Where a restarted VM picks up from its own log: the last logical clock and the last message
 * sequence it used, so its clock never goes back and its message ids stay unique; the messages it
 * already received; and, after a crash, the messages it sent shortly before dying whose fate it
 * never learned. A partial last line (the process was killed mid-write) is cut off first.
 *
 * @param clock last logged clock (0 for a new log)
 * @param sequence highest sequence in this VM's own message ids (0 for a new log)
 * @param lines complete lines already in the log
 * @param finished whether the log ends with a STOP of a run that finished its DURATION
 * @param received every message this VM RECEIVEd: id -> the clock it carried (for deduplication
 *     after a restart)
 * @param resend messages SENT in a crashed last run within the resend window of its end, never
 *     DROPped
 * @param runStart wall time of the current run's first START (the first START after the last STOP
 *     that ended a run, {@code reason=finished} or {@code clock-limit}); null when the log holds no
 *     unfinished run
 * @param vector the vector clock of the last tick line that has one (zero for none)
 */
public record ResumePoint(
    long clock,
    long sequence,
    int lines,
    boolean finished,
    Map<String, Long> received,
    List<Resend> resend,
    Instant runStart,
    VectorClock vector) {
  public static final ResumePoint FRESH =
      new ResumePoint(0, 0, 0, false, Map.of(), List.of(), null, VectorClock.zero());

  /** STOP reasons after which the run is over: a restart begins a new run. */
  public static final Set<String> RUN_OVER = Set.of("finished", VirtualMachine.CLOCK_LIMIT);

  /** A message to send again, to {@code to}. */
  public record Resend(int to, Message message) {}

  public static ResumePoint of(Path file, int vmId)
      throws IOException, EventLogReader.BadLogException {
    return of(file, vmId, Duration.ZERO);
  }

  /**
   * Reads {@code file}, trimming a trailing partial line in place. Fails on a malformed complete
   * line.
   *
   * @param resendWindow how far back from a crashed run's last line a SEND may still be in flight
   */
  public static ResumePoint of(Path file, int vmId, Duration resendWindow)
      throws IOException, EventLogReader.BadLogException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return FRESH;
    }
    LineFiles.trimTornLine(file);
    if (Files.size(file) == 0) {
      return FRESH;
    }
    List<EventLogReader.Line> lines = EventLogReader.read(file);
    long clock = 0;
    long seq = 0;
    String prefix = vmId + "-";
    Map<String, Long> received = new HashMap<>();
    int lastStart = 0;
    Instant runStart = null;
    VectorClock vector = VectorClock.zero();
    for (int i = 0; i < lines.size(); i++) {
      LogEvent e = lines.get(i).event();
      clock = e.clock();
      vector = vectorOf(e, vector);
      if (e.event() == EventType.START && runStart == null) {
        runStart = e.ts();
      } else if (e.event() == EventType.STOP && RUN_OVER.contains(e.get("reason"))) {
        runStart = null;
      }
      switch (e.event()) {
        case SEND -> {
          for (String msg : e.list("msg")) {
            if (msg.startsWith(prefix)) {
              seq = Math.max(seq, Long.parseLong(msg.substring(prefix.length())));
            }
          }
        }
        case RECEIVE -> received.put(e.get("msg"), e.longValue("sent"));
        case START -> lastStart = i;
        default -> {}
      }
    }
    LogEvent last = lines.get(lines.size() - 1).event();
    boolean finished = last.event() == EventType.STOP && RUN_OVER.contains(last.get("reason"));
    List<Resend> resend = new ArrayList<>();
    if (last.event() != EventType.STOP) {
      Instant from = last.ts().minus(resendWindow);
      Set<String> dropped = new HashSet<>();
      for (EventLogReader.Line l : lines.subList(lastStart, lines.size())) {
        if (l.event().event() == EventType.DROP) {
          dropped.add(l.event().get("msg"));
        }
      }
      for (EventLogReader.Line l : lines.subList(lastStart, lines.size())) {
        LogEvent e = l.event();
        if (e.event() != EventType.SEND || e.ts().isBefore(from)) {
          continue;
        }
        List<String> to = e.list("to");
        List<String> msgs = e.list("msg");
        for (int i = 0; i < Math.min(to.size(), msgs.size()); i++) {
          String msg = msgs.get(i);
          if (!dropped.contains(msg) && msg.startsWith(prefix)) {
            resend.add(
                new Resend(
                    Integer.parseInt(to.get(i)),
                    new Message(
                        vmId,
                        Long.parseLong(msg.substring(prefix.length())),
                        e.clock(),
                        e.ts().toEpochMilli(),
                        vectorOf(e, null))));
          }
        }
      }
    }
    return new ResumePoint(clock, seq, lines.size(), finished, received, resend, runStart, vector);
  }

  /** The vector clock a line carries, or {@code otherwise} when it has none. */
  private static VectorClock vectorOf(LogEvent e, VectorClock otherwise) {
    VectorClock v = VirtualMachine.vectorOf(e);
    return v == null ? otherwise : v;
  }
}
