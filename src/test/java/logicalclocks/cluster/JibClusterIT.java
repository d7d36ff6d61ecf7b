package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.event.EventType;
import logicalclocks.reliability.Reliability;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Jib image as three containers, named and configured exactly as docker-compose.yml says. */
class JibClusterIT {
  @BeforeAll
  static void docker() {
    Docker.require();
  }

  static VmCluster composeLike(String image, Map<String, String> shell) throws Exception {
    ComposeFile compose = ComposeFile.ofProject();
    VmCluster cluster = new VmCluster();
    for (String service : new String[] {"vm0", "vm1", "vm2"}) {
      Map<String, String> env = new HashMap<>(compose.environment(service, shell));
      cluster.add(image, service, env, c -> {});
    }
    return cluster;
  }

  @Test
  void threeContainersRunAndTheirLogsKeepEveryRule(@TempDir Path logs) throws Exception {
    try (VmCluster cluster =
        composeLike(Docker.image(), Map.of("DURATION", "20", "TICK_RATE", "50"))) {
      cluster.start();
      assertThat(cluster.awaitExit(Duration.ofSeconds(90))).containsOnly(0L);
      var result = cluster.collectAndVerify(logs);
      for (int vm = 0; vm < 3; vm++) {
        assertThat(result.slots(vm)).as("VM %d: 50 tick slots/s x 20 s", vm).isEqualTo(1000);
        assertThat(result.count(vm, EventType.RECEIVE)).isPositive();
        assertThat(result.last(vm).get("reason")).isEqualTo("finished");
      }
    }
  }

  @Test
  void sigtermStopsOneVmCleanlyWhileTheOthersTickOnAndDrop(@TempDir Path logs) throws Exception {
    try (VmCluster cluster =
        composeLike(Docker.image(), Map.of("DURATION", "14", "TICK_RATE", "40"))) {
      cluster.start();
      var vm2 = cluster.vms.get(2);
      Path peek = logs.resolve("peek");
      for (int i = 0; i < 3; i++) {
        var c = cluster.vms.get(i);
        int id = i;
        org.awaitility.Awaitility.await("vm" + i + " has logged 100 events")
            .atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> VmCluster.logLines(c, id, peek) >= 100);
      }
      VmCluster.sigterm(vm2);
      org.awaitility.Awaitility.await("vm2 exited")
          .atMost(Duration.ofSeconds(20))
          .until(() -> VmCluster.exitCode(vm2) != null);
      assertThat(VmCluster.exitCode(vm2)).as("SIGTERM exit status").isZero();
      assertThat(cluster.vms.get(0).isRunning()).as("the others keep ticking").isTrue();
      assertThat(cluster.awaitExit(Duration.ofSeconds(60))).containsOnly(0L);
      var result = cluster.collectAndVerify(logs);
      assertThat(result.last(2).event()).isEqualTo(EventType.STOP);
      assertThat(result.last(2).get("reason")).isEqualTo("signal");
      long dropsTo2 =
          result.logs().values().stream()
              .flatMap(List::stream)
              .filter(l -> l.event().event() == EventType.DROP && "2".equals(l.event().get("to")))
              .count();
      assertThat(dropsTo2).as("messages to the stopped VM are DROPped").isPositive();
      assertThat(result.last(0).get("reason")).isEqualTo("finished");
      Reliability.record(
          "05-sigterm",
          "SIGTERM to one VM mid-run",
          "`docker kill -s TERM` on vm2 of a 3-container cluster (Jib image)",
          Reliability.checked(
              "vm2 logged STOP, flushed its log and exited 0",
              VmCluster.exitCode(vm2) == 0L && result.last(2).event() == EventType.STOP,
              "vm0 and vm1 ticked on to the end (560 of 560 tick slots each, "
                  + result.missed(0)
                  + " and "
                  + result.missed(1)
                  + " of them skipped: missed=)",
              result.slots(0) == 560 && result.slots(1) == 560),
          Reliability.checked(
              "vm2's last line STOP reason=signal",
              "signal".equals(result.last(2).get("reason")),
              dropsTo2 + " DROPs to vm2 afterwards",
              dropsTo2 > 0,
              "verifier: 0 violations",
              true));
    }
  }
}
