package logicalclocks.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import logicalclocks.clock.ClockKind;
import logicalclocks.clock.ClockKinds;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.Stamps;
import logicalclocks.clock.VectorClock;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.Message;
import logicalclocks.vm.VirtualMachine;

/**
 * Where a restarted VM picks up from its own log: the last logical clock and the last message
 * sequence it used, so its clock never goes back and its message ids stay unique; the messages it
 * received that it must still recognise; and, after a crash, the messages it sent shortly before
 * dying whose fate it never learned. A partial last line (the process was killed mid-write) is cut
 * off first.
 *
 * <p>The log is read once, line by line, and only what resuming needs is kept: memory grows with
 * the VM's rate and the number of messages still unsettled, not with the length of the log.
 *
 * @param clock last logged clock (0 for a new log)
 * @param sequence highest sequence in this VM's own message ids (0 for a new log)
 * @param lines complete lines already in the log
 * @param finished whether the log ends with a STOP of a run that finished its DURATION
 * @param received messages this VM RECEIVEd that it must still recognise as taken: id -> the clock
 *     it carried (those its caller's filter kept)
 * @param resend messages SENT in a crashed run whose fate it never learned: no DROP, no STOP after
 *     them, and within the resend window of the log's end (a message resent after an earlier
 *     restart counts from that restart's START)
 * @param runStart host time of the current run's first START (the first START after the last STOP
 *     that ended a run, {@code reason=finished} or {@code clock-limit}): its ts less the clock
 *     offset it declares ({@code offset_ms}); null when the log holds no unfinished run
 * @param run the {@code runid} of the log's first START (null when it names none, or the log is
 *     empty)
 * @param stamps each clock kind's value on the last tick line that has one (a kind no line has is
 *     absent: a VM resumes it from its zero)
 * @param snapshot the last snapshot the log recorded a state for (its SNAPSHOT lines; 0: none): the
 *     VM's colour, and that of each SEND after it
 * @param ticks the log's SEND, RECEIVE and INTERNAL lines (a snapshot's cut counts them)
 */
