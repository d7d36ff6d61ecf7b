package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import logicalclocks.config.ModelConfig;
import logicalclocks.reliability.Reliability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit statuses and one-line errors. */
class CliTest {
  @TempDir Path tmp;

  record Result(int status, String out, String err) {}

  /** Runs the CLI in this JVM, capturing its output (shared by the CLI test classes). */
  static Result inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  /**
   * Runs the CLI in a fresh JVM with the given environment (node mode reads only the environment).
   */
  Result process(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = builder(args);
    pb.environment().putAll(env);
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The CLI in a fresh JVM, in {@link #tmp}, without the caller's node settings. */
  ProcessBuilder builder(String... args) {
    return logicalclocks.node.ChildJvm.main(
            Main.class.getName(), List.of(), List.of(args), java.util.Map.of())
        .directory(tmp.toFile());
  }

  @Test
  void aMisspeltLogLevelIsRefusedNotTakenAsDebug() throws Exception {
    Result loud = process(Map.of("LOG_LEVEL", "LOUD"), "analyze", tmp.toString());
    assertThat(loud.status()).isEqualTo(2);
    assertThat(loud.err().strip())
        .isEqualTo(
            "error: LOG_LEVEL='LOUD' is invalid: expected one of TRACE, DEBUG, INFO, WARN, ERROR,"
                + " OFF (any case)");
    Result quiet = process(Map.of("LOG_LEVEL", "warn"), "--version");
    assertThat(quiet.status()).isZero();
    assertThat(quiet.out()).startsWith("logical-clocks ");
  }

  @Test
  void badLocalFlagsExit2WithOneLine() {
    Result r = inProcess("local", "--num_machines", "1", "--log-dir", tmp.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: --machines='1' is invalid: expected a number of machines from 2 to 10000");
    Result sides =
        inProcess("local", "--machines", "4", "--die-sides", "3", "--log-dir", tmp.toString());
    assertThat(sides.status()).isEqualTo(2);
    assertThat(sides.err())
        .contains("--die-sides='3' is invalid: expected a number of die faces from N=4");
    assertThat(sides.err().strip().lines()).hasSize(1);
    Result many = inProcess("local", "--machines", "20", "--log-dir", tmp.toString());
    assertThat(many.status()).isEqualTo(2);
    assertThat(many.err().strip())
        .isEqualTo(
            "error: --die-sides='10 (the default)' is invalid: expected a number of die faces from"
                + " N=20 (the number of machines) to 1000000: give it with 20 machines");
    Result unknown = inProcess("local", "--bogus");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown option '--bogus'");
  }

  @Test
  void serveNamesWhatTheUserTyped() throws Exception {
    Result neither = inProcess("serve");
    assertThat(neither.status()).isEqualTo(2);
    assertThat(neither.err().strip())
        .isEqualTo(
            "error: PEERS / --replay='(neither)' is invalid: expected either PEERS (a running"
                + " cluster) or --replay DIR (a finished run's logs)");
    Result both = inProcess("serve", "a:1,b:2", "--replay", tmp.toString());
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err()).contains("either PEERS");
    Result port = inProcess("serve", "--replay", tmp.toString(), "--port", "70000");
    assertThat(port.status()).isEqualTo(2);
    assertThat(port.err().strip())
        .isEqualTo(
            "error: --port='70000' is invalid: expected a TCP port from 0 to 65535 (0: any free one)");
    Result speed = inProcess("serve", "--replay", tmp.toString(), "--speed", "-1");
    assertThat(speed.err()).contains("--speed='-1' is invalid: expected a pace from 0 to 10000");
    Result nan = inProcess("serve", "--replay", tmp.toString(), "--speed", "NaN");
    assertThat(nan.status()).isEqualTo(2);
    Result bind = inProcess("serve", "--replay", tmp.toString(), "--bind", "a b");
    assertThat(bind.err()).contains("--bind='a b' is invalid: expected an IP address or host name");
    Result clients = inProcess("serve", "--replay", tmp.toString(), "--max-clients", "0");
    assertThat(clients.err()).contains("--max-clients='0' is invalid");
    Result empty = inProcess("serve", "--replay", tmp.toString(), "--port", "0");
    assertThat(empty.status()).isEqualTo(2);
    assertThat(empty.err().strip().lines()).hasSize(1);
    assertThat(empty.err()).contains("has no machine_<id>.log files");
    Result uiPort = inProcess("local", "--ui-port", "x", "--log-dir", tmp.toString());
    assertThat(uiPort.status()).isEqualTo(2);
    assertThat(uiPort.err()).contains("--ui-port='x' is invalid");
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      java.nio.file.Files.writeString(tmp.resolve("machine_0.log"), "x\n");
      Result busy =
          inProcess("serve", "--replay", tmp.toString(), "--port", "" + taken.getLocalPort());
      assertThat(busy.status()).isEqualTo(2);
      assertThat(busy.err().strip().lines()).hasSize(1);
      assertThat(busy.err()).contains("expected an address and port free to listen on");
      // local: a page that cannot listen stops it before any VM starts: the last run's logs stay
      Path last = java.nio.file.Files.createDirectories(tmp.resolve("last-run"));
      java.nio.file.Files.writeString(last.resolve("machine_0.log"), "the last run\n");
      for (String pagePort : new String[] {"" + taken.getLocalPort(), "70000"}) {
        Result local =
            inProcess(
                "local",
                "--ui-port",
                pagePort,
                "--duration",
                "2",
                "--base-port",
                "45310",
                "--log-dir",
                last.toString());
        assertThat(local.status()).as(pagePort).isEqualTo(2);
        assertThat(local.out()).as(pagePort).doesNotContain("VMs on");
        assertThat(java.nio.file.Files.readString(last.resolve("machine_0.log")))
            .as(pagePort)
            .isEqualTo("the last run\n");
        try (var files = java.nio.file.Files.list(last)) {
          assertThat(files).as(pagePort).hasSize(1);
        }
      }
    }
  }

  @Test
  void everyCommandNamesWhatTheUserTyped() throws Exception {
    Result health = process(Map.of("PORT", "abc"), "health");
    assertThat(health.status()).isEqualTo(2);
    assertThat(health.err().strip())
        .isEqualTo("error: PORT='abc' is invalid: expected a TCP port from 1 to 65535");
    Result sweep = inProcess("sweep", "--machines", "1");
    assertThat(sweep.status()).isEqualTo(2);
    assertThat(sweep.err().strip())
        .isEqualTo(
            "error: --machines='1' is invalid: expected a number of machines from 2 to 10000");
    Result slow = inProcess("sweep", "--slow-rates", "1,0");
    assertThat(slow.err().strip())
        .isEqualTo(
            "error: --slow-rates='0' is invalid: expected ticks per second, a whole number from 1 to 10000");
    Result sides = inProcess("experiment", "--sim", "--die-sides", "1");
    assertThat(sides.status()).isEqualTo(2);
    assertThat(sides.err().strip())
        .isEqualTo(
            "error: --die-sides='1' is invalid: expected a number of die faces"
                + " from N=3 (the number of machines) to 1000000");
    Result delay = inProcess("experiment", "--sim", "--delay-ms", "-1");
    assertThat(delay.err().strip())
        .isEqualTo("error: --delay-ms='-1' is invalid: expected milliseconds from 0 to 60000");
    Result simDelay = inProcess("experiment", "--sim", "--sim-delay-ms", "-1");
    assertThat(simDelay.err().strip())
        .isEqualTo("error: --sim-delay-ms='-1' is invalid: expected milliseconds from 0 to 60000");
    Result bench = inProcess("bench", "--rates", "3,0,2");
    assertThat(bench.err().strip())
        .isEqualTo(
            "error: --rates='3,0,2' is invalid: expected 3 comma-separated tick"
                + " rates (one per VM, 1 to 10000)");
  }

  @Test
  void badWeatherFlagsNameTheFlag() {
    Result loss = inProcess("local", "--loss", "2");
    assertThat(loss.status()).isEqualTo(2);
    assertThat(loss.err().strip())
        .isEqualTo("error: --loss='2' is invalid: expected a probability from 0 to 1, e.g. 0.05");
    Result cut =
        inProcess(
            "experiment", "--sim", "--partition", "at=1s,for=1s,vms=1", "--partition", "at=1s");
    assertThat(cut.status()).isEqualTo(2);
    assertThat(cut.err())
        .startsWith("error: --partition='at=1s,for=1s,vms=1;at=1s' is invalid: expected partitions")
        .contains("entry 2 'at=1s': for= is missing");
  }

  @Test
  void weatherFlagsAloneApplyToThePlansVariants() throws Exception {
    ExperimentCommand e = new ExperimentCommand();
    new picocli.CommandLine(e).parseArgs("--sim", "--loss", "0.1", "--delay-ms", "5");
    var variants = e.variants();
    assertThat(variants).hasSize(5);
    assertThat(variants)
        .allSatisfy(
            v -> {
              assertThat(v.model().weather().loss()).isEqualTo(0.1);
              assertThat(v.model().weather().delayMs()).isEqualTo(5);
              assertThat(v.description()).endsWith(", delay 5 ms, loss 0.1");
            });
    ExperimentCommand custom = new ExperimentCommand();
    new picocli.CommandLine(custom).parseArgs("--sim", "--rates", "3,5,2", "--loss", "0.1");
    assertThat(custom.variants())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo("custom");
              assertThat(v.model().weather().loss()).isEqualTo(0.1);
            });
  }

  @Test
  void modelFlagsAreTheSameOnEveryCommand() {
    var cl = Main.commandLine();
    var local = cl.getSubcommands().get("local").getCommandSpec();
    for (String command : List.of("bench", "experiment", "sweep")) {
      var spec = cl.getSubcommands().get(command).getCommandSpec();
      int checked = 0;
      for (var option : local.options()) {
        var same = spec.findOption(option.longestName());
        boolean modelFlag =
            List.of(option.names()).stream()
                .anyMatch(n -> ModelOptions.FLAGS.containsValue(n) && !n.equals("--seed"));
        if (modelFlag && (same != null || !command.equals("sweep"))) {
          assertThat(same).as(command + " " + option.longestName()).isNotNull();
          assertThat(same.description())
              .as(command + " " + option.longestName())
              .isEqualTo(option.description());
          assertThat(same.type()).isEqualTo(option.type());
          assertThat(same.names()).isEqualTo(option.names());
          checked++;
        }
      }
      assertThat(checked)
          .as(command + ": every model flag but --seed")
          .isEqualTo(
              command.equals("sweep")
                  ? 1 + ModelConfig.WEATHER_FIELDS.size()
                  : ModelOptions.FLAGS.size() - 1);
    }
    assertThat(cl.getSubcommands().get("sweep").getCommandSpec().findOption("--machines"))
        .isNotNull();
  }

  @Test
  void versionComesFromTheBuild() {
    Result r = inProcess("--version");
    assertThat(r.status()).isZero();
    assertThat(r.out().strip()).matches("logical-clocks \\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void helpListsTheOriginalFlagSpellings() {
    Result r = inProcess("local", "--help");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("--num_machines", "--base_port", "--run_duration", "--die-sides", "--seed");
  }

  @Test
  void badNodeEnvironmentExits2BeforeAnythingStarts() throws Exception {
    Result r =
        process(
            Map.of("ID", "x", "PEERS", "a:1,b:2", "LOG_DIR", tmp.resolve("logs").toString()),
            "node");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: ID='x' is invalid: expected an integer from 0 to 1 (an index into PEERS)");
    assertThat(tmp.resolve("logs").resolve("machine_0.log")).doesNotExist();
    Reliability.record(
        "90-config",
        "Malformed configuration",
        "every variable and flag"
            + " with bad values: non-numeric, out of range, whitespace, duplicate or malformed PEERS, absurd rates and"
            + " durations, half-set TLS (ConfigParserTest, CliTest)",
        Reliability.checked(
            "exit 2 before anything starts, one line naming the variable, the value and what is"
                + " expected",
            r.status() == 2 && r.err().strip().lines().count() == 1),
        Reliability.checked(
            "`" + r.err().strip() + "`",
            true,
            "no log file created",
            !Files.exists(tmp.resolve("logs").resolve("machine_0.log"))));
  }

  @Test
  void aPortInUseIsOneLineNotAStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Result r =
          inProcess(
              "local", "--base-port", "" + port, "--duration", "1", "--log-dir", tmp.toString());
      assertThat(r.status()).as("a port that cannot be used is bad input").isEqualTo(2);
      assertThat(r.err().strip().lines()).hasSize(1);
      assertThat(r.err())
          .startsWith("error: VM 0 cannot listen on 127.0.0.1:" + port)
          .contains("choose another --base-port")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void nodeGivesUpOnMissingPeersNamingThem() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r =
        process(
            Map.of(
                "ID",
                "0",
                "PEERS",
                "127.0.0.1:" + port + ",127.0.0.1:1",
                "PORT",
                "" + port,
                "STARTUP_TIMEOUT",
                "1",
                "LOG_DIR",
                tmp.toString()),
            "node");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("peers not serving after 1 s: VM 1 (127.0.0.1:1)");
    assertThat(tmp.resolve("machine_0.log")).as("no run, no log").doesNotExist();
    Result unresolvable =
        process(
            Map.of(
                "ID",
                "0",
                "PEERS",
                "127.0.0.1:" + port + ",no-such-host.invalid:50051",
                "PORT",
                "" + port,
                "STARTUP_TIMEOUT",
                "1",
                "LOG_DIR",
                tmp.toString()),
            "node");
    assertThat(unresolvable.status()).isEqualTo(1);
    assertThat(unresolvable.err())
        .contains("VM 1 (no-such-host.invalid:50051, name does not resolve)");
    Reliability.record(
        "91-missing-peer",
        "A peer that never comes up (or whose name" + " never resolves)",
        "PEERS naming a closed port, STARTUP_TIMEOUT=1 (CliTest)",
        Reliability.checked(
            "exit 1 after STARTUP_TIMEOUT, naming the missing peers (and saying when a name does not"
                + " resolve)",
            r.status() == 1 && unresolvable.status() == 1),
        Reliability.checked("no log file created", !Files.exists(tmp.resolve("machine_0.log"))));
  }

  /**
   * Finding 13: SIGTERM while a VM waits for its peers stops it at once (exit 0, nothing logged),
   * instead of after STARTUP_TIMEOUT: a pod deleted during startup is not killed at the end of its
   * grace period.
   */
  @Test
  void sigtermWhileWaitingForPeersStopsAtOnce() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = builder("node");
    pb.environment()
        .putAll(
            Map.of(
                "ID",
                "0",
                "PEERS",
                "127.0.0.1:" + port + ",127.0.0.1:1",
                "PORT",
                "" + port,
                "STARTUP_TIMEOUT",
                "60",
                "METRICS_PORT",
                "0",
                "LOG_DIR",
                tmp.toString()));
    Process p =
        pb.redirectOutput(tmp.resolve("out.txt").toFile())
            .redirectError(tmp.resolve("err.txt").toFile())
            .start();
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> Files.readString(tmp.resolve("err.txt")).contains("waiting for peers"));
      long sent = System.nanoTime();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(10, TimeUnit.SECONDS))
          .as("stopped well before STARTUP_TIMEOUT")
          .isTrue();
      long millis = (System.nanoTime() - sent) / 1_000_000;
      assertThat(p.exitValue()).isZero();
      assertThat(Files.readString(tmp.resolve("err.txt")))
          .contains("stopped while waiting for its peers");
      assertThat(tmp.resolve("machine_0.log")).as("nothing logged").doesNotExist();
      Reliability.record(
          "92-sigterm-at-startup",
          "SIGTERM while a VM waits for its peers",
          "a real node process, PEERS naming a closed port, STARTUP_TIMEOUT=60 (CliTest)",
          Reliability.checked(
              "exit 0 within 10 s of the signal (it took " + millis + " ms), not after 60 s",
              p.exitValue() == 0),
          Reliability.checked("nothing logged", !Files.exists(tmp.resolve("machine_0.log"))));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aPartitionFileAfterASpaceIsTheModelsNotPicocliArgumentFile() {
    Result r =
        inProcess("local", "--duration", "1", "--partition", "@" + tmp.resolve("no-such-file"));
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("error: --partition=")
        .contains("cannot read")
        .doesNotContain("Exception")
        .doesNotContain("\n");
  }
}
