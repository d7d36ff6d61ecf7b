package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import logicalclocks.cli.LogCollector;
import logicalclocks.config.HostPort;
import logicalclocks.config.TlsConfig;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogFormat;
import logicalclocks.transport.Network;
import logicalclocks.transport.TestCa;
import logicalclocks.transport.Tls;
import logicalclocks.transport.proto.ClockServiceGrpc;
import logicalclocks.transport.proto.HelloRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

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
  void statefulSetPodsRunWithTheManifestsSettings(@TempDir Path logs, @TempDir Path tls)
      throws Exception {
    Manifests k8s = Manifests.load(ComposeFile.projectDir().resolve("k8s"));
    StatefulSet sts = k8s.one(StatefulSet.class);
    String svc = k8s.named(Service.class, sts.getSpec().getServiceName()).getMetadata().getName();
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
    var podSpec = sts.getSpec().getTemplate().getSpec();
    long uid = podSpec.getSecurityContext().getRunAsUser();
    long gid = podSpec.getSecurityContext().getRunAsGroup();
    // The csi-driver's volume, emulated from its own attributes: each pod's directory holds only
    // its key pair (for the names the manifest asks for) and the CA, files 0440 root:fs-group,
    // mounted read-only where the manifest mounts it.
    var csi = CsiCertificates.volume(podSpec).getCsi();
    String tlsMount = CsiCertificates.mount(podSpec).getMountPath();
    String fsGroup = CsiCertificates.attribute(csi, "fs-group", "0");
    TestCa ca = new TestCa(Files.createDirectories(tls.resolve("ca")), "k8s-ca");
    List<TlsConfig> podTls = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      podTls.add(
          CsiCertificates.issue(
              ca, csi, sts.getMetadata().getName() + "-" + i, "default", tls.resolve("pod-" + i)));
    }
    // The ui Deployment's pod (k8s/ui.yaml): its own csi identity, in a pod-* directory like the
    // VMs'.
    var uiDeployment = k8s.one(io.fabric8.kubernetes.api.model.apps.Deployment.class);
    var uiSpec = uiDeployment.getSpec().getTemplate().getSpec();
    CsiCertificates.issue(
        ca,
        CsiCertificates.volume(uiSpec).getCsi(),
        uiDeployment.getMetadata().getName() + "-5d9f8-x2k7p",
        "default",
        tls.resolve("pod-ui"));
    try (var owner =
        new GenericContainer<>(Docker.image())
            .withCreateContainerCmdModifier(cmd -> cmd.withUser("0:0").withEntrypoint("sh"))
            .withFileSystemBind(tls.toString(), "/tls", BindMode.READ_WRITE)
            .withCommand("-c", "chown 0:" + fsGroup + " /tls/pod-*/* && chmod 0440 /tls/pod-*/*")
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
      owner.start();
    }
    int healthPort = Integer.parseInt(env.get("HEALTH_PORT"));
    try (VmCluster cluster = new VmCluster()) {
      for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
        String podName = sts.getMetadata().getName() + "-" + i;
        Path own = tls.resolve("pod-" + i);
        cluster.add(
            Docker.image(),
            podName + "." + svc,
            env,
            c ->
                c.withCreateContainerCmdModifier(
                        cmd -> {
                          cmd.withHostName(podName).withUser(uid + ":" + gid);
                          cmd.getHostConfig().withReadonlyRootfs(true);
                        })
                    .withTmpFs(Map.of("/tmp", "rw,size=64m"))
                    .withFileSystemBind(own.toString(), tlsMount, BindMode.READ_ONLY)
                    .withExposedPorts(VmCluster.PORT, healthPort)
                    .waitingFor(
                        new VmCluster.GrpcHealthWait(healthPort)
                            .withStartupTimeout(Duration.ofSeconds(60)))
                    .withCommand(container.getArgs().toArray(String[]::new)));
      }
      // The ui's pod as the Deployment runs it: its args (PEERS scaled with the StatefulSet), env,
      // user, read-only root, tmpfs /tmp, its own TLS directory; started first, as nothing waits
      // for
      // it and it waits for nothing (it follows the pods as they come up).
      var uiC = uiSpec.getContainers().get(0);
      Map<String, String> uiEnv = new HashMap<>();
      uiC.getEnv().forEach(e -> uiEnv.put(e.getName(), e.getValue()));
      List<String> uiArgs = new ArrayList<>(uiC.getArgs());
      assertThat(uiArgs.get(1))
          .isEqualTo(
              container.getEnv().stream()
                  .filter(e -> e.getName().equals("PEERS"))
                  .findFirst()
                  .orElseThrow()
                  .getValue());
      uiArgs.set(1, env.get("PEERS"));
      int uiPort = uiC.getPorts().get(0).getContainerPort();
      long uiUid = uiSpec.getSecurityContext().getRunAsUser();
      long uiGid = uiSpec.getSecurityContext().getRunAsGroup();
      var uiPod =
          new GenericContainer<>(Docker.image())
              .withNetwork(cluster.network)
              .withEnv(uiEnv)
              .withCreateContainerCmdModifier(
                  cmd -> {
                    cmd.withHostName(uiDeployment.getMetadata().getName() + "-5d9f8-x2k7p")
                        .withUser(uiUid + ":" + uiGid);
                    cmd.getHostConfig().withReadonlyRootfs(true);
                  })
              .withTmpFs(Map.of("/tmp", "rw,size=64m"))
              .withFileSystemBind(
                  tls.resolve("pod-ui").toString(),
                  CsiCertificates.mount(uiSpec).getMountPath(),
                  BindMode.READ_ONLY)
              .withExposedPorts(uiPort)
              .withLogConsumer(
                  new org.testcontainers.containers.output.Slf4jLogConsumer(
                      org.slf4j.LoggerFactory.getLogger("container.ui")))
              // the readiness probe: GET /api/state answers 200
              .waitingFor(
                  org.testcontainers.containers.wait.strategy.Wait.forHttp(
                          uiC.getReadinessProbe().getHttpGet().getPath())
                      .forPort(uiPort)
                      .forStatusCode(200)
                      .withStartupTimeout(Duration.ofSeconds(60)))
              .withCommand(uiArgs.toArray(String[]::new));
      cluster.closeWith(uiPod);
      uiPod.start();
      cluster.start();
      LivePage page = new LivePage(uiPod.getHost(), uiPod.getMappedPort(uiPort));
      var live = page.awaitAllLiveWithLines(replicas, Duration.ofSeconds(60));
      assertThat(live.get("vms")).hasSize(replicas);
      // Least privilege: a pod sees the CA, its own certificate and its own key (0440, its group),
      // and no other pod's key: its only TLS mount is its own directory.
      for (int i = 0; i < replicas; i++) {
        var pod = cluster.vms.get(i);
        var ls = pod.execInContainer("ls", "-1", tlsMount);
        assertThat(ls.getStdout().lines().toList())
            .as("pod %d's %s", i, tlsMount)
            .containsExactlyInAnyOrder("ca.crt", "tls.crt", "tls.key");
        var key = pod.execInContainer("cat", env.get("TLS_KEY"));
        assertThat(key.getExitCode()).as("pod %d reads its key: %s", i, key.getStderr()).isZero();
        assertThat(key.getStdout()).isEqualTo(Files.readString(podTls.get(i).key()));
        var mode = pod.execInContainer("stat", "-c", "%a %u %g", env.get("TLS_KEY"));
        assertThat(mode.getStdout().trim()).isEqualTo("440 0 " + fsGroup);
        var mounts =
            VmCluster.docker().inspectContainerCmd(pod.getContainerId()).exec().getMounts();
        final int podIndex = i;
        assertThat(mounts)
            .as("pod %d's mounts of key material", i)
            .filteredOn(m -> m.getSource() != null && m.getSource().startsWith(tls.toString()))
            .singleElement()
            .satisfies(
                m -> assertThat(Path.of(m.getSource())).isEqualTo(tls.resolve("pod-" + podIndex)));
      }
      await("every pod finished its run")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  cluster.vms.stream().allMatch(c -> c.getLogs().contains("idling until stopped")));
      await("the ui saw every pod's run end")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> page.state().get("over").asBoolean());
      var end = page.state();
      assertThat(end.get("verified").asBoolean()).as("the ui's verdict: %s", end).isTrue();
      for (var vm : end.get("vms")) {
        assertThat(vm.get("state").asText()).as("%s", vm).isEqualTo("finished");
      }
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
      // ... with the report Job's identity (its own csi attributes): it reads every log, and the
      // ClockService refuses it.
      var jobSpec = k8s.one(Job.class).getSpec().getTemplate().getSpec();
      TlsConfig report =
          CsiCertificates.issue(
              ca,
              CsiCertificates.volume(jobSpec).getCsi(),
              "logical-clocks-report-x7k2p",
              "default",
              tls.resolve("report"));
      for (int i = 0; i < replicas; i++) {
        var pod = cluster.vms.get(i);
        String authority = sts.getMetadata().getName() + "-" + i + "." + svc;
        Network asReport = reportNetwork(report, authority);
        LogCollector.collect(
            asReport,
            new HostPort(pod.getHost(), pod.getMappedPort(VmCluster.PORT)),
            i,
            viaRpc,
            true);
        if (i == 0) {
          ManagedChannel ch =
              asReport.channel(new HostPort(pod.getHost(), pod.getMappedPort(VmCluster.PORT)));
          try {
            var refused =
                org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () ->
                        ClockServiceGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .hello(
                                HelloRequest.newBuilder().setSenderId(1).addSequences(1).build()));
            assertThat(refused.getStatus().getCode())
                .as("the report identity speaking for VM 1 (Hello: checked in every state)")
                .isEqualTo(Status.Code.PERMISSION_DENIED);
          } finally {
            ch.shutdownNow();
          }
        }
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

  /** The report Job's client: its certificate, checking each pod's name as the Job would. */
  static Network reportNetwork(TlsConfig report, String authority) throws Exception {
    var ssl = Tls.client(report);
    return new Network() {
      @Override
      public io.grpc.ServerBuilder<?> server(java.net.InetSocketAddress at) {
        throw new UnsupportedOperationException();
      }

      @Override
      public io.grpc.ServerBuilder<?> plaintextServer(java.net.InetSocketAddress at) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ManagedChannel channel(HostPort peer) {
        return NettyChannelBuilder.forTarget(peer.toString())
            .sslContext(ssl)
            .overrideAuthority(authority)
            .build();
      }
    };
  }
}
