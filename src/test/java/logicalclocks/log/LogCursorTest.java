package logicalclocks.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogCursor} reads bytes eight at a time: its lines are exactly a file's lines, whatever
 * their lengths (across its 64 KiB reads), ASCII or not; bytes that are not UTF-8 are refused.
 */
class LogCursorTest {
  @TempDir Path tmp;

  @Test
  void linesAreTheFilesLinesWhateverTheirLengthsAndCharacters() throws Exception {
    SplittableRandom random = new SplittableRandom(31);
    String alphabet = "abcdefghij =-:,0123456789éλ€\t\"";
    for (int round = 0; round < 40; round++) {
      List<String> lines = new ArrayList<>();
      int count = random.nextInt(1, 300);
      for (int i = 0; i < count; i++) {
        int n = random.nextInt(10) == 0 ? random.nextInt(1, 70_000) : random.nextInt(1, 40);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
          char c = alphabet.charAt(random.nextInt(round % 2 == 0 ? 27 : alphabet.length()));
          sb.append(c);
        }
        lines.add(sb.toString());
      }
      Path f = tmp.resolve("f" + round);
      Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      List<String> read = new ArrayList<>();
      try (LogCursor c = LogCursor.open(f)) {
        String t;
        while ((t = c.nextText()) != null) {
          read.add(t);
        }
        assertThat(c.lines()).isEqualTo(count);
      }
      assertThat(read).as("round %d", round).isEqualTo(lines);
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedAndAnUnendedLineIsTruncated() throws Exception {
    Path bad = tmp.resolve("bad");
    Files.write(bad, new byte[] {'t', 's', '=', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThatThrownBy(
            () -> {
              try (LogCursor c = LogCursor.open(bad)) {
                c.nextText();
              }
            })
        .hasMessageContaining("not UTF-8");
    Path cut = tmp.resolve("cut");
    Files.writeString(cut, "one line\nhalf a li");
    try (LogCursor c = LogCursor.open(cut)) {
      assertThat(c.nextText()).isEqualTo("one line");
      assertThatThrownBy(c::nextText).hasMessageContaining(":2: truncated");
    }
  }
}
