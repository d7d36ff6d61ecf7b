package logicalclocks.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.recovery.ResumePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogFormatTest {
  static final Instant TS = Instant.parse("2026-11-25T23:59:01.123Z");

  @Test
  void numbersAreAsciiDigitsOnly() {
    String good =
        "ts=2026-01-01T00:00:00.250Z vm=1 event=RECEIVE clock=278 queue=0 from=0 msg=0-1 sent=5";
    assertThat(EventLogFormat.parse(good).clock()).isEqualTo(278);
    assertThat(EventLogFormat.parse(good).longValue("sent")).isEqualTo(5);
    // Long.parseLong alone takes these: an Arabic-Indic eight, a plus sign, full-width digits
    for (String bad : new String[] {"27\u0668", "+278", "\uff12\uff17\uff18"}) {
      assertThatThrownBy(() -> EventLogFormat.parse(good.replace("clock=278", "clock=" + bad)))
          .as(bad)
          .isInstanceOf(logicalclocks.event.LogFormatException.class);
      assertThatThrownBy(
              () -> EventLogFormat.parse(good.replace("sent=5", "sent=" + bad)).longValue("sent"))
          .as("sent=" + bad)
          .isInstanceOf(logicalclocks.event.LogFormatException.class);
    }
  }

  @Test
  void writesTheDocumentedLine() {
    LogEvent e =
        new LogEvent(TS, 0, EventType.SEND, 17, 0, LogEvent.extras("to", "1,2", "msg", "0-8,0-9"));
    assertThat(EventLogFormat.format(e))
        .isEqualTo(
            "ts=2026-11-25T23:59:01.123Z vm=0 event=SEND clock=17 queue=0 to=1,2 msg=0-8,0-9");
  }

  /** The keys {@code type} requires, each with a value. */
  static Map<String, String> keysOf(EventType type) {
    Map<String, String> m = new LinkedHashMap<>();
    EventLogFormat.EVENT_KEYS.get(type).forEach(k -> m.put(k, "1"));
    return m;
  }

  @Test
  void roundTripsEveryEventTypeAndQuotedValues() {
    for (EventType type : EventType.values()) {
      Map<String, String> extra = keysOf(type);
      extra.put("reason", "peer said \"no\" = bad\\x");
      LogEvent e = new LogEvent(TS, 3, type, 123456789012L, 42, extra);
      String line = EventLogFormat.format(e);
      assertThat(EventLogFormat.parse(line)).isEqualTo(e);
    }
    Map<String, String> quoted = keysOf(EventType.DROP);
    quoted.put("note", "a b\tc\n");
    quoted.put("empty", "");
    LogEvent e = new LogEvent(TS, 1, EventType.DROP, 1, 0, quoted);
    String line = EventLogFormat.format(e);
    assertThat(line).endsWith("note=\"a b\\tc\\n\" empty=\"\"").doesNotContain("\n");
    assertThat(EventLogFormat.parse(line)).isEqualTo(e);
  }

  @Test
  void everyEventNeedsItsKeysWithValues() {
    String head = "ts=2026-11-25T23:59:01.123Z vm=0 ";
    assertThatThrownBy(() -> EventLogFormat.parse(head + "event=INTERNAL clock=1 queue=0 die="))
        .isInstanceOf(LogFormatException.class)
        .hasMessageContaining("INTERNAL needs a non-empty 'die'")
        .hasMessageContaining("got die=");
    assertThatThrownBy(() -> EventLogFormat.parse(head + "event=SEND clock=1 queue=0 to=1 msg=0-1"))
        .hasMessageContaining("SEND needs a non-empty 'die'")
        .hasMessageContaining("got none");
    assertThatThrownBy(() -> EventLogFormat.parse(head + "event=STOP clock=1 queue=0 reason=\"\""))
        .hasMessageContaining("STOP needs a non-empty 'reason'");
    assertThat(
            EventLogFormat.parse(head + "event=STOP clock=1 queue=0 reason=finished").get("reason"))
        .isEqualTo("finished");
  }

  @Test
  void aLastLineWithoutNewlineIsTruncated(@TempDir Path dir) throws Exception {
    String stop = "ts=2026-11-25T23:59:01.123Z vm=0 event=STOP clock=0 queue=0 reason=fini";
    String start =
        "ts=2026-11-25T23:59:01.123Z vm=0 event=START clock=0 queue=0 rate=1 sides=10 seed=1 peers=1\n";
    Files.writeString(dir.resolve("machine_0.log"), start + stop);
    assertThatThrownBy(() -> EventLogReader.readDir(dir))
        .isInstanceOf(EventLogReader.BadLogException.class)
        .hasMessageContaining("machine_0.log:2: truncated");
    Files.writeString(dir.resolve("machine_0.log"), start + stop + "shed\n");
    assertThat(EventLogReader.read(dir.resolve("machine_0.log"))).hasSize(2);
  }

  @Test
  void truncatesToMilliseconds() {
    Instant fine = Instant.parse("2026-11-25T23:59:01.123456Z");
    LogEvent e =
        new LogEvent(
            LogEvent.truncate(fine), 0, EventType.INTERNAL, 1, 0, keysOf(EventType.INTERNAL));
    assertThat(EventLogFormat.parse(EventLogFormat.format(e)).ts()).isEqualTo(TS);
  }

  @Test
  void rejectsMalformedLinesSayingWhy() {
    assertThatThrownBy(
            () ->
                EventLogFormat.parse(
                    "vm=0 ts=2026-11-25T23:59:01.123Z event=START clock=0 queue=0"))
        .isInstanceOf(LogFormatException.class)
        .hasMessageContaining("must be 'ts'");
    assertThatThrownBy(() -> EventLogFormat.parse("ts=yesterday vm=0 event=START clock=0 queue=0"))
        .hasMessageContaining("ts is not ISO-8601");
    assertThatThrownBy(
            () ->
                EventLogFormat.parse("ts=2026-11-25T23:59:01.123Z vm=0 event=JUMP clock=0 queue=0"))
        .hasMessageContaining("unknown event 'JUMP'");
    assertThatThrownBy(
            () ->
                EventLogFormat.parse(
                    "ts=2026-11-25T23:59:01.123Z vm=0 event=SEND clock=-1 queue=0"))
        .hasMessageContaining("clock out of range");
    assertThatThrownBy(
            () ->
                EventLogFormat.parse(
                    "ts=2026-11-25T23:59:01.123Z vm=0 event=SEND clock=1 queue=0 to=\"1"))
        .hasMessageContaining("unterminated");
    assertThatThrownBy(
            () ->
                EventLogFormat.parse(
                    "ts=2026-11-25T23:59:01.123Z vm=0 event=SEND clock=1 queue=0 a=1 a=2"))
        .hasMessageContaining("duplicate key 'a'");
    assertThatThrownBy(
            () -> EventLogFormat.parse("ts=2026-11-25T23:59:01.123Z vm=0 event=SEND clock=1"))
        .hasMessageContaining("expected keys");
  }

  @Test
  void writerAppendsFlushedLinesAndReaderNamesFileAndLine(@TempDir Path dir) throws Exception {
    try (EventLogWriter w = new EventLogWriter(dir, 4)) {
      w.append(new LogEvent(TS, 4, EventType.START, 0, 0, keysOf(EventType.START)));
      assertThat(Files.readString(dir.resolve("machine_4.log")))
          .as("flushed at once")
          .endsWith("\n");
      w.append(new LogEvent(TS, 4, EventType.INTERNAL, 1, 0, keysOf(EventType.INTERNAL)));
    }
    var lines = EventLogReader.read(dir.resolve("machine_4.log"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).where()).isEqualTo("machine_4.log:2");
    Files.writeString(dir.resolve("machine_4.log"), "garbage\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> EventLogReader.readDir(dir)).hasMessageContaining("machine_4.log:3");
    Files.write(dir.resolve("machine_5.log"), new byte[] {(byte) 0xff, 0, 1});
    assertThatThrownBy(() -> EventLogReader.read(dir.resolve("machine_5.log")))
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void resumePointTrimsAPartialLastLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("machine_1.log");
    Files.writeString(
        f,
        """
        ts=2026-11-25T23:59:01.123Z vm=1 event=START clock=0 queue=0 rate=1 sides=10 seed=1 peers=0,2
        ts=2026-11-25T23:59:01.200Z vm=1 event=SEND clock=1 queue=0 to=0,2 msg=1-1,1-2 die=3
        ts=2026-11-25T23:59:01.300Z vm=1 event=RECEIVE clock=9 queue=0 from=0 msg=0-4 sent=8
        ts=2026-11-25T23:59:01.400Z vm=1 event=INTER""");
    ResumePoint p = ResumePoint.of(f, 1);
    assertThat(p.clock()).isEqualTo(9);
    assertThat(p.sequence()).isEqualTo(2);
    assertThat(p.lines()).isEqualTo(3);
    assertThat(p.finished()).isFalse();
    assertThat(p.runStart()).as("the run's first START").isEqualTo(TS);
    assertThat(p.received()).containsExactly(Map.entry("0-4", 8L));
    assertThat(p.resend()).as("outside a zero window").isEmpty();
    ResumePoint crashed = ResumePoint.of(f, 1, Duration.ofSeconds(5));
    assertThat(crashed.resend())
        .extracting(r -> r.to() + ":" + r.message().id() + "@" + r.message().clock())
        .containsExactly("0:1-1@1", "2:1-2@1");
    assertThat(Files.readString(f)).endsWith("sent=8\n");
    assertThat(ResumePoint.of(dir.resolve("machine_7.log"), 7)).isEqualTo(ResumePoint.FRESH);
  }
}
