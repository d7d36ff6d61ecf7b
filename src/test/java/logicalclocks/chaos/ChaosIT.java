package logicalclocks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import logicalclocks.config.ConfigException;
import logicalclocks.config.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short fault campaign with real processes: 3 node JVMs from the packaged jar at 150 ticks/s for
 * 25 s, 5 faults (every kind once). Asserts that the schedule was applied (every fault applied, the
 * processes really were killed or paused and new ones started, the logs show resumed STARTs), then
 * that the run is verified. Runs after {@code package} (failsafe), which built the jar.
 */
class ChaosIT {
  static final long SEED = 3;

  static Path jar() {
    Path jar =
        Path.of(System.getProperty("lc.projectDir", "."), "target", "logical-clocks.jar")
            .toAbsolutePath();
    assertThat(jar).as("the packaged jar (run after package)").isRegularFile();
    return jar;
  }

  /** The campaign's configuration, on the first base port whose 3 ports are free. */
  static ChaosConfig config(Path out) {
    for (int base = 52400; base < 53000; base += 10) {
      Map<String, String> v = new HashMap<>();
      v.put("MACHINES", "3");
      v.put("TICK_RATE", "150");
      v.put("DURATION", "25");
      v.put("FAULTS", "5");
      v.put("SEED", "" + SEED);
      v.put("BASE_PORT", "" + base);
      v.put("OUT", out.toString());
      try {
        return ChaosConfig.parse(Source.of(v, k -> k), 0, jar());
      } catch (ConfigException e) {
        if (!e.getMessage().contains("is in use")) {
          throw e;
        }
      }
    }
    throw new AssertionError("no 3 free ports from 52400 to 53000");
  }

  /** Prints as it writes (the campaign's progress shows in the test's output) and keeps a copy. */
  static final class Tee extends Writer {
    final StringWriter copy = new StringWriter();

    @Override
    public void write(char[] c, int off, int len) {
      copy.write(c, off, len);
      System.out.print(new String(c, off, len));
    }

    @Override
    public void flush() {
      System.out.flush();
    }

    @Override
    public void close() {}
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aCampaignAppliesEveryKindOfFaultAndTheRunIsVerified(@TempDir Path tmp) throws Exception {
    Tee tee = new Tee();
    Campaign campaign = new Campaign(config(tmp.resolve("chaos")), new PrintWriter(tee, true));
    assertThat(campaign.schedule().stream().map(Fault::kind).collect(Collectors.toSet()))
        .isEqualTo(EnumSet.allOf(FaultKind.class));
    Campaign.Result r = campaign.run();
    String out = tee.copy.toString();

    // The schedule was applied: every fault, each at its planned VM.
    assertThat(r.skipped()).isEmpty();
    assertThat(r.applied().stream().map(Attribution.Applied::fault).toList())
        .isEqualTo(r.schedule());
    // The processes really were killed, stopped and continued, terminated, and started anew.
    assertThat(out)
        .contains("SIGKILL pid", "SIGSTOP pid", "SIGCONT pid", "SIGTERM pid", "restarted as pid");
    long restarting = r.schedule().stream().filter(f -> f.kind().restarts()).count();
    assertThat(r.pids().values().stream().mapToInt(List::size).sum())
        .isEqualTo(3 + (int) restarting);
    r.pids()
        .values()
        .forEach(
            pids ->
                pids.forEach(
                    pid ->
                        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                            .as("pid %d is gone", pid)
                            .isFalse()));
    // The node resumed from its log after the kills and the SIGTERM (today's node does not log
    // START when restarted after its peers finished: see the verdict below).
    assertThat(r.resumedStarts().values().stream().mapToLong(Long::longValue).sum())
        .isGreaterThanOrEqualTo(restarting - 1);
    for (int id = 0; id < 3; id++) {
      assertThat(Files.readString(tmp.resolve("chaos/node_" + id + ".err")))
          .contains("serving gRPC");
    }
    assertThat(out).contains("verdict: ");

    // The verdict: every clock rule held and every message had exactly one fate.
    assertThat(r.incidents()).as("campaign incidents").isEmpty();
    assertThat(r.violations()).as("violations").isEmpty();
    assertThat(r.verdict()).isEqualTo(Campaign.VERIFIED);
    assertThat(r.exitCode()).isZero();
    assertThat(r.resumedStarts().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(restarting);
  }
}
