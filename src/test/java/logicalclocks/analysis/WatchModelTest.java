package logicalclocks.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code watch}'s model against a scripted cluster: the merge, the marks, the states, the screen.
 */
class WatchModelTest {
  static final String T = "ts=2026-11-27T10:00:00.000Z ";

  static String line(int vm, String event, long clock, int queue, String extra) {
    return T + "vm=" + vm + " event=" + event + " clock=" + clock + " queue=" + queue + extra
        + "\n";
  }

  @Test
  void eventsAreReleasedInLamportOrderOnlyOnceNoLiveVmCanLogAnEarlierOne() {
    WatchModel m = new WatchModel(2, 10);
    m.line(0, line(0, "START", 0, 0, " rate=2 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "SEND", 1, 0, " to=1 msg=0-1 die=1"));
    m.line(0, line(0, "INTERNAL", 2, 0, " die=7"));
    assertThat(m.release()).as("vm1 has not connected: it could still log clock 0").isEmpty();
    m.line(1, line(1, "START", 0, 0, " rate=3 sides=10 seed=1 peers=0"));
    assertThat(m.release())
        .extracting(WatchModel::plain)
        .containsExactly("0 vm0 START rate=2", "0 vm1 START rate=3");
    m.line(1, line(1, "RECEIVE", 2, 0, " from=0 msg=0-1 sent=1"));
    assertThat(m.release())
        .extracting(WatchModel::plain)
        .containsExactly(
            "1 vm0 SEND to=1 msg=0-1",
            "2 vm0 INTERNAL",
            "2 vm1 RECEIVE msg=0-1 <- SEND on vm0 at clock 1");
  }

  @Test
  void aVmThatCannotBeReachedOrHasFinishedHoldsNothingBack() {
    WatchModel m = new WatchModel(3, 10);
    m.line(0, line(0, "START", 0, 0, " rate=1 sides=10 seed=1 peers=1,2"));
    m.line(0, line(0, "INTERNAL", 5, 0, " die=9"));
    m.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    m.line(2, line(2, "START", 0, 0, " rate=1 sides=10 seed=1 peers=0,1"));
    m.line(2, line(2, "STOP", 0, 0, " reason=finished"));
    m.state(2, WatchModel.State.FINISHED, "");
    assertThat(m.release())
        .extracting(WatchModel::plain)
        .containsExactly(
            "0 vm0 START rate=1",
            "0 vm2 START rate=1",
            "0 vm2 STOP reason=finished",
            "5 vm0 INTERNAL");
    assertThat(m.notices())
        .containsExactly("vm0 live", "vm1 unreachable: UNAVAILABLE", "vm2 live", "vm2 finished");
    assertThat(m.allFinished()).isFalse();
  }

  @Test
  void theScreen() {
    WatchModel m = new WatchModel(2, 2);
    m.line(0, line(0, "START", 0, 0, " rate=2 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "SEND", 1, 0, " to=1 msg=0-1 die=1"));
    m.line(0, line(0, "DROP", 1, 0, " to=1 msg=0-1 reason=deadline"));
    m.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    m.release();
    assertThat(m.screen("watch: 2 VMs"))
        .isEqualTo(
            String.join(
                "\n",
                "watch: 2 VMs",
                "VM   state         rate     clock  queue   events  drops",
                "0    live             2         1      0        1      1",
                "1    unreachable      -         0      0        0      0  UNAVAILABLE",
                "",
                "In Lamport's total order (clock, then VM):",
                "        1  vm0   SEND to=1 msg=0-1",
                "        1  vm0   DROP msg=0-1 reason=deadline",
                ""));
  }

  @Test
  void aRestartedVmGoesOnFromItsResumedStart() {
    WatchModel m = new WatchModel(2, 10);
    m.state(1, WatchModel.State.FINISHED, "");
    m.line(0, line(0, "START", 0, 0, " rate=2 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "INTERNAL", 1, 0, " die=9"));
    m.state(0, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    m.line(0, line(0, "START", 1, 0, " rate=2 sides=10 seed=1 peers=1 resumed=true"));
    List<WatchModel.Merged> out = m.release();
    assertThat(out)
        .extracting(WatchModel::plain)
        .containsExactly("0 vm0 START rate=2", "1 vm0 INTERNAL", "1 vm0 START rate=2 resumed");
    assertThat(m.vm(0).lines()).isEqualTo(3);
  }
}
