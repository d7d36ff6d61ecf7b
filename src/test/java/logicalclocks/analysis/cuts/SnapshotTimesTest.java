package logicalclocks.analysis.cuts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import logicalclocks.log.SnapshotFiles;
import logicalclocks.vm.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot's state held at one wall-clock instant exactly when the VMs' recorded states overlap
 * in time: two hand-made logs, one snapshot whose states overlap and one whose do not.
 */
class SnapshotTimesTest {
  @TempDir Path dir;

  static String line(int vm, long ms, String rest) {
    return String.format("ts=2026-01-01T00:00:%02d.%03dZ vm=%d %s", ms / 1000, ms % 1000, vm, rest);
  }

  @Test
  void overlappingStatesHeldAtOneInstantOthersNever() throws Exception {
    Files.write(
        dir.resolve("machine_0.log"),
        List.of(
            line(0, 0, "event=START clock=0 queue=0 rate=1 sides=10 seed=1 peers=1"),
            line(0, 100, "event=SEND clock=1 queue=0 to=1 msg=0-1 die=1"),
            line(0, 300, "event=INTERNAL clock=2 queue=0 die=9"),
            line(0, 900, "event=STOP clock=2 queue=0 reason=finished")));
    Files.write(
        dir.resolve("machine_1.log"),
        List.of(
            line(1, 0, "event=START clock=0 queue=0 rate=1 sides=10 seed=1 peers=0"),
            line(1, 50, "event=INTERNAL clock=1 queue=0 die=9"),
            line(1, 200, "event=RECEIVE clock=2 queue=0 from=0 msg=0-1 sent=1"),
            line(1, 400, "event=INTERNAL clock=3 queue=0 die=9"),
            line(1, 900, "event=STOP clock=3 queue=0 reason=finished")));
    // VM 0 after its SEND (100 .. 300), VM 1 after its first INTERNAL (50 .. 200): both 100 .. 200
    SnapshotFiles.write(dir, record(1, 1, 1, List.of("0-1")));
    // VM 0 after its INTERNAL (300 .. end), VM 1 still 50 .. 200: never at once, 100 ms apart
    SnapshotFiles.write(dir, record(2, 2, 1, List.of("0-1")));
    SnapshotTimes.Study s = SnapshotTimes.of(dir);
    assertThat(s).isEqualTo(new SnapshotTimes.Study(2, 2, 1, 100));
  }

  static Snapshots.Record record(long id, long e0, long e1, List<String> toOne) {
    return new Snapshots.Record(
        id,
        true,
        null,
        List.of(
            new Snapshots.VmState(0, e0, e0, List.of(), Map.of(1, List.of())),
            new Snapshots.VmState(1, e1, e1, List.of(), Map.of(0, toOne))));
  }
}
