package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import logicalclocks.config.HostPort;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.LogCollector;
import logicalclocks.transport.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image run the way the StatefulSet runs it, scaled from 3 to 10 replicas: pods named and
 * aliased by their DNS names (logical-clocks-<i>.logical-clocks), the manifest's env (DURATION
 * shortened), its user, a read-only root filesystem with a tmpfs /tmp; ID comes from the host name,
 * and AFTER_RUN=wait keeps finished pods idle.
 */
class KubernetesPodsIT {
  /** The StatefulSet's 3 replicas scaled to this many pods. */
  static final int SCALED_REPLICAS = 10;

  @BeforeAll
  static void docker() {
    Docker.require();
  }

  @Test
  void statefulSetPodsRunWithTheManifestsSettings(@TempDir Path logs) throws Exception {
    Manifests k8s = Manifests.load(ComposeFile.projectDir().resolve("k8s"));
    StatefulSet sts = k8s.one(StatefulSet.class);
    String svc = k8s.one(Service.class).getMetadata().getName();
    var container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : container.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    env.put("DURATION", "10");
    env.put("TICK_RATE", "30");
    // Scaled the documented way: replicas, and the upper bound of PEERS' range with it.
    int replicas = SCALED_REPLICAS;
    String range = "{0.." + (sts.getSpec().getReplicas() - 1) + "}";
    sts.getSpec().setReplicas(replicas);
    env.put("PEERS", env.get("PEERS").replace(range, "{0.." + (replicas - 1) + "}"));
    assertThat(env.get("PEERS")).contains("{0.." + (replicas - 1) + "}");
    long uid = sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
    try (VmCluster cluster = new VmCluster()) {
      for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
        String podName = sts.getMetadata().getName() + "-" + i;
        cluster.add(
            Docker.image(),
            podName + "." + svc,
            env,
            c ->
                c.withCreateContainerCmdModifier(
                        cmd -> {
                          cmd.withHostName(podName).withUser(uid + ":" + uid);
                          cmd.getHostConfig().withReadonlyRootfs(true);
                        })
                    .withTmpFs(Map.of("/tmp", "rw,size=64m"))
                    .withCommand(container.getArgs().toArray(String[]::new)));
      }
      cluster.start();
      await("every pod finished its run")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  cluster.vms.stream().allMatch(c -> c.getLogs().contains("idling until stopped")));
      assertThat(cluster.vms)
          .allSatisfy(
              c ->
                  assertThat(c.isRunning())
                      .as(
                          "AFTER_RUN=wait: a finished pod stays up instead of being restarted into a crash loop")
                      .isTrue());
      var result = cluster.collectAndVerify(logs);
      // collect through each idle pod's Events RPC: byte for byte the file on its volume.
      Path viaRpc = logs.resolve("via-rpc");
      Files.createDirectories(viaRpc);
      for (int i = 0; i < replicas; i++) {
        var pod = cluster.vms.get(i);
        LogCollector.collect(
            Network.tcp(null),
            new HostPort(pod.getHost(), pod.getMappedPort(VmCluster.PORT)),
            i,
            viaRpc,
            true);
        assertThat(viaRpc.resolve(EventLogFormat.fileName(i)))
            .as("pod %d's log through collect", i)
            .hasSameBinaryContentAs(logs.resolve(EventLogFormat.fileName(i)));
      }
      assertThat(result.logs()).hasSize(replicas);
      for (int i = 0; i < replicas; i++) {
        assertThat(result.logs().get(i).get(0).event().vm()).as("ID from the ordinal").isEqualTo(i);
        assertThat(result.last(i).event()).isEqualTo(EventType.STOP);
      }
      cluster.vms.forEach(VmCluster::sigterm);
      assertThat(cluster.awaitExit(Duration.ofSeconds(30))).containsOnly(0L);
    }
  }
}
