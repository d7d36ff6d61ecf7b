package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chaos}'s bad flags: exit 2 with one line naming the flag, before anything starts. */
class ChaosCommandTest {
  @TempDir Path tmp;

  CliTest.Result chaos(String... flags) {
    String[] args = new String[flags.length + 5];
    args[0] = "chaos";
    args[1] = "--out";
    args[2] = tmp.resolve("out").toString();
    args[3] = "--jar";
    args[4] = tmp.resolve("fake.jar").toString();
    System.arraycopy(flags, 0, args, 5, flags.length);
    return CliTest.inProcess(args);
  }

  void expectOneLine(CliTest.Result r, String line) {
    assertThat(r.status()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).isEqualTo(line);
  }

  @Test
  void badValuesNameTheFlagTheValueAndWhatIsExpected() throws Exception {
    Files.writeString(tmp.resolve("fake.jar"), "not run");
    expectOneLine(
        chaos("--tick-rate", "5000"),
        "error: --tick-rate='5000' is invalid: expected ticks per second from 1 to 1000");
    expectOneLine(
        chaos("--machines", "1"),
        "error: --machines='1' is invalid: expected a number of VMs from 2 to 10 (one JVM each)");
    expectOneLine(
        chaos("--duration", "20", "--faults", "7"),
        "error: --faults='7' is invalid: expected a number of faults from 0 to 6 (at most one per"
            + " 3 s of the run's 20 s)");
    expectOneLine(
        chaos("--duration", "abc"),
        "error: --duration='abc' is invalid: expected whole seconds from 10 to 3600");
    expectOneLine(
        chaos("--base-port", "65535"),
        "error: --base-port='65535' is invalid: expected a TCP port from 1024 to 65533 (VM i"
            + " listens on base port + i)");
  }

  @Test
  void aMissingJarAPortInUseAndAnEarlierRunsLogsAreRefused() throws Exception {
    assertThat(chaos().err()).startsWith("error: --jar='").contains("runnable logical-clocks jar");
    Files.writeString(tmp.resolve("fake.jar"), "not run");
    try (ServerSocket busy = new ServerSocket(0)) {
      int port = busy.getLocalPort();
      CliTest.Result r = chaos("--base-port", "" + (port - 1), "--machines", "2");
      assertThat(r.status()).isEqualTo(Main.EXIT_CONFIG);
      assertThat(r.err()).contains(" is in use; choose another --base-port");
    }
    Files.createDirectories(tmp.resolve("out/logs"));
    Files.writeString(tmp.resolve("out/logs/machine_0.log"), "");
    CliTest.Result r = chaos();
    assertThat(r.status()).isEqualTo(Main.EXIT_CONFIG);
    assertThat(r.err()).contains("machine_0.log exists: the nodes would resume from it");
  }
}
