package logicalclocks.analysis.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.verify.Verifier.Rule;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the verifier against a minimal run corrupted in exactly one way: the corruption is
 * found under its rule at its file:line, and nothing else is reported. Removing any check of the
 * verifier makes its row fail (nothing is reported); a check that fires too widely makes another
 * row fail (something else is reported).
 */
class VerifierTest {
  @TempDir Path dir;

  static final Instant T0 = Instant.parse("2026-11-25T12:00:00.000Z");

  /**
   * A valid 3-VM run that exercises every kind of line: a jump on RECEIVE, a SEND to two VMs, a
   * late delivery (DROP deadline, then RECEIVE), a DROP after refusal, a restart (STOP signal,
   * START resumed=true) whose earlier queue is taken back, messages still queued at the last STOPs,
   * and tick slots skipped (missed=) before a tick line and before a STOP.
   */
  static Map<Integer, List<String>> run() {
    Map<Integer, List<String>> logs = new TreeMap<>();
    logs.put(
        0,
        new ArrayList<>(
            List.of(
                l(0, 0, "START clock=0 queue=0 rate=1 sides=10 seed=1 peers=1,2"),
                l(0, 100, "SEND clock=1 queue=0 to=1 msg=0-1 die=1 vc=0:1"),
                l(0, 200, "INTERNAL clock=2 queue=0 die=7 vc=0:2"),
                l(0, 300, "RECEIVE clock=6 queue=0 from=1 msg=1-1 sent=5 vc=0:3,1:4"),
                l(0, 400, "SEND clock=7 queue=0 to=1,2 msg=0-2,0-3 die=3 vc=0:4,1:4"),
                l(0, 500, "DROP clock=7 queue=0 to=2 msg=0-3 reason=deadline"),
                l(0, 1000, "STOP clock=7 queue=1 reason=finished queued=2-1"))));
    logs.put(
        1,
        new ArrayList<>(
            List.of(
                l(1, 0, "START clock=0 queue=0 rate=1 sides=10 seed=1 peers=0,2"),
                l(1, 150, "RECEIVE clock=2 queue=0 from=0 msg=0-1 sent=1 vc=0:1,1:1"),
                l(1, 160, "INTERNAL clock=3 queue=0 die=7 vc=0:1,1:2"),
                l(1, 170, "INTERNAL clock=4 queue=0 die=7 missed=3 vc=0:1,1:3"),
                l(1, 250, "SEND clock=5 queue=0 to=0 msg=1-1 die=1 vc=0:1,1:4"),
                l(1, 260, "SEND clock=6 queue=0 to=2 msg=1-2 die=2 vc=0:1,1:5"),
                l(1, 1000, "STOP clock=6 queue=1 reason=finished queued=0-2"))));
    logs.put(
        2,
        new ArrayList<>(
            List.of(
                l(2, 0, "START clock=0 queue=0 rate=1 sides=10 seed=1 peers=0,1"),
                l(2, 450, "RECEIVE clock=8 queue=0 from=0 msg=0-3 sent=7 vc=0:4,1:4,2:1"),
                l(2, 455, "STOP clock=8 queue=1 reason=signal queued=1-2"),
                l(2, 458, "START clock=8 queue=1 rate=1 sides=10 seed=1 peers=0,1 resumed=true"),
                l(2, 460, "RECEIVE clock=9 queue=0 from=1 msg=1-2 sent=6 vc=0:4,1:5,2:2"),
                l(2, 470, "SEND clock=10 queue=0 to=0 msg=2-1 die=1 vc=0:4,1:5,2:3"),
                l(2, 480, "SEND clock=11 queue=0 to=1 msg=2-2 die=2 vc=0:4,1:5,2:4"),
                l(2, 490, "DROP clock=11 queue=0 to=1 msg=2-2 reason=stopped"),
                l(2, 1000, "STOP clock=11 queue=0 reason=finished missed=50"))));
    return logs;
  }

