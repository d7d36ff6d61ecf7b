package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ContainerNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import logicalclocks.analysis.Analyzer;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;
import logicalclocks.reliability.Reliability;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;

/**
 * Faults injected into the real image running as three containers: kill -9 and restart, a network
 * partition, a pause. Waits are on observable conditions (log contents, container state), never on
 * sleeps. After every fault the logs pass the verifier: every clock rule holds and every message is
 * accounted for.
 */
class FaultIT {
  @BeforeAll
  static void docker() {
    Docker.require();
  }

  static final Map<String, String> SHELL = Map.of("TICK_RATE", "20");

  static VmCluster cluster(int durationSeconds, String sendTimeoutMs) throws Exception {
    VmCluster c =
        JibClusterIT.composeLike(
            Docker.image(), Map.of("DURATION", "" + durationSeconds, "TICK_RATE", "20"));
    c.vms.forEach(v -> v.withEnv("SEND_TIMEOUT_MS", sendTimeoutMs));
    return c;
  }

  /** The VM's log as it is now, copied out of its container. */
  static List<LogEvent> peek(GenericContainer<?> c, int id, Path scratch) throws Exception {
    Path dir = Files.createDirectories(scratch.resolve("peek-" + id));
    VmCluster.copyDir(c, "/logs", dir);
    Path f = dir.resolve("machine_" + id + ".log");
    if (!Files.exists(f)) {
      return List.of();
    }
    // The copy may end mid-line while the VM writes: keep complete lines only (none yet: the log
    // was just created, START not written).
    String text = Files.readString(f);
    if (text.indexOf('\n') < 0) {
      return List.of();
    }
    Files.writeString(f, text.substring(0, text.lastIndexOf('\n') + 1));
    return EventLogReader.read(f).stream().map(EventLogReader.Line::event).toList();
  }

  static long count(List<LogEvent> events, EventType type, String key, String value) {
    return events.stream()
        .filter(e -> e.event() == type && (key == null || value.equals(e.get(key))))
        .count();
  }

