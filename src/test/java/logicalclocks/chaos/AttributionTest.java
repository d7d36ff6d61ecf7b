package logicalclocks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import org.junit.jupiter.api.Test;

/** Which fault a violating line is nearest to in time. */
class AttributionTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static Attribution.Applied applied(int number, long atMs, long untilMs) {
    return new Attribution.Applied(
        new Fault(number, atMs, 0, FaultKind.KILL_LATER, untilMs - atMs),
        T0.plusMillis(atMs),
        T0.plusMillis(untilMs));
  }

  static final List<Attribution.Applied> FAULTS =
      List.of(applied(1, 5_000, 8_000), applied(2, 12_000, 12_000), applied(3, 20_000, 23_000));

  static Attribution.Nearest nearest(long tsMs) {
    return Attribution.nearest(FAULTS, T0.plusMillis(tsMs)).orElseThrow();
  }

  @Test
  void aLineInsideAFaultsIntervalIsDuringIt() {
    Attribution.Nearest n = nearest(6_500);
    assertThat(n.applied().fault().number()).isEqualTo(1);
    assertThat(n.distance()).isZero();
    assertThat(n.relation()).isEqualTo("during it");
    assertThat(nearest(23_000).applied().fault().number()).isEqualTo(3);
  }

  @Test
  void aLineBetweenFaultsGoesToTheNearerEndOfEither() {
    // 8 s .. 12 s: fault 1 ended at 8 s, fault 2 is at 12 s.
    assertThat(nearest(9_000).applied().fault().number()).isEqualTo(1);
    assertThat(nearest(9_000).distance()).isEqualTo(Duration.ofSeconds(1));
    assertThat(nearest(9_000).relation()).isEqualTo("after it");
    assertThat(nearest(11_500).applied().fault().number()).isEqualTo(2);
    assertThat(nearest(11_500).relation()).isEqualTo("before it");
    assertThat(nearest(11_500).distance()).isEqualTo(Duration.ofMillis(500));
    // A tie goes to the earlier fault.
    assertThat(nearest(10_000).applied().fault().number()).isEqualTo(1);
  }

  @Test
  void linesBeforeTheFirstAndAfterTheLastFault() {
    assertThat(nearest(0).applied().fault().number()).isEqualTo(1);
    assertThat(nearest(0).distance()).isEqualTo(Duration.ofSeconds(5));
    assertThat(nearest(60_000).applied().fault().number()).isEqualTo(3);
    assertThat(nearest(60_000).distance()).isEqualTo(Duration.ofSeconds(37));
  }

  @Test
  void noAppliedFaultNoAttribution() {
    assertThat(Attribution.nearest(List.of(), T0)).isEmpty();
  }

  @Test
  void aViolationsTimeIsTheTimeOfTheLineItNames() {
    TreeMap<Integer, List<EventLogReader.Line>> logs = new TreeMap<>();
    Path f = Path.of("machine_1.log");
    logs.put(
        1,
        List.of(
            new EventLogReader.Line(
                f, 1, new LogEvent(T0, 1, EventType.START, 0, 0, Map.of("rate", "1"))),
            new EventLogReader.Line(
                f,
                2,
                new LogEvent(
                    T0.plusMillis(9_000), 1, EventType.INTERNAL, 1, 0, Map.of("die", "5")))));
    assertThat(Campaign.lineTime(logs, "machine_1.log:2")).contains(T0.plusMillis(9_000));
    assertThat(Campaign.lineTime(logs, "machine_1.log:3")).isEmpty();
    assertThat(Campaign.lineTime(logs, "machine_2.log:1")).isEmpty();
    assertThat(Campaign.lineTime(logs, "machine_1.log")).isEmpty();
    // A violation shows when the later of the lines it names was written.
    assertThat(
            Campaign.violationTime(
                logs,
                new Violation(
                    "machine_1.log:1",
                    "messages-accounted",
                    "1-1 already DROP at machine_1.log:2",
                    1,
                    1)))
        .contains(T0.plusMillis(9_000));
    assertThat(
            Campaign.violationTime(
                logs, new Violation("machine_1.log:2", "r", "see machine_1.log:1", 1, 2)))
        .contains(T0.plusMillis(9_000));
    assertThat(
            Campaign.violationTime(
                logs, new Violation("machine_7.log", "missing-log", "no log", 7, 0)))
        .isEmpty();
  }
}
