package logicalclocks.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import logicalclocks.analysis.measure.PhysicalMetrics;
import logicalclocks.analysis.stream.HostTime;
import logicalclocks.analysis.verify.Violation;
import logicalclocks.clock.HybridTime;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.event.LogEvent;
import logicalclocks.event.LogFormatException;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader.Line;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.ui.Feed;
import logicalclocks.vm.VirtualMachine;
import org.junit.jupiter.api.Test;

/**
 * One vocabulary: a START's declared physical clock and a tick line's hybrid time, valid or
 * malformed in every way a generator here makes them, read the same by every reader — the verifier
 * (a {@code fields} violation naming exactly what the decoder says, or none), host time (the same
 * mapping as for the declaration written canonically), the physical-time measures (the declared
 * offset, drift and steps), a restart's resume point (its offset), the live page's feed (its {@code
 * hl}/{@code hc}, or the line unreadable) — each through the one decoder of its key ({@link
 * VirtualMachine#declaredClockOf}, {@link VirtualMachine#hlcOf}).
 */
class VocabularyTest {
  static final long WEEK = 7L * 24 * 3600 * 1000;
  static final String T0 = "2026-12-02T05:17:00.000Z";

  /** A number for a key: valid, out of bounds, or not written as a VM writes numbers. */
  static String number(SplittableRandom r, long bound) {
    return switch (r.nextInt(10)) {
      case 0 -> "" + (bound + 1 + r.nextInt(1000)); // above
      case 1 -> "-" + (bound + 1);
      case 2 -> "+" + r.nextInt(1000); // a sign a VM never writes
      case 3 -> "0" + (1 + r.nextInt(9)); // a leading zero
      case 4 -> "x" + r.nextInt(10);
      case 5 -> "-0";
      default -> "" + (r.nextLong(2 * bound + 1) - bound);
    };
  }

  static String steps(SplittableRandom r) {
    int n = r.nextInt(4);
    List<String> parts = new ArrayList<>();
    long at = 0;
    for (int i = 0; i < n; i++) {
      at += r.nextInt(3) == 0 ? -5 : r.nextInt(20_000); // sometimes going back: not ascending
      parts.add(
          switch (r.nextInt(8)) {
            case 0 -> at + "-" + r.nextInt(100); // no colon
            case 1 -> at + ":" + number(r, WEEK);
            default -> at + ":" + (r.nextInt(1001) - 500);
          });
    }
    return String.join(";", parts);
  }

  static String start(SplittableRandom r) {
    StringBuilder s =
        new StringBuilder(
            "ts=" + T0 + " vm=0 event=START clock=0 queue=0 rate=5 sides=10 seed=1 peers=1");
    if (r.nextInt(5) > 0) {
      s.append(" offset_ms=").append(number(r, WEEK));
    }
    if (r.nextInt(5) > 0) {
      s.append(" drift_ppm=").append(number(r, 100_000));
    }
    if (r.nextInt(3) == 0) {
      s.append(" steps=").append(steps(r));
    }
    return s.toString();
  }

  /** The declaration {@code spec} as a VM writes it (keys absent when zero). */
  static String canonical(PhysicalClock.Spec spec) {
    StringBuilder s =
        new StringBuilder(
            "ts=" + T0 + " vm=0 event=START clock=0 queue=0 rate=5 sides=10 seed=1 peers=1");
    s.append(" offset_ms=").append(spec.offsetMs());
    s.append(" drift_ppm=").append(spec.driftPpm());
    if (!spec.steps().isEmpty()) {
      s.append(" steps=");
      for (int i = 0; i < spec.steps().size(); i++) {
        s.append(i == 0 ? "" : ";")
            .append(spec.steps().get(i).atMs())
            .append(':')
            .append(spec.steps().get(i).byMs());
      }
    }
    return s.toString();
  }

  static Line line(int vm, int n, String text) {
    return new Line(Path.of(EventLogFormat.fileName(vm)), n, EventLogFormat.parse(text));
  }

  static SortedMap<Integer, List<Line>> run(String start0, String hlc) {
    SortedMap<Integer, List<Line>> logs = new TreeMap<>();
    logs.put(
        0,
        List.of(
            line(0, 1, start0),
            line(
                0,
                2,
                "ts=2026-12-02T05:17:00.500Z vm=0 event=INTERNAL clock=1 queue=0 die=7"
                    + (hlc == null ? "" : " hlc=" + hlc)),
            line(
                0,
                3,
                "ts=2026-12-02T05:17:01.000Z vm=0 event=STOP clock=1 queue=0 reason=finished")));
    logs.put(
        1,
        List.of(
            line(
                1,
                1,
                "ts=" + T0 + " vm=1 event=START clock=0 queue=0 rate=5 sides=10 seed=1 peers=0"),
            line(
                1,
                2,
                "ts=2026-12-02T05:17:01.000Z vm=1 event=STOP clock=0 queue=0 reason=finished")));
    return logs;
  }

