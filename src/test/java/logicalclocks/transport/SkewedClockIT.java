package logicalclocks.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.cli.Main;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.vm.VirtualMachine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two real {@code node} processes on loopback, one of them under Debian's {@code faketime} with its
 * wall clock 5 minutes ahead (its monotonic clock left alone): every message is delivered both ways
 * and {@code analyze} says verified, so the transport does not lean on synchronised clocks; the
 * hybrid clocks show the skew (VM 1's is its own skewed wall clock, VM 0's is pulled ~300 s ahead
 * once it RECEIVEs from VM 1: {@link SkewChecks}). Skipped without {@code faketime} unless
 * LC_REQUIRE_FAKETIME=true (CI), when it fails instead.
 */
class SkewedClockIT {
  @TempDir Path tmp;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aNodeFiveMinutesAheadUnderFaketimeReceivesEverything() throws Exception {
    boolean there = Files.isExecutable(Path.of("/usr/bin/faketime"));
    if ("true".equals(System.getenv("LC_REQUIRE_FAKETIME"))) {
      assertThat(there).as("/usr/bin/faketime exists; LC_REQUIRE_FAKETIME=true").isTrue();
    }
    Assumptions.assumeTrue(there, "no faketime: skewed-clock process test skipped");
    int p0 = freePort();
    int p1 = freePort();
    String peers = "127.0.0.1:" + p0 + ",127.0.0.1:" + p1;
    List<Process> procs = new ArrayList<>();
    Instant from = Instant.now();
    try {
      for (int id = 0; id < 2; id++) {
        ProcessBuilder pb =
            logicalclocks.node.ChildJvm.main(
                    Main.class.getName(), List.of(), List.of("node"), Map.of())
                .directory(tmp.toFile());
        if (id == 1) {
          List<String> cmd = new ArrayList<>(List.of("/usr/bin/faketime", "-f", "+300s"));
          cmd.addAll(pb.command());
          pb.command(cmd);
        }
        pb.environment()
            .putAll(
                Map.of(
                    "ID", "" + id,
                    "PEERS", peers,
                    "PORT", "" + (id == 0 ? p0 : p1),
                    "TICK_RATE", "50",
                    "DURATION", "4",
                    "SEED", "3",
                    "METRICS_PORT", "0",
                    "LOG_DIR", tmp.toString(),
                    "FAKETIME_DONT_FAKE_MONOTONIC", "1"));
        procs.add(
            pb.redirectOutput(tmp.resolve("out" + id + ".txt").toFile())
                .redirectError(tmp.resolve("err" + id + ".txt").toFile())
                .start());
      }
      for (int id = 0; id < 2; id++) {
        assertThat(procs.get(id).waitFor(90, TimeUnit.SECONDS)).as("VM %d exited", id).isTrue();
        assertThat(procs.get(id).exitValue())
            .as("VM %d: %s", id, Files.readString(tmp.resolve("err" + id + ".txt")))
            .isZero();
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    Instant to = Instant.now();
    var all = EventLogReader.readDir(tmp);
    assertThat(Verifier.verify(all)).isEmpty();
    StringWriter out = new StringWriter();
    CommandLine analyze = Main.commandLine();
    analyze.setOut(new PrintWriter(out));
    analyze.setErr(new PrintWriter(out));
    int verdict =
        analyze.execute("analyze", tmp.toString(), "--out", tmp.resolve("report").toString());
    assertThat(verdict).as("analyze: %s", out).isZero();
    assertThat(out.toString())
        .contains("verified: every clock rule holds and every message is accounted for");
    // The skew is faketime's, not one the VM was told of: its START says offset 0, and its hybrid
    // clock is its own (skewed) wall clock; VM 0's is pulled ~300 s ahead by what it RECEIVEs from
    // VM 1, never further.
    for (int id = 0; id < 2; id++) {
      assertThat(all.get(id).get(0).event().get(VirtualMachine.OFFSET_KEY)).isEqualTo("0");
    }
    SkewChecks.Seen seen = SkewChecks.check(all, 1, 300_000, 5_000, from, to);
    assertThat(seen.firstPull()).containsOnlyKeys(0);
    List<LogEvent> vm0 = all.get(0).stream().map(EventLogReader.Line::event).toList();
    List<LogEvent> vm1 = all.get(1).stream().map(EventLogReader.Line::event).toList();
    assertThat(vm1.get(0).ts())
        .as("VM 1's log is stamped by its own, skewed, wall clock")
        .isAfter(vm0.get(0).ts().plusSeconds(250));
    for (List<LogEvent> log : List.of(vm0, vm1)) {
      assertThat(log.stream().filter(e -> e.event() == EventType.RECEIVE)).isNotEmpty();
      assertThat(log.stream().filter(e -> e.event() == EventType.DROP))
          .as("nothing refused or given up for the skew (only sends to a peer that had stopped)")
          .allSatisfy(e -> assertThat(e.get("reason")).isEqualTo("stopped"));
    }
  }
}