  static void awaitTicking(VmCluster cluster, Path scratch) {
    for (int i = 0; i < 3; i++) {
      var c = cluster.vms.get(i);
      int id = i;
      await("vm" + i + " ticking")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> peek(c, id, scratch).size() >= 40);
    }
  }

  @Test
  void killNineThenRestartResumesTheClockAndLosesNothing(@TempDir Path tmp) throws Exception {
    try (VmCluster cluster = cluster(30, "1000")) {
      cluster.start();
      awaitTicking(cluster, tmp);
      var vm1 = cluster.vms.get(1);
      VmCluster.docker().killContainerCmd(vm1.getContainerId()).withSignal("KILL").exec();
      await("vm1 dead").atMost(Duration.ofSeconds(20)).until(() -> VmCluster.exitCode(vm1) != null);
      assertThat(VmCluster.exitCode(vm1)).isEqualTo(137L);
      long clockAtKill = peek(vm1, 1, tmp).stream().mapToLong(LogEvent::clock).max().orElseThrow();
      await("vm0 drops messages to the dead vm1")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> count(peek(cluster.vms.get(0), 0, tmp), EventType.DROP, "to", "1") >= 1);
      VmCluster.docker().startContainerCmd(vm1.getContainerId()).exec();
      assertThat(cluster.awaitExit(Duration.ofSeconds(120))).containsOnly(0L);
      var result = cluster.collectAndVerify(tmp.resolve("logs"));
      List<LogEvent> log1 = result.logs().get(1).stream().map(EventLogReader.Line::event).toList();
      List<LogEvent> starts = log1.stream().filter(e -> e.event() == EventType.START).toList();
      assertThat(starts).hasSize(2);
      assertThat(starts.get(1).get("resumed")).isEqualTo("true");
      assertThat(starts.get(1).clock())
          .as("resumed, not restarted at 0")
          .isGreaterThanOrEqualTo(clockAtKill);
      long dropsTo1 =
          result.logs().values().stream()
              .flatMap(List::stream)
              .filter(l -> l.event().event() == EventType.DROP && "1".equals(l.event().get("to")))
              .count();
      assertThat(dropsTo1).isPositive();
      for (int vm : new int[] {0, 2}) {
        assertThat(result.slots(vm))
            .as("VM %d ticked to its end: 20 tick slots/s x 30 s", vm)
            .isEqualTo(600);
      }
      long receivedAfter =
          log1.subList(log1.indexOf(starts.get(1)), log1.size()).stream()
              .filter(e -> e.event() == EventType.RECEIVE)
              .count();
      assertThat(receivedAfter).as("rejoined: receives after the restart").isPositive();
      Reliability.record(
          "10-kill9",
          "VM killed and restarted",
          "`docker kill -s KILL` on vm1 mid-run, then `docker start` on the same container (same /logs volume)",
          Reliability.checked(
              "vm1 exited 137",
              true,
              "vm0 and vm2 kept ticking (600 of 600 tick slots each, "
                  + result.missed(0)
                  + " and "
                  + result.missed(2)
                  + " of them skipped: missed=)",
              true,
              "vm1 came back, resumed and rejoined",
              receivedAfter > 0),
          Reliability.checked(
              String.format(
                  "vm1: second START resumed=true at clock %d (>= %d at the kill)",
                  starts.get(1).clock(), clockAtKill),
              starts.get(1).clock() >= clockAtKill,
              dropsTo1 + " DROPs to vm1 while it was down",
              dropsTo1 > 0,
              receivedAfter + " RECEIVEs after the restart",
              receivedAfter > 0,
              "verifier: 0 violations",
              true));
    }
  }

  @Test
  void aPartitionedVmKeepsTickingAndTrafficResumesAfterHealing(@TempDir Path tmp) throws Exception {
    try (VmCluster cluster = cluster(40, "1000")) {
      cluster.start();
      awaitTicking(cluster, tmp);
      var vm2 = cluster.vms.get(2);
      String network = cluster.network.getId();
      long linesAtCut = peek(vm2, 2, tmp).size();
      Instant cut = Instant.now();
      VmCluster.docker()
          .disconnectFromNetworkCmd()
          .withNetworkId(network)
          .withContainerId(vm2.getContainerId())
          .exec();
      await("both sides drop across the partition, and it lasts ~10 s of vm2 ticks")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  count(peek(cluster.vms.get(0), 0, tmp), EventType.DROP, "to", "2") >= 3
                      && count(peek(vm2, 2, tmp), EventType.DROP, null, null) >= 3
                      && peek(vm2, 2, tmp).size() >= linesAtCut + 200);
      Instant healed = Instant.now();
      VmCluster.docker()
          .connectToNetworkCmd()
          .withNetworkId(network)
          .withContainerId(vm2.getContainerId())
          .withContainerNetwork(new ContainerNetwork().withAliases("vm2"))
          .exec();
      await("traffic from vm2 reaches vm0 again")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  peek(cluster.vms.get(0), 0, tmp).stream()
                      .anyMatch(
                          e ->
                              e.event() == EventType.RECEIVE
                                  && "2".equals(e.get("from"))
                                  && e.ts().isAfter(healed)));
      assertThat(cluster.awaitExit(Duration.ofSeconds(90))).containsOnly(0L);
      var result = cluster.collectAndVerify(tmp.resolve("logs"));
      for (int vm = 0; vm < 3; vm++) {
        assertThat(result.slots(vm)).as("VM %d kept ticking: 20 x 40 slots", vm).isEqualTo(800);
      }
      // DROPs while every VM ran are the partition's; a few more at the very end go to a VM that
      // had stopped.
      var drops =
          result.logs().values().stream()
              .flatMap(List::stream)
              .map(EventLogReader.Line::event)
              .filter(
                  e ->
                      e.event() == EventType.DROP
                          && e.ts().isBefore(result.last(Integer.parseInt(e.get("to"))).ts()))
              .toList();
      assertThat(drops)
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.get("reason")).isIn("unreachable", "deadline"));
      long partitionSeconds = Duration.between(cut, healed).toSeconds();
      long late = Analyzer.analyze(result.logs()).metrics().lateDeliveries();
      Reliability.record(
          "20-partition",
          "Network partition of one VM",
          "`docker network disconnect` of vm2 for "
              + partitionSeconds
              + " s, then reconnect with its alias",
          Reliability.checked(
              "all three kept ticking (800 of 800 tick slots each, "
                  + (result.missed(0) + result.missed(1) + result.missed(2))
                  + " skipped in all: missed=)",
              true,
              "undeliverable messages" + " DROPped with reason unreachable or deadline",
              !drops.isEmpty(),
              "vm2's messages reached vm0 again" + " after healing",
              true),
          Reliability.checked(
              drops.size()
                  + " DROPs (reasons: "
                  + drops.stream().map(d -> d.get("reason")).distinct().sorted().toList()
                  + "), of which "
                  + late
                  + " had reached vm2 just before the cut (its RECEIVE or its"
                  + " queue at STOP settles them)",
              true,
              "verifier: 0 violations",
              true));
    }
  }

  @Test
  void aPausedVmResumesWithoutDuplicatesOrLostAccounting(@TempDir Path tmp) throws Exception {
    try (VmCluster cluster = cluster(30, "1000")) {
      cluster.start();
      awaitTicking(cluster, tmp);
      var vm2 = cluster.vms.get(2);
      Instant paused = Instant.now();
      VmCluster.docker().pauseContainerCmd(vm2.getContainerId()).exec();
      await("peers give up on the paused vm2 (send deadline 3 x 1 s)")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  count(peek(cluster.vms.get(0), 0, tmp), EventType.DROP, "to", "2")
                          + count(peek(cluster.vms.get(1), 1, tmp), EventType.DROP, "to", "2")
                      >= 2);
      VmCluster.docker().unpauseContainerCmd(vm2.getContainerId()).exec();
      long pauseMillis = Duration.between(paused, Instant.now()).toMillis();
      long pauseSeconds = pauseMillis / 1000;
      assertThat(cluster.awaitExit(Duration.ofSeconds(90))).containsOnly(0L);
      var result = cluster.collectAndVerify(tmp.resolve("logs"));
      // A paused machine does nothing meanwhile: vm2 skips the slots of its pause (no burst of
      // catch-up ticks afterwards), and its run still has its 600 slots.
      assertThat(result.slots(2)).as("vm2's tick slots: ticks + missed").isEqualTo(600);
      long missed2 = result.missed(2);
      assertThat(missed2)
          .as("vm2 skipped the slots of its %d ms pause (20/s), give or take a second", pauseMillis)
          .isGreaterThanOrEqualTo(Math.max(1, (pauseMillis - 1000) * 20 / 1000));
      var dropLines =
          result.logs().values().stream()
              .flatMap(List::stream)
              .map(EventLogReader.Line::event)
              .filter(e -> e.event() == EventType.DROP)
              .toList();
      long drops = dropLines.size();
      long late = Analyzer.analyze(result.logs()).metrics().lateDeliveries();
      System.out.println(
          "pause: DROPs to vm2 by reason "
              + dropLines.stream()
                  .filter(d -> "2".equals(d.get("to")))
                  .collect(
                      java.util.stream.Collectors.groupingBy(
                          d -> d.get("reason"), java.util.stream.Collectors.counting())));
      Reliability.record(
          "30-pause",
          "VM paused",
          "`docker pause` of vm2 for "
              + pauseSeconds
              + " s (until its peers had dropped messages to it), then"
              + " `docker unpause`",
          Reliability.checked(
              // A DROP whose fate is open (deadline, unreachable, or cancelled: a sender that
              // stopped while its call to the paused vm2 was still out), or one vm2 refused as
              // stopped (sent after vm2's run was over: its skipped slots end it on time); never
              // one that says vm2 refused the message for another reason.
              "peers DROPped what they could not deliver, as open fates or refused by vm2 once its"
                  + " run was over (reasons "
                  + dropLines.stream()
                      .filter(d -> "2".equals(d.get("to")))
                      .map(d -> d.get("reason"))
                      .distinct()
                      .sorted()
                      .toList()
                  + ")",
              drops > 0
                  && dropLines.stream()
                      .filter(d -> "2".equals(d.get("to")))
                      .allMatch(
                          d ->
                              java.util.Arrays.stream(logicalclocks.vm.DropReason.values())
                                  .anyMatch(
                                      r ->
                                          r.word().equals(d.get("reason"))
                                              && (r.ambiguous()
                                                  || r == logicalclocks.vm.DropReason.STOPPED))),
              "vm2 skipped the "
                  + missed2
                  + " tick slots of its pause (missed= on its first tick after it) instead of"
                  + " catching up, and did the other "
                  + result.ticks(2)
                  + " of its 600",
              true),
          Reliability.checked(
              drops + " DROPs",
              true,
              late
                  + " of them reached vm2 all the same (late deliveries,"
                  + " settled by its RECEIVE or its queue at STOP)",
              true,
              "no message RECEIVEd twice, none both"
                  + " DROPped for a definite reason and RECEIVEd: verifier 0 violations",
              true));
    }
  }
}
