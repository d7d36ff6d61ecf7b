package logicalclocks.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;

/**
 * Fuzzes {@link EventLogFormat#parse}: any line either parses or fails with {@link
 * LogFormatException}, nothing else; and a parsed event written back is one line that parses to the
 * same event. Under {@code ./mvnw test} it replays {@code EventLogFormatFuzzTestInputs/parse}; with
 * {@code JAZZER_FUZZ=1} (the {@code fuzz} profile) it fuzzes.
 */
class EventLogFormatFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void parse(byte[] input) {
    String line = new String(input, StandardCharsets.UTF_8);
    LogEvent event;
    try {
      event = EventLogFormat.parse(line);
    } catch (LogFormatException expected) {
      return;
    }
    String written = EventLogFormat.format(event);
    assertThat(written).doesNotContain("\n").doesNotContain("\r");
    assertThat(EventLogFormat.parse(written)).isEqualTo(event);
    assertThat(EventLogFormat.format(EventLogFormat.parse(written))).isEqualTo(written);
  }
}
