package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.TickSlots;
import logicalclocks.vm.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code local} process (2 VMs at 100 ticks/s for 6 s) paused with SIGSTOP for about 2 s,
 * then continued: a paused machine does nothing meanwhile. Each VM's log shows the gap (a tick line
 * saying {@code missed=} about 200), no burst of catch-up ticks follows, the run still ends at its
 * 600 slots, and {@code analyze} reports the VM's missed ticks and the gap. About 12 s.
 */
@EnabledOnOs(OS.LINUX)
class PausedProcessTest {
  static final int RATE = 100;
  static final int SECONDS = 6;

  @TempDir Path tmp;

  static void signal(long pid, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, "" + pid).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", name, pid).isZero();
  }

  @Test
  void aStoppedProcessSkipsTheTicksOfItsPauseAndAnalyzeReportsThem() throws Exception {
    int base;
    try (ServerSocket s = new ServerSocket(0)) {
      base = s.getLocalPort() < 60000 ? s.getLocalPort() : 41000;
    }
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "local",
                "--machines",
                "2",
                "--tick-rate",
                "" + RATE,
                "--duration",
                "" + SECONDS,
                "--seed",
                "3",
                "--base-port",
                "" + base,
                "--no-status",
                "--log-dir",
                logs.toString()));
    Process p =
        logicalclocks.node.ChildJvm.main(Main.class.getName(), List.of(), cmd, java.util.Map.of())
            .directory(tmp.toFile())
            .redirectOutput(tmp.resolve("out.txt").toFile())
            .redirectError(tmp.resolve("err.txt").toFile())
            .start();
    long pausedNanos;
    try {
      Path log0 = logs.resolve(EventLogFormat.fileName(0));
      await("VM 0 ticks (past its start)")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(log0) && Files.readAllLines(log0).size() >= 100);
      signal(p.pid(), "STOP");
      long stopped = System.nanoTime(); // the process is stopped from here on
      Instant holdUntil = Instant.now().plusSeconds(2);
      // the pause itself (not a synchronisation): the process stays stopped until then
      await("a 2 s pause")
          .pollInterval(Duration.ofMillis(50))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Instant.now().isAfter(holdUntil));
      pausedNanos = System.nanoTime() - stopped; // at least this long, before CONT
      signal(p.pid(), "CONT");
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the run ended").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err.txt"))).isZero();
    long pausedMs = pausedNanos / 1_000_000;

    var all = EventLogReader.readDir(logs);
    RunMetrics m = Analyzer.analyze(all).metrics();
    assertThat(m.violations()).isEmpty();
    for (int vm = 0; vm < 2; vm++) {
      List<LogEvent> events = all.get(vm).stream().map(EventLogReader.Line::event).toList();
      assertThat(TickSlots.of(events))
          .as("VM %d: the run still has rate x duration slots (ticks + missed)", vm)
          .isEqualTo((long) RATE * SECONDS);
      // The gap: the first tick after the pause says how many slots it skipped.
      LogEvent gap =
          events.stream()
              .filter(e -> VirtualMachine.missedOf(e) > 0)
              .max((a, b) -> Long.compare(VirtualMachine.missedOf(a), VirtualMachine.missedOf(b)))
              .orElseThrow();
      assertThat(VirtualMachine.missedOf(gap))
          .as("VM %d skipped the slots of its %d ms pause (%d/s)", vm, pausedMs, RATE)
          .isGreaterThanOrEqualTo(pausedMs * RATE / 1000 - 1);
      // No burst: after the pause a step runs only a slot due less than a period before, so the
      // 100 ms after the gap hold about 10 ticks (a fixed-rate catch-up would fire ~200 at once).
      long soonAfter =
          events.stream()
              .filter(e -> e.event().isTick())
              .filter(e -> !e.ts().isBefore(gap.ts()) && e.ts().isBefore(gap.ts().plusMillis(100)))
              .count();
      assertThat(soonAfter).as("VM %d: ticks in the 100 ms after the gap", vm).isLessThan(15);
      RunMetrics.Missed missed = m.vms().get(vm).missed();
      assertThat(missed).as("analyze reports VM %d's missed ticks", vm).isNotNull();
      assertThat(missed.ticks()).isEqualTo(TickSlots.missed(events));
      assertThat(missed.longestGapMs())
          .as("VM %d's longest gap, from the tick before the pause", vm)
          .isGreaterThanOrEqualTo(pausedMs - 10);
    }
    CliTest.Result analyze = CliTest.inProcess("analyze", logs.toString());
    assertThat(analyze.status()).as(analyze.out() + analyze.err()).isZero();
    assertThat(analyze.out()).contains("VM 0 missed ", "VM 1 missed ", " gap(s), the longest ");
  }
}
