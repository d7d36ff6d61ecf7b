package logicalclocks.recovery;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Files of newline-terminated records (the event log, the inbox journal), as a crash can leave
 * them.
 */
final class LineFiles {
  private LineFiles() {}

  /**
   * Cuts a file back to its last newline: a last record without one was torn by a crash mid-write.
   */
  static void trimTornLine(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long pos = raf.length() - 1;
      while (pos >= 0) {
        raf.seek(pos);
        if (raf.read() == '\n') {
          break;
        }
        pos--;
      }
      if (pos + 1 < raf.length()) {
        raf.setLength(pos + 1);
      }
    }
  }
}
