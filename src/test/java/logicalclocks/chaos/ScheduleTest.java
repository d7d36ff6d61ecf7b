package logicalclocks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fault schedule: seeded, deterministic, every kind covered, kill-after-run last. */
class ScheduleTest {
  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    List<Fault> a = Schedule.generate(1, 3, 60, 6);
    assertThat(Schedule.generate(1, 3, 60, 6)).isEqualTo(a);
    assertThat(Schedule.generate(2, 3, 60, 6)).isNotEqualTo(a);
  }

  @Test
  void withAtLeastAsManyFaultsAsKindsEveryKindAppearsAndKillAfterRunIsLastAndOnce() {
    for (long seed = 0; seed < 300; seed++) {
      for (int faults = FaultKind.values().length; faults <= 12; faults++) {
        List<Fault> s = Schedule.generate(seed, 3, 60, faults);
        assertThat(s).hasSize(faults);
        assertThat(s.stream().map(Fault::kind).collect(Collectors.toSet()))
            .as("seed %d, %d faults", seed, faults)
            .isEqualTo(EnumSet.allOf(FaultKind.class));
        assertThat(s.get(faults - 1).kind()).isEqualTo(FaultKind.KILL_AFTER_RUN);
        assertThat(s.stream().filter(f -> f.kind() == FaultKind.KILL_AFTER_RUN)).hasSize(1);
      }
    }
  }

  @Test
  void fewerFaultsThanKindsAreDistinctKindsWithKillAfterRunStillLast() {
    Set<FaultKind> seen = EnumSet.noneOf(FaultKind.class);
    for (long seed = 0; seed < 200; seed++) {
      List<Fault> s = Schedule.generate(seed, 4, 30, 3);
      assertThat(s.stream().map(Fault::kind).distinct()).hasSize(3);
      for (int i = 0; i < s.size() - 1; i++) {
        assertThat(s.get(i).kind()).isNotEqualTo(FaultKind.KILL_AFTER_RUN);
      }
      s.forEach(f -> seen.add(f.kind()));
    }
    assertThat(seen).isEqualTo(EnumSet.allOf(FaultKind.class));
  }

  @Test
  void faultsAreNumberedInTimeOrderInsideTheRunOnEveryVm() {
    Set<Integer> vms = new java.util.TreeSet<>();
    for (long seed = 0; seed < 100; seed++) {
      List<Fault> s = Schedule.generate(seed, 3, 25, 8);
      long previous = -1;
      for (int i = 0; i < s.size(); i++) {
        Fault f = s.get(i);
        assertThat(f.number()).isEqualTo(i + 1);
        assertThat(f.atMillis())
            .isGreaterThan(previous)
            .isGreaterThanOrEqualTo(Schedule.FIRST_MILLIS)
            .isLessThan(25_000 - Schedule.LAST_MARGIN_MILLIS);
        previous = f.atMillis();
        assertThat(f.vm()).isBetween(0, 2);
        vms.add(f.vm());
        if (f.kind() == FaultKind.KILL_LATER || f.kind() == FaultKind.PAUSE) {
          assertThat(f.holdMillis()).isBetween(Schedule.MIN_HOLD_MILLIS, Schedule.MAX_HOLD_MILLIS);
        } else {
          assertThat(f.holdMillis()).isZero();
        }
      }
    }
    assertThat(vms).containsExactly(0, 1, 2);
  }

  @Test
  void theScheduleLinesSayWhatIsDone() {
    assertThat(new Fault(2, 12_345, 1, FaultKind.KILL_LATER, 2_000).toString())
        .isEqualTo("#2     +12.3 s  vm 1  kill-later      SIGKILL, restart 2.0 s later");
    assertThat(new Fault(5, 40_000, 0, FaultKind.PAUSE, 1_500).toString())
        .contains("pause", "SIGSTOP, SIGCONT 1.5 s later");
    assertThat(Schedule.generate(7, 3, 60, 0)).isEmpty();
  }

  @Test
  void tooManyFaultsForTheRunAreRefused() {
    assertThat(Schedule.maxFaults(60)).isEqualTo(20);
    assertThatThrownBy(() -> Schedule.generate(1, 3, 60, 21))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
