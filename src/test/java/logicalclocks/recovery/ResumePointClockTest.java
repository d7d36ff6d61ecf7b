package logicalclocks.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import logicalclocks.clock.HybridTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed run's start is in host time (its START's ts less the offset that START declares), so a
 * restart whose clock is set otherwise ends the run when its peers do; its hybrid clock resumes
 * from the log's last one.
 */
class ResumePointClockTest {
  @Test
  void runStartIsHostTimeAndTheHybridClockResumes(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("machine_0.log");
    Files.writeString(
        log,
        "ts=2026-01-01T00:03:00.000Z vm=0 event=START clock=0 queue=0 rate=1 sides=10 seed=1"
            + " peers=1 offset_ms=180000 drift_ppm=0\n"
            + "ts=2026-01-01T00:03:01.000Z vm=0 event=INTERNAL clock=1 queue=0 die=7"
            + " hlc=1767225781000:3 vc=0:1\n");
    ResumePoint r = ResumePoint.of(log, 0);
    assertThat(r.runStart()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(r.hlc()).isEqualTo(new HybridTime(1767225781000L, 3));
  }
}