  static String l(int vm, long ms, String rest) {
    return "ts=" + ts(ms) + " vm=" + vm + " event=" + rest;
  }

  static String ts(long ms) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC)
        .format(T0.plusMillis(ms));
  }

  /** One corruption: what it does to the run, and the one violation it must cause. */
  record Corruption(
      String name,
      Consumer<Map<Integer, List<String>>> change,
      Rule rule,
      String where,
      List<Rule> alsoAtTheSameLine) {
    Corruption(String name, Consumer<Map<Integer, List<String>>> change, Rule rule, String where) {
      this(name, change, rule, where, List.of());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> corruptions() {
    return table().stream().map(Arguments::of);
  }

  static List<Corruption> table() {
    return List.of(
        new Corruption(
            "SEND whose vector clock is not the previous one with own entry + 1",
            logs -> set(logs, 1, 5, "vc", "0:1,1:5"),
            Rule.VECTOR_CLOCK,
            "machine_1.log:5"),
        new Corruption(
            "RECEIVE whose vector clock misses the SEND's entries",
            logs -> set(logs, 0, 4, "vc", "0:3"),
            Rule.VECTOR_CLOCK,
            "machine_0.log:4"),
        new Corruption(
            "tick line without vc in a log that keeps vector clocks",
            logs -> logs.get(1).set(2, logs.get(1).get(2).replace(" vc=0:1,1:2", "")),
            Rule.VECTOR_CLOCK,
            "machine_1.log:3"),
        new Corruption(
            "vc in a log whose first tick line had none",
            logs -> logs.get(1).set(1, logs.get(1).get(1).replace(" vc=0:1,1:1", "")),
            Rule.VECTOR_CLOCK,
            "machine_1.log:3"),
        new Corruption(
            "a VM's event not after its previous one in Lamport time (and not +1)",
            logs -> set(logs, 0, 3, "clock", "1"),
            Rule.CLOCK_CONDITION,
            "machine_0.log:3",
            List.of(Rule.CLOCK_RULE)),
        new Corruption(
            "RECEIVE not after its SEND in Lamport time (nor after the VM's previous event)",
            logs -> shift(logs, 2, 5, -3),
            Rule.CLOCK_CONDITION,
            "machine_2.log:5",
            List.of(Rule.CLOCK_RULE, Rule.CLOCK_CONDITION)),
        new Corruption(
            "missing log of a declared VM",
            logs -> logs.remove(2),
            Rule.MISSING_LOG,
            "machine_0.log:1"),
        new Corruption(
            "START names other peers than the run's VMs",
            logs -> set(logs, 1, 1, "peers", "0"),
            Rule.MEMBERSHIP,
            "machine_1.log:1"),
        new Corruption(
            "SEND to a VM that is not in the run",
            logs -> set(logs, 2, 6, "to", "5"),
            Rule.MEMBERSHIP,
            "machine_2.log:6"),
        new Corruption(
            "SEND to the sender itself (and its own RECEIVE of it)",
            logs -> {
              logs.get(2)
                  .add(8, l(2, 900, "SEND clock=12 queue=0 to=2 msg=2-3 die=1 vc=0:4,1:5,2:5"));
              logs.get(2)
                  .add(
                      9,
                      l(2, 910, "RECEIVE clock=13 queue=0 from=2 msg=2-3 sent=12 vc=0:4,1:5,2:6"));
              set(logs, 2, 11, "clock", "13");
            },
            Rule.MEMBERSHIP,
            "machine_2.log:9"),
        new Corruption(
            "RECEIVE from a VM that is not in the run, of a message it never sent",
            logs -> {
              logs.get(2)
                  .add(
                      8,
                      l(2, 900, "RECEIVE clock=12 queue=0 from=7 msg=7-1 sent=1 vc=0:4,1:5,2:5"));
              set(logs, 2, 10, "clock", "12");
            },
            Rule.MEMBERSHIP,
            "machine_2.log:9"),
        new Corruption(
            "line with another VM's id",
            logs -> set(logs, 1, 3, "vm", "7"),
            Rule.VM_ID,
            "machine_1.log:3"),
        new Corruption(
            "wall time backwards",
            logs -> set(logs, 0, 3, "ts", ts(50)),
            Rule.WALL_TIME_ORDER,
            "machine_0.log:3"),
        new Corruption(
            "wall time back by more than the step its START declares",
            logs -> {
              logs.get(1).set(0, logs.get(1).get(0) + " steps=155:-100");
              set(logs, 1, 3, "ts", ts(30)); // 120 ms before the line before it
            },
            Rule.WALL_TIME_ORDER,
            "machine_1.log:3"),
        new Corruption(
            "START's offset_ms not an integer",
            logs -> logs.get(1).set(0, logs.get(1).get(0) + " offset_ms=abc"),
            Rule.FIELDS,
            "machine_1.log:1"),
        new Corruption(
            "a restart's clock set back further than its declared offset says",
            logs -> restartWithOffset(logs, -500, 1000),
            Rule.WALL_TIME_ORDER,
            "machine_2.log:4"),
        new Corruption(
            "hlc below the line's own physical time",
            logs -> {
              hybrid(logs);
              set(logs, 1, 2, "hlc", hlc(120, 0)); // ts 150, and still above its SEND's (100)
            },
            Rule.HLC_PHYSICAL,
            "machine_1.log:2"),
        new Corruption(
            "tick line without hlc in a log that keeps hybrid clocks",
            logs -> {
              hybrid(logs);
              logs.get(1).set(2, logs.get(1).get(2).replaceFirst(" hlc=[^ ]*", ""));
            },
            Rule.HLC_PHYSICAL,
            "machine_1.log:3"),
        new Corruption(
            "hlc not above the VM's previous event's",
            logs -> {
              hybrid(logs);
              set(logs, 1, 3, "hlc", hlc(500, 0)); // valid itself: ahead of its ts
            },
            Rule.HLC_MONOTONIC,
            "machine_1.log:4"),
        new Corruption(
            "RECEIVE's hlc not above its SEND's",
            logs -> {
              hybrid(logs);
              set(logs, 0, 2, "hlc", hlc(150, 5)); // 0-1, RECEIVEd at VM 1 with 150:0
            },
            Rule.HLC_RECEIVE,
            "machine_1.log:2"),
        new Corruption(
            "log does not begin with START",
            logs -> logs.get(1).add(0, l(1, 0, "STOP clock=0 queue=0 reason=finished")),
            Rule.START_STOP,
            "machine_1.log:1"),
        new Corruption(
            "STOP without START",
            logs -> logs.get(0).add(logs.get(0).get(6)),
            Rule.START_STOP,
            "machine_0.log:8"),
        new Corruption(
            "event after STOP",
            logs -> logs.get(0).add(l(0, 1000, "INTERNAL clock=8 queue=1 die=7 vc=0:5,1:4")),
            Rule.START_STOP,
            "machine_0.log:8"),
        new Corruption(
            "START without STOP, not resumed",
            logs -> {
              logs.get(2).remove(2);
              logs.get(2).set(2, logs.get(2).get(2).replace(" resumed=true", ""));
            },
            Rule.START_STOP,
            "machine_2.log:3"),
        new Corruption(
            "log ends without STOP",
            logs -> logs.get(1).remove(6),
            Rule.START_STOP,
            "machine_1.log:6"),
        new Corruption(
            "restart lowers the clock",
            logs -> shift(logs, 2, 4, -1),
            Rule.CLOCK_MONOTONIC,
            "machine_2.log:4"),
        new Corruption(
            "INTERNAL not +1",
            logs -> set(logs, 0, 3, "clock", "3"),
            Rule.CLOCK_RULE,
            "machine_0.log:3"),
        new Corruption(
            "SEND not +1", logs -> shift(logs, 2, 7, 1), Rule.CLOCK_RULE, "machine_2.log:7"),
        new Corruption(
            "RECEIVE not max(prev, sent)+1",
            logs -> shift(logs, 2, 5, 1),
            Rule.CLOCK_RULE,
            "machine_2.log:5"),
        new Corruption(
            "DROP changes the clock",
            logs -> shift(logs, 0, 6, 1),
            Rule.CLOCK_RULE,
            "machine_0.log:6"),
        new Corruption(
            "STOP changes the clock",
            logs -> set(logs, 1, 7, "clock", "7"),
            Rule.CLOCK_RULE,
            "machine_1.log:7"),
        new Corruption(
            "SEND with more recipients than ids",
            logs -> set(logs, 0, 5, "to", "1,2,2"),
            Rule.FIELDS,
            "machine_0.log:5",
            List.of(Rule.DIE)), // and its recipients are not what its roll (3: both) gives
        new Corruption(
            "message id that is not <sender>-<seq>",
            logs -> {
              set(logs, 2, 7, "msg", "2-x");
              set(logs, 2, 8, "msg", "2-x");
            },
            Rule.FIELDS,
            "machine_2.log:7"),
        new Corruption(
            "message id whose sequence has a leading zero (another spelling of 2-2)",
            logs -> {
              set(logs, 2, 7, "msg", "2-02");
              set(logs, 2, 8, "msg", "2-02");
            },
            Rule.FIELDS,
            "machine_2.log:7"),
        new Corruption(
            "message id whose sequence has a sign",
            logs -> {
              set(logs, 2, 7, "msg", "2-+2");
              set(logs, 2, 8, "msg", "2-+2");
            },
            Rule.FIELDS,
            "machine_2.log:7"),
        new Corruption(
            "message id whose sequence is written in non-ASCII digits",
            logs -> {
              set(logs, 2, 7, "msg", "2-\u0662");
              set(logs, 2, 8, "msg", "2-\u0662");
            },
            Rule.FIELDS,
            "machine_2.log:7"),
        new Corruption(
            "message id whose sequence does not fit a long",
            logs -> {
              set(logs, 2, 7, "msg", "2-99999999999999999999");
              set(logs, 2, 8, "msg", "2-99999999999999999999");
            },
            Rule.FIELDS,
            "machine_2.log:7"),
        new Corruption(
            "RECEIVE of a message id that is not <sender>-<seq>",
            logs -> {
              logs.get(2)
                  .add(
                      8,
                      l(2, 900, "RECEIVE clock=12 queue=0 from=0 msg=bogus sent=1 vc=0:4,1:5,2:5"));
              set(logs, 2, 10, "clock", "12");
            },
            Rule.FIELDS,
            "machine_2.log:9"),
        new Corruption(
            "missed ticks that are zero",
            logs -> set(logs, 1, 4, "missed", "0"),
            Rule.FIELDS,
            "machine_1.log:4"),
        new Corruption(
            "missed ticks that are negative",
            logs -> set(logs, 1, 4, "missed", "-3"),
            Rule.FIELDS,
            "machine_1.log:4"),
        new Corruption(
            "missed ticks that are not a number",
            logs -> set(logs, 1, 4, "missed", "x"),
            Rule.FIELDS,
            "machine_1.log:4"),
        new Corruption(
            "missed ticks with a leading zero",
            logs -> set(logs, 2, 9, "missed", "050"),
            Rule.FIELDS,
            "machine_2.log:9"),
        new Corruption(
            "missed ticks on a DROP line",
            logs -> logs.get(0).set(5, logs.get(0).get(5) + " missed=2"),
            Rule.FIELDS,
            "machine_0.log:6"),
        new Corruption(
            "missed ticks on a START line",
            logs -> logs.get(2).set(3, logs.get(2).get(3) + " missed=2"),
            Rule.FIELDS,
            "machine_2.log:4"),
        new Corruption(
            "START peers that are not ids",
            logs -> set(logs, 0, 1, "peers", "1,x"),
            Rule.FIELDS,
            "machine_0.log:1"),
        new Corruption(
            "message id not after the previous one",
            logs -> {
              set(logs, 1, 6, "msg", "1-0");
              set(logs, 2, 3, "queued", "1-0");
              set(logs, 2, 5, "msg", "1-0");
            },
            Rule.MESSAGE_IDS,
            "machine_1.log:6"),
        new Corruption(
            "message id sent twice",
            logs -> {
              set(logs, 2, 6, "to", "0,0");
              set(logs, 2, 6, "msg", "2-1,2-1");
            },
            Rule.MESSAGE_IDS,
            "machine_2.log:6",
            List.of(Rule.DIE)), // and two copies to VM 0 is what no roll gives
        new Corruption(
            "DROP of a message never sent",
            logs ->
                logs.get(2).add(8, l(2, 495, "DROP clock=11 queue=0 to=1 msg=2-9 reason=stopped")),
            Rule.MESSAGE_IDS,
            "machine_2.log:9"),
        new Corruption(
            "RECEIVE of a message never sent",
            logs -> {
              logs.get(2)
                  .add(
                      8,
                      l(2, 900, "RECEIVE clock=12 queue=0 from=0 msg=0-9 sent=1 vc=0:4,1:5,2:5"));
              set(logs, 2, 10, "clock", "12");
            },
            Rule.RECEIVE_MATCHES_SEND,
            "machine_2.log:9"),
        new Corruption(
            "RECEIVE from a VM of the run, of an id whose sender is not in the run",
            logs -> {
              logs.get(2)
                  .add(
                      8,
                      l(2, 900, "RECEIVE clock=12 queue=0 from=0 msg=7-1 sent=1 vc=0:4,1:5,2:5"));
              set(logs, 2, 10, "clock", "12");
            },
            Rule.RECEIVE_MATCHES_SEND,
            "machine_2.log:9"),
        new Corruption(
            "RECEIVE by another VM than the SEND's",
            logs -> {
              set(logs, 0, 2, "to", "2");
              set(logs, 0, 2, "die", "2"); // the roll that sends to VM 2: only the RECEIVE is wrong
            },
            Rule.RECEIVE_MATCHES_SEND,
            "machine_1.log:2"),
        new Corruption(
            "RECEIVE with another clock than the SEND's",
            logs -> set(logs, 2, 5, "sent", "4"),
            Rule.RECEIVE_MATCHES_SEND,
            "machine_2.log:5"),
        new Corruption(
            "RECEIVE from another sender than the SEND's",
            logs -> set(logs, 2, 5, "from", "0"),
            Rule.RECEIVE_MATCHES_SEND,
            "machine_2.log:5"),
        new Corruption(
            "DROP names another recipient than the SEND",
            logs -> set(logs, 0, 6, "to", "1"),
            Rule.DROP_MATCHES_SEND,
            "machine_0.log:6"),
        new Corruption(
            "a roll that is not a face of the START's die",
            logs -> set(logs, 0, 3, "die", "77"),
            Rule.DIE,
            "machine_0.log:3"),
        new Corruption(
            "an INTERNAL whose roll sends",
            logs -> set(logs, 0, 3, "die", "1"),
            Rule.DIE,
            "machine_0.log:3"),
        new Corruption(
            "a SEND whose roll is internal",
            logs -> set(logs, 1, 5, "die", "8"),
            Rule.DIE,
            "machine_1.log:5"),
        new Corruption(
            "a SEND to the other VM than its roll names",
            logs -> set(logs, 0, 2, "die", "2"),
            Rule.DIE,
            "machine_0.log:2"),
        new Corruption(
            "DROP reason no sender writes",
            logs -> set(logs, 2, 8, "reason", "gone"),
            Rule.DROP_REASON,
            "machine_2.log:8"),
        new Corruption(
            "STOP count differs from the ids it names",
            logs -> set(logs, 1, 7, "queue", "2"),
            Rule.STOP_QUEUE,
            "machine_1.log:7"),
        new Corruption(
            "message with no fate",
            logs -> logs.get(1).set(6, l(1, 1000, "STOP clock=6 queue=0 reason=finished")),
            Rule.MESSAGES_ACCOUNTED,
            "machine_0.log:5"),
        new Corruption(
            "message received and queued at STOP",
            logs -> {
              set(logs, 1, 7, "queue", "2");
              set(logs, 1, 7, "queued", "0-2,0-1");
            },
            Rule.MESSAGES_ACCOUNTED,
            "machine_1.log:7"),
        new Corruption(
            "RECEIVE of a message DROPped for a definite reason",
            logs -> set(logs, 0, 6, "reason", "stopped"),
            Rule.MESSAGES_ACCOUNTED,
            "machine_2.log:2"),
        new Corruption(
            "STOP names a message no VM sent",
            logs -> {
              set(logs, 1, 7, "queue", "2");
              set(logs, 1, 7, "queued", "0-2,0-9");
            },
            Rule.MESSAGES_ACCOUNTED,
            "machine_1.log:7"),
        new Corruption(
            "STOP names a message sent to another VM",
            logs -> {
              logs.get(1).set(6, l(1, 1000, "STOP clock=6 queue=0 reason=finished"));
              set(logs, 2, 9, "queue", "1");
              logs.get(2).set(8, logs.get(2).get(8) + " queued=0-2");
            },
            Rule.MESSAGES_ACCOUNTED,
            "machine_2.log:9"));
  }

  /** Sets {@code key=value} on line {@code line} (1-based) of VM {@code vm}'s log. */
  static void set(Map<Integer, List<String>> logs, int vm, int line, String key, String value) {
    List<String> lines = logs.get(vm);
    Matcher m = Pattern.compile("(^| )" + key + "=[^ ]*").matcher(lines.get(line - 1));
    assertThat(m.find()).as("line %d of VM %d has %s", line, vm, key).isTrue();
    lines.set(line - 1, m.replaceFirst(m.group(1) + key + "=" + value));
  }

  /**
   * Gives every tick line of the run the hybrid time a VM with an exact clock would have: in this
   * run every RECEIVE comes after its SEND by the wall clocks, so each is {@code <its ts>:0}.
   */
  static void hybrid(Map<Integer, List<String>> logs) {
    Pattern ts = Pattern.compile("^ts=([^ ]*) .* event=(SEND|RECEIVE|INTERNAL) ");
    for (List<String> lines : logs.values()) {
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = ts.matcher(lines.get(i));
        if (m.find()) {
          long ms = Instant.parse(m.group(1)).toEpochMilli() - T0.toEpochMilli();
          lines.set(i, lines.get(i).replace(" vc=", " hlc=" + hlc(ms, 0) + " vc="));
        }
      }
    }
  }

  /** The hybrid time {@code <T0 + ms>:<c>}. */
  static String hlc(long ms, long c) {
    return (T0.toEpochMilli() + ms) + ":" + c;
  }

  @Test
  void aRunWithHybridClocksIsValid() throws Exception {
    Map<Integer, List<String>> logs = run();
    hybrid(logs);
    assertThat(logs.get(1).get(1)).contains(" hlc=" + hlc(150, 0));
    assertThat(verify(logs)).isEmpty();
  }

  /**
   * VM 2's restart (its line 4 on) declares {@code offset_ms=<declared>} and its lines are written
   * {@code back} ms earlier, as a clock set back at the restart would write them.
   */
  static void restartWithOffset(Map<Integer, List<String>> logs, long declared, long back) {
    List<String> vm2 = logs.get(2);
    vm2.set(0, vm2.get(0) + " offset_ms=0");
    for (int i = 4; i <= vm2.size(); i++) {
      Matcher m = Pattern.compile("^ts=([^ ]*)").matcher(vm2.get(i - 1));
      assertThat(m.find()).isTrue();
      long ms = Instant.parse(m.group(1)).toEpochMilli() - T0.toEpochMilli();
      set(logs, 2, i, "ts", ts(ms - back));
    }
    vm2.set(3, vm2.get(3) + " offset_ms=" + declared);
  }

  @Test
  void aRestartMaySetTheClockBackByWhatItsStartDeclares() throws Exception {
    Map<Integer, List<String>> logs = run();
    restartWithOffset(logs, -1000, 1000);
    assertThat(verify(logs)).isEmpty();
  }

  @Test
  void wallTimeMayGoBackByAStepTheStartDeclares() throws Exception {
    Map<Integer, List<String>> logs = run();
    logs.get(1).set(0, logs.get(1).get(0) + " steps=155:-300");
    set(logs, 1, 3, "ts", ts(30)); // 120 ms before the line before it: within the 300 ms step
    assertThat(verify(logs)).isEmpty();
  }

  /** Adds {@code delta} to the clock of every line of VM {@code vm} from line {@code from} on. */
  static void shift(Map<Integer, List<String>> logs, int vm, int from, long delta) {
    List<String> lines = logs.get(vm);
    for (int i = from; i <= lines.size(); i++) {
      Matcher m = Pattern.compile(" clock=(\\d+)").matcher(lines.get(i - 1));
      assertThat(m.find()).isTrue();
      set(logs, vm, i, "clock", String.valueOf(Long.parseLong(m.group(1)) + delta));
    }
  }

  List<Violation> verify(Map<Integer, List<String>> logs) throws Exception {
    for (var e : logs.entrySet()) {
      Files.write(dir.resolve(EventLogFormat.fileName(e.getKey())), e.getValue());
    }
    return Verifier.verify(EventLogReader.readDir(dir));
  }

  @Test
  void theUncorruptedRunIsValid() throws Exception {
    assertThat(verify(run())).isEmpty();
    RunMetrics m = Analyzer.analyze(EventLogReader.readDir(dir)).metrics();
    assertThat(m.lateDeliveries()).as("0-3: DROP deadline, then RECEIVE").isEqualTo(1);
    assertThat(m.dropped()).as("2-2").isEqualTo(1);
    assertThat(m.queuedAtStop()).as("2-1 at VM 0, 0-2 at VM 1").isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void eachCorruptionIsFoundUnderItsRuleAtItsLineAndNothingElse(Corruption c) throws Exception {
    Map<Integer, List<String>> logs = run();
    c.change().accept(logs);
    assertThat(verify(logs))
        .as(c.name())
        .extracting(Violation::rule, Violation::where)
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(Stream.of(c.rule()), c.alsoAtTheSameLine().stream())
                .map(r -> tuple(r.id(), c.where()))
                .toList());
  }

  @Test
  void everyRuleHasACorruption() {
    Set<Rule> covered = EnumSet.noneOf(Rule.class);
    table().forEach(c -> covered.add(c.rule()));
    // the snapshot rules check records against logs: their corruptions are SnapshotCheckTest's,
    // which asserts, after its tests, that each of these rules caught one
    covered.addAll(logicalclocks.analysis.SnapshotCheckTest.RULES);
    assertThat(covered).containsExactlyInAnyOrder(Rule.values());
  }

  @Test
  void anEmptyLogIsAViolation() {
    var logs = new TreeMap<Integer, List<EventLogReader.Line>>();
    logs.put(0, List.of());
    assertThat(Verifier.verify(logs))
        .extracting(Violation::rule, Violation::where)
        .containsExactly(tuple("start-stop", "machine_0.log:0"));
  }
}