  @Test
  void everyReaderOfAStartsDeclaredClockReadsWhatItsOneDecoderReads() {
    SplittableRandom r = new SplittableRandom(29);
    int wrong = 0;
    for (int i = 0; i < 600; i++) {
      String text = start(r);
      LogEvent start = EventLogFormat.parse(text);
      VirtualMachine.DeclaredClock d = VirtualMachine.declaredClockOf(start);
      PhysicalClock.Spec spec = d.specOrExact();
      String why = text + " -> " + d;
      // the verifier: a fields violation saying what the decoder says, or none
      List<Violation> fields =
          Analyzer.analyze(run(text, null)).metrics().violations().stream()
              .filter(v -> v.rule().equals("fields") && v.vm() == 0 && v.line() == 1)
              .toList();
      if (d.error() == null) {
        assertThat(fields).as(why).isEmpty();
      } else {
        wrong++;
        assertThat(fields).as(why).hasSize(1);
        assertThat(fields.get(0).message()).as(why).isEqualTo(d.error());
      }
      // host time: as for the declaration written as a VM writes it (or none at all)
      HostTime raw = new HostTime();
      raw.line(0, start);
      HostTime canon = new HostTime();
      canon.line(0, EventLogFormat.parse(canonical(spec)));
      long t0 = start.ts().toEpochMilli();
      for (long dt : new long[] {0, 999, 25_000, 3_600_000}) {
        assertThat(raw.ms(0, t0 + dt)).as(why + " at +" + dt).isEqualTo(canon.ms(0, t0 + dt));
      }
      // the physical-time measures
      PhysicalMetrics p = Analyzer.analyze(run(text, null)).metrics().physical();
      if (!spec.exact()) {
        PhysicalMetrics.VmClock c = p.vms().get(0);
        assertThat(c.offsetMs()).as(why).isEqualTo(spec.offsetMs());
        assertThat(c.driftPpm()).as(why).isEqualTo(spec.driftPpm());
        assertThat(c.steps() == null ? 0 : c.steps().split(";").length)
            .as(why)
            .isEqualTo(spec.steps().size());
      } else if (p != null) {
        assertThat(p.vms().get(0).offsetMs()).as(why).isZero();
        assertThat(p.vms().get(0).driftPpm()).as(why).isZero();
      }
      // a restart's resume point
      assertThat(ResumePoint.declaredOffset(start)).as(why).isEqualTo(spec.offsetMs());
    }
    assertThat(wrong).as("malformed declarations among the 600").isBetween(100, 500);
  }

  static String hlc(SplittableRandom r, long ts) {
    return switch (r.nextInt(9)) {
      case 0 -> "x";
      case 1 -> ts + "";
      case 2 -> ts + ":1:2";
      case 3 -> "-1:0";
      case 4 -> (HybridTime.MAX_L + 1) + ":0";
      case 5 -> ts + ":" + (HybridTime.MAX_C + 1L);
      case 6 -> ts + ":+1";
      default -> (ts + r.nextInt(2000) - 1000) + ":" + r.nextInt(5);
    };
  }

  @Test
  void everyReaderOfATickLinesHybridTimeReadsWhatItsOneDecoderReads() throws Exception {
    SplittableRandom r = new SplittableRandom(30);
    long ts = java.time.Instant.parse("2026-12-02T05:17:00.500Z").toEpochMilli();
    int bad = 0;
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < 400; i++) {
      String h = hlc(r, ts);
      SortedMap<Integer, List<Line>> logs =
          run("ts=" + T0 + " vm=0 event=START clock=0 queue=0 rate=5 sides=10 seed=1 peers=1", h);
      LogEvent tick = logs.get(0).get(1).event();
      HybridTime decoded;
      try {
        decoded = VirtualMachine.hlcOf(tick);
      } catch (LogFormatException e) {
        decoded = null;
      }
      String why = "hlc=" + h + " -> " + decoded;
      List<Violation> all = Analyzer.analyze(logs).metrics().violations();
      List<Violation> fields =
          all.stream().filter(v -> v.rule().equals("fields") && v.line() == 2).toList();
      // the feed: hl/hc as decoded, or the line unreadable
      Feed feed = new Feed(2, 100, "t", "replay");
      logs.forEach(
          (vm, lines) -> lines.forEach(l -> feed.line(vm, EventLogFormat.format(l.event()), 0)));
      com.fasterxml.jackson.databind.JsonNode item = null;
      for (com.fasterxml.jackson.databind.JsonNode it :
          json.readTree(feed.batch(0, 100).json()).get("events")) {
        if (it.path("vm").asInt() == 0 && it.path("n").asInt() == 2) {
          item = it;
        }
      }
      assertThat(item).as(why).isNotNull();
      PhysicalMetrics p = Analyzer.analyze(logs).metrics().physical();
      if (decoded == null) {
        bad++;
        assertThat(fields).as(why + ": " + all).hasSize(1);
        assertThat(item.has("err")).as(why).isTrue();
        assertThat(p == null || !p.vms().get(0).hybrid()).as(why).isTrue();
      } else {
        assertThat(fields).as(why + ": " + all).isEmpty();
        assertThat(item.get("hl").asLong()).as(why).isEqualTo(decoded.l());
        assertThat(item.get("hc").asLong()).as(why).isEqualTo(decoded.c());
        assertThat(p.vms().get(0).hybrid()).as(why).isTrue();
        assertThat(p.vms().get(0).maxHlcAheadMs()).as(why).isEqualTo(decoded.l() - ts);
      }
    }
    assertThat(bad).as("malformed hybrid times among the 400").isBetween(80, 320);
  }
}
