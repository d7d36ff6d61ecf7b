package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import logicalclocks.analysis.verify.Verifier;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader;
import logicalclocks.reliability.Reliability;
import logicalclocks.transport.SkewChecks;
import logicalclocks.transport.TestCa;
import logicalclocks.vm.TickSlots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml itself, brought up with the compose CLI (v2 plugin, or v1.29) and a short
 * DURATION.
 */
class ComposeIT {
  @BeforeAll
  static void docker() {
    Docker.require();
    Docker.fromThisBuild(
        "logical-clocks:latest"); // the image docker-compose.yml names, run with --no-build
  }

  static List<String> composeCommand() throws Exception {
    if (run(List.of("docker", "compose", "version"), null, Map.of(), 30).status == 0) {
      return List.of("docker", "compose");
    }
    return List.of("docker-compose");
  }

  record Result(int status, String output) {}

  /** {@code compose} + {@code args}, run in {@code project}. */
  static Result compose(
      List<String> compose,
      Path project,
      Map<String, String> env,
      int timeoutSeconds,
      String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(compose);
    cmd.addAll(List.of(args));
    return run(cmd, project, env, timeoutSeconds);
  }

  static Result run(List<String> cmd, Path dir, Map<String, String> env, int timeoutSeconds)
      throws Exception {
    Path out = Files.createTempFile("compose", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n(timed out)");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  /**
   * vm1's wall clock offset in {@link #composeUpRunsThreeVmsToCompletionWithVm1ThreeMinutesAhead}.
   */
  static final long AHEAD_MS = 180_000;

  /**
   * The compose file as a user runs it, with vm1's clock 3 minutes ahead ({@code
   * VM1_CLOCK_OFFSET_MS}, the one run serving both): every VM does its ticks, the report service
   * says verified, and the logs show the skew where it belongs (vm1's ts and START, the peers' hlc
   * pulled ahead by vm1's messages, no Lamport clock affected: {@link SkewChecks}).
   */
  @Test
  void composeUpRunsThreeVmsToCompletionWithVm1ThreeMinutesAhead(@TempDir Path project)
      throws Exception {
    Files.copy(
        ComposeFile.projectDir().resolve("docker-compose.yml"),
        project.resolve("docker-compose.yml"));
    List<String> compose = new ArrayList<>(composeCommand());
    compose.addAll(List.of("-p", "lcit" + ProcessHandle.current().pid()));
    Map<String, String> env =
        Map.of("DURATION", "10", "TICK_RATE", "20", "VM1_CLOCK_OFFSET_MS", "" + AHEAD_MS);
    try {
      Instant from = Instant.now();
      Result r = compose(compose, project, env, 180, "up", "--no-build", "--no-color");
      Instant to = Instant.now();
      assertThat(r.status()).as("compose up output:%n%s", r.output()).isZero();
      Result ids = compose(compose, project, env, 30, "ps", "-q");
      List<String> containers =
          ids.output().lines().filter(l -> l.matches("[0-9a-f]{12,}")).toList();
      assertThat(containers).as("logs-init, vm0..vm2, report").hasSize(5);
      for (String id : containers) {
        var state = VmCluster.docker().inspectContainerCmd(id).exec().getState();
        assertThat(state.getExitCodeLong()).as("exit status of %s", id).isZero();
      }
      assertThat(r.output())
          .as("the report service's verdict in compose's output")
          .contains("verified: every clock rule holds and every message is accounted for");
      assertThat(project.resolve("logs/report/report.html")).isNotEmptyFile();
      var logs = EventLogReader.readDir(project.resolve("logs"));
      assertThat(logs.keySet()).containsExactly(0, 1, 2);
      assertThat(Verifier.verify(logs)).isEmpty();
      for (var lines : logs.values()) {
        assertThat(TickSlots.ofLines(lines)).as("20 tick slots/s x 10 s").isEqualTo(200);
        assertThat(lines.get(lines.size() - 1).event().get("reason")).isEqualTo("finished");
      }
      for (int vm = 0; vm < 3; vm++) {
        assertThat(logs.get(vm).get(0).event().event()).isEqualTo(EventType.START);
        assertThat(logs.get(vm).get(0).event().get("offset_ms"))
            .as("vm%d's START", vm)
            .isEqualTo(vm == 1 ? "" + AHEAD_MS : "0");
      }
      SkewChecks.Seen seen = SkewChecks.check(logs, 1, AHEAD_MS, 5_000, from, to);
      long drops =
          logs.values().stream()
              .flatMap(List::stream)
              .filter(l -> l.event().event() == EventType.DROP)
              .count();
      Reliability.record(
          "17-clock-ahead-containers",
          "One container's wall clock 3 minutes ahead",
          "`VM1_CLOCK_OFFSET_MS=180000 DURATION=10 TICK_RATE=20 docker compose up` (ComposeIT)",
          Reliability.checked(
              "each VM did its 200 ticks and exited 0; the report service said verified",
              true,
              drops + " DROPs",
              true),
          Reliability.checked(
              "vm1's START offset_ms=180000 and its ts 180 s ahead of the host's",
              true,
              "vm0's and vm2's hlc l pulled to ts + "
                  + seen.firstPull().get(0)
                  + " and ts + "
                  + seen.firstPull().get(2)
                  + " ms by their first RECEIVE from vm1, never more than 180000 ahead",
              true,
              "largest Lamport clock "
                  + seen.maxLamport()
                  + " (of "
                  + seen.events()
                  + " events): unaffected",
              true));
      // A broken run: one RECEIVE's clock lowered. The report service exits 1 and says why.
      Path vm1 = project.resolve("logs/machine_1.log");
      List<String> lines = new ArrayList<>(Files.readAllLines(vm1));
      int i = 0;
      while (!lines.get(i).contains("event=RECEIVE")) {
        i++;
      }
      lines.set(i, lines.get(i).replaceFirst(" clock=\\d+ ", " clock=0 "));
      Files.write(vm1, lines);
      Result broken = compose(compose, project, env, 120, "run", "--rm", "--no-deps", "report");
      assertThat(broken.status()).as("report on a broken run:%n%s", broken.output()).isEqualTo(1);
      assertThat(broken.output()).contains("clock-rule").doesNotContain("verified:");
    } finally {
      compose(compose, project, env, 60, "down", "-v", "--remove-orphans");
      deleteLogs(project.resolve("logs"));
    }
  }

  @Test
  void composeWithTheTlsOverrideRunsOverMutualTls(@TempDir Path project) throws Exception {
    Files.copy(
        ComposeFile.projectDir().resolve("docker-compose.yml"),
        project.resolve("docker-compose.yml"));
    Files.copy(
        ComposeFile.projectDir().resolve("docker-compose.tls.yml"),
        project.resolve("docker-compose.tls.yml"));
    Path certs = Files.createDirectories(project.resolve("certs"));
    var ca = new TestCa(certs, "ca");
    Files.copy(ca.caFile(), certs.resolve("ca.crt"));
    for (int i = 0; i < 3; i++) {
      ca.issue("vm" + i, 50052);
    }
    // As the README says: certificates 0644, keys 0600 owned by the image's user (uid 10001); the
    // chown runs in a container, so no sudo (and a rootless engine maps the uid itself).
    List<String> chown =
        new ArrayList<>(
            List.of(
                "docker",
                "run",
                "--rm",
                "-u",
                "0:0",
                "-v",
                certs.toAbsolutePath() + ":/certs",
                "--entrypoint",
                "chown",
                "logical-clocks:latest",
                "10001:10001"));
    try (var files = Files.list(certs)) {
      for (Path f : files.toList()) {
        boolean key = f.getFileName().toString().endsWith(".key");
        Files.setPosixFilePermissions(
            f, PosixFilePermissions.fromString(key ? "rw-------" : "rw-r--r--"));
        if (key) {
          chown.add("/certs/" + f.getFileName());
        }
      }
    }
    Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
    Result owned = run(chown, null, Map.of(), 60);
    assertThat(owned.status()).as("chown of the keys:%n%s", owned.output()).isZero();
    List<String> compose = new ArrayList<>(composeCommand());
    compose.addAll(
        List.of(
            "-p",
            "lctls" + ProcessHandle.current().pid(),
            "-f",
            "docker-compose.yml",
            "-f",
            "docker-compose.tls.yml"));
    Map<String, String> env = Map.of("DURATION", "8", "TICK_RATE", "20");
    try {
      Result r = compose(compose, project, env, 180, "up", "--no-build", "--no-color");
      assertThat(r.status()).as("compose up output:%n%s", r.output()).isZero();
      var logs = EventLogReader.readDir(project.resolve("logs"));
      assertThat(Verifier.verify(logs)).isEmpty();
      long receives =
          logs.values().stream()
              .flatMap(List::stream)
              .filter(l -> l.event().event() == EventType.RECEIVE)
              .count();
      var drops =
          logs.values().stream()
              .flatMap(List::stream)
              .map(l -> l.event())
              .filter(e -> e.event() == EventType.DROP)
              .toList();
      assertThat(receives).as("messages flowed over mutual TLS").isGreaterThan(20);
      for (var d : drops) {
        var target = logs.get(Integer.parseInt(d.get("to")));
        var stop = target.get(target.size() - 1).event();
        assertThat(d.ts())
            .as("only messages to a VM that had already stopped: %s", d)
            .isAfterOrEqualTo(stop.ts());
      }
      // Least privilege: each VM container sees the CA, its own certificate and its own key (0600,
      // readable by its uid), and no other VM's files.
      for (int i = 0; i < 3; i++) {
        Result ls =
            compose(
                compose,
                project,
                env,
                60,
                "run",
                "--rm",
                "--no-deps",
                "-T",
                "--entrypoint",
                "ls",
                "vm" + i,
                "-1",
                "/certs");
        assertThat(ls.status()).as("ls /certs in vm%d:%n%s", i, ls.output()).isZero();
        assertThat(ls.output().lines().filter(l -> l.matches("[a-z0-9.]+")).toList())
            .as("vm%d's /certs", i)
            .containsExactlyInAnyOrder("ca.crt", "vm" + i + ".crt", "vm" + i + ".key");
        Result cat =
            compose(
                compose,
                project,
                env,
                60,
                "run",
                "--rm",
                "--no-deps",
                "-T",
                "--entrypoint",
                "cat",
                "vm" + i,
                "/certs/vm" + i + ".key");
        assertThat(cat.status()).as("vm%d reads its own 0600 key:%n%s", i, cat.output()).isZero();
        assertThat(cat.output()).contains("PRIVATE KEY");
      }
      Reliability.record(
          "72-mtls-compose",
          "The cluster over mutual TLS",
          "docker-compose.yml + docker-compose.tls.yml, per-VM certificates from a CA made at test time (ComposeIT)",
          Reliability.checked(
              "three containers over TLS, each ran to its STOP (compose up" + " exited 0)",
              r.status() == 0),
          Reliability.checked(
              receives + " RECEIVEs",
              receives > 20,
              drops.size() + " DROPs" + " (all to a VM that had already stopped, at the very end)",
              true,
              "verifier: 0 violations",
              true));
    } finally {
      compose(compose, project, env, 60, "down", "-v", "--remove-orphans");
      deleteLogs(project.resolve("logs"));
    }
  }

  /** Deletes the logs folder's content, the report folder included. */
  private static void deleteLogs(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          if (!f.equals(dir)) {
            Files.deleteIfExists(f);
          }
        }
      }
    }
  }
}
