package logicalclocks.analysis.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code watch}'s model against a scripted cluster: the merge, the marks, the states, the grace,
 * the screen.
 */
class WatchModelTest {
  static final String T = "ts=2026-11-27T10:00:00.000Z ";
  static final Duration GRACE = Duration.ofSeconds(30);

  static String line(int vm, String event, long clock, int queue, String extra) {
    return T + "vm=" + vm + " event=" + event + " clock=" + clock + " queue=" + queue + extra
        + "\n";
  }

  static List<String> plain(List<WatchModel.Merged> released) {
    return released.stream().map(WatchModel::plain).toList();
  }

  @Test
  void eventsAreReleasedInLamportOrderOnlyOnceNoLiveVmCanLogAnEarlierOne() {
    WatchModel m = new WatchModel(2, 10, GRACE, 0);
    m.line(0, line(0, "START", 0, 0, " rate=2 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "SEND", 1, 0, " to=1 msg=0-1 die=1"));
    m.line(0, line(0, "INTERNAL", 2, 0, " die=7"));
    assertThat(plain(m.release(0)))
        .as("vm1 has not been seen: its first line could be (0, vm1, 1), after vm0's START only")
        .containsExactly("0 vm0 START rate=2");
    m.line(1, line(1, "START", 0, 0, " rate=3 sides=10 seed=1 peers=0"));
    assertThat(plain(m.release(0))).containsExactly("0 vm1 START rate=3");
    m.line(1, line(1, "RECEIVE", 2, 0, " from=0 msg=0-1 sent=1"));
    assertThat(plain(m.release(0)))
        .as("vm0 at clock 2 could still log a DROP or STOP at 2, before (2, vm1)")
        .containsExactly("1 vm0 SEND to=1 msg=0-1", "2 vm0 INTERNAL");
    m.line(0, line(0, "INTERNAL", 3, 0, " die=7"));
    assertThat(plain(m.release(0)))
        .containsExactly("2 vm1 RECEIVE msg=0-1 <- SEND on vm0 at clock 1");
  }

  @Test
  void eventsAtTheSameClockAreInOneTotalOrderByClockVmAndLine() {
    WatchModel m = new WatchModel(2, 10, GRACE, 0);
    List<WatchModel.Merged> shown = new ArrayList<>();
    m.line(0, line(0, "START", 0, 0, " rate=1 sides=10 seed=1 peers=1"));
    m.line(1, line(1, "START", 0, 0, " rate=1 sides=10 seed=1 peers=0"));
    m.line(0, line(0, "SEND", 1, 0, " to=1 msg=0-1 die=1"));
    m.line(1, line(1, "INTERNAL", 1, 0, " die=9"));
    shown.addAll(m.release(0));
    // vm0's DROP and STOP come after vm1's INTERNAL at the same clock, but sort before it.
    m.line(0, line(0, "DROP", 1, 0, " to=1 msg=0-1 reason=deadline"));
    shown.addAll(m.release(0));
    m.line(1, line(1, "STOP", 1, 0, " reason=finished"));
    m.line(0, line(0, "STOP", 1, 0, " reason=finished"));
    shown.addAll(m.release(0));
    assertThat(plain(shown))
        .containsExactly(
            "0 vm0 START rate=1",
            "0 vm1 START rate=1",
            "1 vm0 SEND to=1 msg=0-1",
            "1 vm0 DROP msg=0-1 reason=deadline",
            "1 vm0 STOP reason=finished",
            "1 vm1 INTERNAL",
            "1 vm1 STOP reason=finished");
    assertThat(shown)
        .extracting(WatchModel.Merged::line)
        .containsExactly(1L, 1L, 2L, 3L, 4L, 2L, 3L);
  }

  @Test
  void aVmNotSeenYetHoldsTheMergeBackUntilItIsSeenOrDeclaredAbsentAfterTheGrace() {
    WatchModel m = new WatchModel(3, 10, GRACE, 0);
    m.line(0, line(0, "START", 0, 0, " rate=1 sides=10 seed=1 peers=1,2"));
    m.line(0, line(0, "INTERNAL", 5, 0, " die=9"));
    m.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    m.state(2, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    assertThat(plain(m.release(1_000))).containsExactly("0 vm0 START rate=1");
    // vm2 comes up within the grace, with its whole log so far.
    m.line(2, line(2, "START", 0, 0, " rate=1 sides=10 seed=1 peers=0,1"));
    m.line(2, line(2, "INTERNAL", 6, 0, " die=9"));
    assertThat(plain(m.release(29_999)))
        .as("vm1 still within its grace: it could log (0, vm1, 1), before (0, vm2, 1)")
        .isEmpty();
    assertThat(m.vm(1).state()).isEqualTo(WatchModel.State.UNREACHABLE);
    assertThat(plain(m.release(30_000))).containsExactly("0 vm2 START rate=1", "5 vm0 INTERNAL");
    assertThat(m.vm(1).state()).isEqualTo(WatchModel.State.ABSENT);
    assertThat(m.notices())
        .containsExactly(
            "vm0 live",
            "vm1 unreachable: UNAVAILABLE",
            "vm2 unreachable: UNAVAILABLE",
            "vm2 live",
            "vm1 absent: not seen within 30 s",
            "vm1 not seen within 30 s: events are shown without it");
    // Seen after all: it holds back again, and what sorts before what was shown is marked late.
    m.line(1, line(1, "START", 0, 0, " rate=1 sides=10 seed=1 peers=0,2"));
    m.line(1, line(1, "INTERNAL", 7, 0, " die=9"));
    m.line(0, line(0, "INTERNAL", 8, 0, " die=9"));
    assertThat(plain(m.release(31_000)))
        .containsExactly("0 vm1 START rate=1 (late)", "6 vm2 INTERNAL");
    assertThat(m.vm(1).state()).isEqualTo(WatchModel.State.LIVE);
  }

  @Test
  void aVmThatFinishedHoldsNothingBackAndTheWatchEndsWhenEveryLogEndedForGood() {
    WatchModel m = new WatchModel(2, 10, GRACE, 0);
    m.line(0, line(0, "START", 0, 0, " rate=1 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "INTERNAL", 5, 0, " die=9"));
    m.line(1, line(1, "START", 0, 0, " rate=1 sides=10 seed=1 peers=0"));
    m.line(1, line(1, "STOP", 0, 0, " reason=finished"));
    assertThat(plain(m.release(0)))
        .as("vm1's log ended: only vm0 itself could log before its own events")
        .containsExactly(
            "0 vm0 START rate=1",
            "0 vm1 START rate=1",
            "0 vm1 STOP reason=finished",
            "5 vm0 INTERNAL");
    assertThat(m.allEnded()).isFalse();
    m.state(1, WatchModel.State.FINISHED, "");
    m.line(0, line(0, "STOP", 5, 0, " reason=startup-timeout"));
    assertThat(m.vm(0).state()).isEqualTo(WatchModel.State.FAILED);
    m.state(0, WatchModel.State.FAILED, "");
    assertThat(plain(m.release(0))).containsExactly("5 vm0 STOP reason=startup-timeout");
    assertThat(m.allEnded()).isTrue();
    assertThat(m.failed()).containsExactly(0);
  }

  @Test
  void aVmStoppedBySignalIsStoppedNotFinishedHoldsBackForTheGraceAndItsRestartIsFollowed() {
    WatchModel m = new WatchModel(2, 10, GRACE, 0);
    m.line(0, line(0, "START", 0, 0, " rate=2 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "INTERNAL", 1, 0, " die=9"));
    m.line(0, line(0, "STOP", 1, 0, " reason=signal"));
    m.state(0, WatchModel.State.STOPPED, "following its restart");
    m.state(0, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    m.line(1, line(1, "START", 0, 0, " rate=2 sides=10 seed=1 peers=0"));
    m.line(1, line(1, "INTERNAL", 3, 0, " die=9"));
    assertThat(m.vm(0).state()).isEqualTo(WatchModel.State.STOPPED);
    assertThat(plain(m.release(1_000)))
        .as("vm0's restart resumes at clock 1: vm1's clock 3 waits for it")
        .containsExactly(
            "0 vm0 START rate=2",
            "0 vm1 START rate=2",
            "1 vm0 INTERNAL",
            "1 vm0 STOP reason=signal");
    assertThat(m.allEnded()).isFalse();
    m.line(0, line(0, "START", 1, 0, " rate=2 sides=10 seed=1 peers=1 resumed=true"));
    m.line(0, line(0, "INTERNAL", 2, 0, " die=9"));
    m.line(0, line(0, "STOP", 2, 0, " reason=finished"));
    assertThat(m.vm(0).lines()).isEqualTo(6);
    assertThat(plain(m.release(2_000)))
        .containsExactly(
            "1 vm0 START rate=2 resumed",
            "2 vm0 INTERNAL",
            "2 vm0 STOP reason=finished",
            "3 vm1 INTERNAL");
    assertThat(m.notices())
        .containsExactly(
            "vm0 live",
            "vm0 stopped: reason=signal",
            "vm0 unreachable: UNAVAILABLE",
            "vm1 live",
            "vm0 live",
            "vm0 finished: reason=finished");
  }

  @Test
  void theScreen() {
    WatchModel m = new WatchModel(2, 2, GRACE, 0);
    m.line(0, line(0, "START", 0, 0, " rate=2 sides=10 seed=1 peers=1"));
    m.line(0, line(0, "SEND", 1, 0, " to=1 msg=0-1 die=1"));
    m.line(0, line(0, "DROP", 1, 0, " to=1 msg=0-1 reason=deadline"));
    m.state(1, WatchModel.State.UNREACHABLE, "UNAVAILABLE");
    m.release(12_500);
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
                "        0  vm0   START rate=2",
                "(2 event(s) wait for a VM to pass their clock)",
                "(waiting for vm1: 18 s more before showing events without it)",
                ""));
    m.release(30_000);
    assertThat(m.screen("watch: 2 VMs"))
        .isEqualTo(
            String.join(
                "\n",
                "watch: 2 VMs",
                "VM   state         rate     clock  queue   events  drops",
                "0    live             2         1      0        1      1",
                "1    absent           -         0      0        0      0  not seen within 30 s",
                "",
                "In Lamport's total order (clock, then VM):",
                "        1  vm0   SEND to=1 msg=0-1",
                "        1  vm0   DROP msg=0-1 reason=deadline",
                ""));
  }
}
