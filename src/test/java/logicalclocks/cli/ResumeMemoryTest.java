package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 6: a VM resumes in memory bounded by what resuming needs, not by its log. A real {@code
 * node} in a 32 MiB heap is started on a finished 300,000-line log (about 25 MB) with
 * AFTER_RUN=wait: it reads the log back (the resume path) and idles. The earlier version, which
 * held the whole log in memory, died of OutOfMemoryError on it.
 */
class ResumeMemoryTest {
  @TempDir Path tmp;

  static final int LINES = 300_000;

  @Test
  void aLongLogResumesInA32MibHeap() throws Exception {
    Path log = tmp.resolve("machine_0.log");
    try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      w.write("ts=2026-12-01T10:00:00.000Z vm=0 event=START clock=0 queue=0 rate=1000 sides=10");
      w.write(" seed=1 peers=1\n");
      for (int i = 1; i <= LINES; i++) {
        long ms = i; // one tick a millisecond
        w.write(
            String.format(
                "ts=2026-12-01T10:%02d:%02d.%03dZ vm=0 event=INTERNAL clock=%d queue=0 die=7"
                    + " vc=0:%d\n",
                ms / 60_000, ms / 1000 % 60, ms % 1000, i, i));
      }
      w.write(
          "ts=2026-12-01T10:05:00.001Z vm=0 event=STOP clock="
              + LINES
              + " queue=0 reason=finished\n");
    }
    assertThat(Files.size(log)).isGreaterThan(20_000_000L);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        logicalclocks.node.ChildJvm.main(
                Main.class.getName(),
                List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("node"),
                Map.of(
                    "ID",
                    "0",
                    "PEERS",
                    "127.0.0.1:" + port + ",127.0.0.1:1",
                    "PORT",
                    "" + port,
                    "TICK_RATE",
                    "1000",
                    "AFTER_RUN",
                    "wait",
                    "METRICS_PORT",
                    "0",
                    "LOG_DIR",
                    tmp.toString()))
            .directory(tmp.toFile());
    Path err = tmp.resolve("err.txt");
    Process p = pb.redirectErrorStream(true).redirectOutput(err.toFile()).start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !p.isAlive() || Files.readString(err).contains("idling"));
      assertThat(p.isAlive()).as("resumed and idling: %s", Files.readString(err)).isTrue();
      assertThat(Files.readString(err)).doesNotContain("OutOfMemoryError");
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}
