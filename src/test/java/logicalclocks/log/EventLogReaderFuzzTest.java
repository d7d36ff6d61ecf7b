package logicalclocks.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader.BadLogException;

/**
 * Fuzzes {@link EventLogReader#read} and {@link EventLogReader#forEach} on a file of fuzzed bytes:
 * only {@link BadLogException} may escape, and the two agree (both read the same lines, or both
 * refuse the file).
 */
class EventLogReaderFuzzTest {
  private static final Path FILE;

  static {
    try {
      Path dir = Files.createTempDirectory("lc-fuzz-reader");
      FILE = dir.resolve(EventLogFormat.fileName(0));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Files.deleteIfExists(FILE);
                      Files.deleteIfExists(dir);
                    } catch (IOException e) {
                      // a temp dir left behind
                    }
                  }));
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "5s")
  void readAndForEach(byte[] input) throws IOException {
    Files.write(FILE, input);
    List<LogEvent> read = null;
    try {
      List<EventLogReader.Line> lines = EventLogReader.read(FILE);
      read = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        assertThat(lines.get(i).number()).isEqualTo(i + 1);
        read.add(lines.get(i).event());
      }
      assertThat(read).isNotEmpty();
    } catch (BadLogException expected) {
      assertThat(expected.getMessage()).contains(FILE.getFileName().toString());
    }
    List<LogEvent> each = new ArrayList<>();
    boolean eachOk;
    try {
      int n =
          EventLogReader.forEach(
              FILE,
              line -> {
                assertThat(line.number()).isEqualTo(each.size() + 1);
                each.add(line.event());
              });
      assertThat(n).isEqualTo(each.size());
      eachOk = true;
    } catch (BadLogException expected) {
      eachOk = false;
    }
    assertThat(eachOk)
        .as("forEach accepts the file exactly when read does")
        .isEqualTo(read != null);
    if (read != null) {
      assertThat(each).isEqualTo(read);
    }
  }
}
