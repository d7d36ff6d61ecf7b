package logicalclocks.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import logicalclocks.cli.Main;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm start: three real {@code node} processes at 50 ticks/s on loopback skip (almost) no tick
 * slot in their first second. Before the warm start (the send path opened and every path of a step
 * rehearsed before a VM says it is serving) each skipped 15-29 slots there, most in one stall right
 * after its first SEND. What is left on this project's 2-core CI machine, three JVMs sharing two
 * cores, is a garbage collection of 8-25 ms now and then, one slot at 50 ticks/s: the bound below
 * is 3 per VM, not 0 (measured: 0 in 24 of 30 VM starts, at most 2).
 */
class WarmStartIT {
  @TempDir Path tmp;

  /** Most slots one VM may skip in its first second. */
  static final int MAX_MISSED_FIRST_SECOND = 3;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void threeNodesAtFiftyTicksASecondSkipAlmostNothingInTheirFirstSecond() throws Exception {
    int[] ports = {freePort(), freePort(), freePort()};
    String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    List<Process> procs = new ArrayList<>();
    try {
      for (int id = 0; id < 3; id++) {
        ProcessBuilder pb =
            ChildJvm.main(
                    Main.class.getName(),
                    List.of(),
                    List.of("node"),
                    Map.of(
                        "ID",
                        "" + id,
                        "PEERS",
                        peers,
                        "PORT",
                        "" + ports[id],
                        "TICK_RATE",
                        "50",
                        "DURATION",
                        "3",
                        "METRICS_PORT",
                        "0",
                        "LOG_DIR",
                        tmp.toString()))
                .directory(tmp.toFile());
        procs.add(
            pb.redirectOutput(tmp.resolve("out" + id + ".txt").toFile())
                .redirectError(tmp.resolve("err" + id + ".txt").toFile())
                .start());
      }
      for (int id = 0; id < 3; id++) {
        assertThat(procs.get(id).waitFor(90, TimeUnit.SECONDS)).as("VM %d exited", id).isTrue();
        assertThat(procs.get(id).exitValue())
            .as("VM %d: %s", id, Files.readString(tmp.resolve("err" + id + ".txt")))
            .isZero();
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    var all = EventLogReader.readDir(tmp);
    assertThat(all).hasSize(3);
    List<Long> missed = new ArrayList<>();
    for (int id = 0; id < 3; id++) {
      List<LogEvent> log = all.get(id).stream().map(EventLogReader.Line::event).toList();
      assertThat(log.get(0).event()).isEqualTo(EventType.START);
      var start = log.get(0).ts();
      long m = 0;
      int ticks = 0;
      for (LogEvent e : log) {
        if (e.event().isTick()
            && Duration.between(start, e.ts()).compareTo(Duration.ofSeconds(1)) < 0) {
          ticks++;
          m += VirtualMachine.missedOf(e);
        }
      }
      assertThat(ticks).as("VM %d ticked in its first second", id).isPositive();
      missed.add(m);
    }
    System.out.println("slots skipped in each VM's first second: " + missed);
    assertThat(missed)
        .as("slots skipped in each VM's first second (before the warm start: 15-29)")
        .allSatisfy(m -> assertThat(m).isLessThanOrEqualTo(MAX_MISSED_FIRST_SECOND));
  }
}