public record ResumePoint(
    long clock,
    long sequence,
    int lines,
    boolean finished,
    Map<String, Long> received,
    List<Resend> resend,
    Instant runStart,
    String run,
    Stamps stamps,
    long snapshot,
    long ticks) {
  public static final ResumePoint FRESH =
      new ResumePoint(0, 0, 0, false, Map.of(), List.of(), null, null, Stamps.NONE, 0, 0);

  /** The vector clock of the last tick line that has one (zero for none). */
  public VectorClock vector() {
    VectorClock v = stamps.get(ClockKind.VECTOR);
    return v == null ? VectorClock.zero() : v;
  }

  /** The hybrid clock of the last tick line that has one (zero for none). */
  public HybridTime hlc() {
    HybridTime h = stamps.get(ClockKind.HYBRID);
    return h == null ? HybridTime.ZERO : h;
  }

  /** STOP reasons after which the run is over: a restart begins a new run. */
  public static final Set<String> RUN_OVER = Set.of("finished", VirtualMachine.CLOCK_LIMIT);

  /** A message to send again, to {@code to}. */
  public record Resend(int to, Message message) {}

  /** Which received messages a resuming VM must remember. */
  @FunctionalInterface
  public interface Keep {
    boolean keep(int sender, long sequence, String id);

    Keep ALL = (s, q, id) -> true;
  }

  public static ResumePoint of(Path file, int vmId)
      throws IOException, EventLogReader.BadLogException {
    return of(file, vmId, Duration.ZERO, Keep.ALL);
  }

  public static ResumePoint of(Path file, int vmId, Duration resendWindow)
      throws IOException, EventLogReader.BadLogException {
    return of(file, vmId, resendWindow, Keep.ALL);
  }

  private static final class Candidate {
    final Resend resend;
    Instant from;

    Candidate(Resend resend, Instant from) {
      this.resend = resend;
      this.from = from;
    }
  }

  /**
   * Reads {@code file} once, trimming a trailing partial line in place. Fails on a malformed
   * complete line.
   *
   * @param resendWindow how far back from a crashed run's last line a SEND may still be in flight
   * @param keep which RECEIVEd ids to return in {@link #received}
   */
  public static ResumePoint of(Path file, int vmId, Duration resendWindow, Keep keep)
      throws IOException, EventLogReader.BadLogException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return FRESH;
    }
    LineFiles.trimTornLine(file);
    if (Files.size(file) == 0) {
      return FRESH;
    }
    String prefix = vmId + "-";
    Map<String, Long> received = new HashMap<>();
    LinkedHashMap<String, Candidate> candidates = new LinkedHashMap<>();
    long[] clockSeq = {0, 0};
    Instant[] runStart = {null};
    Map<ClockKind<?>, Object> stamps = new LinkedHashMap<>();
    String[] run = {null};
    boolean[] sawStart = {false};
    LogEvent[] last = {null};
    long[] colour = {0}; // the last snapshot the log recorded a state for: its SENDs' colour
    long[] ticks = {0};
    int lines =
        EventLogReader.forEach(
            file,
            l -> {
              LogEvent e = l.event();
              last[0] = e;
              if (e.event().isTick()) {
                ticks[0]++;
              }
              clockSeq[0] = e.clock();
              for (ClockKind<?> k : ClockKinds.all()) {
                Object v = VirtualMachine.valueOf(e, k);
                if (v != null) {
                  stamps.put(k, v);
                }
              }
              switch (e.event()) {
                case START -> {
                  if (!sawStart[0]) {
                    sawStart[0] = true;
                    run[0] = e.get(VirtualMachine.RUN_ID_KEY);
                  }
                  if (runStart[0] == null) {
                    // host time: the START's ts less the offset its clock declared, so a restart
                    // whose clock is set otherwise still ends the run when its peers do
                    runStart[0] = e.ts().minusMillis(declaredOffset(e));
                  }
                  // what a crashed run left unsettled is sent again from this START on
                  candidates.values().forEach(c -> c.from = e.ts());
                }
                case STOP -> {
                  if (RUN_OVER.contains(e.get("reason"))) {
                    runStart[0] = null;
                  }
                  candidates.clear(); // a VM logs STOP only once every send has settled
                }
                case SEND -> {
                  List<String> to = e.list("to");
                  List<String> msgs = e.list("msg");
                  for (int i = 0; i < Math.min(to.size(), msgs.size()); i++) {
                    String msg = msgs.get(i);
                    if (msg.startsWith(prefix)) {
                      long seq = Long.parseLong(msg.substring(prefix.length()));
                      clockSeq[1] = Math.max(clockSeq[1], seq);
                      candidates.put(
                          msg,
                          new Candidate(
                              new Resend(
                                  Integer.parseInt(to.get(i)),
                                  new Message(
                                      vmId,
                                      seq,
                                      e.clock(),
                                      e.ts().toEpochMilli(),
                                      0,
                                      Stamps.of(stamps),
                                      colour[0])),
                              e.ts()));
                    }
                  }
                }
                case DROP -> candidates.remove(e.get("msg"));
                case SNAPSHOT -> colour[0] = Math.max(colour[0], VirtualMachine.snapshotOf(e));
                case RECEIVE -> {
                  String id = e.get("msg");
                  int dash = id.indexOf('-');
                  int sender = dash > 0 ? parseInt(id.substring(0, dash)) : -1;
                  long seq = dash > 0 ? parseLong(id.substring(dash + 1)) : -1;
                  if (sender < 0 || seq < 0 || keep.keep(sender, seq, id)) {
                    received.put(id, e.longValue("sent"));
                  }
                }
                default -> {}
              }
              Instant horizon = e.ts().minus(resendWindow);
              for (Iterator<Candidate> it = candidates.values().iterator(); it.hasNext(); ) {
                if (!it.next().from.isBefore(horizon)) {
                  break;
                }
                it.remove();
              }
            });
    boolean finished =
        last[0].event() == EventType.STOP && RUN_OVER.contains(last[0].get("reason"));
    List<Resend> resend = new ArrayList<>();
    if (last[0].event() != EventType.STOP) {
      candidates.values().forEach(c -> resend.add(c.resend));
    }
    return new ResumePoint(
        clockSeq[0],
        clockSeq[1],
        lines,
        finished,
        received,
        resend,
        runStart[0],
        run[0],
        Stamps.of(stamps),
        colour[0],
        ticks[0]);
  }

  /**
   * The VM {@code assembly} makes, resumed from here: its clocks, message sequence and snapshot
   * colour where its log leaves them (fresh for {@link #FRESH}); the one way a node and a replay
   * restart a VM. Its START is not yet logged, and what it may have to send again is not sent.
   */
  public VirtualMachine vm(
      logicalclocks.vm.Assembly assembly,
      logicalclocks.vm.Transport transport,
      logicalclocks.event.EventLog log,
      logicalclocks.vm.Inbox inbox) {
    VirtualMachine vm = assembly.vm(transport, log, inbox, clock, sequence, stamps, lines > 0);
    vm.resumeSnapshots(snapshot, ticks);
    return vm;
  }

  /** A START's declared offset, as every reader of it reads it (a wrong declaration: none). */
  public static long declaredOffset(LogEvent start) {
    return VirtualMachine.declaredClockOf(start).specOrExact().offsetMs();
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
