package logicalclocks.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import logicalclocks.event.EventType;
import logicalclocks.event.Extras;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte encoder writes exactly {@link EventLogFormat#format}'s line, in UTF-8, and a newline.
 */
class LineEncoderTest {
  /** A value in its own form whose text is {@code text} (it may need quotes, or be empty). */
  record Text(String text) implements LogValue {
    @Override
    public void appendTo(Sink sink) {
      for (int i = 0; i < text.length(); i++) {
        sink.append(text.charAt(i));
      }
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private static final String[] STRINGS = {
    "",
    "1,2",
    "0-8,0-9",
    "a b",
    "say \"no\"",
    "x=y",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "cr\r",
    "\u0001",
    "\u007f",
    "\u0085",
    "é",
    "日本",
    "emoji \uD83D\uDE00",
    "peer said \"é\" = x"
  };

  private static Object randomValue(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> STRINGS[r.nextInt(STRINGS.length)];
      case 1 -> r.nextLong() >>> r.nextInt(64);
      case 2 -> r.nextInt(2000) - (r.nextInt(10) == 0 ? 5000 : 0);
      case 3 -> new Text(STRINGS[r.nextInt(STRINGS.length)]);
      case 4 -> Long.MIN_VALUE + r.nextInt(3);
      default -> (long) r.nextInt(1000);
    };
  }

  private static byte[] expected(LogEvent e) {
    return (EventLogFormat.format(e) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesTheBytesOfFormatForRandomEvents() throws Exception {
    Random r = new Random(7);
    LineEncoder enc = new LineEncoder(64);
    java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
    for (int n = 0; n < 20_000; n++) {
      Extras raw = new Extras(2);
      Map<String, String> plain = new LinkedHashMap<>();
      int keys = r.nextInt(6);
      for (int k = 0; k < keys; k++) {
        String key = "k" + r.nextInt(8);
        Object v = randomValue(r);
        raw.putRaw(key, v);
        plain.put(key, String.valueOf(v));
      }
      Instant ts =
          Instant.ofEpochSecond(
              1_700_000_000L + r.nextInt(5) * (r.nextBoolean() ? 1 : 100_000),
              r.nextInt(1_000_000_000));
      ts = LogEvent.truncate(ts);
      EventType type = EventType.values()[r.nextInt(EventType.values().length)];
      long clock = r.nextBoolean() ? r.nextInt(1000) : r.nextLong() >>> 1;
      LogEvent viaRaw = new LogEvent(ts, r.nextInt(1200), type, clock, r.nextInt(5000), raw);
      LogEvent viaPlain = new LogEvent(ts, viaRaw.vm(), type, clock, viaRaw.queue(), plain);
      assertThat(viaRaw).isEqualTo(viaPlain);
      assertThat(viaRaw.hashCode()).isEqualTo(viaPlain.hashCode());
      assertThat(EventLogFormat.format(viaRaw)).isEqualTo(EventLogFormat.format(viaPlain));
      enc.encode(r.nextBoolean() ? viaRaw : viaPlain);
      want.writeBytes(expected(viaPlain));
    }
    assertThat(Arrays.copyOf(enc.array(), enc.length())).isEqualTo(want.toByteArray());
  }

  @Test
  void aBadKeyOrAnUnpairedSurrogateAppendsNothing() throws Exception {
    Instant ts = Instant.parse("2026-01-01T00:00:00.007Z");
    LineEncoder enc = new LineEncoder(64);
    LogEvent ok = new LogEvent(ts, 0, EventType.INTERNAL, 1, 0, Extras.of("die", 9));
    enc.encode(ok);
    int before = enc.length();
    LogEvent badKey = new LogEvent(ts, 0, EventType.INTERNAL, 1, 0, Extras.of("clock", 9L));
    assertThatThrownBy(() -> enc.encode(badKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad extra key: clock");
    LogEvent surrogate =
        new LogEvent(ts, 0, EventType.STOP, 1, 0, Extras.of("reason", "half \uD83D pair"));
    assertThatThrownBy(() -> enc.encode(surrogate)).isInstanceOf(CharacterCodingException.class);
    assertThat(enc.length()).isEqualTo(before);
    enc.encode(ok);
    assertThat(new String(enc.array(), 0, enc.length(), StandardCharsets.UTF_8))
        .isEqualTo(
            "ts=2026-01-01T00:00:00.007Z vm=0 event=INTERNAL clock=1 queue=0 die=9\n".repeat(2));
  }

  @Test
  void extrasActLikeALinkedHashMapAndFreezeInAnEvent() {
    Extras x = Extras.of("a", 1, "b", new Text("x y"), "c", null);
    x.put("a", "again");
    Map<String, String> plain = new LinkedHashMap<>();
    plain.put("a", "again");
    plain.put("b", "x y");
    plain.put("c", "null");
    assertThat(x).isEqualTo(plain).hasSameHashCodeAs(plain);
    assertThat(x.keySet()).containsExactly("a", "b", "c");
    assertThat(x.toString()).isEqualTo(plain.toString());
    LogEvent e = new LogEvent(Instant.EPOCH, 0, EventType.STOP, 0, 0, x);
    assertThatThrownBy(() -> x.put("d", "1")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> e.extra().put("d", "1"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(e.get("b")).isEqualTo("x y");
  }

  @Test
  void aFlushingWriterHandsEachLineToTheOsBeforeReturning(@TempDir Path dir) throws Exception {
    Instant ts = Instant.parse("2026-01-01T00:00:00Z");
    try (EventLogWriter live = new EventLogWriter(dir, 1, false, true)) {
      live.append(new LogEvent(ts, 1, EventType.INTERNAL, 1, 0, Extras.of("die", 5)));
      assertThat(Files.readString(dir.resolve("machine_1.log")))
          .isEqualTo("ts=2026-01-01T00:00:00.000Z vm=1 event=INTERNAL clock=1 queue=0 die=5\n");
    }
  }

  @Test
  void aBufferingWriterWritesTheSameFileAsAFlushingOne(@TempDir Path dir) throws Exception {
    Random r = new Random(3);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    try (EventLogWriter buffered = new EventLogWriter(a, 0, false, false);
        EventLogWriter flushing = new EventLogWriter(b, 0, false, true)) {
      for (int i = 0; i < 5_000; i++) {
        LogEvent e =
            new LogEvent(
                Instant.ofEpochMilli(1_800_000_000_000L + i * 7L),
                0,
                EventType.SEND,
                i,
                i % 3,
                Extras.of("to", "1,2", "msg", new Text("0-" + i), "die", randomValue(r)));
        buffered.append(e);
        flushing.append(e);
      }
    }
    assertThat(Files.readAllBytes(a.resolve("machine_0.log")))
        .isEqualTo(Files.readAllBytes(b.resolve("machine_0.log")));
    EventLogWriter closed = new EventLogWriter(a, 0, true, false);
    closed.close();
    assertThatThrownBy(
            () ->
                closed.append(
                    new LogEvent(Instant.EPOCH, 0, EventType.STOP, 0, 0, Map.of("reason", "x"))))
        .isInstanceOf(UncheckedIOException.class);
  }
}
