package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The JDK's file exceptions say only the path; the one line says what is wrong with it. */
class IoErrorLineTest {
  @Test
  void eachFileErrorSaysWhatIsWrong() {
    assertThat(Main.describe(new FileAlreadyExistsException("logs/machine_0.log")))
        .isEqualTo(
            "logs/machine_0.log: already exists, and is not a directory this command can write into");
    assertThat(Main.describe(new NoSuchFileException("/nope")))
        .isEqualTo("/nope: no such file or directory");
    assertThat(Main.describe(new AccessDeniedException("/root/x")))
        .isEqualTo("/root/x: permission denied");
    assertThat(Main.describe(new NotDirectoryException("a/b"))).isEqualTo("a/b: not a directory");
    assertThat(Main.describe(new java.io.IOException("port 50051 in use")))
        .isEqualTo("port 50051 in use");
  }
}
