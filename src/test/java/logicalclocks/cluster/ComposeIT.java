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
    int uiPort = freePort();
    Map<String, String> env =
        Map.of(
            "DURATION",
            "10",
            "TICK_RATE",
            "20",
            "VM1_CLOCK_OFFSET_MS",
            "" + AHEAD_MS,
            "UI_HOST_PORT",
            "" + uiPort);
    try {
      Instant from = Instant.now();
      Up up = Up.start(compose, project, env);
      UiSeen ui = checkTheUi(compose, project, env, up, uiPort, 3, true);
      Result r = up.await(60);
      Instant to = Instant.now();
      assertThat(r.status()).as("compose up output:%n%s", r.output()).isZero();
      Result ids = compose(compose, project, env, 30, "ps", "-a", "-q");
      List<String> containers =
          ids.output().lines().filter(l -> l.matches("[0-9a-f]{12,}")).toList();
      assertThat(containers).as("logs-init, vm0..vm2, report, ui").hasSize(6);
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
      ui.rethrowIfTheBrowserWasMissing();
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
    // The ui's identity: a client certificate naming no VM (CN ui, no SAN).
    ca.issue("ui", "CN=ui", List.of(), 50052);
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
    int uiPort = freePort();
    Map<String, String> env =
        Map.of("DURATION", "8", "TICK_RATE", "20", "UI_HOST_PORT", "" + uiPort);
    try {
      Up up = Up.start(compose, project, env);
      // The ui follows the VMs over mutual TLS with its own certificate (its page is plain HTTP).
      checkTheUi(compose, project, env, up, uiPort, 3, false);
      Result r = up.await(60);
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
      // Least privilege: each VM container (and the ui's) sees the CA, its own certificate and its
      // own key (0600, readable by its uid), and no other VM's files.
      for (String who : List.of("vm0", "vm1", "vm2", "ui")) {
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
                who,
                "-1",
                "/certs");
        assertThat(ls.status()).as("ls /certs in %s:%n%s", who, ls.output()).isZero();
        assertThat(ls.output().lines().filter(l -> l.matches("[a-z0-9.]+")).toList())
            .as("%s's /certs", who)
            .containsExactlyInAnyOrder("ca.crt", who + ".crt", who + ".key");
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
                who,
                "/certs/" + who + ".key");
        assertThat(cat.status()).as("%s reads its own 0600 key:%n%s", who, cat.output()).isZero();
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

  static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code compose up --no-build --no-color}, attached, in the background (the ui never ends). */
  record Up(Process process, Path out) {
    static Up start(List<String> compose, Path project, Map<String, String> env)
        throws IOException {
      List<String> cmd = new ArrayList<>(compose);
      cmd.addAll(List.of("up", "--no-build", "--no-color"));
      Path out = Files.createTempFile("compose-up", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(project.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      return new Up(pb.start(), out);
    }

    String output() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Waits for {@code compose up} to return (once every container has stopped). */
    Result await(int timeoutSeconds) throws Exception {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output() + "\n(timed out)");
      }
      return new Result(process.exitValue(), output());
    }
  }

  /** What the ui showed; a missing browser is thrown at the end, after the other checks. */
  record UiSeen(
      com.fasterxml.jackson.databind.JsonNode live,
      List<Integer> drawn,
      org.opentest4j.TestAbortedException noBrowser) {
    void rethrowIfTheBrowserWasMissing() {
      if (noBrowser != null) {
        throw noBrowser;
      }
    }
  }

  /**
   * The ui service while the VMs run: its page, /api/state with every VM live and lines read, every
   * lane drawn in a browser; then, once the report service has exited, the ui's own verdict (the
   * same as report's), and the ui stopped so that {@code up} returns.
   */
  static UiSeen checkTheUi(
      List<String> compose,
      Path project,
      Map<String, String> env,
      Up up,
      int uiPort,
      int vms,
      boolean browser)
      throws Exception {
    LivePage page = new LivePage("127.0.0.1", uiPort);
    com.fasterxml.jackson.databind.JsonNode live;
    try {
      live = page.awaitAllLiveWithLines(vms, java.time.Duration.ofSeconds(120));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\ncompose up output:\n" + up.output(), e);
    }
    assertThat(page.html()).contains("<title>logical-clocks: live</title>");
    List<Integer> drawn = List.of();
    org.opentest4j.TestAbortedException noBrowser = null;
    try {
      if (browser) {
        drawn = page.awaitLanesDrawn(vms, java.time.Duration.ofSeconds(60));
      }
    } catch (org.opentest4j.TestAbortedException e) {
      noBrowser = e; // no chromium here (LC_REQUIRE_BROWSER unset): the rest still runs
    }
    org.awaitility.Awaitility.await("the report service has exited")
        .atMost(java.time.Duration.ofSeconds(150))
        .pollInterval(java.time.Duration.ofSeconds(1))
        .until(
            () -> {
              String id =
                  compose(compose, project, env, 30, "ps", "-a", "-q", "report")
                      .output()
                      .lines()
                      .filter(l -> l.matches("[0-9a-f]{12,}"))
                      .findFirst()
                      .orElse(null);
              return id != null
                  && "exited"
                      .equals(
                          VmCluster.docker().inspectContainerCmd(id).exec().getState().getStatus());
            });
    var end = page.state();
    assertThat(end).as("the ui still serves the finished run").isNotNull();
    assertThat(end.get("over").asBoolean()).as("the ui saw every run end: %s", end).isTrue();
    assertThat(end.get("verified").asBoolean()).as("the ui's verdict: %s", end).isTrue();
    for (var vm : end.get("vms")) {
      assertThat(vm.get("state").asText()).as("%s", vm).isEqualTo("finished");
    }
    Result stop = compose(compose, project, env, 60, "stop", "ui");
    assertThat(stop.status()).as("compose stop ui:%n%s", stop.output()).isZero();
    return new UiSeen(live, drawn, noBrowser);
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
